"""The administrator edits the office's details (header, footer, about page)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.admin.forms import OfficeForm
from app.extensions import db
from app.i18n import current_lang
from app.security.access import role_required
from app.services.errors import Conflict, Invalid
from app.services.office import FIELDS, office, office_values, save_office


@role_required("admin")
def office_settings():
    row = office()
    if request.method == "GET":
        form = OfficeForm(data={**office_values(row), "version": row.version})
        return render_template("admin/office_form.html", form=form)
    form = OfficeForm()
    if form.validate_on_submit():
        try:
            save_office({name: form[name].data for name in FIELDS}, form.version.data, current_user)
        except Invalid as error:
            db.session.rollback()
            lang = current_lang()
            for p in error.problems:
                form[p.field].errors = [*form[p.field].errors, p.message(lang)]
        except (Conflict, StaleDataError):
            db.session.rollback()
            form.version.data = office().version
            return render_template("admin/office_form.html", form=form, conflict=True), 409
        else:
            flash(gettext("The office's details have been saved."), "success")
            return redirect(url_for("admin.office_settings"))
    return render_template("admin/office_form.html", form=form), 400
