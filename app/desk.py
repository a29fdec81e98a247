"""The single-window desk (staff), investor self-service matching, case tracking, and the agency queue."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from datetime import date

from flask_babel import force_locale, gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import HiddenField
from wtforms.validators import DataRequired

from chains.records import Applicant as ApplicantRecord

from .auth import role_required
from .errors import UserMessage
from .extensions import db
from .forms import ProfileForm
from .i18n import current_lang
from .models import Applicant, Case, Interest, MatchFeedback, Opportunity
from .services import matching as svc
from .views import add_lang_code, lang_prefix_guard

bp = Blueprint("desk", __name__, url_prefix="/<lang_code>")
bp.url_value_preprocessor(lang_prefix_guard)
bp.url_defaults(add_lang_code)

DESK_ROLES = ("desk_staff", "hq", "admin")


class ActionForm(FlaskForm):
    """A button that posts: CSRF plus the opportunity it acts on."""

    opportunity_id = HiddenField(validators=[DataRequired()])
    relevant = HiddenField()


def product_options():
    from .models import Product

    return db.session.scalars(select(Product).where(Product.retired.is_(False)).order_by(Product.code)).all()


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
@bp.route("/desk/", methods=["GET", "POST"])
@role_required(*DESK_ROLES)
def intake():
    form = ProfileForm()
    del form.alerts
    if form.validate_on_submit():
        applicant = svc.create_applicant(form.profile(), staff=current_user)
        db.session.commit()
        return redirect(url_for("desk.matches", ref=applicant.ref))
    return render_template("desk/intake.html", form=form, product_options=product_options()), \
        (400 if form.errors else 200)


@bp.route("/desk/applicants/<ref>")
@role_required(*DESK_ROLES)
def matches(ref: str):
    applicant = _applicant_or_404(ref)
    lang = current_lang()
    found = svc.match(svc.applicant_record(applicant), lang)
    feedback = {f.opportunity_id: f.relevant for f in db.session.scalars(
        select(MatchFeedback).where(MatchFeedback.applicant_id == applicant.id))}
    cases = {c.opportunity_id: c for c in db.session.scalars(select(Case).where(Case.applicant_id == applicant.id))}
    return render_template("desk/matches.html", applicant=applicant, found=found, feedback=feedback, cases=cases,
                           form=ActionForm())


@bp.route("/desk/applicants/<ref>/print")
@role_required(*DESK_ROLES)
def print_sheet(ref: str):
    applicant = _applicant_or_404(ref)
    found = svc.match(svc.applicant_record(applicant), applicant.lang, k=10)
    # The sheet is in the applicant's language, whatever the clerk's page language; no internal notes.
    with force_locale(applicant.lang):
        return render_template("desk/print.html", applicant=applicant, found=found, today=date.today(),
                               sheet_lang=applicant.lang)


@bp.route("/desk/applicants/<ref>/feedback", methods=["POST"])
@role_required(*DESK_ROLES)
def feedback(ref: str):
    applicant = _applicant_or_404(ref)
    form = ActionForm()
    if not form.validate_on_submit() or form.relevant.data not in ("yes", "no"):
        abort(400, description=UserMessage(gettext("Mark the match as relevant or not relevant.")))
    opp = _opportunity_from(form)
    found = svc.match(svc.applicant_record(applicant), current_lang(), k=200)
    signals = next((m.signals for m in found.result.matches if m.opportunity_ref == opp.ref), None)
    svc.record_feedback(applicant, opp, form.relevant.data == "yes", signals, current_user)
    db.session.commit()
    flash(gettext("Thank you: your verdict on this match was saved."), "success")
    return redirect(url_for("desk.matches", ref=ref) + f"#opp-{opp.id}")


@bp.route("/desk/applicants/<ref>/cases", methods=["POST"])
@role_required(*DESK_ROLES)
def open_case(ref: str):
    applicant = _applicant_or_404(ref)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, description=UserMessage(gettext("Choose the opportunity to open a case for.")))
    case = svc.open_case(applicant, _opportunity_from(form), current_user)
    db.session.commit()
    flash(gettext("Case %(code)s is open. Give the applicant this tracking code.", code=case.code), "success")
    return redirect(url_for("desk.case", code=case.code))


@bp.route("/desk/cases/<code>")
@role_required(*DESK_ROLES)
def case(code: str):
    row = db.session.scalar(select(Case).where(Case.code == code)
                            .options(selectinload(Case.applicant), selectinload(Case.opportunity)))
    if row is None:
        abort(404)
    return render_template("desk/case.html", case=row)


# ---------------------------------------------------------------- investor self-service
@bp.route("/match", methods=["GET", "POST"])
def self_service():
    form = ProfileForm()
    del form.lang  # results show in the page's language
    if not (current_user.is_authenticated and current_user.role == "investor"):
        del form.alerts
    found = None
    if form.validate_on_submit():
        profile = form.profile()
        if getattr(form, "alerts", None) is not None and profile["alerts"]:
            existing = db.session.scalar(select(Applicant).where(Applicant.user_id == current_user.id))
            if existing is None:
                svc.create_applicant(profile, user=current_user)
            else:
                for key in ("applicant_type", "capital_rials", "skills", "lang", "name"):
                    setattr(existing, key, profile[key])
                existing.sectors, existing.products = "|".join(profile["sectors"]), "|".join(profile["products"])
                existing.counties, existing.alerts = "|".join(profile["counties"]), True
            db.session.commit()
            flash(gettext("Your profile is saved. We will write to you when a new opportunity matches it."), "success")
        record = ApplicantRecord(ref="visitor", applicant_type=profile["applicant_type"],
                                 capital_rials=profile["capital_rials"], sectors=tuple(profile["sectors"]),
                                 skills=profile["skills"], products=tuple(profile["products"]),
                                 counties=tuple(profile["counties"]), lang=current_lang())
        found = svc.match(record, current_lang())
    status = 400 if form.errors else 200
    return render_template("desk/self_service.html", form=form, found=found,
                           product_options=product_options()), status


@bp.route("/opportunities/<int:opp_id>/interest", methods=["POST"])
@role_required("investor")
def interest(opp_id: int):
    opp = db.session.get(Opportunity, opp_id)
    if opp is None or opp.status != "published":
        abort(404)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    applicant = db.session.scalar(select(Applicant).where(Applicant.user_id == current_user.id))
    if applicant is None:
        flash(gettext("Fill in your profile first; then you can express interest."), "info")
        return redirect(url_for("desk.self_service"))
    svc.express_interest(applicant, opp)
    db.session.commit()
    flash(gettext("Your interest was sent to %(agency)s.",
                  agency=opp.agency.name_fa if current_lang() == "fa" else opp.agency.name_en), "success")
    return redirect(url_for("public.opportunity", opp_id=opp.id))


# ---------------------------------------------------------------- tracking a case
@bp.route("/track")
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
                error = gettext("No case has the tracking code %(code)s. Check the code and try again.", code=code)
    status = 200 if not error else (400 if len(code) > 16 else 404)
    return render_template("desk/track.html", code=code, case=case, error=error), status


# ---------------------------------------------------------------- agency: reverse lookup and interest queue
def _may_see_opportunity(opp: Opportunity) -> bool:
    if current_user.role in ("hq", "admin"):
        return True
    return current_user.role == "agency_editor" and current_user.agency_id == opp.agency_id


@bp.route("/portal/opportunities/<int:opp_id>/applicants")
@role_required("agency_editor", "hq", "admin")
def reverse_lookup(opp_id: int):
    opp = db.session.get(Opportunity, opp_id)
    if opp is None:
        abort(404)
    if not _may_see_opportunity(opp):
        abort(403)
    return render_template("desk/reverse.html", opp=opp, rows=svc.reverse_lookup(opp))


@bp.route("/portal/interests")
@role_required("agency_editor", "hq", "admin")
def interests():
    stmt = select(Interest).options(selectinload(Interest.applicant), selectinload(Interest.opportunity))
    if current_user.role == "agency_editor":
        stmt = stmt.where(Interest.agency_id == current_user.agency_id)
    rows = db.session.scalars(stmt.order_by(Interest.created_at.desc())).all()
    return render_template("desk/interests.html", rows=rows)
