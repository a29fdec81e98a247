"""Portal: an agency keeps the templates of its own permit steps (office, documents, fees, service level,
legal basis, refusal conditions) — the same validation, audit and no-lost-update rules as other records."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import current_lang
from app.models import StepTemplate
from app.portal.common import PORTAL_ROLES, _refresh, conflict_message
from app.security import authz
from app.security.access import role_required
from app.services.errors import Conflict, Invalid
from app.services.permits.paths import TEXT_LIMITS, template_cells, update_template
from app.web.errors import UserMessage

FIELDS = (*TEXT_LIMITS, "cost_rials", "sla_days", "deemed_approval")


def _scoped(template_id: int) -> StepTemplate:
    stmt = select(StepTemplate).where(StepTemplate.id == template_id)
    row = db.session.scalar(authz.scope_agency_rows(stmt, StepTemplate.agency_id, current_user))
    if row is None:
        abort(404)
    return row


@role_required(*PORTAL_ROLES)
def step_templates():
    stmt = select(StepTemplate).options(selectinload(StepTemplate.agency))
    rows = db.session.scalars(authz.scope_agency_rows(stmt, StepTemplate.agency_id, current_user)
                              .order_by(StepTemplate.agency_id, StepTemplate.slug)).all()
    return render_template("portal/step_templates.html", rows=rows)


@role_required(*PORTAL_ROLES)
def step_template_edit(template_id: int):
    row = _scoped(template_id)
    cells, problems, status, conflict = template_cells(row), {}, 200, None
    version = row.version
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400, description=UserMessage(gettext("This form has expired. Reload the page and try again.")))
        typed = {k: (request.form.get(k) or "")[:6000] for k in FIELDS}
        typed["deemed_approval"] = request.form.get("deemed_approval") == "1"
        try:
            update_template(row, typed, request.form.get("version"), current_user)
        except Invalid as exc:
            cells, status = typed, 400
            version = request.form.get("version", "")
            problems = {p.field: p.message(current_lang()) for p in exc.problems}
        except Conflict:
            row = _refresh(row)
            cells, status, version, conflict = typed, 409, row.version, template_cells(row)
        else:
            flash(gettext("The step template was saved."), "success")
            return redirect(url_for("portal.step_templates"))
    return render_template("portal/step_template_form.html", row=row, cells=cells, problems=problems,
                           version=version, conflict=conflict, conflict_text=conflict_message(),
                           limits=TEXT_LIMITS), status
