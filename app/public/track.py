"""Tracking a case by its code."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.i18n import isolate
from app.models import Case


# ---------------------------------------------------------------- tracking a case
def track():
    code = (request.args.get("code") or "").strip().upper()
    case = None
    error = None
    if code:
        if len(code) > 16:
            error = gettext("A tracking code is at most 16 characters, such as PJ-7K3Q9M.")
        else:
            case = db.session.scalar(select(Case).where(Case.code == code))
            if case is None:
                error = gettext("No case has the tracking code %(code)s. Check the code and try again.",
                                code=isolate(code))
    status = 200 if not error else (400 if len(code) > 16 else 404)
    return render_template("public/track.html", code=code, case=case, error=error), status
