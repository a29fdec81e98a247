"""The Chamber of Commerce's working group: its demands to the secretariat, and what became of each."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from app.extensions import db
from app.i18n import by_name, current_lang
from app.models import County, Demand
from app.portal.common import show_problems
from app.security.access import role_required
from app.services.demands import check_demand, file_demand
from app.services.errors import Invalid
from app.services.queries import product_options

CHAMBER_ROLES = ("chamber", "hq", "admin")


class DemandForm(FlaskForm):
    title = StringField(_l("Demand"))
    description = TextAreaField(_l("What the private sector asks for"))
    product = StringField(_l("Product (optional)"))
    county = SelectField(_l("County (optional)"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.county.choices = [SelectChoice("", "—")] + [
            SelectChoice(c.slug, c.name_fa if lang == "fa" else c.name_en)
            for c in by_name(db.session.scalars(select(County)), lang=lang)]


@role_required(*CHAMBER_ROLES)
def demands():
    form = DemandForm()
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            file_demand(check_demand({k: form[k].data for k in ("title", "description", "product", "county")}),
                        current_user)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "title")
            status = 400
        else:
            flash(gettext("Your demand was sent to the secretariat."), "success")
            return redirect(url_for("portal.demands"))
    rows = db.session.scalars(select(Demand).options(selectinload(Demand.product), selectinload(Demand.opportunity))
                              .order_by(Demand.created_at.desc(), Demand.id.desc()).limit(200)).all()
    return render_template("portal/demands.html", form=form, rows=rows, product_options=product_options()), status
