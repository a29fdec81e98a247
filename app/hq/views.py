"""The Production Leap HQ (secretariat): a dashboard and the audit trail, with a CSV export."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, time, timedelta, timezone

from flask import abort, render_template, request
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import TEHRAN, isolate, sort_by_name
from app.models import (
    AuditEvent,
    Case,
    Interest,
    Opportunity,
    User,
    ValueChain,
    chain_products,
)
from app.security.access import role_required
from app.services.gaps import province_gaps
from app.services.measures import all_measures
from app.web.errors import UserMessage
from app.web.exports import csv_response
from app.web.labels import audit_action_labels, audit_entity_labels
from app.web.params import parse_int
from chains.io import parse_date

HQ_ROLES = ("hq", "admin")
PER_PAGE = 50
CSV_LIMIT = 100_000


@role_required(*HQ_ROLES)
def dashboard():
    by_status = dict(db.session.execute(select(Opportunity.status, func.count(Opportunity.id))
                                        .group_by(Opportunity.status)).all())
    rows = db.session.execute(
        select(ValueChain.slug, Opportunity.status, func.count(Opportunity.id))
        .join(chain_products, chain_products.c.chain_id == ValueChain.id)
        .join(Opportunity, Opportunity.product_id == chain_products.c.product_id)
        .group_by(ValueChain.slug, Opportunity.status)).all()
    chains = db.session.scalars(select(ValueChain).order_by(ValueChain.slug)).all()
    by_chain: dict[str, Counter] = {c.slug: Counter() for c in chains}
    for slug, status, n in rows:
        by_chain[slug][status] += n
    gaps = province_gaps()
    # Facets by kind; sizes are the counted parts, so the kinds add up to the province total once.
    gap_counts = Counter(f.kind for g in gaps for f in g.facets)
    gap_sizes = Counter()
    for g in gaps:
        for f in g.facets:
            gap_sizes[f.kind] += f.counted_rials
    cases = dict(db.session.execute(select(Case.status, func.count(Case.id)).group_by(Case.status)).all())
    waiting = db.session.scalar(select(func.count(Interest.id)).where(Interest.handled.is_(False)))
    return render_template("hq/dashboard.html", by_status=by_status, chains=chains, by_chain=by_chain,
                           gap_counts=gap_counts, gap_sizes=gap_sizes, cases=cases, waiting=waiting,
                           measures=all_measures())


def _day(name: str):
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        labels = {"from": gettext("From"), "to": gettext("To")}
        abort(400, description=UserMessage(gettext(
            "“%(value)s” in “%(field)s” is not a date; write it as %(jalali)s or %(iso)s.",
            value=raw, field=labels[name], jalali=isolate("1403/06/31"), iso=isolate("2024-09-21"))))


def audit_filters() -> dict:
    return {"entity": (request.args.get("entity") or "").strip()[:32],
            "action": (request.args.get("action") or "").strip()[:32],
            "user": (request.args.get("user") or "").strip()[:254],
            "from": _day("from"), "to": _day("to")}


def _tehran_midnight(day):
    """The moment a Tehran day begins, in UTC (the days people filter by are Tehran days)."""
    return datetime.combine(day, time.min, tzinfo=TEHRAN).astimezone(timezone.utc)


def audit_query(f: dict):
    stmt = select(AuditEvent)
    if f["entity"]:
        stmt = stmt.where(AuditEvent.entity == f["entity"])
    if f["action"]:
        stmt = stmt.where(AuditEvent.action == f["action"])
    if f["user"]:
        escaped = f["user"].lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(AuditEvent.user_id.in_(
            select(User.id).where(func.lower(User.email).like(f"%{escaped}%", escape="\\"))))
    if f["from"]:
        stmt = stmt.where(AuditEvent.at >= _tehran_midnight(f["from"]))
    if f["to"]:
        stmt = stmt.where(AuditEvent.at < _tehran_midnight(f["to"] + timedelta(days=1)))
    return stmt


@role_required(*HQ_ROLES)
def audit():
    f = audit_filters()
    stmt = audit_query(f)
    ordered = stmt.options(selectinload(AuditEvent.user)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if request.args.get("format") == "csv":
        return audit_csv(db.session.scalars(ordered.limit(CSV_LIMIT)))
    if request.args.get("format") not in (None, "", "html"):
        abort(400, description=UserMessage(gettext("Only the formats html and csv are offered.")))
    page = parse_int("page", minimum=1) or 1
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    rows = db.session.scalars(ordered.offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    entity_labels, action_labels = audit_entity_labels(), audit_action_labels()
    entities = sort_by_name(db.session.scalars(select(AuditEvent.entity).distinct()),
                            lambda e: entity_labels.get(e, e))
    actions = sort_by_name(db.session.scalars(select(AuditEvent.action).distinct()),
                           lambda a: action_labels.get(a, a))
    args = {k: v for k, v in request.args.items() if k not in ("page", "format") and v}
    return render_template("hq/audit.html", rows=rows, total=total, page=page, pages=pages, filters=f,
                           raw={k: request.args.get(k, "") for k in ("entity", "action", "user", "from", "to")},
                           args=args, entities=entities, actions=actions)


def _dumps(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_csv(rows):

    header = [gettext("When (UTC)"), gettext("User"), gettext("Action"), gettext("Record type"),
              gettext("Record"), gettext("Before"), gettext("After")]
    out = ([e.at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") if e.at.tzinfo else
            e.at.strftime("%Y-%m-%d %H:%M:%S"), e.user.email if e.user else "", e.action, e.entity,
            e.entity_key, _dumps(e.before), _dumps(e.after)] for e in rows)
    return csv_response("audit.csv", header, out)

