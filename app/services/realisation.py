"""Realisation: every opportunity followed from gap to operating plant, without touching its draft/published/
closed lifecycle. gap (a draft) → published → interest (an Interest row) → applied (a Case) are read from the
records; licensed → under construction → operating are what the agency enters (``RealisationRecord``), with
the capital actually invested and jobs actually created at the end, which HQ confirms. Also the monthly
registry of potential investors (applicants who asked to be contacted)."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime, time, timezone

from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    REALISATION_STAGES,
    Applicant,
    Case,
    Interest,
    Opportunity,
    Product,
    RealisationRecord,
    utcnow,
)
from app.security import authz
from app.services.audit import audit
from app.services.catalogue.limits import BIG_INTEGER_MAX, INTEGER_MAX
from app.services.cells import safe_cell
from app.services.errors import Invalid, NotAllowed, both, check_version
from chains.nomenclature import normalize_digits

STAGES = ("gap", "published", "interest", "applied", *REALISATION_STAGES)
MONEY_FIELDS = ("capital_invested_rials", "financed_bank_rials", "financed_capital_market_rials",
                "financed_fund_rials", "financed_leasing_rials")


#: Ids per ``IN (…)`` list: PostgreSQL takes at most 65,535 parameters in one statement.
IN_CHUNK = 10_000


def stages_of(opportunities) -> dict[int, str]:
    """Opportunity id → its realisation stage (the furthest it has reached)."""
    ids = [o.id for o in opportunities]
    if not ids:
        return {}
    interested, applied, records = set(), set(), {}
    for i in range(0, len(ids), IN_CHUNK):  # every opportunity of the province on the HQ page: 90,000 at scale
        part = ids[i:i + IN_CHUNK]
        interested |= set(db.session.scalars(select(Interest.opportunity_id).where(Interest.opportunity_id.in_(part))))
        applied |= set(db.session.scalars(select(Case.opportunity_id).where(Case.opportunity_id.in_(part))))
        records.update(db.session.execute(select(RealisationRecord.opportunity_id, RealisationRecord.stage)
                                          .where(RealisationRecord.opportunity_id.in_(part))).all())
    out = {}
    for o in opportunities:
        stage = "gap" if o.status == "draft" else "published"
        if o.id in interested:
            stage = "interest"
        if o.id in applied:
            stage = "applied"
        if o.id in records:
            stage = records[o.id]
        out[o.id] = stage
    return out


def _int(raw, field: str, ceiling: int, problems: list) -> int:
    text = normalize_digits(str(raw or "")).strip().replace("٬", "").replace(",", "")
    if not text:
        return 0
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0 or value > ceiling:
        problems.append(both(lambda: gettext("Enter a whole number of zero or more."), "number", field))
        return 0
    return value


def record_stage(opp: Opportunity, cells: dict, user) -> RealisationRecord:
    """The agency's entry for one opportunity (flushes). A change after HQ confirmed it needs confirming again."""
    if not authz.can_edit_opportunity(user, opp):
        raise NotAllowed()
    problems = []
    stage = (cells.get("stage") or "").strip()
    if stage not in REALISATION_STAGES:
        problems.append(both(lambda: gettext("Choose the stage the project has reached."), "choice", "stage"))
    if opp.status == "draft":
        problems.append(both(lambda: gettext("Publish the opportunity before recording how far it has come."),
                             "status", "stage"))
    values = {f: _int(cells.get(f), f, BIG_INTEGER_MAX, problems) for f in MONEY_FIELDS}
    values["jobs_created"] = _int(cells.get("jobs_created"), "jobs_created", INTEGER_MAX, problems)
    if stage == "operating" and not problems and (values["capital_invested_rials"] <= 0 or values["jobs_created"] <= 0):
        problems.append(both(lambda: gettext("An operating plant needs the capital actually invested and the jobs "
                                             "actually created."), "required", "capital_invested_rials"))
    financed = sum(values[f] for f in MONEY_FIELDS[1:])
    if not problems and values["capital_invested_rials"] and financed > values["capital_invested_rials"]:
        problems.append(both(lambda: gettext("The financing obtained cannot exceed the capital invested."), "range",
                             "financed_bank_rials"))
    if problems:
        raise Invalid(problems)
    row = db.session.scalar(select(RealisationRecord).where(RealisationRecord.opportunity_id == opp.id))
    before = None
    if row is None:
        row = RealisationRecord(opportunity=opp, stage=stage)
        db.session.add(row)
    else:
        check_version(row, cells.get("version"))
        before = {"stage": row.stage, **{f: getattr(row, f) for f in (*MONEY_FIELDS, "jobs_created")}}
    row.stage = stage
    for f, v in values.items():
        setattr(row, f, v)
    row.entered_by_id = getattr(user, "id", None)
    row.confirmed_by_id, row.confirmed_at = None, None
    db.session.flush()
    audit("update" if before else "create", "realisation", opp.ref, before=before,
          after={"stage": stage, **values}, user=user)
    return row


def confirm(row: RealisationRecord, user, version) -> RealisationRecord:
    if getattr(user, "role", None) not in ("hq", "admin"):
        raise NotAllowed()
    check_version(row, version)
    if row.stage != "operating":
        raise Invalid([both(lambda: gettext("Only an operating plant's figures are confirmed."), "stage", "stage")])
    row.confirmed_by_id, row.confirmed_at = user.id, utcnow()
    db.session.flush()
    audit("update", "realisation", row.opportunity.ref, after={"confirmed": True}, user=user)
    return row


def realisation_summary() -> dict:
    """Counts per stage, and per chain, county and agency: opportunities at each stage, confirmed capital and jobs."""
    opps = db.session.scalars(select(Opportunity).options(
        selectinload(Opportunity.product).selectinload(Product.chains), selectinload(Opportunity.county),
        selectinload(Opportunity.agency))).all()
    stages = stages_of(opps)
    records = {r.opportunity_id: r for r in db.session.scalars(select(RealisationRecord))}
    groups = {"chain": defaultdict(lambda: _blank()), "county": defaultdict(lambda: _blank()),
              "agency": defaultdict(lambda: _blank())}
    total = _blank()
    for o in opps:
        keys = {"chain": [(c.slug, c.name_fa, c.name_en) for c in o.product.chains],
                "county": [(o.county.slug, o.county.name_fa, o.county.name_en)],
                "agency": [(o.agency.slug, o.agency.name_fa, o.agency.name_en)]}
        rec = records.get(o.id)
        for bucket in [total, *[groups[g][k] for g, ks in keys.items() for k in ks]]:
            bucket["stages"][stages[o.id]] += 1
            if rec is not None and rec.confirmed_at is not None:
                bucket["capital"] += rec.capital_invested_rials
                bucket["jobs"] += rec.jobs_created
    return {"total": total, "groups": {g: sorted(v.items()) for g, v in groups.items()}}


def _blank() -> dict:
    return {"stages": {s: 0 for s in STAGES}, "capital": 0, "jobs": 0}


def investor_registry(year: int, month: int) -> list[list]:
    """Applicants who asked to be contacted (a saved profile with alerts, or an interest) and were registered or
    expressed interest in the (Gregorian) month: the registry of potential investors exported monthly."""
    start = datetime.combine(date(year, month, 1), time.min, tzinfo=timezone.utc)
    end = datetime.combine(date(year + (month == 12), month % 12 + 1, 1), time.min, tzinfo=timezone.utc)
    interested = select(Interest.applicant_id).where(Interest.created_at >= start, Interest.created_at < end)
    rows = db.session.scalars(select(Applicant).where(
        ((Applicant.alerts.is_(True)) & (Applicant.created_at >= start) & (Applicant.created_at < end))
        | Applicant.id.in_(interested)).order_by(Applicant.ref)).all()
    return [[a.ref, a.name, a.applicant_type, a.capital_rials, a.sectors, a.counties, a.phone, a.lang,
             a.created_at.date().isoformat()] for a in rows]


REGISTRY_COLUMNS = ("ref", "name", "applicant_type", "capital_rials", "sectors", "counties", "phone", "lang",
                    "registered")


def registry_xlsx(header: list[str], rows: list[list], rtl: bool) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="investors")
    ws.sheet_view.rightToLeft = rtl
    ws.append(header)
    for row in rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", safe_cell(v)) if isinstance(v, str) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
