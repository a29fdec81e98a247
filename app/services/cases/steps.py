"""What an agency does with one step of a case: ask the applicant for information, resume it when the
information came, approve it, or refuse it citing one of its numbered conditions with a note.

Every action is an AuditEvent, carries the version of the step the editor saw (a changed step is a
Conflict with its current state: 409), and may start the next stage or decide the case (``routing``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext

from app.extensions import db
from app.models import Case, CaseStep
from app.security import authz
from app.services.audit import audit
from app.services.cases.notify import notify
from app.services.cases.routing import advance, lock, today
from app.services.errors import Conflict, Invalid, NotAllowed, both
from app.services.permits.calendar import add_working_days, working_days_between

ACTIONS = ("need_info", "resume", "approve", "refuse")
MAX_NOTE = 2000
ALLOWED_FROM = {"need_info": ("in_progress",), "resume": ("needs_info",), "approve": ("in_progress", "needs_info"),
                "refuse": ("in_progress", "needs_info")}


def step_state(step: CaseStep) -> dict:
    """The step as the API and the 409 page show it."""
    return {"case": step.case.code, "position": step.position, "status": step.status, "version": step.version,
            "due_on": step.due_on.isoformat() if step.due_on else None,
            "refusal_condition": step.refusal_condition, "note": step.note}


def is_overdue(step: CaseStep, on: date | None = None) -> bool:
    return step.status in ("in_progress", "needs_info") and step.due_on is not None and step.due_on < (on or today())


def _check(step: CaseStep, action: str, condition, note: str) -> tuple[int | None, str]:
    problems = []
    note = (note or "").strip()
    if action not in ACTIONS:
        problems.append(both(lambda: gettext("Choose what to do with this step."), "action", "action"))
    if len(note) > MAX_NOTE:
        problems.append(both(lambda: gettext("At most %(n)s characters.", n=MAX_NOTE), "too_long", "note"))
    number = None
    if action == "refuse":
        raw = str(condition or "").strip()
        if not raw.isdigit() or len(raw) > 3 or not (1 <= int(raw) <= len(step.conditions or [])):
            problems.append(both(lambda: gettext("A refusal must cite one of the step's numbered conditions."),
                                 "condition", "condition"))
        else:
            number = int(raw)
    if action in ("refuse", "need_info") and not note:
        problems.append(both(lambda: gettext("Write a note for the applicant: what is missing or why."), "required",
                             "note"))
    if problems:
        raise Invalid(problems)
    return number, note


def act(step: CaseStep, action: str, version, user, *, condition=None, note: str = "",
        on: date | None = None) -> CaseStep:
    """Apply ``action`` to ``step`` as of the ``version`` the editor saw; flushes, never commits."""
    on = on or today()
    if user is not None and not authz.can_act_for_agency(user, step.agency_id):  # None: the system (CLI, tasks)
        raise NotAllowed()
    number, note = _check(step, action, condition, note)
    case_id = step.case_id
    lock(case_id)
    db.session.refresh(step)
    try:
        seen = int(str(version).strip())
    except (TypeError, ValueError):
        seen = None
    if seen != step.version or step.status not in ALLOWED_FROM[action] or step.case.status != "in_progress":
        raise Conflict(step_state(step))
    before = step_state(step)
    if action == "need_info":
        step.status, step.note, step.paused_on = "needs_info", note, on
    elif action == "resume":
        # The clock stopped while the applicant was asked: the due date moves by the working days waited.
        waited = working_days_between(step.paused_on or on, on)
        step.status, step.paused_on = "in_progress", None
        step.due_on = add_working_days(step.due_on or on, waited)
        step.note = note or step.note
    elif action == "approve":
        step.status, step.decided_on, step.note, step.paused_on = "approved", on, note, None
    else:
        step.status, step.decided_on, step.refusal_condition, step.note = "refused", on, number, note
        step.paused_on = None
    db.session.flush()
    audit(action, "case_step", f"{step.case.code}:{step.position}", before=before, after=step_state(step), user=user)
    case = db.session.get(Case, case_id)
    if action == "need_info":
        notify(case, "needs_info", step)
    elif action in ("approve", "refuse"):
        notify(case, "step_decided", step)
        advance(case, on, user)
    db.session.flush()
    return step
