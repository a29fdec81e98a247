"""Portal: the agency's queue of case steps (overdue and oldest first) and the page where a step is
decided; the interest queue with its actions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import current_lang
from app.models import Case, CaseStep, Interest, User
from app.portal.common import PORTAL_ROLES, _refresh, conflict_message
from app.security import authz
from app.security.access import role_required
from app.services.cases.interests import act_on_interest
from app.services.cases.routing import today
from app.services.cases.steps import act, is_overdue
from app.services.errors import Conflict, Invalid
from app.web.errors import UserMessage
from app.web.labels import step_status_labels


def _csrf_or_400() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400, description=UserMessage(gettext("This form has expired. Reload the page and try again.")))


def _scoped_step(step_id: int) -> CaseStep:
    stmt = select(CaseStep).where(CaseStep.id == step_id).options(
        selectinload(CaseStep.case).selectinload(Case.applicant), selectinload(CaseStep.case)
        .selectinload(Case.opportunity), selectinload(CaseStep.template), selectinload(CaseStep.agency))
    row = db.session.scalar(authz.scope_agency_rows(stmt, CaseStep.agency_id, current_user))
    if row is None:
        abort(404)
    return row


# ---------------------------------------------------------------- the step queue
@role_required(*PORTAL_ROLES)
def queue():
    stmt = select(CaseStep).where(CaseStep.status.in_(("in_progress", "needs_info"))).options(
        selectinload(CaseStep.case).selectinload(Case.applicant), selectinload(CaseStep.case)
        .selectinload(Case.opportunity), selectinload(CaseStep.template), selectinload(CaseStep.agency))
    rows = db.session.scalars(authz.scope_agency_rows(stmt, CaseStep.agency_id, current_user)
                              .order_by(CaseStep.due_on, CaseStep.started_on, CaseStep.id).limit(500)).all()
    return render_template("portal/steps.html", rows=rows, today=today(), is_overdue=is_overdue)


@role_required(*PORTAL_ROLES)
def step(step_id: int):
    row = _scoped_step(step_id)
    problems: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        _csrf_or_400()
        try:
            act(row, request.form.get("action", ""), request.form.get("version"), current_user,
                condition=request.form.get("condition"), note=(request.form.get("note") or "")[:4000])
        except Invalid as exc:
            problems = {p.field: p.message(current_lang()) for p in exc.problems}
        except Conflict:
            # Another editor decided first: the step as it stands now, the form keeps what this editor chose
            # and typed (and the current version, so saving again is a deliberate choice).
            row = _scoped_step(_refresh(row).id)
            conflict = _conflict_rows(row, request.form)
        else:
            flash(gettext("The step was saved."), "success")
            return redirect(url_for("portal.step", step_id=row.id))
    status = 409 if conflict is not None else 400 if problems else 200
    return render_template("portal/step.html", step=row, case=row.case, today=today(), is_overdue=is_overdue,
                           problems=problems, typed=request.form, conflict=conflict,
                           conflict_message=conflict_message()), status


def _conflict_rows(step: CaseStep, typed) -> list[tuple[str, str, str]]:
    """(label, what the editor chose or typed, what is stored now) for the conflict box of the step page."""
    actions = {"approve": gettext("Approve"), "refuse": gettext("Refuse"),
               "need_info": gettext("Ask the applicant for information"),
               "resume": gettext("The information arrived: resume")}
    action = typed.get("action", "")
    rows = [(gettext("Decision"), actions.get(action, action), step_status_labels()[step.status])]
    note = (typed.get("note") or "").strip()
    if note != (step.note or "").strip():
        rows.append((gettext("Note for the applicant"), note, step.note or ""))
    return rows


# ---------------------------------------------------------------- the interest queue
@role_required(*PORTAL_ROLES)
def interest_action(interest_id: int):
    stmt = select(Interest).where(Interest.id == interest_id)
    row = db.session.scalar(authz.scope_agency_rows(stmt, Interest.agency_id, current_user))
    if row is None:
        abort(404)
    _csrf_or_400()
    act_on_interest(row, request.form.get("action", ""), request.form.get("version"), current_user,
                    reason=(request.form.get("reason") or "")[:2000])
    flash(gettext("The expression of interest was updated."), "success")
    return redirect(url_for("portal.interests") + f"#interest-{row.id}")


def investor_emails(rows) -> dict[int, str]:
    ids = {i.applicant.user_id for i in rows if i.applicant.user_id}
    return {u.id: u.email for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
