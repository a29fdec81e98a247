"""How records look in the API: one serialiser per record, used by every endpoint.

Every record that can be written carries its ``version`` (send it back with a change). A product
looks the same wherever it appears: on its own, as a chain's node and as an opportunity's product."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import url_for

from app.models import Link, Opportunity, Product, ValueChain
from app.services.gaps import fill_quantity
from app.services.records import aliases_of, types_from_mask


def _provenance(row) -> dict:
    return {"source": row.source, "agency": row.agency.slug if row.agency else None,
            "as_of": row.as_of.isoformat() if row.as_of else None, "illustrative": row.illustrative}


def _instant(value: datetime | None) -> str | None:
    """RFC 3339 with its offset (SQLite hands back stored UTC times without one)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()


def product_json(p: Product) -> dict:
    return {
        "code": p.code, "nomenclature": p.nomenclature, "name": {"fa": p.name_fa, "en": p.name_en},
        "sector": p.sector.slug, "stage": p.stage, "unit": p.unit, "unit_price_rials": p.unit_price_rials,
        "capacity": p.capacity, "output": p.output, "demand": p.demand, "inflow": p.inflow, "outflow": p.outflow,
        "active_units": p.active_units, "idle_units": p.idle_units, "jobs": p.jobs,
        "suited_for": list(types_from_mask(p.suited_mask)),
        "aliases": list(aliases_of(p.aliases)),
        "provenance": _provenance(p),
        "retired": p.retired, "version": p.version,
    }


def link_json(lk: Link, codes: dict[int, str]) -> dict:
    return {"supplier": codes[lk.supplier_id], "user": codes[lk.user_id], "coefficient": lk.coefficient,
            "provenance": _provenance(lk)}


def chain_json(c: ValueChain) -> dict:
    """A chain as the list shows it (the detail adds nodes, links, paths and gaps)."""
    return {"slug": c.slug, "name": {"fa": c.name_fa, "en": c.name_en}, "priority": c.priority,
            "products": len(c.products), "version": c.version}


def permit_path_json(path) -> dict | None:
    """A ``services.permits.paths.PathSummary``: steps in order, each with its parallel group (stage)."""
    if path is None:
        return None
    return {
        "slug": path.path.slug,
        "name": {"fa": path.path.name_fa, "en": path.path.name_en},
        "illustrative": path.path.illustrative,
        "total_days": path.total_days,
        "total_cost_rials": path.total_cost_rials,
        "steps": [{
            "position": ps.position,
            "parallel_group": ps.stage,
            "name": {"fa": ps.template.name_fa, "en": ps.template.name_en},
            "agency": ps.template.agency.slug,
            "office": {"fa": ps.template.office_fa, "en": ps.template.office_en, "phone": ps.template.phone,
                       "hours": {"fa": ps.template.hours_fa, "en": ps.template.hours_en}},
            "days": ps.template.sla_days,
            "cost_rials": ps.template.cost_rials,
            "documents": {"fa": ps.template.documents_fa.splitlines(), "en": ps.template.documents_en.splitlines()},
            "legal_basis": {"fa": ps.template.legal_basis_fa, "en": ps.template.legal_basis_en},
            "refusal_conditions": [{"number": n, "fa": c["fa"], "en": c["en"]}
                                   for n, c in enumerate(ps.template.conditions or [], 1)],
            "deemed_approval": ps.template.deemed_approval,
        } for stage in path.stages for ps in stage],
    }


def opportunity_json(o: Opportunity) -> dict:
    return {
        "id": o.id,
        "ref": o.ref,
        "title": {"fa": o.title_fa, "en": o.title_en},
        "description": {"fa": o.description_fa, "en": o.description_en},
        "incentives": {"fa": o.incentives_fa, "en": o.incentives_en},
        "product": product_json(o.product),
        "product_code": o.product.code,
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
        "published_at": _instant(o.published_at),
        "version": o.version,
        "url": url_for("public.opportunity", lang_code="fa", opp_id=o.id, _external=False),
    }


def gap_json(g, graph, counties) -> dict:
    product = graph.nodes[g.product]["product"]
    out = g.to_dict()
    out["product_name"] = {"fa": product.name_fa, "en": product.name_en}
    out["sector"] = product.sector
    out["counties"] = sorted(counties.get(g.product, ()))
    out["fill_quantity"] = fill_quantity(g)
    return out


def match_json(m, o, lang: str) -> dict:
    """One match (or "other opportunity within your means", level null) of ``matching.model.Match``; ``o`` is
    the opportunity as ``services.matching.listed`` reads it."""
    return {"opportunity_id": o.id, "ref": o.ref, "title": o.title_fa if lang == "fa" else o.title_en,
            "product_code": o.product_code, "county": o.county, "investment_min_rials": o.investment_min_rials,
            "chains": list(o.chains), "level": m.level or None, "score": round(m.score, 4),
            "fit": round(m.fit, 4), "reasons": [r.text for r in m.reasons]}


def exclusion_json(e, o) -> dict:
    """An opportunity a hard rule keeps out; a near miss says what would open it (``opens``)."""
    return {"opportunity_id": o.id, "ref": o.ref, "product_code": o.product_code, "county": o.county,
            "investment_min_rials": o.investment_min_rials, "rule": e.rule, "reason": e.text,
            "near_miss": e.near_miss, "level": e.level or None, "score": round(e.score, 4), "opens": e.opens or None}
