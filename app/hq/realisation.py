"""HQ's view of realisation: opportunities at each stage from gap to operating plant, by chain, county and
agency; confirming operating plants' figures; the monthly registry of potential investors (CSV or XLSX)."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import current_lang
from app.models import RealisationRecord
from app.security.access import role_required
from app.services.realisation import STAGES, confirm, investor_registry, realisation_summary, registry_xlsx
from app.web.errors import UserMessage
from app.web.exports import csv_response
from app.web.labels import realisation_stage_labels

HQ_ROLES = ("hq", "admin")


@role_required(*HQ_ROLES)
def realisation():
    summary = realisation_summary()
    waiting = db.session.scalars(select(RealisationRecord).where(RealisationRecord.stage == "operating",
                                                                 RealisationRecord.confirmed_at.is_(None))
                                 .options(selectinload(RealisationRecord.opportunity))).all()
    if request.args.get("format") == "csv":
        group = request.args.get("by", "chain")
        if group not in summary["groups"]:
            abort(404)
        lang = current_lang()
        labels = realisation_stage_labels()
        header = [gettext("Group"), *[labels[s] for s in STAGES], gettext("Capital invested (confirmed), rials"),
                  gettext("Jobs created (confirmed)")]
        return csv_response(f"realisation-{group}.csv", header, (
            [k[1] if lang == "fa" else k[2], *[v["stages"][s] for s in STAGES], v["capital"], v["jobs"]]
            for k, v in summary["groups"][group]))
    return render_template("hq/realisation.html", summary=summary, stages=STAGES, waiting=waiting, form=FlaskForm(),
                           month=date.today().strftime("%Y-%m"))


@role_required(*HQ_ROLES)
def realisation_confirm(record_id: int):
    row = db.session.get(RealisationRecord, record_id) if record_id < 2**31 else None
    if row is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    confirm(row, current_user, request.form.get("version"))
    flash(gettext("The figures of %(ref)s are confirmed.", ref=row.opportunity.ref), "success")
    return redirect(url_for("hq.realisation"))


@role_required(*HQ_ROLES)
def investors():
    raw = (request.args.get("month") or date.today().strftime("%Y-%m")).strip()[:7]
    try:
        year, month = (int(x) for x in raw.split("-"))
        date(year, month, 1)
    except ValueError:
        abort(400, description=UserMessage(gettext("Give the month as 2026-11.")))
    rows = investor_registry(year, month)
    header = [gettext("Reference"), gettext("Name"), gettext("Type of applicant"), gettext("Capital, rials"),
              gettext("Sectors"), gettext("Counties"), gettext("Phone"), gettext("Language"), gettext("Registered")]
    if request.args.get("format") == "xlsx":
        body = registry_xlsx(header, rows, rtl=current_lang() == "fa")
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="investors-{raw}.xlsx"'})
    return csv_response(f"investors-{raw}.csv", header, rows)
