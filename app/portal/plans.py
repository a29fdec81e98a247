"""An agency's operational plan for the year: its actions under the ten measures, filing it, and progress."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from app.extensions import db
from app.i18n import by_name, current_lang, localise_digits
from app.models import Agency, Measure, PlanAction
from app.portal.common import PORTAL_ROLES, show_problems
from app.security import authz
from app.security.access import role_required
from app.services.errors import Invalid, both
from app.services.plans import (
    achieved,
    add_action,
    add_progress,
    check_action,
    file_plan,
    filing_deadline,
    is_late,
    jalali_year,
    plan_for,
)
from app.web.errors import UserMessage
from app.web.params import parse_int


class ActionForm(FlaskForm):
    measure = SelectField(_l("Measure"), validate_choice=False)
    title = StringField(_l("Action"))
    target_value = StringField(_l("Target"))
    target_unit = StringField(_l("Unit of the target"))
    due_on = StringField(_l("Deadline"), render_kw={"data-kind": "date", "autocomplete": "off"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.measure.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(m.slug, f"{localise_digits(m.position, lang)}. " + (m.name_fa if lang == "fa" else m.name_en))
            for m in db.session.scalars(select(Measure).order_by(Measure.position))]


class FileForm(FlaskForm):
    version = HiddenField()


class ProgressForm(FlaskForm):
    reported_on = StringField(_l("Date"))
    achieved = StringField(_l("Achieved so far"))
    evidence = TextAreaField(_l("Evidence"))


def _year() -> int:
    year = parse_int("year", minimum=1) or jalali_year(date.today())
    if not 1300 <= year <= 1500:
        abort(404)
    return year


def _agency() -> Agency:
    """The editor's own agency; HQ and admins pick one with ?agency=."""
    if current_user.role == "agency_editor":
        agency = current_user.agency
    else:
        slug = (request.args.get("agency") or "").strip()[:64]
        stmt = select(Agency).order_by(Agency.slug)
        agency = db.session.scalar(stmt.where(Agency.slug == slug) if slug else stmt.limit(1))
    if agency is None:
        abort(404, description=UserMessage(gettext("There is no such agency.")))
    return agency


def _page(agency, year, form, status=200):
    plan = plan_for(agency, year)
    today = date.today()
    agencies = by_name(db.session.scalars(select(Agency))) if current_user.role != "agency_editor" else []
    return render_template("portal/plan.html", agency=agency, year=year, plan=plan, form=form, file_form=FileForm(),
                           progress=ProgressForm(), deadline=filing_deadline(year), today=today, achieved=achieved,
                           is_late=is_late, agencies=agencies), status


@role_required(*PORTAL_ROLES)
def plan():
    agency, year = _agency(), _year()
    form = ActionForm()
    if request.method == "GET":
        return _page(agency, year, form)
    if not form.validate_on_submit():
        abort(400)
    try:
        row = plan_for(agency, year, create=True)
        if not authz.can_edit_plan(current_user, row):
            abort(403)

        add_action(row, check_action({k: form[k].data for k in form._fields if k != "csrf_token"}, year),
                   current_user)
    except Invalid as error:
        db.session.rollback()
        show_problems(form, error.problems, "title")
        return _page(agency, year, form, 400)
    flash(gettext("The action was added to the plan."), "success")
    return redirect(url_for("portal.plan", year=year, agency=agency.slug))


@role_required(*PORTAL_ROLES)
def plan_file():
    agency, year = _agency(), _year()
    form = FileForm()
    if not form.validate_on_submit():
        abort(400)
    row = plan_for(agency, year)
    if row is None:
        raise Invalid([both(lambda: gettext("Add at least one action before filing the plan."), "required",
                            "title")])
    file_plan(row, current_user, form.version.data)
    flash(gettext("The plan for %(year)s was filed with the Production Leap HQ.", year=year), "success")
    return redirect(url_for("portal.plan", year=year, agency=agency.slug))


@role_required(*PORTAL_ROLES)
def action_progress(action_id: int):
    action = db.session.get(PlanAction, action_id) if action_id < 2**31 else None
    if action is None or not authz.can_edit_plan(current_user, action.plan):
        abort(404)
    form = ProgressForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        add_progress(action, {"reported_on": form.reported_on.data, "achieved": form.achieved.data,
                              "evidence": form.evidence.data}, current_user)
    except Invalid as error:
        db.session.rollback()
        abort(400, description=UserMessage(" ".join(p.message(current_lang()) for p in error.problems)))
    flash(gettext("Progress was recorded."), "success")
    return redirect(url_for("portal.plan", year=action.plan.year, agency=action.plan.agency.slug))
