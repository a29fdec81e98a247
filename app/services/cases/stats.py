"""The single window in figures, for HQ: the funnel, days per step and per agency, delay ratios.

Definitions (the HQ page and its CSV say the same):
* funnel — opportunities published; applicant × opportunity pairs a desk marked a relevant match;
  expressions of interest; cases opened (applied); cases approved; cases started (status ``completed``);
* days — working days from the day a step started to the day it was decided (decided steps only);
  median and 90th percentile (nearest rank);
* delay ratio of an agency (as mojavez.ir publishes it) — steps decided after their due date (deemed
  approvals included) plus open steps past their due date, over steps decided plus open steps past due.
Everything is counted as of ``as_of`` (a date): rows created after it are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models import Case, CaseStep, Interest, MatchFeedback, Opportunity
from app.services.permits.calendar import working_days_between


def percentile(values: list[int], q: float) -> int | None:
    """Nearest-rank percentile (the value at rank ⌈q·n⌉ of the sorted values, ``q`` in (0, 1]); None when empty.

    >>> percentile([5, 1, 3, 2, 4], 0.5), percentile([5, 1, 3, 2, 4], 0.9), percentile([], 0.5)
    (3, 5, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Group:
    """Figures of one agency or one step template."""

    key: str
    name_fa: str
    name_en: str
    days: list[int] = field(default_factory=list)
    decided: int = 0
    decided_late: int = 0
    open_overdue: int = 0
    open_steps: int = 0

    @property
    def median_days(self) -> int | None:
        return percentile(self.days, 0.5)

    @property
    def p90_days(self) -> int | None:
        return percentile(self.days, 0.9)

    @property
    def delay_ratio(self) -> float | None:
        total = self.decided + self.open_overdue
        return (self.decided_late + self.open_overdue) / total if total else None


@dataclass
class Figures:
    as_of: date
    funnel: list[tuple[str, int]]
    cases_opened: int
    median_days_to_decision: int | None
    p90_days_to_decision: int | None
    agencies: list[Group]
    steps: list[Group]


def _by_delay(g: Group) -> tuple:
    return (-(g.delay_ratio or 0), g.key)


def single_window_figures(session: Session, as_of: date | None = None) -> Figures:
    as_of = as_of or date.today()
    end = datetime.combine(as_of, time.max, tzinfo=timezone.utc)

    def count(stmt) -> int:
        return int(session.scalar(stmt) or 0)

    cases = session.scalars(select(Case).where(Case.created_at <= end)).all()
    funnel = [
        ("published", count(select(func.count(Opportunity.id)).where(
            Opportunity.published_at.is_not(None), Opportunity.published_at <= end))),
        ("matched", count(select(func.count(MatchFeedback.id)).where(
            MatchFeedback.relevant.is_(True), MatchFeedback.created_at <= end))),
        ("interest", count(select(func.count(Interest.id)).where(Interest.created_at <= end))),
        ("applied", len(cases)),
        ("approved", sum(1 for c in cases if c.status in ("approved", "completed") and c.decided_on
                         and c.decided_on <= as_of)),
        ("started", sum(1 for c in cases if c.status == "completed")),
    ]
    to_decision = [working_days_between(c.created_at.date(), c.decided_on) for c in cases
                   if c.decided_on and c.decided_on <= as_of]
    agencies: dict[int, Group] = {}
    steps: dict[int, Group] = {}
    rows = session.scalars(select(CaseStep).join(Case, Case.id == CaseStep.case_id).where(Case.created_at <= end)
                           .options(selectinload(CaseStep.agency), selectinload(CaseStep.template))).all()
    for s in rows:
        a = agencies.setdefault(s.agency_id, Group(s.agency.slug, s.agency.name_fa, s.agency.name_en))
        t = steps.setdefault(s.template_id, Group(s.template.slug, s.template.name_fa, s.template.name_en))
        decided = s.decided_on is not None and s.decided_on <= as_of and s.status in ("approved", "refused")
        for g in (a, t):
            if decided:
                g.decided += 1
                g.days.append(working_days_between(s.started_on or s.decided_on, s.decided_on))
                g.decided_late += bool(s.deemed or (s.due_on and s.decided_on > s.due_on))
            elif s.started_on is not None and s.started_on <= as_of:
                g.open_steps += 1
                g.open_overdue += bool(s.due_on and s.due_on < as_of)
    return Figures(as_of=as_of, funnel=funnel, cases_opened=len(cases),
                   median_days_to_decision=percentile(to_decision, 0.5),
                   p90_days_to_decision=percentile(to_decision, 0.9),
                   agencies=sorted(agencies.values(), key=_by_delay), steps=sorted(steps.values(), key=_by_delay))
