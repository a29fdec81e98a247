"""Loading the HQ's and the Chamber's illustrative records (``data/seed/hq.json``, written by build_seed.py)
for ``flask seed``.

Idempotent: obstacles are loaded once (while no illustrative obstacle exists), meetings are keyed on their
date and notes, plans on (agency, year) and realisation records on their opportunity. Flushes, never commits."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timezone
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Agency,
    County,
    Demand,
    Measure,
    Meeting,
    MeetingDecision,
    Obstacle,
    Opportunity,
    Plan,
    PlanAction,
    Product,
    ProgressUpdate,
    RealisationRecord,
)
from app.services import codes
from app.services.obstacles import PER_YEAR


def _when(day: str | None) -> datetime | None:
    return datetime.combine(date.fromisoformat(day), time(9), tzinfo=timezone.utc) if day else None


def _by(model, key: str) -> dict:
    return {getattr(r, key): r for r in db.session.scalars(select(model))}


def load_hq_seed(path: Path) -> dict[str, int]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    products, counties, agencies = _by(Product, "code"), _by(County, "slug"), _by(Agency, "slug")
    measures, opps = _by(Measure, "slug"), _by(Opportunity, "ref")
    created = {"obstacles": 0, "meetings": 0, "plans": 0, "realisation": 0}
    first = {}
    if db.session.scalar(select(Obstacle.id).where(Obstacle.illustrative.is_(True)).limit(1)) is None:
        for o in data["obstacles"]:
            row = Obstacle(code=codes.new_code(), category=o["category"], product=products[o["product"]],
                           county=counties[o["county"]], lost_quantity=float(o["lost_quantity"]),
                           lost_unit=products[o["product"]].unit, lost_period=o["lost_period"],
                           lost_per_year=float(o["lost_quantity"]) * PER_YEAR[o["lost_period"]],
                           since=date.fromisoformat(o["since"]) if o["since"] else None,
                           description=o["description"], status=o["status"],
                           agency=agencies.get(o["agency"]) if o["agency"] else None, resolution=o["resolution"],
                           reporter_contact="09140000000", lang="fa", illustrative=True,
                           created_at=_when(o["reported_on"]), closed_at=_when(o["closed_on"]))
            db.session.add(row)
            first.setdefault(o["product"], row)
            created["obstacles"] += 1
        db.session.flush()
    else:
        for row in db.session.scalars(select(Obstacle).where(Obstacle.illustrative.is_(True)).order_by(Obstacle.id)):
            first.setdefault(row.product.code, row)
    for m in data["meetings"]:
        held = date.fromisoformat(m["held_on"])
        if db.session.scalar(select(Meeting.id).where(Meeting.held_on == held, Meeting.notes == m["notes"])):
            continue
        meeting = Meeting(held_on=held, attendees=m["attendees"], notes=m["notes"])
        for d in m["decisions"]:
            meeting.decisions.append(MeetingDecision(obstacle=first[d["product"]], owner=agencies[d["owner"]],
                                                     decision=d["decision"], due_on=date.fromisoformat(d["due_on"])))
        db.session.add(meeting)
        created["meetings"] += 1
    for p in data["plans"]:
        agency = agencies[p["agency"]]
        if db.session.scalar(select(Plan.id).where(Plan.agency_id == agency.id, Plan.year == p["year"])):
            continue
        plan = Plan(agency=agency, year=p["year"], filed_at=_when(p["filed_on"]), illustrative=True)
        for a in p["actions"]:
            action = PlanAction(measure=measures[a["measure"]], title=a["title"], target_value=a["target_value"],
                                target_unit=a["target_unit"], due_on=date.fromisoformat(a["due_on"]))
            action.updates = [ProgressUpdate(reported_on=date.fromisoformat(u["reported_on"]), achieved=u["achieved"],
                                             evidence=u["evidence"]) for u in a["updates"]]
            plan.actions.append(action)
        db.session.add(plan)
        created["plans"] += 1
    for r in data["realisation"]:
        opp = opps.get(r["opportunity"])
        if opp is None or db.session.scalar(select(RealisationRecord.id).where(
                RealisationRecord.opportunity_id == opp.id)):
            continue
        db.session.add(RealisationRecord(
            opportunity=opp, stage=r["stage"], capital_invested_rials=r["capital_invested_rials"],
            jobs_created=r["jobs_created"], financed_bank_rials=r["financed_bank_rials"],
            financed_capital_market_rials=r["financed_capital_market_rials"],
            financed_fund_rials=r["financed_fund_rials"], financed_leasing_rials=r["financed_leasing_rials"],
            confirmed_at=_when("2026-11-25") if r["confirmed"] else None, illustrative=True))
        created["realisation"] += 1
    created["demands"] = 0
    for d in data.get("demands", []):
        if db.session.scalar(select(Demand.id).where(Demand.title == d["title"], Demand.illustrative.is_(True))):
            continue
        db.session.add(Demand(title=d["title"], description=d["description"], product=products.get(d["product"]),
                              county=counties.get(d["county"]), status=d["status"], outcome=d["outcome"],
                              illustrative=True, decided_at=_when("2026-11-20") if d["status"] != "new" else None))
        created["demands"] += 1
    db.session.flush()
    return created
