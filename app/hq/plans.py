"""HQ's view of the agencies' operational plans: who has not filed by the deadline and whose actions are late,
by agency category, with reminders through the outbox and a CSV export."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm

from app.i18n import current_lang
from app.security.access import role_required
from app.services.plans import filing_deadline, jalali_year, queue_reminders, standings
from app.web.exports import csv_response
from app.web.labels import category_labels
from app.web.params import parse_int

HQ_ROLES = ("hq", "admin")
STATE_ORDER = ("missing", "filed_late", "not_due", "filed")


def _year() -> int:
    year = parse_int("year", minimum=1) or jalali_year(date.today())
    if not 1300 <= year <= 1500:
        abort(404)
    return year


def state_labels() -> dict[str, str]:
    return {"filed": gettext("Filed on time"), "filed_late": gettext("Filed after the deadline"),
            "missing": gettext("Not filed, deadline passed"), "not_due": gettext("Not filed yet, not due")}


@role_required(*HQ_ROLES)
def plans():
    year, today = _year(), date.today()
    rows = standings(year, today)
    if request.args.get("format") == "csv":
        lang, cats, states = current_lang(), category_labels(), state_labels()
        header = [gettext("Agency"), gettext("Category"), gettext("Plan"), gettext("Actions"), gettext("Late")]
        return csv_response(f"plans-{year}.csv", header, (
            [s.agency.name_fa if lang == "fa" else s.agency.name_en, cats.get(s.agency.category, s.agency.category),
             states[s.state], s.actions, len(s.late)] for s in rows))
    by_category: dict[str, list] = {}
    for s in rows:
        by_category.setdefault(s.agency.category, []).append(s)
    return render_template("hq/plans.html", year=year, rows=rows, by_category=by_category,
                           deadline=filing_deadline(year), states=state_labels(), form=FlaskForm(),
                           missing=sum(s.state == "missing" for s in rows), late=sum(len(s.late) for s in rows))


@role_required(*HQ_ROLES)
def plan_reminders():
    year = _year()
    if not FlaskForm().validate_on_submit():
        abort(400)
    n = queue_reminders(year)
    flash(gettext("%(n)s reminders were queued in the outbox.", n=n), "success")
    return redirect(url_for("hq.plans", year=year))
