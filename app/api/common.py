"""What every API endpoint shares: the writer guard, the JSON body, the error envelope."""

from __future__ import annotations

from flask import abort, current_app, make_response, request
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from app.services.catalogue.common import cell
from app.services.errors import both
from app.web.errors import ERROR_KEYS, conflict_response, invalid_response, render_error

WRITE_ROLES = ("agency_editor", "hq", "admin")

# Every ``error.code`` the API answers with, and what it means: the one list (openapi.py documents it).
ERROR_CODES = {
    "invalid": "Some fields are not valid; `fields` lists each one as {field, code, message}.",
    "invalid_json": "The body is not a JSON object.",
    "no_solution": "POST /simulate: the input coefficients give the propagation no solution.",
    "csrf": "A signed-in write without the session's CSRF token in the X-CSRFToken header.",
    **{key: f"HTTP {status}." for status, key in ERROR_KEYS.items() if key != "bad_request"},
    "bad_request": "HTTP 400 for a reason other than the body's fields (e.g. a bad query parameter).",
}
# The ``fields[].code`` values the API itself adds (the record validators add their own, such as ``missing``
# or ``out_of_range``, the same on every endpoint that writes that record).
FIELD_CODES = {
    "unknown_field": "The body has a key this endpoint does not read.",
    "missing": "A required key is missing (e.g. `version` on a PATCH).",
    "read_only": "The key cannot be changed (e.g. a product's code).",
    "wrong_type": "The value has the wrong JSON type (an object, or a list where one value is wanted).",
}


def _code(code: str) -> str:
    """A code from ERROR_CODES or FIELD_CODES (a typo fails loudly instead of inventing a new code)."""
    assert code in ERROR_CODES or code in FIELD_CODES, code
    return code


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
                                key=_code("csrf"))
    if current_user.role not in WRITE_ROLES:
        return render_error(403)
    return None


def _body(message: str | None = None) -> dict:
    """The request's JSON object, or a 400 ``invalid_json``: not JSON, not an object, or nested too deep."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # json gives up on nesting deeper than the interpreter's recursion limit
        body = None
    if not isinstance(body, dict):
        abort(make_response(render_error(400, message or gettext("Send a JSON object."), key=_code("invalid_json"))))
    return body


def _invalid(problems):
    return invalid_response(problems)


def _conflict(current: dict):
    return conflict_response(current)


def _problem(field: str, code: str, message):
    return both(message, code, field)


def _unknown_fields(body: dict, allowed) -> list:
    out = []
    for key in body:
        if key not in allowed:
            out.append(_problem(str(key), _code("unknown_field"), lambda k=key: gettext(
                "“%(field)s” is not a field that can be written here.", field=k)))
    return out


def _need_version(body: dict) -> list:
    if "version" not in body:
        return [_problem("version", _code("missing"), lambda: gettext(
            "Send the version you read, so a change made in the meantime is not overwritten."))]
    return []


#: Body fields that may be a JSON list (of texts); every other field is one JSON scalar.
LIST_FIELDS = ("suited_for", "aliases")


def _cells(body: dict, fields) -> tuple[dict[str, str], list]:
    """The body's ``fields`` as the text cells the validators read, and a problem for each value of the
    wrong JSON type (an object anywhere, a list where one value is wanted, a list of non-texts)."""
    cells, problems = {}, []
    for key in fields:
        if key not in body:
            continue
        value = body[key]
        if key in LIST_FIELDS and isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                cells[key] = cell(value)
                continue
            problems.append(_problem(key, _code("wrong_type"), lambda: gettext("Send a list of texts here.")))
        elif isinstance(value, (dict, list)):
            problems.append(_problem(key, _code("wrong_type"), lambda: gettext(
                "Send one value here (text or a number), not a list or an object.")))
        else:
            cells[key] = cell(value)
    return cells, problems


def _text(body: dict, key: str, default: str) -> tuple[str, list]:
    """A field that must be JSON text (such as ``status``): its value, or the default and a problem."""
    value = body.get(key, default)
    if isinstance(value, str):
        return value, []
    return default, [_problem(key, _code("wrong_type"), lambda: gettext("Send text here."))]
