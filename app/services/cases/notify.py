"""Telling the applicant (and HQ) what happened to a case: outbox messages in the applicant's language,
delivered by the task queue once the change is committed (``services.mail``)."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.models import Case, CaseStep, OutboxMessage, User
from app.services.accounts import mail_link
from app.services.codes import grouped
from app.services.mail import deliver_mail_after_commit


def recipient(case: Case) -> str:
    if case.contact_email:
        return case.contact_email
    user = db.session.get(User, case.applicant.user_id) if case.applicant.user_id else None
    return user.email if user is not None and user.active else ""


def _track_url(case: Case) -> str:
    return mail_link("public.track", case.lang, code=case.code)


def _subject_and_lines(kind: str, case: Case, step: CaseStep | None) -> tuple[str, list[str]]:
    title = case.opportunity.title_fa if case.lang == "fa" else case.opportunity.title_en
    step_name = "" if step is None else (step.template.name_fa if case.lang == "fa" else step.template.name_en)
    code = grouped(case.code)
    if kind == "opened":
        return (gettext("Your single-window case %(code)s is open", code=code),
                [gettext("Your application for «%(title)s» is open and has been sent to the agencies in charge.",
                         title=title)])
    if kind == "needs_info":
        return (gettext("Case %(code)s: information is needed from you", code=code),
                [gettext("The step «%(step)s» needs information from you:", step=step_name), step.note])
    if kind == "step_decided":
        verdict = gettext("approved") if step.status == "approved" else gettext("refused")
        lines = [gettext("The step «%(step)s» was %(verdict)s.", step=step_name, verdict=verdict)]
        if step.status == "refused" and step.refusal_condition:
            cond = step.conditions[step.refusal_condition - 1]
            lines += [gettext("Condition %(n)s: %(text)s", n=step.refusal_condition, text=cond[case.lang]), step.note]
        return gettext("Case %(code)s: a step was decided", code=code), lines
    if kind == "case_decided":
        verdict = gettext("approved") if case.status == "approved" else gettext("refused")
        return (gettext("Case %(code)s was decided", code=code),
                [gettext("Your application for «%(title)s» was %(verdict)s.", title=title, verdict=verdict)])
    # overdue
    return (gettext("Case %(code)s: a step is overdue", code=code),
            [gettext("The step «%(step)s» is past its due date and was escalated to the Production Leap HQ.",
                     step=step_name)])


def notify(case: Case, kind: str, step: CaseStep | None = None) -> bool:
    """Queue one message to the applicant (once per case, kind, step and step version)."""
    to = recipient(case)
    if not to:
        return False
    key = f"case:{case.code}:{kind}:{step.position if step else 0}:{step.version if step else 0}"
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return False
    with force_locale(case.lang):
        subject, lines = _subject_and_lines(kind, case, step)
        body = "\n".join([gettext("Hello,"), "", *lines, "",
                          gettext("Tracking code: %(code)s", code=grouped(case.code)),
                          gettext("Follow your case at %(url)s", url=_track_url(case)), "",
                          gettext("Panjereh, the investment single window")])
    db.session.add(OutboxMessage(kind=f"case_{kind}", to=to, lang=case.lang, subject=subject[:300], body=body,
                                 dedupe_key=key))
    deliver_mail_after_commit()
    return True


def notify_hq(case: Case, step: CaseStep) -> int:
    """An overdue step, to every active HQ account, in Persian."""
    n = 0
    for user in db.session.scalars(select(User).where(User.role == "hq", User.active.is_(True))):
        key = f"case:{case.code}:escalated:{step.position}:{user.id}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        with force_locale("fa"):
            subject = gettext("Overdue step escalated: case %(code)s", code=grouped(case.code))
            body = gettext("The step «%(step)s» of %(agency)s was due on %(due)s and is not decided.",
                           step=step.template.name_fa, agency=step.agency.name_fa, due=step.due_on.isoformat())
        db.session.add(OutboxMessage(kind="case_escalated", to=user.email, lang="fa", subject=subject, body=body,
                                     dedupe_key=key))
        n += 1
    return n
