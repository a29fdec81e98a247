"""Investor self-service matching, and an investor's interest in an opportunity."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.extensions import db
from app.i18n import current_lang
from app.models import Applicant, Opportunity
from app.security.access import role_required
from app.services import matching as svc
from app.services.queries import product_options
from app.web.forms import ProfileForm


# ---------------------------------------------------------------- investor self-service
def _save_profile(profile: dict) -> None:
    existing = db.session.scalar(select(Applicant).where(Applicant.user_id == current_user.id))
    if existing is None:
        svc.create_applicant(profile, user=current_user)
    else:
        for key in ("applicant_type", "capital_rials", "skills", "lang", "name"):
            setattr(existing, key, profile[key])
        existing.sectors, existing.products = "|".join(profile["sectors"]), "|".join(profile["products"])
        existing.counties, existing.alerts = "|".join(profile["counties"]), True
    flash(gettext("Your profile is saved. We will write to you when a new opportunity matches it."), "success")


def self_service():
    form = ProfileForm()
    del form.lang  # results show in the page's language
    if not (current_user.is_authenticated and current_user.role == "investor"):
        del form.alerts
    found = None
    if form.validate_on_submit():
        if form.checking():  # show "we understood" to correct before matching
            form.show_understood(svc.understood(form.skills.data, current_lang()))
        else:
            profile = form.profile()
            if getattr(form, "alerts", None) is not None and profile["alerts"]:
                _save_profile(profile)
            found = svc.match(svc.profile_record(profile, "visitor", current_lang()), current_lang(),
                              strict_counties=profile["strict_counties"], confirmed=True)
    status = 400 if form.errors else 200
    return render_template("public/match.html", form=form, found=found,
                           product_options=product_options()), status


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
        return redirect(url_for("public.self_service"))
    svc.express_interest(applicant, opp)
    flash(gettext("Your interest was sent to %(agency)s.",
                  agency=opp.agency.name_fa if current_lang() == "fa" else opp.agency.name_en), "success")
    return redirect(url_for("public.opportunity", opp_id=opp.id))
