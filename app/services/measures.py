"""The ten measures and their figures, read from live data: one registry (``REGISTRY``) of indicator functions.

Each measure's function returns its indicators (value, unit, as-of date and source) and breakdowns (a table
that its page draws as a bar chart and offers as CSV). Labels are computed in both languages, so the API
and the pages use the same figures. ``single_window_indicators`` is the one place the single window's
figures come from (the single-window service replaces its body once cases run through agency steps).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    OBSTACLE_CATEGORIES,
    Case,
    FinancingRoute,
    Interest,
    Measure,
    Obstacle,
    Opportunity,
    Plan,
    PlanAction,
    Product,
    RealisationRecord,
)
from app.services.cases.stats import percentile, single_window_figures
from app.services.gaps import province_gaps
from app.services.obstacles import OPEN
from app.services.plans import achieved, is_late, jalali_year

#: Financing routes HQ follows: the opportunity's route kind → the route as finance reports it.
ROUTES = {"bank": "bank", "capital_market": "capital_market", "provincial_fund": "fund", "leasing": "leasing"}
FINANCED = {"bank": "financed_bank_rials", "capital_market": "financed_capital_market_rials",
            "fund": "financed_fund_rials", "leasing": "financed_leasing_rials"}
#: Measures whose figures come from what agencies report under them in their plans.
PLAN_MEASURES = ("markets", "pricing", "cost", "quality", "domestic")


def _both(message) -> dict[str, str]:
    out = {}
    for lang in ("fa", "en"):
        with force_locale(lang):
            out[lang] = str(message())
    return out


@dataclass
class Indicator:
    key: str
    label: dict[str, str]
    value: float | int | None
    unit: str  # count | rials | days | ratio | percent | <a product unit>
    source: dict[str, str]
    as_of: date

    def as_json(self) -> dict:
        return {"id": self.key, "name": self.label, "value": self.value, "unit": self.unit,
                "as_of": self.as_of.isoformat(), "source": self.source}


@dataclass
class Breakdown:
    """A table: ``columns`` (label dicts), ``rows`` of (label dict, values…); ``chart`` the column drawn."""

    key: str
    title: dict[str, str]
    columns: list[dict[str, str]]
    rows: list[tuple] = field(default_factory=list)
    units: tuple[str, ...] = ()  # per column: count | rials (count when not given)
    chart: int = 0

    def unit(self, column: int) -> str:
        return self.units[column] if column < len(self.units) else "count"


@dataclass
class MeasureFigures:
    slug: str
    position: int
    name: dict[str, str]
    indicators: list[Indicator]
    breakdowns: list[Breakdown]


def _days(start: datetime, end: datetime) -> float:
    if start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    if end.tzinfo is None:
        end = end.replace(tzinfo=timezone.utc)
    return round((end - start).total_seconds() / 86400, 1)


def _src(message):
    return _both(message)


# ---------------------------------------------------------------- measure 7: value chains
def value_chains(today: date) -> tuple[list[Indicator], list[Breakdown]]:
    gaps = province_gaps()
    src = _src(lambda: gettext("Gap analysis of the value-chain graph (products and links the agencies keep)"))
    opp_src = _src(lambda: gettext("Opportunities published in the agency portal; interests and cases"))
    published = db.session.scalar(select(func.count(Opportunity.id)).where(Opportunity.status == "published"))
    taken = db.session.scalar(select(func.count(func.distinct(Opportunity.id))).where(
        Opportunity.status.in_(("published", "closed")),
        Opportunity.id.in_(select(Interest.opportunity_id)) | Opportunity.id.in_(select(Case.opportunity_id))))
    indicators = [
        Indicator("gaps_found", _both(lambda: gettext("Missing links found")), len(gaps), "count", src, today),
        Indicator("gaps_total_rials", _both(lambda: gettext("Missing links, total size (no rial counted twice)")),
                  sum(g.size_rials for g in gaps), "rials", src, today),
        Indicator("opportunities_published", _both(lambda: gettext("Opportunities open for investment")),
                  published, "count", opp_src, today),
        Indicator("opportunities_taken_up", _both(lambda: gettext("Opportunities taken up (an interest or a case)")),
                  taken, "count", opp_src, today),
    ]
    by_kind: Counter = Counter()
    count_kind: Counter = Counter()
    for g in gaps:
        for f in g.facets:
            by_kind[f.kind] += f.counted_rials
            count_kind[f.kind] += 1
    rows = [(_kind_label(k), count_kind[k], by_kind[k]) for k in sorted(by_kind, key=lambda k: -by_kind[k])]
    table = Breakdown("gaps_by_kind", _both(lambda: gettext("Missing links by kind")),
                      [_both(lambda: gettext("Count")), _both(lambda: gettext("Counted size, rials"))], rows,
                      units=("count", "rials"), chart=1)
    return indicators, [table]


def _kind_label(kind: str) -> dict[str, str]:
    table = {"missing_supplier": lambda: gettext("Missing local supplier"),
             "shortfall": lambda: gettext("Capacity shortfall"),
             "unprocessed_outflow": lambda: gettext("Raw material leaving unprocessed"),
             "idle_capacity": lambda: gettext("Idle capacity"),
             "infrastructure": lambda: gettext("Infrastructure bottleneck")}
    return _both(table[kind])


# ---------------------------------------------------------------- measure 8: the single window
def single_window_indicators(today: date) -> tuple[list[Indicator], list[Breakdown]]:
    """Cases opened, working days to a decision (median and 90th percentile) and the agencies' delay ratio,
    from ``services.cases.stats.single_window_figures`` (the HQ single-window page's figures: one source)."""
    figures = single_window_figures(db.session, today)
    src = _src(lambda: gettext("Single-window cases and their agency steps"))
    agencies = figures.agencies
    late = sum(g.decided_late + g.open_overdue for g in agencies)
    counted = sum(g.decided + g.open_overdue for g in agencies)
    indicators = [
        Indicator("cases_opened", _both(lambda: gettext("Cases opened")), figures.cases_opened, "count", src, today),
        Indicator("days_to_decision_median", _both(lambda: gettext("Working days to a decision, median")),
                  figures.median_days_to_decision, "days", src, today),
        Indicator("days_to_decision_p90", _both(lambda: gettext("Working days to a decision, 90th percentile")),
                  figures.p90_days_to_decision, "days", src, today),
        # None (unknown) until some agency step has been decided or has passed its due date.
        Indicator("agency_delay_ratio", _both(lambda: gettext("Agency steps decided late or left overdue")),
                  late / counted if counted else None, "ratio", src, today),
    ]
    statuses = Counter(db.session.scalars(select(Case.status).where(
        Case.created_at <= datetime.combine(today, datetime.max.time(), tzinfo=timezone.utc))))
    labels = {"open": lambda: gettext("Received"), "in_progress": lambda: gettext("Being handled by the agencies"),
              "approved": lambda: gettext("Approved"), "rejected": lambda: gettext("Not approved"),
              "withdrawn": lambda: gettext("Withdrawn"), "completed": lambda: gettext("Completed")}
    rows = [(_both(labels[k]), statuses.get(k, 0)) for k in labels]
    delays = [({"fa": g.name_fa, "en": g.name_en}, g.decided + g.open_overdue, g.decided_late + g.open_overdue)
              for g in agencies if g.decided + g.open_overdue]
    return indicators, [
        Breakdown("cases_by_status", _both(lambda: gettext("Cases by status")), [_both(lambda: gettext("Cases"))],
                  rows),
        Breakdown("agency_delays", _both(lambda: gettext("Agency steps decided or overdue, and how many late")),
                  [_both(lambda: gettext("Steps decided or overdue")), _both(lambda: gettext("Late"))], delays,
                  chart=1),
    ]


# ---------------------------------------------------------------- measure 6: obstacles
def _category_label(c: str) -> dict[str, str]:
    table = {"water": lambda: gettext("Water supply cut"), "power": lambda: gettext("Power supply cut"),
             "gas": lambda: gettext("Gas supply cut"), "financing": lambda: gettext("Financing"),
             "pricing": lambda: gettext("Pricing"), "cost": lambda: gettext("Cost of production"),
             "permits": lambda: gettext("Permits"), "raw_materials": lambda: gettext("Raw materials"),
             "market": lambda: gettext("Market and exports"), "other": lambda: gettext("Other")}
    return _both(table[c])


def obstacles(today: date) -> tuple[list[Indicator], list[Breakdown]]:
    src = _src(lambda: gettext("Obstacle reports from production units and the working group's record"))
    rows = db.session.execute(select(Obstacle.category, Obstacle.status, Obstacle.created_at,
                                     Obstacle.closed_at)).all()
    open_n = sum(1 for r in rows if r.status in OPEN)
    resolved = [r for r in rows if r.status == "resolved"]
    days = [_days(r.created_at, r.closed_at) for r in resolved if r.closed_at]
    indicators = [
        Indicator("obstacles_open", _both(lambda: gettext("Obstacles open")), open_n, "count", src, today),
        Indicator("obstacles_resolved", _both(lambda: gettext("Obstacles resolved")), len(resolved), "count", src,
                  today),
        Indicator("days_to_resolve_median", _both(lambda: gettext("Days to resolve, median")),
                  percentile(days, 0.5), "days", src, today),
    ]
    table = []
    for c in OBSTACLE_CATEGORIES:
        o = sum(1 for r in rows if r.category == c and r.status in OPEN)
        s = sum(1 for r in rows if r.category == c and r.status == "resolved")
        if o or s:
            table.append((_category_label(c), o, s))
    return indicators, [Breakdown("obstacles_by_category", _both(lambda: gettext("Obstacles by kind")),
                                  [_both(lambda: gettext("Open")), _both(lambda: gettext("Resolved"))], table)]


# ---------------------------------------------------------------- measure 1: infrastructure
def infrastructure(today: date) -> tuple[list[Indicator], list[Breakdown]]:
    src = _src(lambda: gettext("Open reports of water, power and gas cuts, valued at the product's price"))
    rows = db.session.scalars(select(Obstacle).where(Obstacle.status.in_(OPEN),
                                                     Obstacle.category.in_(("water", "power", "gas")))
                              .options(selectinload(Obstacle.product).selectinload(Product.chains),
                                       selectinload(Obstacle.county))).all()
    by_chain: dict[str, list] = {}
    by_county: dict[str, list] = {}
    total = 0
    for o in rows:
        value = int(round(o.lost_per_year * (o.product.unit_price_rials or 0)))
        total += value
        for ch in o.product.chains:
            by_chain.setdefault(ch.slug, [{"fa": ch.name_fa, "en": ch.name_en}, 0])[1] += value
        by_county.setdefault(o.county.slug, [{"fa": o.county.name_fa, "en": o.county.name_en}, 0])[1] += value
    indicators = [
        Indicator("supply_cuts_open", _both(lambda: gettext("Open reports of supply cuts")), len(rows), "count",
                  src, today),
        Indicator("output_lost_rials", _both(lambda: gettext("Output lost to supply cuts a year")), total, "rials",
                  src, today),
    ]
    col = [_both(lambda: gettext("Output lost a year, rials"))]
    chains = Breakdown("lost_by_chain", _both(lambda: gettext("Output lost by value chain (a product in two chains "
                                                              "counts in both)")), col,
                       [tuple(v) for v in sorted(by_chain.values(), key=lambda v: -v[1])], units=("rials",))
    counties = Breakdown("lost_by_county", _both(lambda: gettext("Output lost by county")), col,
                         [tuple(v) for v in sorted(by_county.values(), key=lambda v: -v[1])], units=("rials",))
    return indicators, [chains, counties]


# ---------------------------------------------------------------- measure 2: finance
def finance(today: date) -> tuple[list[Indicator], list[Breakdown]]:
    src = _src(lambda: gettext("Financing routes of opportunities with a case; financing agencies recorded at "
                               "realisation"))
    requested: Counter = Counter()
    rows = db.session.execute(
        select(FinancingRoute.kind, FinancingRoute.share_bp, Opportunity.investment_min_rials)
        .join(Opportunity, Opportunity.id == FinancingRoute.opportunity_id)
        .where(Opportunity.id.in_(select(Case.opportunity_id)))).all()
    for kind, share_bp, investment in rows:
        if kind in ROUTES:
            requested[ROUTES[kind]] += investment * share_bp // 10_000
    financed: Counter = Counter()
    for rec in db.session.scalars(select(RealisationRecord)):
        for route, column in FINANCED.items():
            financed[route] += getattr(rec, column) or 0
    labels = {"bank": lambda: gettext("Bank facility"), "capital_market": lambda: gettext("Capital market"),
              "fund": lambda: gettext("Provincial funds"), "leasing": lambda: gettext("Leasing")}
    indicators = [
        Indicator("investment_requested_rials", _both(lambda: gettext("Financing requested (opportunities with a "
                                                                      "case)")),
                  sum(requested.values()), "rials", src, today),
        Indicator("investment_financed_rials", _both(lambda: gettext("Financing obtained")), sum(financed.values()),
                  "rials", src, today),
    ]
    table = [(_both(labels[r]), requested[r], financed[r]) for r in FINANCED]
    return indicators, [Breakdown("finance_by_route", _both(lambda: gettext("Requested and obtained, by route")),
                                  [_both(lambda: gettext("Requested, rials")),
                                   _both(lambda: gettext("Obtained, rials"))], table, units=("rials", "rials"))]


# ---------------------------------------------------------------- measures reported through agencies' plans
def plan_measure(slug: str):
    def figures(today: date) -> tuple[list[Indicator], list[Breakdown]]:
        year = jalali_year(today)
        src = _src(lambda: gettext("Agencies' operational plans: actions under this measure and their progress"))
        actions = db.session.scalars(
            select(PlanAction).join(Plan).join(Measure, Measure.id == PlanAction.measure_id)
            .where(Measure.slug == slug, Plan.year == year)
            .options(selectinload(PlanAction.updates), selectinload(PlanAction.plan).selectinload(Plan.agency))
        ).all()
        done = [a for a in actions if achieved(a) >= a.target_value]
        late = [a for a in actions if is_late(a, today)]
        progress = [min(1.0, achieved(a) / a.target_value) for a in actions if a.target_value > 0]
        indicators = [
            Indicator("plan_actions", _both(lambda: gettext("Actions in this year's plans")), len(actions), "count",
                      src, today),
            Indicator("plan_actions_done", _both(lambda: gettext("Actions that reached their target")), len(done),
                      "count", src, today),
            Indicator("plan_actions_late", _both(lambda: gettext("Actions past their deadline")), len(late), "count",
                      src, today),
            Indicator("plan_progress", _both(lambda: gettext("Average progress towards the targets")),
                      round(sum(progress) / len(progress), 4) if progress else None, "ratio", src, today),
        ]
        per_agency: dict[str, list] = defaultdict(lambda: [None, 0, 0, 0])
        for a in actions:
            row = per_agency[a.plan.agency.slug]
            row[0] = {"fa": a.plan.agency.name_fa, "en": a.plan.agency.name_en}
            row[1] += 1
            row[2] += a in done
            row[3] += a in late
        table = Breakdown("actions_by_agency", _both(lambda: gettext("Actions by agency")),
                          [_both(lambda: gettext("Actions")), _both(lambda: gettext("Target reached")),
                           _both(lambda: gettext("Late"))],
                          [tuple(v) for v in sorted(per_agency.values(), key=lambda v: -v[1])])
        return indicators, [table]
    return figures


REGISTRY = {
    "infrastructure": infrastructure,
    "finance": finance,
    "obstacles": obstacles,
    "value_chains": value_chains,
    "single_window": single_window_indicators,
    **{slug: plan_measure(slug) for slug in PLAN_MEASURES},
}


def measure_figures(slug: str, today: date | None = None) -> MeasureFigures | None:
    today = today or date.today()
    measure = db.session.scalar(select(Measure).where(Measure.slug == slug))
    if measure is None or slug not in REGISTRY:
        return None
    indicators, breakdowns = REGISTRY[slug](today)
    return MeasureFigures(slug, measure.position, {"fa": measure.name_fa, "en": measure.name_en}, indicators,
                          breakdowns)


def all_measures(today: date | None = None) -> list[MeasureFigures]:
    today = today or date.today()
    slugs = db.session.scalars(select(Measure.slug).order_by(Measure.position)).all()
    return [m for m in (measure_figures(s, today) for s in slugs) if m is not None]

