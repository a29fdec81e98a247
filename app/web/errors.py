"""HTTP errors: one handler, an HTML page in the current language or JSON for the API."""

from __future__ import annotations

import math
import time

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db, limiter
from app.i18n import current_lang
from app.services.errors import Conflict, Invalid, NotAllowed


class UserMessage(str):
    """A message written for the user, in their language; only these are shown on error pages."""


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _title(code: int) -> str:
    titles = {
        400: gettext("The request could not be understood"),
        401: gettext("Please sign in"),
        403: gettext("You do not have access to this page"),
        404: gettext("Page not found"),
        405: gettext("This action is not allowed here"),
        409: gettext("This record was changed by someone else"),
        413: gettext("The file is too large"),
        429: gettext("Too many attempts"),
        500: gettext("Something went wrong on our side"),
    }
    return titles.get(code, gettext("Error"))


def _default_message(code: int) -> str:
    messages = {
        400: gettext("Please check what you entered and try again."),
        403: gettext("Sign in with an account that has access, or go back to the home page."),
        404: gettext("The page or record you asked for does not exist. Check the address or search again."),
        405: gettext("Go back and use the buttons on the page."),
        413: gettext("Upload a smaller file."),
        429: gettext("Please wait a while and try again."),
        500: gettext("The error has been recorded. Please try again later."),
    }
    return messages.get(code, "")


ERROR_KEYS = {400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 429: "rate_limited",
              500: "server_error"}


def render_error(code: int, message: str | None = None, key: str | None = None):
    message = message or _default_message(code)
    if wants_json():
        body = {"error": {"code": key or ERROR_KEYS.get(code, "error"), "status": code,
                          "title": _title(code), "message": message}}
        return jsonify(body), code
    return render_template("errors/error.html", code=code, title=_title(code), message=message), code


def invalid_response(problems):
    """400 with every field problem: the API's ``invalid`` error with ``fields``, or the error page listing them."""
    lang = current_lang()
    if wants_json():
        return jsonify({"error": {"code": "invalid", "status": 400, "title": _title(400),
                                  "message": gettext("Some fields are not valid."),
                                  "fields": [p.as_json(lang) for p in problems]}}), 400
    return render_template("errors/error.html", code=400, title=_title(400),
                           message=gettext("Some fields are not valid."),
                           problems=[p.message(lang) for p in problems]), 400


def conflict_response(current: dict | None = None):
    """409: someone else saved first; the API's ``conflict`` error carries the stored values when given."""
    message = gettext("Someone else changed this record in the meantime; nothing was saved. Read the "
                      "current values and send your change again with their version.")
    if wants_json():
        body = {"code": "conflict", "status": 409, "title": _title(409), "message": message}
        if current is not None:
            body["current"] = current
        return jsonify({"error": body}), 409
    return render_error(409, message)


def retry_after() -> int:
    """Seconds until the limit this request broke lets it through again (at least one)."""
    current = limiter.current_limit
    if current is not None and current.reset_at:
        return max(1, math.ceil(current.reset_at - time.time()))
    return 60


def http_error_response(exc: HTTPException):
    """The error page (or the API's JSON error) for an HTTP error, with ``Allow`` on 405, ``Retry-After`` on 429."""
    # werkzeug's own descriptions are English prose; only ours (UserMessage) are shown.
    own = exc.description if isinstance(exc.description, UserMessage) else None
    response = make_response(render_error(exc.code or 500, own))
    if exc.code == 405:
        # RFC 9110: a 405 names the methods the resource does allow (werkzeug's MethodNotAllowed knows them).
        response.headers["Allow"] = ", ".join(sorted(set(exc.valid_methods or ()) | {"OPTIONS"}))
    if exc.code == 429:
        response.headers["Retry-After"] = str(retry_after())
    return response


def register(app) -> None:
    app.register_error_handler(HTTPException, http_error_response)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return render_error(400, gettext("This form has expired or did not come from this site. "
                                         "Reload the page and try again."), key="csrf")

    @app.errorhandler(Invalid)
    def _invalid(exc: Invalid):
        return invalid_response(exc.problems)

    @app.errorhandler(Conflict)
    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def _conflict(exc):
        # A flush that failed (another writer won: a stale version, a unique key taken) leaves the session
        # unusable until it is rolled back, and the page below may read the database (the user, the menus).
        db.session.rollback()
        if not isinstance(exc, Conflict):
            app.logger.info("write refused at flush: %s", exc.__class__.__name__)
        return conflict_response(getattr(exc, "current", None))

    @app.errorhandler(NotAllowed)
    def _not_allowed(exc: NotAllowed):
        return render_error(403)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("Unhandled error: %s", exc)
        db.session.rollback()  # so the error page can still read the session's user
        return render_error(500)

    @app.errorhandler(InternalServerError)
    def _internal(exc):
        return render_error(500)
