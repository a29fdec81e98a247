"""The secretariat's queue of the Chamber of Commerce's demands, and the decision on each."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import current_lang
from app.models import Demand
from app.security.access import role_required
from app.services.demands import decide
from app.services.errors import Invalid
from app.web.obstacles import agency_choices

HQ_ROLES = ("hq", "admin")
FIELDS = ("outcome_note", "category", "title_en", "agency", "investment_min_rials", "investment_max_rials", "jobs")


@role_required(*HQ_ROLES)
def demand_queue():
    rows = db.session.scalars(select(Demand).options(selectinload(Demand.product))
                              .order_by((Demand.status == "new").desc(), Demand.created_at.desc()).limit(500)).all()
    return render_template("hq/demands.html", rows=rows)


@role_required(*HQ_ROLES)
def demand(demand_id: int):
    row = db.session.get(Demand, demand_id) if demand_id < 2**31 else None
    if row is None:
        abort(404)
    problems, typed, status = [], {}, 200
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        typed = {k: (request.form.get(k) or "")[:4100] for k in FIELDS}
        try:
            decide(row, current_user, request.form.get("outcome", ""), request.form.get("version"), typed,
                   current_lang())
        except Invalid as error:
            db.session.rollback()
            row = db.session.get(Demand, demand_id)
            problems = [(p.field, p.message(current_lang())) for p in error.problems]
            status = 400
        else:
            flash(gettext("The demand was decided; the Chamber sees the outcome."), "success")
            return redirect(url_for("hq.demand", demand_id=row.id))
    return render_template("hq/demand.html", row=row, form=FlaskForm(), problems=problems, typed=typed,
                           agencies=agency_choices()), status
