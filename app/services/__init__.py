"""The one place where ORM rows become domain records and records become rows.

Services flush; the request (or CLI command) commits once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from chains import records as rec
from matching.normalize import fold

from ..extensions import db
from ..models import (
    Agency,
    Applicant,
    AuditEvent,
    County,
    Link,
    Measure,
    Opportunity,
    Product,
    Sector,
    ValueChain,
)

APPLICANT_TYPES = rec.APPLICANT_TYPES


# ---------------------------------------------------------------- applicant-type masks
def suited_mask(types) -> int:
    mask = 0
    for t in types:
        mask |= 1 << APPLICANT_TYPES.index(t)
    return mask


def types_from_mask(mask: int) -> tuple[str, ...]:
    return tuple(t for i, t in enumerate(APPLICANT_TYPES) if mask & (1 << i))


# ---------------------------------------------------------------- rows -> records
def product_record(p: Product) -> rec.Product:
    return rec.Product(
        code=p.code,
        name_fa=p.name_fa,
        name_en=p.name_en,
        sector=p.sector.slug,
        stage=p.stage,
        unit=p.unit,
        nomenclature=p.nomenclature,
        unit_price_rials=p.unit_price_rials,
        capacity=p.capacity,
        output=p.output,
        demand=p.demand,
        inflow=p.inflow,
        outflow=p.outflow,
        active_units=p.active_units,
        idle_units=p.idle_units,
        jobs=p.jobs,
        suited_for=types_from_mask(p.suited_mask),
        chains=tuple(c.slug for c in p.chains),
        provenance=rec.Provenance(p.source, p.agency.slug if p.agency else "", p.as_of),
    )


def link_record(link: Link, codes: dict[int, str]) -> rec.Link:
    return rec.Link(
        supplier=codes[link.supplier_id],
        user=codes[link.user_id],
        coefficient=link.coefficient,
        provenance=rec.Provenance(link.source, link.agency.slug if link.agency else "", link.as_of),
    )


def opportunity_record(o: Opportunity) -> rec.Opportunity:
    return rec.Opportunity(
        ref=o.ref,
        title_fa=o.title_fa,
        title_en=o.title_en,
        product=o.product.code,
        county=o.county.slug,
        agency=o.agency.slug,
        investment_min_rials=o.investment_min_rials,
        investment_max_rials=o.investment_max_rials,
        jobs=o.jobs,
        description_fa=o.description_fa,
        description_en=o.description_en,
        incentives_fa=o.incentives_fa,
        incentives_en=o.incentives_en,
        suited_for=types_from_mask(o.suited_mask),
        financing=tuple(rec.FinancingRoute(f.kind, f.share_bp / 10000) for f in o.financing),
        status=o.status,
        gap_kind=o.gap_kind,
    )


def domain_products() -> list[rec.Product]:
    rows = db.session.scalars(
        select(Product)
        .where(Product.retired.is_(False))
        .options(selectinload(Product.chains), selectinload(Product.sector), selectinload(Product.agency))
        .order_by(Product.code)
    ).all()
    return [product_record(p) for p in rows]


def domain_links() -> list[rec.Link]:
    codes = dict(db.session.execute(select(Product.id, Product.code).where(Product.retired.is_(False))).all())
    rows = db.session.scalars(
        select(Link).where(Link.retired.is_(False)).options(selectinload(Link.agency)).order_by(Link.id)
    ).all()
    return [link_record(link, codes) for link in rows if link.supplier_id in codes and link.user_id in codes]


# ---------------------------------------------------------------- the graph, cached per data version
_graph_lock = threading.Lock()
_graph_cache: dict = {}


def data_version() -> tuple:
    """Changes whenever a product, link, chain, opportunity or financing route is written (``versions``).

    One primary-key read of the counter row, once per GET request; requests that write read it afresh.
    """
    from flask import g, has_request_context, request

    from .versions import current

    memo = has_request_context() and request.method == "GET"
    if memo and "pj_data_version" in g:
        return g.pj_data_version
    version = (db.engine.url.render_as_string(), current())
    if memo:
        g.pj_data_version = version
    return version


def value_chain_graph():
    """The province's value-chain graph (a networkx DiGraph built by ``chains.graph``)."""
    from chains.graph import build_graph

    key = data_version()
    with _graph_lock:
        cached = _graph_cache.get("graph")
        if cached and cached[0] == key:
            return cached[1]
    graph = build_graph(domain_products(), domain_links())
    with _graph_lock:
        _graph_cache["graph"] = (key, graph)
    return graph


# ---------------------------------------------------------------- audit
def audit(action: str, entity: str, key: str = "", before=None, after=None, user=None) -> None:
    db.session.add(
        AuditEvent(
            action=action,
            entity=entity,
            entity_key=str(key),
            before=before,
            after=after,
            user_id=getattr(user, "id", None),
        )
    )


# ---------------------------------------------------------------- import (seed and agency uploads)
@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, what: str) -> None:
        bucket = getattr(self, what)
        bucket[kind] = bucket.get(kind, 0) + 1


def _upsert(model, key_field: str, key, values: dict, summary: ImportSummary, kind: str, illustrative: bool):
    row = db.session.scalar(select(model).where(getattr(model, key_field) == key))
    if row is None:
        row = model(**{key_field: key})
        db.session.add(row)
        summary.count(kind, "created")
    elif getattr(row, "illustrative", True) is False and illustrative:
        # An agency has replaced the illustrative figures: the demo seed never overwrites them.
        summary.count(kind, "kept")
        return row
    else:
        changed = any(getattr(row, k) != v for k, v in values.items() if not isinstance(v, list))
        if not changed:
            summary.count(kind, "kept")
        else:
            summary.count(kind, "updated")
    for k, v in values.items():
        if getattr(row, k) != v:
            setattr(row, k, v)
    if hasattr(row, "illustrative"):
        row.illustrative = illustrative
    return row


def import_bundle(bundle, illustrative: bool = True, user=None) -> ImportSummary:
    """Write a validated ``chains.io`` bundle into the database (idempotent; flushes, never commits)."""
    s = ImportSummary()
    with db.session.no_autoflush:
        for c in bundle.counties:
            _upsert(County, "slug", c.slug, {"name_fa": c.name_fa, "name_en": c.name_en}, s, "county", illustrative)
        for m in bundle.measures:
            _upsert(Measure, "slug", m.slug, {"name_fa": m.name_fa, "name_en": m.name_en, "position": m.position},
                    s, "measure", illustrative)
        for sec in bundle.sectors:
            _upsert(Sector, "slug", sec.slug, {"name_fa": sec.name_fa, "name_en": sec.name_en}, s, "sector",
                    illustrative)
        db.session.flush()
        sectors = {x.slug: x for x in db.session.scalars(select(Sector))}
        for a in bundle.agencies:
            row = _upsert(Agency, "slug", a.slug, {"name_fa": a.name_fa, "name_en": a.name_en,
                                                  "category": a.category}, s, "agency", illustrative)
            wanted = [sectors[x] for x in sorted(a.sectors)]
            if [x.slug for x in row.sectors] != [x.slug for x in wanted]:
                row.sectors = wanted
        for ch in bundle.chains:
            _upsert(ValueChain, "slug", ch.slug, {
                "name_fa": ch.name_fa, "name_en": ch.name_en, "priority": float(ch.priority),
                "description_fa": ch.description_fa, "description_en": ch.description_en,
            }, s, "chain", illustrative)
        db.session.flush()
        # Products, links and opportunities go through the same bulk writer as agency uploads.
        from .transfer import Ids, apply, assign_chain_owners, plan_links, plan_opportunities, plan_products

        ids = Ids()
        for kind, records, planner in (("product", bundle.products, plan_products),
                                       ("link", bundle.links, plan_links),
                                       ("opportunity", bundle.opportunities, plan_opportunities)):
            plan = planner(records, ids, illustrative)
            apply(plan, ids)
            for what, n in plan.counts.items():
                if n:
                    getattr(s, what)[kind] = getattr(s, what).get(kind, 0) + n
            if kind == "product":
                assign_chain_owners()
        for a in bundle.applicants:
            _upsert(Applicant, "ref", a.ref, {
                "applicant_type": a.applicant_type, "name": a.name, "capital_rials": int(a.capital_rials),
                "sectors": "|".join(a.sectors), "skills": a.skills, "products": "|".join(a.products),
                "counties": "|".join(a.counties), "lang": a.lang,
            }, s, "applicant", illustrative)
        db.session.flush()
    audit("import", "bundle", "seed" if illustrative else "upload",
          after={"created": s.created, "updated": s.updated}, user=user)
    db.session.flush()
    return s


# ---------------------------------------------------------------- lookups used by pages and the API
def counts() -> dict[str, int]:
    return {
        "opportunities": db.session.scalar(select(func.count(Opportunity.id)).where(Opportunity.status == "published")),
        "chains": db.session.scalar(select(func.count(ValueChain.id))),
        "products": db.session.scalar(select(func.count(Product.id)).where(Product.retired.is_(False))),
        "links": db.session.scalar(select(func.count(Link.id)).where(Link.retired.is_(False))),
        "counties": db.session.scalar(select(func.count(County.id))),
        "agencies": db.session.scalar(select(func.count(Agency.id))),
    }


def resolve_slug(model, value: str) -> str | None:
    """Map a slug, or a name in either language (search-folded), to the slug; None if unknown or ambiguous."""
    value = (value or "").strip()
    if not value:
        return None
    slug = db.session.scalar(select(model.slug).where(model.slug == value.lower()))
    if slug:
        return slug
    wanted = fold(value)
    matches = {row.slug for row in db.session.scalars(select(model))
               if wanted in (fold(row.name_fa), fold(row.name_en))}
    return matches.pop() if len(matches) == 1 else None


@dataclass(frozen=True)
class OpportunityFilters:
    chain: str | None = None
    sector: str | None = None
    county: str | None = None
    min_rials: int | None = None
    max_rials: int | None = None
    applicant_type: str | None = None
    q: str = ""


def opportunity_query(f: OpportunityFilters, statuses=("published",)):
    stmt = select(Opportunity).where(Opportunity.status.in_(statuses))
    if f.chain:
        stmt = stmt.where(Opportunity.product.has(Product.chains.any(ValueChain.slug == f.chain)))
    if f.sector:
        stmt = stmt.where(Opportunity.product.has(Product.sector.has(Sector.slug == f.sector)))
    if f.county:
        stmt = stmt.where(Opportunity.county.has(County.slug == f.county))
    # Investment range: the opportunity's range overlaps the asked range.
    if f.min_rials is not None:
        stmt = stmt.where(Opportunity.investment_max_rials >= f.min_rials)
    if f.max_rials is not None:
        stmt = stmt.where(Opportunity.investment_min_rials <= f.max_rials)
    if f.applicant_type:
        bit = 1 << APPLICANT_TYPES.index(f.applicant_type)
        stmt = stmt.where(Opportunity.suited_mask.op("&")(bit) != 0)
    for word in fold(f.q).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(or_(Opportunity.search_text.like(f"%{escaped}%", escape="\\"),
                              Opportunity.ref.ilike(f"%{escaped}%", escape="\\")))
    return stmt


# ---------------------------------------------------------------- gaps ("missing links") and simulation
_gap_cache: dict = {}


def gap_settings():
    """GapSettings with any PANJEREH_GAP_<FIELD> overrides from the configuration."""
    from dataclasses import fields

    from flask import current_app

    from chains.settings import GapSettings

    overrides = {}
    for f in fields(GapSettings):
        raw = current_app.config.get(f"PANJEREH_GAP_{f.name.upper()}")
        if raw is not None:
            overrides[f.name] = type(f.default)(raw)
    return GapSettings(**overrides)


def chain_priorities() -> dict[str, float]:
    return dict(db.session.execute(select(ValueChain.slug, ValueChain.priority)).all())


def province_gaps():
    """Every gap in the province, ordered by priority (cached per data version and chain priorities)."""
    from chains.gaps import find_gaps

    graph = value_chain_graph()
    priorities = chain_priorities()
    settings = gap_settings()
    table = active_relatedness_table()
    key = (data_version(), tuple(sorted(priorities.items())), settings, table.id if table else None)
    with _graph_lock:
        cached = _gap_cache.get("gaps")
        if cached and cached[0] == key:
            return cached[1]
    density = density_by_product_code(list(graph.nodes))
    gaps = find_gaps(graph, settings=settings, chain_priority=priorities, density=density)
    with _graph_lock:
        _gap_cache["gaps"] = (key, gaps)
    return gaps


def fill_quantity(gap) -> float | None:
    """The capacity that would close a gap, in the product's unit (None when the gap is not closed that way)."""
    d = gap.details
    if gap.kind == "missing_supplier":
        return d.get("inflow")
    if gap.kind == "shortfall":
        return d.get("shortfall")
    if gap.kind == "idle_capacity":
        return max(0.0, d.get("capacity", 0.0) - d.get("output", 0.0))
    if gap.kind == "infrastructure":
        return d.get("lost_output")
    return None  # unprocessed outflow is closed downstream, not by more of the same product


def simulate_fill(code: str, quantity: float):
    from chains.simulate import simulate

    return simulate(value_chain_graph(), code, quantity, gap_settings())


def opportunities_by_product() -> dict[str, list[tuple[int, str]]]:
    rows = db.session.execute(
        select(Product.code, Opportunity.id, Opportunity.gap_kind)
        .join(Opportunity, Opportunity.product_id == Product.id)
        .where(Opportunity.status == "published").order_by(Opportunity.id)).all()
    out: dict[str, list[tuple[int, str]]] = {}
    for code, opp_id, kind in rows:
        out.setdefault(code, []).append((opp_id, kind))
    return out


def gap_counties() -> dict[str, set[str]]:
    """Counties where a product has a published opportunity: the gaps' county filter uses these."""
    rows = db.session.execute(
        select(Product.code, County.slug).join(Opportunity, Opportunity.product_id == Product.id)
        .join(County, County.id == Opportunity.county_id).where(Opportunity.status == "published")).all()
    out: dict[str, set[str]] = {}
    for code, county in rows:
        out.setdefault(code, set()).add(county)
    return out


# ---------------------------------------------------------------- relatedness (economic complexity)
_density_cache: dict = {}


def active_relatedness_table():
    from ..models import RelatednessTable

    return db.session.scalar(select(RelatednessTable).where(RelatednessTable.active.is_(True))
                             .order_by(RelatednessTable.id.desc()))


def import_relatedness(rows, name: str, province_region: str, source: str = "") -> object:
    """Store a region × product table and make it the active one (flushes; all-or-nothing with the request).

    ``rows`` are ``(region, product, value)`` triples already validated by the caller.
    Returns the new table row; its ``too_small`` flag says whether density is trusted.
    """
    from decimal import Decimal

    from chains.complexity import complexity_long

    from ..models import RelatednessTable, RelatednessValue

    totals: dict[tuple[str, str], float] = {}
    for region, product, value in rows:  # repeated cells (several years, say) are summed
        totals[(region, product)] = totals.get((region, product), 0.0) + float(value)
    rows = [(r, p, v) for (r, p), v in sorted(totals.items())]
    result = complexity_long(rows, 0, 1, 2)
    if province_region not in set(result.region_labels.tolist()):
        raise ValueError(province_region)
    for old in db.session.scalars(select(RelatednessTable).where(RelatednessTable.active.is_(True))):
        old.active = False
    table = RelatednessTable(name=name, source=source, province_region=province_region,
                             regions=int(result.region_valid.sum()), products=int(result.product_valid.sum()),
                             too_small=bool(result.too_small), notes="|".join(result.notes), active=True)
    db.session.add(table)
    db.session.flush()
    db.session.add_all(RelatednessValue(table_id=table.id, region=r, product=p, value=Decimal(str(v)))
                       for r, p, v in rows)
    audit("import", "relatedness_table", table.id, after={"name": name, "regions": table.regions,
                                                          "products": table.products})
    db.session.flush()
    return table


def province_density() -> dict[str, float] | None:
    """The province's density per product code from the active table, or None (no table, or too small)."""
    from chains.complexity import complexity_long, density_for

    from ..models import RelatednessValue

    table = active_relatedness_table()
    if table is None or table.too_small:
        return None
    with _graph_lock:
        cached = _density_cache.get(table.id)
    if cached is not None:
        return cached
    rows = db.session.execute(select(RelatednessValue.region, RelatednessValue.product, RelatednessValue.value)
                              .where(RelatednessValue.table_id == table.id)).all()
    result = complexity_long([(r, p, float(v)) for r, p, v in rows], 0, 1, 2)
    density = {str(k): float(v) for k, v in density_for(result, table.province_region).items()}
    with _graph_lock:
        _density_cache[table.id] = density
    return density


def density_by_product_code(codes) -> dict[str, float] | None:
    """Density for each product code: exact label, else its HS-4 heading (6-digit codes)."""
    density = province_density()
    if density is None:
        return None
    out = {}
    for code in codes:
        value = density.get(code, density.get(code[:4]))
        if value is not None:
            out[code] = value
    return out
