"""Warm a process's caches before it serves: the value-chain graph, the gaps, the match index, the listing of
published opportunities and what a match answer shows of them.

Called by gunicorn's ``post_worker_init`` (gunicorn.conf.py) so that a new worker builds them before it
takes a request; each is cached per data version, so this is also what the first request would do.
"""

from __future__ import annotations

import gc
import time

from app.extensions import db
from app.services.gaps import province_gaps
from app.services.graph import value_chain_graph
from app.services.match_index import match_index
from app.services.matching import listed_table
from app.services.queries import published_listing
from matching.explain import warm_document_terms


def warm_caches() -> float:
    """Build (or load) the caches of the current data version; the seconds it took."""
    start = time.perf_counter()
    try:
        value_chain_graph()
        province_gaps()
        warm_document_terms(match_index())
        published_listing()
        listed_table()
    finally:
        try:
            db.session.remove()
        except Exception:  # noqa: BLE001 - a connection lost mid-warm-up must not hide the first error
            pass
    return time.perf_counter() - start


def freeze_survivors() -> int:
    """Collect the warm-up's garbage, then move every object left (the caches just built, the app, the
    libraries) out of the cyclic garbage collector's reach (``gc.freeze``); the number frozen.

    A warmed worker holds about five million tracked objects at national scale (the graph, the gaps, the
    match index), and every full collection walked them all: 6 s on the 2-core load machine, during which
    the worker's threads all wait (bench/load found match requests of 16 s at p99). Frozen objects are still
    freed by reference counting when a cache is replaced; only garbage in reference cycles among them would
    stay, and the caches are plain dicts, lists and arrays without such cycles.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
