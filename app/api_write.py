"""Write endpoints of the JSON API (registered on ``app.api.bp``, under /api/v1).

* ``POST  /api/v1/products`` — add a product;
* ``PATCH /api/v1/products/<code>`` — change a product's fields;
* ``PATCH /api/v1/opportunities/<id>`` — change an opportunity, or move it draft → published → closed;
* ``GET   /api/v1/session/csrf`` — the CSRF token a signed-in page's script sends back.

Authentication is the session cookie of a signed-in user (no API tokens yet): anonymous → 401,
a role that edits nothing → 403, a record outside the editor's agency → 404 (as if it did not exist).
The rules are the portal's (``app.portal_forms``): the import's validation, ``app.authz``, the
optimistic version (a PATCH must send the ``version`` it read; a stale one gets 409 with the
stored values in ``error.current``) and an audit event per change.

CSRF: the ``api`` blueprint is exempt from Flask-WTF's form check because its read endpoints and
``/match`` are public. A write rides on the session cookie, so it must carry the token of that
session in the ``X-CSRFToken`` header (read from ``GET /api/v1/session/csrf`` or the page's form); it is
checked with ``flask_wtf.csrf.validate_csrf`` whenever ``WTF_CSRF_ENABLED`` is on (it is off only in tests).
A cross-site page can neither read that token (no CORS) nor set the header without a preflight.

Errors use the API envelope; field problems are ``{"error": {"code": "invalid", "fields": [{"field",
"code", "message"}]}}`` with messages in the ``?lang=`` language.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, make_response, request
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import ValidationError

from chains.records import FINANCING_KINDS

from . import authz
from . import portal_forms as pf
from .api import bp, opportunity_json
from .errors import render_error
from .extensions import db
from .i18n import current_lang
from .models import Opportunity, Product
from .services import types_from_mask

WRITE_ROLES = ("agency_editor", "hq", "admin")


def product_json(p: Product) -> dict:
    return {
        "code": p.code, "nomenclature": p.nomenclature, "name": {"fa": p.name_fa, "en": p.name_en},
        "sector": p.sector.slug, "stage": p.stage, "unit": p.unit, "unit_price_rials": p.unit_price_rials,
        "capacity": p.capacity, "output": p.output, "demand": p.demand, "inflow": p.inflow, "outflow": p.outflow,
        "active_units": p.active_units, "idle_units": p.idle_units, "jobs": p.jobs,
        "suited_for": list(types_from_mask(p.suited_mask)),
        "provenance": {"source": p.source, "agency": p.agency.slug if p.agency else None,
                       "as_of": p.as_of.isoformat() if p.as_of else None, "illustrative": p.illustrative},
        "retired": p.retired, "version": p.version,
    }


def _opportunity_json(o: Opportunity) -> dict:
    return {**opportunity_json(o), "version": o.version,
            "published_at": o.published_at.isoformat() if o.published_at else None}


# ---------------------------------------------------------------- guards and error shapes
def _writer():
    """None when the request may write; else the error response (401, CSRF 400, 403)."""
    if not current_user.is_authenticated:
        return render_error(401, gettext("Sign in to change data."))
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError:
            return render_error(400, gettext("Send the session's CSRF token in the X-CSRFToken header."),
                                key="csrf")
    if current_user.role not in WRITE_ROLES:
        return render_error(403)
    return None


def _body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(make_response(render_error(400, gettext("Send a JSON object."), key="invalid_json")))
    return body


def _invalid(problems):
    lang = current_lang()
    return jsonify({"error": {"code": "invalid", "status": 400,
                              "title": gettext("The request could not be understood"),
                              "message": gettext("Some fields are not valid."),
                              "fields": [p.as_json(lang) for p in problems]}}), 400


def _conflict(current: dict):
    return jsonify({"error": {"code": "conflict", "status": 409,
                              "title": gettext("This record was changed by someone else"),
                              "message": gettext("Someone else changed this record in the meantime; nothing was "
                                                 "saved. Read the current values and send your change again "
                                                 "with their version."),
                              "current": current}}), 409


def _problem(field: str, code: str, message):
    return pf.both(message, code, field)


def _unknown_fields(body: dict, allowed) -> list:
    out = []
    for key in body:
        if key not in allowed:
            k = key
            out.append(_problem(str(key), "unknown_field", lambda: gettext("“%(field)s” is not a field that can be "
                                                                           "written here.", field=k)))
    return out


def _need_version(body: dict) -> list:
    if "version" not in body:
        return [_problem("version", "missing", lambda: gettext("Send the version you read, so a change made in "
                                                               "the meantime is not overwritten."))]
    return []


# ---------------------------------------------------------------- session
@bp.get("/session/csrf")
def session_csrf():
    if not current_user.is_authenticated:
        return render_error(401)
    return jsonify({"data": {"csrf_token": generate_csrf()}})


# ---------------------------------------------------------------- products
PRODUCT_KEYS = {"code", "version", *pf.PRODUCT_FIELDS}


@bp.post("/products")
def product_create():
    refused = _writer()
    if refused:
        return refused
    body = _body()
    problems = _unknown_fields(body, PRODUCT_KEYS - {"version"})
    try:
        record = pf.check_product({k: pf.cell(v) for k, v in body.items()}, current_user)
    except pf.Invalid as error:
        problems += error.problems
    if problems:
        return _invalid(problems)
    row = pf.create_product(record, current_user)
    db.session.commit()
    return jsonify({"data": product_json(row)}), 201


@bp.patch("/products/<code>")
def product_update(code: str):
    refused = _writer()
    if refused:
        return refused
    row = db.session.scalar(authz.scope_products(select(Product).where(Product.code == code), current_user))
    if row is None:
        abort(404)
    body = _body()
    problems = _unknown_fields(body, PRODUCT_KEYS) + _need_version(body)
    if "code" in body and pf.cell(body["code"]) != row.code:
        problems.append(_problem("code", "read_only", lambda: gettext("A product's code cannot be changed.")))
    cells = pf.product_cells(row)
    cells.update({k: pf.cell(v) for k, v in body.items() if k in pf.PRODUCT_FIELDS})
    try:
        record = pf.check_product(cells, current_user, existing=row)
    except pf.Invalid as error:
        problems += error.problems
    if problems:
        return _invalid(problems)
    try:
        pf.update_product(row, record, current_user, body["version"])
        db.session.commit()
    except (pf.Conflict, StaleDataError):
        db.session.rollback()
        return _conflict(product_json(db.session.scalar(select(Product).where(Product.code == code))))
    return jsonify({"data": product_json(row)})


# ---------------------------------------------------------------- opportunities
OPPORTUNITY_KEYS = {"version", "status", "financing", *pf.OPPORTUNITY_FIELDS}


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


@bp.patch("/opportunities/<int:opp_id>")
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
    cells = pf.opportunity_cells(row)
    cells.update({k: pf.cell(v) for k, v in body.items() if k in pf.OPPORTUNITY_FIELDS})
    if "financing" in body:
        cells["financing"], more = _financing_cells(body["financing"])
        problems += more
    status = body.get("status", row.status)
    allowed = {("draft", "published"), ("published", "closed")}
    if status != row.status and (row.status, status) not in allowed:
        was, want = row.status, str(status)
        problems.append(_problem("status", "bad_status", lambda: gettext(
            "An opportunity moves from draft to published to closed; it cannot go from %(was)s to %(want)s.",
            was=was, want=want)))
    record = shares = None
    try:
        record, shares = pf.check_opportunity(cells, current_user, existing=row)
    except pf.Invalid as error:
        problems += error.problems
    if problems:
        return _invalid(problems)
    try:
        pf.check_version(row, body["version"])
        if set(body) - {"version", "status"}:
            pf.update_opportunity(row, record, shares, current_user, body["version"])
        if status == "published" and row.status == "draft":
            pf.publish_opportunity(row, current_user, row.version)
        elif status == "closed" and row.status == "published":
            pf.close_opportunity(row, current_user, row.version)
        db.session.commit()
    except (pf.Conflict, StaleDataError):
        db.session.rollback()
        return _conflict(_opportunity_json(db.session.get(Opportunity, opp_id)))
    return jsonify({"data": _opportunity_json(row)})
