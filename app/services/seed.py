"""Loading a validated bundle (the illustrative seed, or an upload) into the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.models import Agency, Applicant, County, Measure, Sector, ValueChain
from app.services.audit import audit
from app.services.transfer.check import Ids
from app.services.transfer.write import (
    apply,
    assign_chain_owners,
    plan_links,
    plan_opportunities,
    plan_products,
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
