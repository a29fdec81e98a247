"""Look-ups the pages and the API share: counts, names to slugs, the opportunity search."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Agency, County, Link, Opportunity, Product, Sector, ValueChain, chain_products
from app.services.graph import per_data_version
from app.services.records import APPLICANT_TYPES
from matching.normalize import fold


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


def active_chains():
    """Value chains the public sees (pages and API alike): every chain that is not retired."""
    return select(ValueChain).where(ValueChain.retired.is_(False))


def active_chain(slug: str) -> ValueChain | None:
    """One chain the public may see, or None (a retired chain is as good as missing)."""
    return db.session.scalar(active_chains().where(ValueChain.slug == slug))


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
    # Filters on the opportunity's own columns (county_id, product_id IN …) with the slug looked up once, not
    # EXISTS per row: PostgreSQL then reads a county's rows from ix_opportunities_county_listing alone.
    if f.chain:
        stmt = stmt.where(Opportunity.product_id.in_(
            select(chain_products.c.product_id).join(ValueChain, ValueChain.id == chain_products.c.chain_id)
            .where(ValueChain.slug == f.chain)))
    if f.sector:
        stmt = stmt.where(Opportunity.product_id.in_(
            select(Product.id).where(Product.sector_id == select(Sector.id).where(Sector.slug == f.sector)
                                     .scalar_subquery())))
    if f.county:
        stmt = stmt.where(Opportunity.county_id == select(County.id).where(County.slug == f.county).scalar_subquery())
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


#: Totals kept per process for the current data version: the list's later pages, a repeated search and the
#: API's pages count once. Cleared when full.
COUNT_CACHE_SIZE = 4096


def count_opportunities(f: OpportunityFilters) -> int:
    """How many published opportunities :func:`opportunity_query` finds for ``f`` (the list's and the API's
    total), counted once per data version."""
    cache = per_data_version("opportunity_counts", dict)
    total = cache.get(f)
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(opportunity_query(f).subquery()))
        if len(cache) >= COUNT_CACHE_SIZE:
            cache.clear()
        cache[f] = total
    return total


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
def product_options():

    return db.session.scalars(select(Product).where(Product.retired.is_(False)).order_by(Product.code)).all()
