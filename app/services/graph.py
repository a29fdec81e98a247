"""The province's value-chain graph, built once per data version and shared by the pages of a process."""

from __future__ import annotations

import threading

from flask import g, has_request_context

from app.extensions import db
from app.services.records import domain_links, domain_products
from app.services.versions import current
from chains.graph import build_graph

# ---------------------------------------------------------------- the graph, cached per data version
_graph_lock = threading.Lock()


_graph_cache: dict = {}
_version_cache: dict = {}


def data_version() -> tuple:
    """Changes whenever a record in ``versions.WATCHED`` is written (products, links, chains, opportunities,
    financing routes, obstacles, counties, sectors, the office's details).

    One primary-key read of the counter row, once per request (a GET, or a POST such as ``/api/v1/match`` that
    reads three caches): a flush that bumps it (``versions.bump``) forgets the request's reading, so a request
    that writes watched data reads the counter afresh afterwards.
    """
    memo = has_request_context()
    if memo and "pj_data_version" in g:
        return g.pj_data_version
    version = (db.engine.url.render_as_string(), current())
    if memo:
        g.pj_data_version = version
    return version


def per_data_version(name: str, build):
    """``build()``, kept in this process until the data version (:func:`data_version`) changes: for figures
    that read many rows and depend on nothing else (a chain page's totals, the county map, the list's totals)."""
    key = data_version()
    with _graph_lock:
        cached = _version_cache.get(name)
        if cached and cached[0] == key:
            return cached[1]
    value = build()
    with _graph_lock:
        _version_cache[name] = (key, value)
    return value


def value_chain_graph():
    """The province's value-chain graph (a networkx DiGraph built by ``chains.graph``)."""

    key = data_version()
    with _graph_lock:
        cached = _graph_cache.get("graph")
        if cached and cached[0] == key:
            return cached[1]
    graph = build_graph(domain_products(), domain_links())
    with _graph_lock:
        _graph_cache["graph"] = (key, graph)
    return graph
