"""Rows become domain records (chains.records) here, and only here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Link, Opportunity, Product
from chains import records as rec
from matching.normalize import fold

APPLICANT_TYPES = rec.APPLICANT_TYPES


# ---------------------------------------------------------------- applicant-type masks
def suited_mask(types) -> int:
    mask = 0
    for t in types:
        mask |= 1 << APPLICANT_TYPES.index(t)
    return mask


def types_from_mask(mask: int) -> tuple[str, ...]:
    return tuple(t for i, t in enumerate(APPLICANT_TYPES) if mask & (1 << i))


# ---------------------------------------------------------------- product aliases
def aliases_of(cell: str | None) -> tuple[str, ...]:
    """The stored "|"-separated aliases as a tuple."""
    return tuple(part for part in (cell or "").split("|") if part)


def aliases_cell(aliases) -> str:
    return "|".join(aliases)


def opportunity_search_text(title_fa: str, title_en: str, description_fa: str, description_en: str,
                            name_fa: str, name_en: str, code: str, aliases: str | None) -> str:
    """What the opportunity search looks in: its texts and its product's names, code and aliases (folded)."""
    return fold(" ".join([title_fa, title_en, description_fa, description_en, name_fa, name_en, code,
                          " ".join(aliases_of(aliases))]))


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
        aliases=aliases_of(p.aliases),
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
