"""JSON API under /api/v1 — one envelope: ``{"data": …}`` on success, ``{"error": {…}}`` on failure.

Keys and error codes are language-neutral; human messages follow ``?lang=`` or Accept-Language.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from . import services
from .extensions import csrf, db
from .models import Link, Opportunity, Product, ValueChain
from .public import read_opportunity_filters
from .views import parse_int

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def opportunity_json(o: Opportunity) -> dict:
    return {
        "id": o.id,
        "ref": o.ref,
        "title": {"fa": o.title_fa, "en": o.title_en},
        "description": {"fa": o.description_fa, "en": o.description_en},
        "incentives": {"fa": o.incentives_fa, "en": o.incentives_en},
        "product": o.product.code,
        "chains": [c.slug for c in o.product.chains],
        "sector": o.product.sector.slug,
        "county": o.county.slug,
        "agency": o.agency.slug,
        "investment_min_rials": o.investment_min_rials,
        "investment_max_rials": o.investment_max_rials,
        "jobs": o.jobs,
        "suited_for": list(services.types_from_mask(o.suited_mask)),
        "financing": [{"kind": f.kind, "share": f.share_bp / 10000} for f in o.financing],
        "status": o.status,
        "gap_kind": o.gap_kind or None,
        "illustrative": o.illustrative,
        "url": url_for("public.opportunity", lang_code="fa", opp_id=o.id, _external=False),
    }


@bp.get("/opportunities")
def opportunities():
    filters = read_opportunity_filters()
    page = parse_int("page", minimum=1) or 1
    per_page = min(parse_int("per_page", minimum=1) or 50, 200)
    stmt = services.opportunity_query(filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // per_page))
    if page > pages:
        abort(404)
    rows = db.session.scalars(
        stmt.options(selectinload(Opportunity.product).selectinload(Product.chains),
                     selectinload(Opportunity.product).selectinload(Product.sector),
                     selectinload(Opportunity.county), selectinload(Opportunity.agency),
                     selectinload(Opportunity.financing))
        .order_by(Opportunity.id).offset((page - 1) * per_page).limit(per_page)).all()
    return jsonify({"data": [opportunity_json(o) for o in rows],
                    "meta": {"page": page, "pages": pages, "total": total, "per_page": per_page}})


@bp.get("/opportunities/<int:opp_id>")
def opportunity(opp_id: int):
    o = db.session.get(Opportunity, opp_id)
    if o is None or o.status == "draft":
        abort(404)
    return jsonify({"data": opportunity_json(o)})


@bp.get("/chains")
def chains():
    rows = db.session.scalars(select(ValueChain).order_by(ValueChain.slug)).all()
    return jsonify({"data": [
        {"slug": c.slug, "name": {"fa": c.name_fa, "en": c.name_en}, "priority": c.priority,
         "products": len(c.products)} for c in rows]})


@bp.get("/chains/<slug>")
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
        "links": [{"supplier": ids[lk.supplier_id], "user": ids[lk.user_id], "coefficient": lk.coefficient}
                  for lk in links],
    }})


@bp.get("/openapi.json")
def openapi():
    from .openapi import spec

    return jsonify(spec(current_app))


# ---------------------------------------------------------------- missing links and simulation
def _gap_json(g, graph, counties) -> dict:
    product = graph.nodes[g.product]["product"]
    out = g.to_dict()
    out["product_name"] = {"fa": product.name_fa, "en": product.name_en}
    out["sector"] = product.sector
    out["counties"] = sorted(counties.get(g.product, ()))
    out["fill_quantity"] = services.fill_quantity(g)
    return out


@bp.get("/gaps")
def gaps():
    from .public import filtered_gaps, read_gap_filters

    f = read_gap_filters()
    found = filtered_gaps(f)
    page = parse_int("page", minimum=1) or 1
    per_page = min(parse_int("per_page", minimum=1) or 100, 500)
    pages = max(1, -(-len(found) // per_page))
    if page > pages:
        abort(404)
    graph = services.value_chain_graph()
    counties = services.gap_counties()
    shown = found[(page - 1) * per_page: page * per_page]
    return jsonify({"data": [_gap_json(g, graph, counties) for g in shown],
                    "meta": {"page": page, "pages": pages, "total": len(found), "per_page": per_page}})


@bp.post("/simulate")
def simulate():
    from flask_babel import gettext

    from .errors import render_error

    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return render_error(400, gettext("Send a JSON object such as {\"product\": \"7408\", "
                                         "\"added_capacity\": 1000}."), key="invalid_json")
    code = body.get("product")
    qty = body.get("added_capacity")
    graph = services.value_chain_graph()
    if not isinstance(code, str) or code not in graph:
        return render_error(400, gettext("“%(value)s” is not a product in the value-chain data.",
                                         value=str(code)[:40]), key="unknown_product")
    if isinstance(qty, bool) or not isinstance(qty, (int, float)) or not (0 < float(qty) < 1e15):
        return render_error(400, gettext("“added_capacity” must be a positive number of units per year."),
                            key="invalid_added_capacity")
    try:
        sim = services.simulate_fill(code, float(qty))
    except ValueError:
        return render_error(400, gettext("The simulation has no solution for these coefficients."),
                            key="no_solution")
    return jsonify({"data": sim.to_dict()})
