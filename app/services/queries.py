"""Look-ups the pages and the API share: counts, names to slugs, the opportunity search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, County, Link, Opportunity, Product, Sector, ValueChain, chain_products
from app.services.graph import per_data_version
from app.services.listing import Listing, ListingSource
from app.services.versions import WATCHED
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
    # Counties, sectors and chains bump the data version when written: their names are read once per version
    # (every filtered list and profile resolves one or more).
    slugs, names = (per_data_version(f"slugs:{model.__tablename__}", lambda: _slug_table(model))
                    if model in WATCHED else _slug_table(model))
    if value.lower() in slugs:
        return value.lower()
    matches = names.get(fold(value), ())
    return next(iter(matches)) if len(matches) == 1 else None


def _slug_table(model) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    rows = db.session.execute(select(model.slug, model.name_fa, model.name_en)).all()
    names: dict[str, set[str]] = {}
    for slug, name_fa, name_en in rows:
        for name in {fold(name_fa), fold(name_en)}:
            names.setdefault(name, set()).add(slug)
    return frozenset(r[0] for r in rows), {k: frozenset(v) for k, v in names.items()}


@dataclass(frozen=True)
class OpportunityFilters:
    chain: str | None = None
    sector: str | None = None
    county: str | None = None
    min_rials: int | None = None
    max_rials: int | None = None
    applicant_type: str | None = None
    q: str = ""


def published_listing() -> Listing:
    """The published opportunities of the current data version, in memory (``services.listing``): the list's
    and the API's one search rule."""
    return per_data_version("published_listing", _read_listing)


def listing_source_statements() -> tuple:
    """The statements the listing is built from (bench/load/plans.py explains them)."""
    return (
        select(Opportunity.id, Opportunity.county_id, Opportunity.product_id, Opportunity.investment_min_rials,
               Opportunity.investment_max_rials, Opportunity.suited_mask, Opportunity.search_text, Opportunity.ref)
        .where(Opportunity.status == "published")
        .order_by(Opportunity.published_at.desc(), Opportunity.id.desc()),
        select(ValueChain.slug, chain_products.c.product_id)
        .join(chain_products, chain_products.c.chain_id == ValueChain.id),
        select(Product.id, Product.sector_id),
        select(County.slug, County.id),
        select(Sector.slug, Sector.id),
    )


def read_listing_source(session) -> ListingSource:
    opportunities, chain_rows, product_sector, counties, sectors = (
        [tuple(r) for r in session.execute(stmt)] for stmt in listing_source_statements())
    chains: dict[str, set[int]] = {}
    for slug, product_id in chain_rows:
        chains.setdefault(slug, set()).add(product_id)
    return ListingSource(rows=opportunities, product_sector=dict(product_sector), chain_products=chains,
                         county_ids=dict(counties), sector_ids=dict(sectors))


def _read_listing() -> Listing:
    return Listing(read_listing_source(db.session))


def count_opportunities(f: OpportunityFilters) -> int:
    """How many published opportunities ``f`` finds (the list's and the API's total)."""
    return published_listing().count(f)


def opportunity_page(f: OpportunityFilters, offset: int, limit: int, *options, by_id: bool = False) -> list:
    """One page of the published opportunities ``f`` finds, as ORM rows loaded with ``options``: in the list's
    order (newest first), or by id (the API's order). One primary-key read of the page's rows."""
    ids = published_listing().page_ids(f, offset, limit, by_id=by_id)
    if not ids:
        return []
    found = {o.id: o for o in db.session.scalars(select(Opportunity).where(Opportunity.id.in_(ids))
                                                 .options(*options))}
    # An opportunity unpublished since this process read the data version is left out, not shown stale.
    return [found[i] for i in ids if i in found and found[i].status == "published"]


class Name(NamedTuple):
    """A county's or chain's name in both languages (what ``|loc('name')`` reads), outliving its request."""

    name_fa: str
    name_en: str


class Card(NamedTuple):
    """What the public list shows of one opportunity."""

    id: int
    title_fa: str
    title_en: str
    county: Name
    investment_min_rials: int
    investment_max_rials: int
    jobs: int
    chains: tuple[Name, ...]  # the product's chains, by slug (as ``Product.chains``)


def _read_card_names() -> tuple[dict[int, Name], dict[int, tuple[Name, ...]]]:
    counties = {i: Name(fa, en) for i, fa, en in db.session.execute(select(County.id, County.name_fa, County.name_en))}
    chains: dict[int, list[Name]] = {}
    for product_id, fa, en in db.session.execute(
            select(chain_products.c.product_id, ValueChain.name_fa, ValueChain.name_en)
            .join(ValueChain, ValueChain.id == chain_products.c.chain_id).order_by(ValueChain.slug)):
        chains.setdefault(product_id, []).append(Name(fa, en))
    return counties, {k: tuple(v) for k, v in chains.items()}


def card_statement(ids: list[int]):
    """The read of one page of cards (bench/load/plans.py explains it)."""
    return (select(Opportunity.id, Opportunity.title_fa, Opportunity.title_en, Opportunity.county_id,
                   Opportunity.investment_min_rials, Opportunity.investment_max_rials, Opportunity.jobs,
                   Opportunity.product_id, Opportunity.status).where(Opportunity.id.in_(ids)))


def opportunity_cards(f: OpportunityFilters, offset: int, limit: int) -> list[Card]:
    """One page of the public list: :func:`opportunity_page`'s opportunities as :class:`Card` records, read in
    one query of the columns the card shows (the county and chain names are kept per data version)."""
    ids = published_listing().page_ids(f, offset, limit)
    if not ids:
        return []
    counties, chains = per_data_version("card_names", _read_card_names)
    found = {r.id: r for r in db.session.execute(card_statement(ids))}
    return [Card(r.id, r.title_fa, r.title_en, counties.get(r.county_id, Name("", "")), r.investment_min_rials,
                 r.investment_max_rials, r.jobs or 0, chains.get(r.product_id, ()))
            for r in (found.get(i) for i in ids) if r is not None and r.status == "published"]


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
