"""The single-window desk: walk-in intake, ranked matches with reasons, feedback, print sheet, cases."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import HiddenField
from wtforms.validators import DataRequired

from app.extensions import db
from app.i18n import current_lang, isolate
from app.models import Applicant, Case, MatchFeedback, Opportunity
from app.security.access import role_required
from app.services import matching as svc
from app.services.queries import product_options
from app.web.errors import UserMessage
from app.web.forms import ProfileForm

DESK_ROLES = ("desk_staff", "hq", "admin")


class ActionForm(FlaskForm):
    """A button that posts: CSRF plus the opportunity it acts on."""

    opportunity_id = HiddenField(validators=[DataRequired()])
    relevant = HiddenField()


def _applicant_or_404(ref: str) -> Applicant:
    applicant = db.session.scalar(select(Applicant).where(Applicant.ref == ref))
    if applicant is None:
        abort(404)
    return applicant


def _opportunity_from(form: ActionForm) -> Opportunity:
    try:
        opp = db.session.get(Opportunity, int(form.opportunity_id.data))
    except (TypeError, ValueError):
        opp = None
    if opp is None or opp.status != "published":
        abort(400, description=UserMessage(gettext("That opportunity is not open.")))
    return opp


# ---------------------------------------------------------------- desk
@role_required(*DESK_ROLES)
def intake():
    form = ProfileForm()
    del form.alerts
    if form.validate_on_submit():
        if form.checking():  # show "we understood" to correct before anything is stored
            form.show_understood(svc.understood(form.skills.data, current_lang()))
        else:
            profile = form.profile()
            applicant = svc.create_applicant(profile, staff=current_user)
            return redirect(url_for("desk.matches", ref=applicant.ref,
                                    strict=1 if profile["strict_counties"] else None))
    return render_template("desk/intake.html", form=form, product_options=product_options()), \
        (400 if form.errors else 200)


def _strict() -> bool:
    return request.args.get("strict") == "1"


@role_required(*DESK_ROLES)
def matches(ref: str):
    applicant = _applicant_or_404(ref)
    lang = current_lang()
    found = svc.match(svc.applicant_record(applicant), lang, strict_counties=_strict(), confirmed=True)
    feedback = {f.opportunity_id: f.relevant for f in db.session.scalars(
        select(MatchFeedback).where(MatchFeedback.applicant_id == applicant.id))}
    cases = {c.opportunity_id: c for c in db.session.scalars(select(Case).where(Case.applicant_id == applicant.id))}
    return render_template("desk/matches.html", applicant=applicant, found=found, feedback=feedback, cases=cases,
                           form=ActionForm(), strict=_strict())


@role_required(*DESK_ROLES)
def print_sheet(ref: str):
    applicant = _applicant_or_404(ref)
    found = svc.match(svc.applicant_record(applicant), applicant.lang, k=10, strict_counties=_strict(),
                      confirmed=True)
    # The sheet is in the applicant's language, whatever the clerk's page language; no internal notes.
    with force_locale(applicant.lang):
        return render_template("desk/print.html", applicant=applicant, found=found, today=date.today(),
                               sheet_lang=applicant.lang)


@role_required(*DESK_ROLES)
def feedback(ref: str):
    applicant = _applicant_or_404(ref)
    form = ActionForm()
    if not form.validate_on_submit() or form.relevant.data not in ("yes", "no"):
        abort(400, description=UserMessage(gettext("Mark the match as relevant or not relevant.")))
    opp = _opportunity_from(form)
    found = svc.match(svc.applicant_record(applicant), current_lang(), k=200, confirmed=True)
    signals = next((m.signals for m in found.result.matches + found.result.others if m.opportunity_ref == opp.ref),
                   None)
    svc.record_feedback(applicant, opp, form.relevant.data == "yes", signals, current_user)
    flash(gettext("Thank you: your verdict on this match was saved."), "success")
    return redirect(url_for("desk.matches", ref=ref) + f"#opp-{opp.id}")


@role_required(*DESK_ROLES)
def open_case(ref: str):
    applicant = _applicant_or_404(ref)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, description=UserMessage(gettext("Choose the opportunity to open a case for.")))
    case = svc.open_case(applicant, _opportunity_from(form), current_user)
    flash(gettext("Case %(code)s is open. Give the applicant this tracking code.", code=isolate(case.code)), "success")
    return redirect(url_for("desk.case", code=case.code))


@role_required(*DESK_ROLES)
def case(code: str):
    row = db.session.scalar(select(Case).where(Case.code == code)
                            .options(selectinload(Case.applicant), selectinload(Case.opportunity)))
    if row is None:
        abort(404)
    return render_template("desk/case.html", case=row)
