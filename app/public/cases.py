"""A registered investor's side of the single window: applying to an opportunity, and "my interests and
cases"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import current_lang
from app.models import Applicant, Case, CaseStep, Interest, Opportunity
from app.security.access import role_required
from app.services.cases.routing import open_case
from app.services.codes import grouped


def _own_applicant() -> Applicant | None:
    return db.session.scalar(select(Applicant).where(Applicant.user_id == current_user.id))


@role_required("investor")
def apply(opp_id: int):
    opp = db.session.get(Opportunity, opp_id)
    if opp is None or opp.status != "published":
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    applicant = _own_applicant()
    if applicant is None:
        flash(gettext("Fill in your profile first; then you can apply."), "info")
        return redirect(url_for("public.self_service"))
    case = open_case(applicant, opp, current_user, contact_email=current_user.email,
                     share_contact=request.form.get("share_contact") == "1", lang=current_lang())
    flash(gettext("Your case %(code)s is open. Keep this tracking code.", code=grouped(case.code)), "success")
    return redirect(url_for("public.my_cases"))


@role_required("investor")
def my_cases():
    applicant = _own_applicant()
    cases, interests = [], []
    if applicant is not None:
        cases = db.session.scalars(select(Case).where(Case.applicant_id == applicant.id)
                                   .options(selectinload(Case.opportunity),
                                            selectinload(Case.steps).selectinload(CaseStep.agency))
                                   .order_by(Case.created_at.desc())).all()
        interests = db.session.scalars(select(Interest).where(Interest.applicant_id == applicant.id)
                                       .options(selectinload(Interest.opportunity))
                                       .order_by(Interest.created_at.desc())).all()
    return render_template("public/my_cases.html", applicant=applicant, cases=cases, interests=interests)
