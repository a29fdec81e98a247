"""Tracking a case by its code, without signing in: each step's status, agency, due date and what is
needed next; nothing personal. Rate limited per address (Flask-Limiter): 429 with Retry-After."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db, limiter
from app.i18n import localise_digits
from app.models import Case, CaseStep
from app.services.cases.routing import today
from app.services.cases.steps import is_overdue
from app.services.codes import CodeError, parse
from app.web.errors import http_error_response, retry_after


def _limits_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED")


def _track_limit() -> str:
    return current_app.config.get("PANJEREH_TRACK_LIMIT", "20/minute;200/hour")


# ---------------------------------------------------------------- tracking a case
@limiter.limit(_track_limit, exempt_when=_limits_off, scope="track",
               deduct_when=lambda response: bool(request.args.get("code")))
def track():
    typed = (request.args.get("code") or "")[:64]
    case, error, status = None, None, 200
    if typed.strip():
        try:
            code = parse(typed)
        except CodeError as exc:
            code, status = None, 400
            error = (gettext("This code has a typo: check each digit against the code you were given.")
                     if exc.reason == "typo" else
                     gettext("A tracking code is 16 digits, such as 1234 5678 9012 3456."))
        if code:
            case = db.session.scalar(select(Case).where(Case.code == code).options(
                selectinload(Case.opportunity), selectinload(Case.steps).selectinload(CaseStep.agency),
                selectinload(Case.steps).selectinload(CaseStep.template)))
            if case is None:
                status = 404
                error = gettext("No case has this tracking code. Check the code and try again.")
    return render_template("public/track.html", typed=typed, case=case, error=error, today=today(),
                           is_overdue=is_overdue), status


def too_many_requests(exc):
    """429 on the public site: for /track, the page says what was tried too often and when to try again;
    any other public page (the obstacle report) gets the shared 429 page. Both carry Retry-After."""
    if request.endpoint != "public.track":
        return http_error_response(exc)
    wait = retry_after()
    response = current_app.make_response((render_template(
        "errors/error.html", code=429, title=gettext("Too many attempts"),
        message=gettext("Too many tracking codes were tried from your address. Please wait %(n)s seconds and "
                        "try again.", n=localise_digits(wait))), 429))
    response.headers["Retry-After"] = str(wait)
    return response
