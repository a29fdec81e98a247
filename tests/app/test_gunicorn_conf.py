"""gunicorn.conf.py's worker warm-up: a worker that cannot warm its caches still boots (and serves cold).

gunicorn stops the whole server when a worker fails to boot; the load harness found it: a worker replaced
while PostgreSQL was restarting raised in ``post_worker_init`` and took the site down with it.
"""

from __future__ import annotations

import gc
import logging
import runpy
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import app.services.warm as warm

CONF = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))


class _Worker:
    def __init__(self, wsgi):
        self.wsgi = wsgi
        self.pid = 4242
        self.log = logging.getLogger("test.gunicorn")


def test_a_worker_that_cannot_reach_the_database_while_warming_still_boots(app, monkeypatch, caplog):
    def down():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly\nmore"))

    monkeypatch.setattr(warm, "warm_caches", down)
    monkeypatch.setenv("PANJEREH_WARM", "1")
    with caplog.at_level(logging.WARNING, logger="test.gunicorn"):
        CONF["post_worker_init"](_Worker(app))  # does not raise
    assert "serves without warm caches" in caplog.text and "server closed the connection" in caplog.text


def test_a_worker_warms_its_caches_before_serving_and_freezes_them(app, monkeypatch, caplog):
    """After the warm-up the caches are out of the cyclic collector's reach (a full collection of a warmed
    national-scale worker took 6 s, stalling every thread)."""
    monkeypatch.setenv("PANJEREH_WARM", "1")
    gc.unfreeze()
    try:
        with caplog.at_level(logging.INFO, logger="test.gunicorn"):
            CONF["post_worker_init"](_Worker(app))
        assert "warmed its caches" in caplog.text and "frozen out of the garbage collector" in caplog.text
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual


def test_the_warm_up_raises_what_went_wrong_not_the_failed_clean_up(app, monkeypatch):
    def broken():
        raise RuntimeError("graph could not be built")

    monkeypatch.setattr(warm, "value_chain_graph", broken)
    with app.app_context(), pytest.raises(RuntimeError, match="graph could not be built"):
        warm.warm_caches()
