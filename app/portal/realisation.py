"""How far one of the agency's opportunities has come: licensed, under construction, operating, with the
capital actually invested, the jobs actually created and the financing obtained."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectChoice, SelectField, StringField

from app.extensions import db
from app.models import REALISATION_STAGES, RealisationRecord
from app.portal.common import PORTAL_ROLES, scoped_opportunity, show_problems
from app.security.access import role_required
from app.services.errors import Invalid
from app.services.realisation import MONEY_FIELDS, record_stage, stages_of
from app.web.labels import realisation_stage_labels


class RealisationForm(FlaskForm):
    version = HiddenField()
    stage = SelectField(_l("Stage reached"), validate_choice=False)
    capital_invested_rials = StringField(_l("Capital actually invested, rials"))
    jobs_created = StringField(_l("Jobs actually created"))
    financed_bank_rials = StringField(_l("Bank facilities obtained, rials"))
    financed_capital_market_rials = StringField(_l("Raised on the capital market, rials"))
    financed_fund_rials = StringField(_l("From provincial funds, rials"))
    financed_leasing_rials = StringField(_l("Leasing obtained, rials"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = realisation_stage_labels()
        self.stage.choices = [SelectChoice("", gettext("Choose…"))] + [SelectChoice(s, labels[s])
                                                                        for s in REALISATION_STAGES]


@role_required(*PORTAL_ROLES)
def realisation(opp_id: int):
    opp = scoped_opportunity(opp_id if opp_id < 2**31 else 0)
    row = db.session.scalar(select(RealisationRecord).where(RealisationRecord.opportunity_id == opp.id))
    status = 200
    if request.method == "GET":
        data = {"version": row.version, "stage": row.stage, "jobs_created": row.jobs_created,
                **{f: getattr(row, f) for f in MONEY_FIELDS}} if row else {}
        form = RealisationForm(data=data)
    else:
        form = RealisationForm()
        if form.validate_on_submit():
            try:
                record_stage(opp, {k: form[k].data for k in form._fields if k != "csrf_token"}, current_user)
            except Invalid as error:
                db.session.rollback()
                show_problems(form, error.problems, "stage")
            else:
                flash(gettext("The project's progress was recorded."), "success")
                return redirect(url_for("portal.realisation", opp_id=opp.id))
        status = 400
    return render_template("portal/realisation.html", opp=opp, row=row, form=form,
                           stage=stages_of([opp])[opp.id]), status
