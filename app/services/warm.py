"""Warm a process's caches before it serves: the value-chain graph, the gaps and the match index.

Called by gunicorn's ``post_worker_init`` (gunicorn.conf.py) so that a new worker builds them before it
takes a request; each is cached per data version, so this is also what the first request would do.
"""

from __future__ import annotations

import time

from app.extensions import db
from app.services.gaps import province_gaps
from app.services.graph import value_chain_graph
from app.services.match_index import match_index


def warm_caches() -> float:
    """Build (or load) the caches of the current data version; the seconds it took."""
    start = time.perf_counter()
    try:
        value_chain_graph()
        province_gaps()
        match_index()
    finally:
        try:
            db.session.remove()
        except Exception:  # noqa: BLE001 - a connection lost mid-warm-up must not hide the first error
            pass
    return time.perf_counter() - start
