"""Opening a case and moving it along its permit path.

Steps that share a stage start together; when every step of a stage is approved the next stage starts;
a refused step decides the case (refused); when every step is approved the case is approved. Due dates
are service-level working days from the day a step starts (``permits.calendar``).
"""

from __future__ import annotations

from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Applicant, Case, CaseStep, Opportunity, PathStep, PermitPath, utcnow
from app.services import codes
from app.services.audit import audit
from app.services.cases.notify import notify
from app.services.errors import Invalid, both
from app.services.permits.calendar import add_working_days
from chains.nomenclature import normalize_digits


def clean_email(text: str, problems: list) -> str:
    text = (text or "").strip()
    try:
        return validate_email(text, check_deliverability=False).normalized if len(text) <= 254 else _bad()
    except (EmailNotValidError, ValueError):
        problems.append(both(lambda: gettext("Enter a valid e-mail address, such as name@example.org."), "email",
                             "contact_email"))
        return ""


def _bad():
    raise ValueError("too long")


def phone_number(text: str) -> str | None:
    """``text`` as a phone number (ASCII digits, an optional leading +, no spaces or dashes), or None if it is not
    one: 7 to 16 digits in any of the digit sets people type. The one phone rule of the site's forms."""
    phone = normalize_digits(text or "").replace(" ", "").replace("-", "")
    return phone if phone.lstrip("+").isdigit() and 7 <= len(phone) <= 16 else None


def clean_phone(text: str, problems: list) -> str:
    phone = phone_number(text)
    if phone is None:
        problems.append(both(lambda: gettext("Enter the phone number with digits only, for example 09141234567."),
                             "phone", "contact_phone"))
        return ""
    return phone


def today() -> date:
    return date.today()


def new_case_code() -> str:
    while True:
        code = codes.new_code()
        if db.session.scalar(select(Case.id).where(Case.code == code)) is None:
            return code


def start(step: CaseStep, on: date) -> None:
    step.status, step.started_on = "in_progress", on
    step.due_on = add_working_days(on, step.sla_days)


def advance(case: Case, on: date | None = None, user=None) -> list[CaseStep]:
    """Start the next stage when the current one is approved; decide the case when it is done.
    Returns the steps started. Idempotent: calling it again changes nothing."""
    on = on or today()
    if case.status not in ("open", "in_progress"):
        return []
    steps = list(db.session.scalars(select(CaseStep).where(CaseStep.case_id == case.id)
                                    .order_by(CaseStep.position).execution_options(populate_existing=True)))
    if not steps:
        return []
    if any(s.status == "refused" for s in steps):
        _decide(case, "rejected", on, user)
        return []
    pending = sorted({s.stage for s in steps if s.status != "approved"})
    if not pending:
        _decide(case, "approved", on, user)
        return []
    started = [s for s in steps if s.stage == pending[0] and s.status == "waiting"]
    for s in started:
        start(s, on)
        audit("start", "case_step", f"{case.code}:{s.position}", after={"due_on": s.due_on.isoformat()}, user=user)
    if case.status == "open" and any(s.status != "waiting" for s in steps):
        case.status = "in_progress"
    return started


def _decide(case: Case, status: str, on: date, user) -> None:
    case.status, case.decided_on = status, on
    audit("decide", "case", case.code, after={"status": status}, user=user)
    notify(case, "case_decided")


def lock(case_id: int) -> None:
    """Serialise the decisions on one case: a write on its row before the sibling steps are read (the
    second of two agencies deciding at once waits here and then sees the first one's step)."""
    db.session.execute(update(Case).where(Case.id == case_id).values(updated_at=utcnow()))


def open_case(applicant: Applicant, opportunity: Opportunity, user, *, contact_email: str = "",
              contact_phone: str = "", share_contact: bool = False, lang: str | None = None,
              on: date | None = None) -> Case:
    """Open the applicant's case for the opportunity (or return the one already open) and route it."""
    existing = db.session.scalar(select(Case).where(Case.applicant_id == applicant.id,
                                                    Case.opportunity_id == opportunity.id))
    if existing is not None:
        return existing
    if opportunity.status != "published":
        raise Invalid([both(lambda: gettext("That opportunity is not open."), "closed", "opportunity")])
    problems = []
    email = clean_email(contact_email, problems) if contact_email else ""
    phone = clean_phone(contact_phone, problems) if contact_phone else applicant.phone or ""
    if problems:
        raise Invalid(problems)
    on = on or today()
    case = Case(code=new_case_code(), applicant_id=applicant.id, opportunity_id=opportunity.id, status="open",
                created_by_id=getattr(user, "id", None), contact_email=email, contact_phone=phone,
                share_contact=bool(share_contact), lang=lang if lang in ("fa", "en") else applicant.lang or "fa")
    db.session.add(case)
    db.session.flush()
    path = db.session.scalar(select(PermitPath).where(PermitPath.id == opportunity.permit_path_id)
                             .options(selectinload(PermitPath.steps).selectinload(PathStep.template))) \
        if opportunity.permit_path_id else None
    for ps in sorted(path.steps if path else [], key=lambda s: (s.stage, s.position)):
        t = ps.template
        db.session.add(CaseStep(case_id=case.id, template_id=t.id, agency_id=t.agency_id, position=ps.position,
                                stage=ps.stage, status="waiting", sla_days=t.sla_days,
                                deemed_approval=t.deemed_approval, conditions=list(t.conditions or [])))
    db.session.flush()
    audit("create", "case", case.code, after={"applicant": applicant.ref, "opportunity": opportunity.ref,
                                              "path": path.slug if path else None}, user=user)
    advance(case, on, user)
    db.session.flush()
    notify(case, "opened")
    return case
