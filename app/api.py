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
        "links": [{"supplier": ids[lk.supplier_id], "user": ids[lk.user_id], "coefficient": lk.coefficient,
                   "provenance": {"source": lk.source, "agency": lk.agency.slug if lk.agency else None,
                                  "as_of": lk.as_of.isoformat() if lk.as_of else None,
                                  "illustrative": lk.illustrative}}
                  for lk in links],
        "paths": _chain_paths(c.slug),
        "gaps": [g.to_dict() for g in services.province_gaps() if c.slug in g.chains],
    }})


def _chain_paths(slug: str, limit: int = 100) -> list[dict]:
    """Raw-to-final paths of a chain and, on each, the first product where local supply falls below half."""
    from chains.graph import local_supply_break, raw_to_final_paths

    graph = services.value_chain_graph()
    threshold = services.gap_settings().local_supply_threshold
    return [{"products": path, "local_supply_ends_at": local_supply_break(graph, path, threshold)}
            for path in raw_to_final_paths(graph, slug, limit=limit)]


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


# ---------------------------------------------------------------- matching
def _profile_problems(body: dict) -> tuple[dict, list[dict]]:
    """Validate a match request; field-level errors carry a language-neutral code and a message."""
    from flask_babel import gettext

    from chains.records import APPLICANT_TYPES

    from .models import County, Product, Sector

    problems: list[dict] = []

    def bad(field: str, code: str, message: str) -> None:
        problems.append({"field": field, "code": code, "message": message})

    kind = body.get("applicant_type")
    if kind is None:
        bad("applicant_type", "required", gettext("The type of applicant is required."))
    elif kind not in APPLICANT_TYPES:
        bad("applicant_type", "invalid_choice", gettext("The type of applicant must be one of: %(choices)s.",
                                                        choices=", ".join(APPLICANT_TYPES)))
    capital = body.get("capital_rials")
    if capital is None:
        bad("capital_rials", "required", gettext("The capital in rials is required."))
    elif isinstance(capital, bool) or not isinstance(capital, int):
        bad("capital_rials", "not_integer", gettext("The capital must be a whole number of rials."))
    elif capital <= 0:
        bad("capital_rials", "not_positive", gettext("The capital must be more than zero."))
    elif capital > 10**17:
        bad("capital_rials", "too_large", gettext("The capital is too large; check the unit."))

    def str_list(field: str) -> list[str]:
        value = body.get(field, [])
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value) or len(value) > 200:
            bad(field, "not_a_list", gettext("“%(field)s” must be a list of strings.", field=field))
            return []
        return value

    sectors, products, counties = str_list("sectors"), str_list("products"), str_list("counties")
    known_sectors = set(db.session.scalars(select(Sector.slug)))
    known_counties = set(db.session.scalars(select(County.slug)))
    resolved_sectors = [services.resolve_slug(Sector, s) or s for s in sectors]
    resolved_counties = [services.resolve_slug(County, c) or c for c in counties]
    for s in resolved_sectors:
        if s not in known_sectors:
            bad("sectors", "unknown_sector", gettext("“%(value)s” is not a known sector.", value=s[:60]))
    for c in resolved_counties:
        if c not in known_counties:
            bad("counties", "unknown_county", gettext("“%(value)s” is not a known county.", value=c[:60]))
    if products:
        known = set(db.session.scalars(select(Product.code).where(Product.code.in_(products))))
        for code in products:
            if code not in known:
                bad("products", "unknown_product",
                    gettext("“%(value)s” is not in the province's product list.", value=code[:20]))
    skills = body.get("skills", "")
    if not isinstance(skills, str) or len(skills) > 2000:
        bad("skills", "invalid_text", gettext("“skills” must be text of at most 2,000 characters."))
        skills = ""
    lang = body.get("lang", "fa")
    if lang not in ("fa", "en"):
        bad("lang", "invalid_choice", gettext("“lang” must be fa or en."))
    profile = {"applicant_type": kind, "capital_rials": capital, "sectors": resolved_sectors,
               "products": products, "counties": resolved_counties, "skills": skills, "lang": lang}
    return profile, problems


def _invalid(problems: list[dict]):
    from flask_babel import gettext

    return jsonify({"error": {"code": "invalid_profile", "status": 400,
                              "title": gettext("The request could not be understood"),
                              "message": gettext("Some fields of the profile are not valid."),
                              "fields": problems}}), 400


@bp.post("/match")
def match():
    from flask_babel import force_locale, gettext

    from chains.records import Applicant as ApplicantRecord

    from .errors import render_error
    from .services import matching as msvc

    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return render_error(400, gettext("Send a JSON object with at least applicant_type and capital_rials."),
                            key="invalid_json")
    asked = body.get("lang") if body.get("lang") in ("fa", "en") else None
    with force_locale(asked or request.args.get("lang") or "fa"):
        profile, problems = _profile_problems(body)
        if problems:
            return _invalid(problems)
    record = ApplicantRecord(ref="api", applicant_type=profile["applicant_type"],
                             capital_rials=profile["capital_rials"], sectors=tuple(profile["sectors"]),
                             skills=profile["skills"], products=tuple(profile["products"]),
                             counties=tuple(profile["counties"]), lang=profile["lang"])
    found = msvc.match(record, profile["lang"])
    lang = profile["lang"]

    def title(o):
        return o.title_fa if lang == "fa" else o.title_en

    return jsonify({
        "matches": [{"opportunity_id": found.opportunities[m.opportunity_ref].id,
                     "title": title(found.opportunities[m.opportunity_ref]),
                     "chains": [c.slug for c in found.opportunities[m.opportunity_ref].product.chains],
                     "score": round(m.score, 4), "reasons": [r.text for r in m.reasons]}
                    for m in found.result.matches if m.opportunity_ref in found.opportunities],
        "excluded": [{"opportunity_id": found.opportunities[e.opportunity_ref].id, "rule": e.rule,
                      "reason": e.text}
                     for e in found.result.excluded[:20] if e.opportunity_ref in found.opportunities],
    })


@bp.get("/opportunities/<int:opp_id>/applicants")
def opportunity_applicants(opp_id: int):
    from flask_login import current_user

    from .services import matching as msvc

    if not current_user.is_authenticated:
        abort(401)
    o = db.session.get(Opportunity, opp_id)
    if o is None:
        abort(404)
    allowed = current_user.role in ("hq", "admin") or (
        current_user.role == "agency_editor" and current_user.agency_id == o.agency_id)
    if not allowed:
        abort(403)
    rows = msvc.reverse_lookup(o)
    return jsonify({"data": [{"applicant": a.ref, "applicant_type": a.applicant_type, "score": round(score, 4),
                              "reasons": [r.text for r in reasons]} for a, score, reasons in rows]})
