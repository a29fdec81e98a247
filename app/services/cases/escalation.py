"""Overdue steps: escalated to HQ once, shown as overdue to everyone; deemed approved where the step's
template says silence is consent. Run by the scheduled task (hourly) and by ``flask cases escalate``."""

from __future__ import annotations

from datetime import date

from huey import crontab
from sqlalchemy import select

from app.extensions import db
from app.models import Case, CaseStep, utcnow
from app.queue import huey, task_context
from app.services.audit import audit
from app.services.cases.notify import notify, notify_hq
from app.services.cases.routing import advance, lock, today
from app.services.mail import send_pending


def escalate_overdue(on: date | None = None) -> dict[str, int]:
    """Escalate every undecided step whose due date has passed; flushes, never commits."""
    on = on or today()
    counts = {"escalated": 0, "deemed_approved": 0, "advanced": 0}
    overdue = db.session.scalars(select(CaseStep).where(CaseStep.status == "in_progress", CaseStep.due_on < on,
                                                        CaseStep.escalated_at.is_(None))
                                 .order_by(CaseStep.due_on, CaseStep.id)).all()
    for step in overdue:
        lock(step.case_id)
        db.session.refresh(step)
        if step.status != "in_progress" or step.escalated_at is not None:
            continue
        case = db.session.get(Case, step.case_id)
        step.escalated_at = utcnow()
        if step.deemed_approval:
            step.status, step.deemed, step.decided_on = "approved", True, on
            counts["deemed_approved"] += 1
        db.session.flush()
        audit("escalate", "case_step", f"{case.code}:{step.position}",
              after={"due_on": step.due_on.isoformat(), "deemed_approved": step.deemed})
        counts["escalated"] += 1
        notify(case, "overdue", step)
        notify_hq(case, step)
        if step.deemed:
            notify(case, "step_decided", step)
            advance(case, on)
    # Catch up any case whose stage finished while two decisions raced (idempotent).
    for case in db.session.scalars(select(Case).where(Case.status == "in_progress")):
        counts["advanced"] += len(advance(case, on))
    db.session.flush()
    return counts


def escalate_and_mail(on: date | None = None) -> dict[str, int]:
    """Escalate, commit, deliver the outbox, commit (CLI and task; needs an application context)."""
    counts = escalate_overdue(on)
    db.session.commit()
    counts["mailed"] = send_pending()
    db.session.commit()
    return counts


@huey.periodic_task(crontab(minute="7"))
def escalate_cases() -> dict[str, int]:
    """Every hour: overdue steps are escalated to HQ (and deemed approved where their template says so)."""
    with task_context():
        return escalate_and_mail()
