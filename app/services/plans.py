"""Agencies' operational plans: actions under the ten measures with a target and a deadline, dated progress
with evidence, who has not filed by the end of Farvardin and whose actions are late, and reminders
through the outbox."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import jdatetime
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Agency, Measure, OutboxMessage, Plan, PlanAction, ProgressUpdate, User, utcnow
from app.security import authz
from app.services.audit import audit
from app.services.catalogue.limits import FLOAT_MAX, TEXT_MAX
from app.services.errors import Invalid, NotAllowed, both, check_version
from app.services.mail import deliver_mail_after_commit
from chains.io import parse_date
from chains.nomenclature import normalize_digits


def jalali_year(day: date) -> int:
    return jdatetime.date.fromgregorian(date=day).year


def year_bounds(year: int) -> tuple[date, date]:
    """The first and last (Gregorian) day of a Jalali year."""
    first = jdatetime.date(year, 1, 1).togregorian()
    last = jdatetime.date(year + 1, 1, 1).togregorian()
    return first, date.fromordinal(last.toordinal() - 1)


def filing_deadline(year: int) -> date:
    """Plans are due by the end of Farvardin (31 Farvardin) of their year."""
    return jdatetime.date(year, 1, 31).togregorian()


def _number(raw) -> float:
    text = normalize_digits(str(raw or "")).strip().replace("٬", "").replace(",", "").replace("٫", ".")
    try:
        return float(text) if text else math.nan
    except ValueError:
        return math.nan


def _date(raw) -> date | None:
    try:
        return parse_date(normalize_digits(str(raw or "")).strip()[:40])
    except (ValueError, OverflowError):
        return None


def plan_for(agency: Agency, year: int, create: bool = False) -> Plan | None:
    plan = db.session.scalar(select(Plan).where(Plan.agency_id == agency.id, Plan.year == year))
    if plan is None and create:
        plan = Plan(agency=agency, year=year)
        db.session.add(plan)
        db.session.flush()
    return plan


def check_action(cells: dict, year: int) -> dict:
    problems = []
    measure = db.session.scalar(select(Measure).where(Measure.slug == (cells.get("measure") or "").strip()[:64]))
    if measure is None:
        problems.append(both(lambda: gettext("Choose one of the ten measures."), "choice", "measure"))
    title = (cells.get("title") or "").strip()
    if not title or len(title) > 400:
        problems.append(both(lambda: gettext("Write what the action is (under 400 characters)."), "required",
                             "title"))
    target = _number(cells.get("target_value"))
    if not math.isfinite(target) or target <= 0 or target > FLOAT_MAX:
        problems.append(both(lambda: gettext("The target must be a number above zero."), "number", "target_value"))
    unit = (cells.get("target_unit") or "").strip()
    if not unit or len(unit) > 100:
        problems.append(both(lambda: gettext("Say what the target counts (under 100 characters), such as "
                                             "hectares or units."), "required", "target_unit"))
    due_on = _date(cells.get("due_on"))
    first, last = year_bounds(year)
    if due_on is None:
        problems.append(both(lambda: gettext("Write the date as 1404/02/15 or 2025-05-05."), "date", "due_on"))
    elif not first <= due_on <= last:
        problems.append(both(lambda: gettext("The deadline must fall within the plan's year."), "range", "due_on"))
    if problems:
        raise Invalid(problems)
    return {"measure": measure, "title": title, "target_value": target, "target_unit": unit, "due_on": due_on}


def add_action(plan: Plan, values: dict, user) -> PlanAction:
    if not authz.can_edit_plan(user, plan):
        raise NotAllowed()
    if any(a.title == values["title"] and a.measure_id == values["measure"].id and a.due_on == values["due_on"]
           for a in plan.actions):  # the same form sent twice
        raise Invalid([both(lambda: gettext("This plan already has that action."), "duplicate", "title")])
    action = PlanAction(plan=plan, measure=values["measure"], title=values["title"],
                        target_value=values["target_value"], target_unit=values["target_unit"],
                        due_on=values["due_on"])
    db.session.add(action)
    db.session.flush()
    audit("create", "plan_action", action.id, after={"plan": plan.id, "measure": values["measure"].slug,
                                                     "title": action.title}, user=user)
    return action


def file_plan(plan: Plan, user, version) -> Plan:
    if not authz.can_edit_plan(user, plan):
        raise NotAllowed()
    check_version(plan, version)
    if not plan.actions:
        raise Invalid([both(lambda: gettext("Add at least one action before filing the plan."), "required",
                            "title")])
    if plan.filed_at is None:
        plan.filed_at = utcnow()
        db.session.flush()
        audit("update", "plan", plan.id, before={"filed": False}, after={"filed": True}, user=user)
    return plan


def add_progress(action: PlanAction, cells: dict, user, today: date | None = None) -> ProgressUpdate:
    if not authz.can_edit_plan(user, action.plan):
        raise NotAllowed()
    today = today or date.today()
    problems = []
    reported_on = _date(cells.get("reported_on"))
    if reported_on is None:
        problems.append(both(lambda: gettext("Write the date as 1404/02/15 or 2025-05-05."), "date", "reported_on"))
    elif reported_on > today:
        problems.append(both(lambda: gettext("Progress can only be reported up to today."), "future", "reported_on"))
    achieved = _number(cells.get("achieved"))
    if not math.isfinite(achieved) or achieved < 0 or achieved > FLOAT_MAX:
        problems.append(both(lambda: gettext("Give what has been achieved so far as a number of zero or more."),
                             "number", "achieved"))
    evidence = (cells.get("evidence") or "").strip()
    if not evidence or len(evidence) > TEXT_MAX:
        problems.append(both(lambda: gettext("Describe the evidence (a letter number, a report, a link), under "
                                             "4,000 characters."), "required", "evidence"))
    if problems:
        raise Invalid(problems)
    row = ProgressUpdate(action=action, reported_on=reported_on, achieved=achieved, evidence=evidence,
                         created_by_id=getattr(user, "id", None))
    db.session.add(row)
    db.session.flush()
    audit("create", "progress_update", row.id, after={"action": action.id, "achieved": achieved}, user=user)
    return row


def achieved(action: PlanAction) -> float:
    """The latest reported progress (updates are cumulative)."""
    return action.updates[-1].achieved if action.updates else 0.0


def is_late(action: PlanAction, today: date) -> bool:
    return action.due_on < today and achieved(action) < action.target_value


@dataclass
class AgencyStanding:
    agency: Agency
    plan: Plan | None
    state: str  # filed | filed_late | missing | not_due
    actions: int = 0
    late: list[PlanAction] = field(default_factory=list)


def standings(year: int, today: date | None = None) -> list[AgencyStanding]:
    """Every agency's standing for ``year``: filed on time, filed late, missing after the deadline, or not due yet;
    and its late actions (past their deadline, target not reached)."""
    today = today or date.today()
    deadline = filing_deadline(year)
    plans = {p.agency_id: p for p in db.session.scalars(
        select(Plan).where(Plan.year == year).options(
            selectinload(Plan.actions).selectinload(PlanAction.updates),
            selectinload(Plan.actions).selectinload(PlanAction.measure)))}
    out = []
    for agency in db.session.scalars(select(Agency).order_by(Agency.category, Agency.slug)):
        plan = plans.get(agency.id)
        if plan is not None and plan.filed_at is not None:
            state = "filed" if plan.filed_at.date() <= deadline else "filed_late"
        else:
            state = "missing" if today > deadline else "not_due"
        actions = plan.actions if plan is not None else []
        out.append(AgencyStanding(agency, plan, state, len(actions), [a for a in actions if is_late(a, today)]))
    return out


def queue_reminders(year: int, today: date | None = None) -> int:
    """One e-mail per agency editor of each agency that has not filed after the deadline or has late actions;
    at most one a day per agency (the outbox's dedupe key). Flushes; returns how many were queued."""
    today = today or date.today()
    queued = 0
    for s in standings(year, today):
        if s.state != "missing" and not s.late:
            continue
        editors = db.session.scalars(select(User).where(User.agency_id == s.agency.id, User.active.is_(True),
                                                        User.role == "agency_editor")).all()
        for user in editors:
            key = f"plan_reminder:{year}:{s.agency.slug}:{user.id}:{today.isoformat()}"
            if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
                continue
            lang = "fa"
            with force_locale(lang):
                lines = [gettext("Hello,"), ""]
                if s.state == "missing":
                    lines.append(gettext("Your agency's operational plan for %(year)s was due by the end of Farvardin "
                                         "and has not been filed.", year=year))
                for a in s.late:
                    lines.append(gettext("Late: %(title)s (target %(target)s %(unit)s).", title=a.title,
                                         target=f"{a.target_value:g}", unit=a.target_unit))
                lines += ["", gettext("The Production Leap HQ secretariat")]
                subject = gettext("Operational plan %(year)s: reminder from the Production Leap HQ", year=year)
            db.session.add(OutboxMessage(kind="plan_reminder", to=user.email, lang=lang, subject=subject,
                                         body="\n".join(lines), dedupe_key=key))
            queued += 1
    db.session.flush()
    if queued:
        deliver_mail_after_commit()
    return queued
