"""Opportunities: list, one, PATCH (fields and lifecycle), and the reverse look-up of applicants."""

from __future__ import annotations

from flask import abort, jsonify
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.api.common import (
    _body,
    _cells,
    _conflict,
    _invalid,
    _need_version,
    _problem,
    _text,
    _unknown_fields,
    _writer,
)
from app.api.schemas import opportunity_json, permit_path_json
from app.extensions import db
from app.models import Opportunity, Product
from app.security import authz
from app.services import matching as msvc
from app.services.catalogue.opportunities import (
    OPPORTUNITY_FIELDS,
    check_opportunity,
    close_opportunity,
    move_problem,
    opportunity_cells,
    publish_opportunity,
    update_opportunity,
)
from app.services.errors import Conflict, Invalid, check_version
from app.services.permits.paths import opportunity_path
from app.services.queries import count_opportunities, opportunity_page
from app.web.params import parse_int, read_opportunity_filters
from chains.records import FINANCING_KINDS


def opportunities():
    filters = read_opportunity_filters()
    page = parse_int("page", minimum=1) or 1
    per_page = min(parse_int("per_page", minimum=1) or 50, 200)
    total = count_opportunities(filters)
    pages = max(1, -(-total // per_page))
    if page > pages:
        abort(404)
    rows = opportunity_page(filters, (page - 1) * per_page, per_page,
                            selectinload(Opportunity.product).selectinload(Product.chains),
                            selectinload(Opportunity.product).selectinload(Product.sector),
                            selectinload(Opportunity.county), selectinload(Opportunity.agency),
                            selectinload(Opportunity.financing), by_id=True)
    return jsonify({"data": [opportunity_json(o) for o in rows],
                    "meta": {"page": page, "pages": pages, "total": total, "per_page": per_page}})


def opportunity(opp_id: int):
    o = db.session.get(Opportunity, opp_id)
    if o is None or o.status == "draft":
        abort(404)
    return jsonify({"data": {**opportunity_json(o), "permit_path": permit_path_json(opportunity_path(o))}})


def opportunity_applicants(opp_id: int):
    if not current_user.is_authenticated:
        abort(401)
    o = db.session.get(Opportunity, opp_id)
    if o is None:
        abort(404)
    if not authz.can_see_applicants(current_user, o):
        abort(403)
    rows = msvc.reverse_lookup(o)
    return jsonify({"data": [{"applicant": a.ref, "applicant_type": a.applicant_type, "score": round(score, 4),
                              "reasons": [r.text for r in reasons]} for a, score, reasons in rows]})
OPPORTUNITY_KEYS = {"version", "status", "financing", *OPPORTUNITY_FIELDS}


def _financing_cells(value) -> tuple[dict, list]:
    """``[{"kind": "bank", "share": 0.6}, …]`` (shares as in GET) → whole percentages per kind."""
    out = {kind: "" for kind in FINANCING_KINDS}
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        return out, [_problem("financing", "bad_financing", lambda: gettext(
            "Send financing as a list such as [{\"kind\": \"bank\", \"share\": 0.6}]."))]
    problems = []
    for item in value:
        kind, share = str(item.get("kind", "")), item.get("share")
        if not isinstance(share, (int, float)) or isinstance(share, bool):
            problems.append(_problem("financing", "bad_financing", lambda: gettext(
                "Each financing route needs a share between 0 and 1.")))
            continue
        out[kind] = repr(round(share * 100, 6)).removesuffix(".0")
    return out, problems


def opportunity_update(opp_id: int):
    refused = _writer()
    if refused:
        return refused
    row = db.session.scalar(authz.scope_opportunities(select(Opportunity).where(Opportunity.id == opp_id),
                                                      current_user))
    if row is None:
        abort(404)
    body = _body()
    problems = _unknown_fields(body, OPPORTUNITY_KEYS) + _need_version(body)
    cells = opportunity_cells(row)
    given, wrong = _cells(body, OPPORTUNITY_FIELDS)
    cells.update(given)
    problems += wrong
    if "financing" in body:
        cells["financing"], more = _financing_cells(body["financing"])
        problems += more
    status, wrong = _text(body, "status", row.status)
    problems += wrong
    moved = move_problem(row.status, status)
    if moved is not None:
        problems.append(moved)
    record = shares = None
    try:
        record, shares = check_opportunity(cells, current_user, existing=row)
    except Invalid as error:
        problems += error.problems
    if problems:
        return _invalid(problems)
    try:
        check_version(row, body["version"])
        if set(body) - {"version", "status"}:
            update_opportunity(row, record, shares, current_user, body["version"])
        if status == "published" and row.status == "draft":
            publish_opportunity(row, current_user, row.version)
        elif status == "closed" and row.status == "published":
            close_opportunity(row, current_user, row.version)
    except (Conflict, StaleDataError):
        db.session.rollback()
        return _conflict(opportunity_json(db.session.get(Opportunity, opp_id)))
    return jsonify({"data": opportunity_json(row)})
