"""Value chains: list and one chain with its raw-to-final paths."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.schemas import chain_json, link_json, product_json
from app.extensions import db
from app.models import Link, ValueChain
from app.services.gaps import gap_settings, province_gaps
from app.services.graph import value_chain_graph
from app.services.queries import active_chain, active_chains
from chains.graph import local_supply_break, raw_to_final_paths


def chains():
    """Value chains that are not retired."""
    rows = db.session.scalars(active_chains().options(selectinload(ValueChain.products))
                              .order_by(ValueChain.slug)).all()
    return jsonify({"data": [chain_json(c) for c in rows]})


def chain(slug: str):
    """One value chain (not retired) with its nodes (products), links, raw-to-final paths and gaps."""
    c = active_chain(slug)
    if c is None:
        abort(404)
    nodes = [p for p in c.products if not p.retired]
    ids = {p.id: p.code for p in nodes}
    links = db.session.scalars(select(Link).where(Link.retired.is_(False), Link.user_id.in_(ids),
                                                  Link.supplier_id.in_(ids)).order_by(Link.id)).all()
    return jsonify({"data": {
        **chain_json(c),
        "nodes": [product_json(p) for p in nodes],
        "links": [link_json(lk, ids) for lk in links],
        "paths": _chain_paths(c.slug),
        "gaps": [g.to_dict() for g in province_gaps() if c.slug in g.chains],
    }})


def _chain_paths(slug: str, limit: int = 100) -> list[dict]:
    """Raw-to-final paths of a chain and, on each, the first product where local supply falls below half."""

    graph = value_chain_graph()
    threshold = gap_settings().local_supply_threshold
    return [{"products": path, "local_supply_ends_at": local_supply_break(graph, path, threshold)}
            for path in raw_to_final_paths(graph, slug, limit=limit)]
