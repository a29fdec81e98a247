"""Loading the seed's step templates and permit paths (data/seed/step_templates.csv, permit_paths.csv,
opportunity_paths.csv, written by build_seed.py). Idempotent; a template an agency has edited
(``illustrative`` false) is never overwritten, and an opportunity keeps a path an agency gave it."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Agency, Opportunity, PathStep, PermitPath, StepTemplate
from app.services.audit import audit

TEXT = ("name_fa", "name_en", "office_fa", "office_en", "phone", "hours_fa", "hours_en", "legal_basis_fa",
        "legal_basis_en")


def _rows(folder: Path, name: str) -> list[dict]:
    path = Path(folder) / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def import_permits(folder) -> dict[str, int]:
    """Write the seed's templates and paths and give each seeded opportunity its path (flushes only)."""
    counts = {"step_templates": 0, "permit_paths": 0, "opportunity_paths": 0}
    agencies = {a.slug: a.id for a in db.session.scalars(select(Agency))}
    templates = {t.slug: t for t in db.session.scalars(select(StepTemplate))}
    for row in _rows(folder, "step_templates.csv"):
        t = templates.get(row["slug"])
        if t is None:
            t = StepTemplate(slug=row["slug"])
            db.session.add(t)
            templates[t.slug] = t
        elif not t.illustrative:
            continue
        values = {k: row[k] for k in TEXT}
        values.update(agency_id=agencies[row["agency"]], cost_rials=int(row["cost_rials"]),
                      sla_days=int(row["sla_days"]), deemed_approval=row["deemed_approval"] == "yes",
                      documents_fa="\n".join(row["documents_fa"].split("|")),
                      documents_en="\n".join(row["documents_en"].split("|")),
                      conditions=[{"fa": a, "en": b} for a, b in zip(row["conditions_fa"].split("|"),
                                                                      row["conditions_en"].split("|"), strict=True)])
        changed = False
        for k, v in values.items():
            if getattr(t, k) != v:
                setattr(t, k, v)
                changed = True
        counts["step_templates"] += changed
    db.session.flush()
    paths = {p.slug: p for p in db.session.scalars(select(PermitPath))}
    for row in _rows(folder, "permit_paths.csv"):
        p = paths.get(row["slug"])
        if p is None:
            p = PermitPath(slug=row["slug"], name_fa=row["name_fa"], name_en=row["name_en"], illustrative=True)
            db.session.add(p)
            paths[p.slug] = p
        if not p.illustrative:
            continue
        p.name_fa, p.name_en = row["name_fa"], row["name_en"]
        wanted = [(templates[item.split("@")[0]].id, int(item.split("@")[1])) for item in row["steps"].split("|")]
        if [(s.template_id, s.stage) for s in sorted(p.steps, key=lambda s: s.position)] != wanted:
            p.steps.clear()
            db.session.flush()
            p.steps.extend(PathStep(template_id=tid, stage=stage, position=i) for i, (tid, stage) in
                           enumerate(wanted, 1))
            counts["permit_paths"] += 1
    db.session.flush()
    opps = {o.ref: o for o in db.session.scalars(select(Opportunity))}
    for row in _rows(folder, "opportunity_paths.csv"):
        o = opps.get(row["opportunity"])
        if o is not None and o.permit_path_id is None:
            o.permit_path_id = paths[row["path"]].id
            counts["opportunity_paths"] += 1
    db.session.flush()
    if any(counts.values()):
        audit("import", "permit_paths", "seed", after=counts)
    return counts
