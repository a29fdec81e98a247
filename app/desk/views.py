"""The single-window desk: walk-in intake, ranked matches with reasons, feedback, print sheet, cases."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
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
from app.services.cases.routing import open_case as route_case
from app.services.cases.routing import today
from app.services.cases.steps import is_overdue
from app.services.codes import grouped
from app.services.permits.paths import opportunity_path
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
            applicant = svc.create_applicant(profile, staff=current_user)  # keeps strict_counties
            return redirect(url_for("desk.matches", ref=applicant.ref))
    return render_template("desk/intake.html", form=form, product_options=product_options()), \
        (400 if form.errors else 200)


def _strict(applicant: Applicant) -> bool:
    """The stored profile's "only these counties"; ``?strict=1`` / ``?strict=0`` overrides it for one page."""
    asked = request.args.get("strict")
    return asked == "1" if asked in ("0", "1") else applicant.strict_counties


@role_required(*DESK_ROLES)
def matches(ref: str):
    applicant = _applicant_or_404(ref)
    lang = current_lang()
    found = svc.match(svc.applicant_record(applicant), lang, strict_counties=_strict(applicant), confirmed=True,
                      audience="desk")  # the clerk reads about the walk-in
    feedback = {f.opportunity_id: f.relevant for f in db.session.scalars(
        select(MatchFeedback).where(MatchFeedback.applicant_id == applicant.id))}
    cases = {c.opportunity_id: c for c in db.session.scalars(select(Case).where(Case.applicant_id == applicant.id))}
    return render_template("desk/matches.html", applicant=applicant, found=found, feedback=feedback, cases=cases,
                           form=ActionForm(), strict=_strict(applicant))


@role_required(*DESK_ROLES)
def print_sheet(ref: str):
    applicant = _applicant_or_404(ref)
    found = svc.match(svc.applicant_record(applicant), applicant.lang, k=10, strict_counties=_strict(applicant),
                      confirmed=True)
    cases = db.session.scalars(select(Case).where(Case.applicant_id == applicant.id)
                               .options(selectinload(Case.opportunity)).order_by(Case.id)).all()
    paths = {c.id: opportunity_path(c.opportunity) for c in cases}
    # The sheet is in the applicant's language, whatever the clerk's page language; no internal notes.
    with force_locale(applicant.lang):
        return render_template("desk/print.html", applicant=applicant, found=found, today=date.today(),
                               sheet_lang=applicant.lang, cases=cases, paths=paths,
                               office_of=responsible_office, clerk=current_user,
                               desk_address=current_app.config.get("PANJEREH_DESK_ADDRESS", ""))


def responsible_office(case: Case, path):
    """The office of the opportunity's responsible agency on the path (else the first step's office)."""
    steps = [ps.template for stage in (path.stages if path else []) for ps in stage]
    own = [t for t in steps if t.agency_id == case.opportunity.agency_id]
    return (own or steps or [None])[0]


@role_required(*DESK_ROLES)
def feedback(ref: str):
    applicant = _applicant_or_404(ref)
    form = ActionForm()
    if not form.validate_on_submit() or form.relevant.data not in ("yes", "no"):
        abort(400, description=UserMessage(gettext("Mark the match as relevant or not relevant.")))
    opp = _opportunity_from(form)
    found = svc.match(svc.applicant_record(applicant), current_lang(), k=200, confirmed=True,
                      strict_counties=applicant.strict_counties)
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
    case = route_case(applicant, _opportunity_from(form), current_user,
                      contact_email=(request.form.get("contact_email") or "")[:300],
                      share_contact=request.form.get("share_contact") == "1", lang=applicant.lang)
    flash(gettext("Case %(code)s is open. Give the applicant this tracking code.", code=isolate(grouped(case.code))),
          "success")
    return redirect(url_for("desk.case", code=case.code))


@role_required(*DESK_ROLES)
def case(code: str):
    row = db.session.scalar(select(Case).where(Case.code == code)
                            .options(selectinload(Case.applicant), selectinload(Case.opportunity)))
    if row is None:
        abort(404)
    return render_template("desk/case.html", case=row, today=today(), is_overdue=is_overdue,
                           path=opportunity_path(row.opportunity))
