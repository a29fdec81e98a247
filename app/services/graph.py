"""The province's value-chain graph, built once per data version and shared by the pages of a process."""

from __future__ import annotations

import threading

from flask import g, has_request_context, request
from sqlalchemy import func, select

from app.extensions import db
from app.models import Link, Product
from app.services.records import domain_links, domain_products
from chains.graph import build_graph

# ---------------------------------------------------------------- the graph, cached per data version
_graph_lock = threading.Lock()


_graph_cache: dict = {}


def data_version() -> tuple:
    """Changes whenever a product or link is added, edited or retired (versions are bumped by the ORM).

    Read once per GET request (pages ask for the graph several times); requests that write read it afresh.
    """

    memo = has_request_context() and request.method == "GET"
    if memo and "pj_data_version" in g:
        return g.pj_data_version
    p = db.session.execute(select(func.count(Product.id), func.coalesce(func.sum(Product.version), 0))).one()
    lk = db.session.execute(select(func.count(Link.id), func.coalesce(func.sum(Link.version), 0))).one()
    version = (db.engine.url.render_as_string(), tuple(p), tuple(lk))
    if memo:
        g.pj_data_version = version
    return version


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
