"""How records look in the API: one serialiser per record, used by every endpoint."""

from __future__ import annotations

from flask import url_for

from app.models import Opportunity, Product
from app.services.records import aliases_of, types_from_mask


def product_json(p: Product) -> dict:
    return {
        "code": p.code, "nomenclature": p.nomenclature, "name": {"fa": p.name_fa, "en": p.name_en},
        "sector": p.sector.slug, "stage": p.stage, "unit": p.unit, "unit_price_rials": p.unit_price_rials,
        "capacity": p.capacity, "output": p.output, "demand": p.demand, "inflow": p.inflow, "outflow": p.outflow,
        "active_units": p.active_units, "idle_units": p.idle_units, "jobs": p.jobs,
        "suited_for": list(types_from_mask(p.suited_mask)),
        "aliases": list(aliases_of(p.aliases)),
        "provenance": {"source": p.source, "agency": p.agency.slug if p.agency else None,
                       "as_of": p.as_of.isoformat() if p.as_of else None, "illustrative": p.illustrative},
        "retired": p.retired, "version": p.version,
    }


def _opportunity_json(o: Opportunity) -> dict:
    return {**opportunity_json(o), "version": o.version,
            "published_at": o.published_at.isoformat() if o.published_at else None}
def opportunity_json(o: Opportunity) -> dict:
    return {
        "id": o.id,
        "ref": o.ref,
        "title": {"fa": o.title_fa, "en": o.title_en},
        "description": {"fa": o.description_fa, "en": o.description_en},
        "incentives": {"fa": o.incentives_fa, "en": o.incentives_en},
        "product": o.product.code,
        "chains": [c.slug for c in o.product.chains],
        "sector": o.product.sector.slug,
        "county": o.county.slug,
        "agency": o.agency.slug,
        "investment_min_rials": o.investment_min_rials,
        "investment_max_rials": o.investment_max_rials,
        "jobs": o.jobs,
        "suited_for": list(types_from_mask(o.suited_mask)),
        "financing": [{"kind": f.kind, "share": f.share_bp / 10000} for f in o.financing],
        "status": o.status,
        "gap_kind": o.gap_kind or None,
        "illustrative": o.illustrative,
        "url": url_for("public.opportunity", lang_code="fa", opp_id=o.id, _external=False),
    }
