"""Value chains: list and one chain with its raw-to-final paths."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from app.extensions import db
from app.models import Link, ValueChain
from app.services.gaps import gap_settings, province_gaps
from app.services.graph import value_chain_graph
from chains.graph import local_supply_break, raw_to_final_paths


def chains():
    rows = db.session.scalars(select(ValueChain).order_by(ValueChain.slug)).all()
    return jsonify({"data": [
        {"slug": c.slug, "name": {"fa": c.name_fa, "en": c.name_en}, "priority": c.priority,
         "products": len(c.products)} for c in rows]})


def chain(slug: str):
    c = db.session.scalar(select(ValueChain).where(ValueChain.slug == slug))
    if c is None:
        abort(404)
    ids = {p.id: p.code for p in c.products if not p.retired}
    links = db.session.scalars(select(Link).where(Link.retired.is_(False), Link.user_id.in_(ids),
                                                  Link.supplier_id.in_(ids)).order_by(Link.id)).all()
    return jsonify({"data": {
        "slug": c.slug, "name": {"fa": c.name_fa, "en": c.name_en}, "priority": c.priority,
        "nodes": [{"code": p.code, "name": {"fa": p.name_fa, "en": p.name_en}, "stage": p.stage,
                   "sector": p.sector.slug, "unit": p.unit, "capacity": p.capacity, "output": p.output,
                   "demand": p.demand, "inflow": p.inflow, "outflow": p.outflow,
                   "unit_price_rials": p.unit_price_rials,
                   "provenance": {"source": p.source, "agency": p.agency.slug if p.agency else None,
                                  "as_of": p.as_of.isoformat() if p.as_of else None,
                                  "illustrative": p.illustrative}}
                  for p in c.products if not p.retired],
        "links": [{"supplier": ids[lk.supplier_id], "user": ids[lk.user_id], "coefficient": lk.coefficient,
                   "provenance": {"source": lk.source, "agency": lk.agency.slug if lk.agency else None,
                                  "as_of": lk.as_of.isoformat() if lk.as_of else None,
                                  "illustrative": lk.illustrative}}
                  for lk in links],
        "paths": _chain_paths(c.slug),
        "gaps": [g.to_dict() for g in province_gaps() if c.slug in g.chains],
    }})


def _chain_paths(slug: str, limit: int = 100) -> list[dict]:
    """Raw-to-final paths of a chain and, on each, the first product where local supply falls below half."""

    graph = value_chain_graph()
    threshold = gap_settings().local_supply_threshold
    return [{"products": path, "local_supply_ends_at": local_supply_break(graph, path, threshold)}
            for path in raw_to_final_paths(graph, slug, limit=limit)]
