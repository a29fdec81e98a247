"""The permit path of an opportunity (steps, parallel stages, critical path, total cost) and the
agencies' upkeep of their step templates: one validator, optimistic locking, an audit event per change."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Opportunity, PathStep, PermitPath, StepTemplate
from app.services.audit import audit
from app.services.errors import Invalid, both, check_version
from chains.nomenclature import normalize_digits

MAX_COST_RIALS = 10**15
MAX_SLA_DAYS = 365
MAX_CONDITIONS = 20


def lines(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").splitlines() if x.strip()]


@dataclass(frozen=True)
class PathSummary:
    path: PermitPath
    stages: list[list[PathStep]]  # steps of one stage run in parallel; stages run one after another
    total_days: int  # working days on the critical path: the longest step of each stage, summed
    total_cost_rials: int


def summary(path: PermitPath | None) -> PathSummary | None:
    if path is None or not path.steps:
        return None
    stages: dict[int, list[PathStep]] = {}
    for step in sorted(path.steps, key=lambda s: (s.stage, s.position)):
        stages.setdefault(step.stage, []).append(step)
    ordered = [stages[k] for k in sorted(stages)]
    days = sum(max(s.template.sla_days for s in stage) for stage in ordered)
    cost = sum(s.template.cost_rials for s in path.steps)
    return PathSummary(path=path, stages=ordered, total_days=days, total_cost_rials=cost)


def opportunity_path(opp: Opportunity) -> PathSummary | None:
    if opp.permit_path_id is None:
        return None
    path = db.session.scalar(select(PermitPath).where(PermitPath.id == opp.permit_path_id).options(
        selectinload(PermitPath.steps).selectinload(PathStep.template).selectinload(StepTemplate.agency)))
    return summary(path)


# ---------------------------------------------------------------- templates: check and update
TEXT_LIMITS = {"name_fa": 300, "name_en": 300, "office_fa": 500, "office_en": 500, "phone": 64, "hours_fa": 200,
               "hours_en": 200, "documents_fa": 5000, "documents_en": 5000, "legal_basis_fa": 2000,
               "legal_basis_en": 2000, "conditions_fa": 5000, "conditions_en": 5000}
REQUIRED = ("name_fa", "name_en", "office_fa", "office_en", "conditions_fa", "conditions_en")


def _int(cells: dict, field: str, low: int, high: int, problems: list) -> int | None:
    raw = normalize_digits(str(cells.get(field) or "").strip())
    raw = raw.replace(",", "").replace("٬", "")
    if not raw.isdigit() or len(raw) > 18 or not (low <= int(raw) <= high):
        problems.append(both(lambda: gettext("Enter a whole number from %(low)s to %(high)s.", low=low,
                                             high=high), "range", field))
        return None
    return int(raw)


def check_template(cells: dict) -> dict:
    """The template's values from form or API cells, or Invalid with every problem."""
    problems = []
    values: dict = {}
    for field, limit in TEXT_LIMITS.items():
        text = str(cells.get(field) or "").strip()
        if len(text) > limit:
            problems.append(both(lambda limit=limit: gettext("At most %(n)s characters.", n=limit), "too_long",
                                 field))
        elif field in REQUIRED and not text:
            problems.append(both(lambda: gettext("This field is required."), "required", field))
        values[field] = text
    # A phone typed (or shown) with Persian digits is stored with ASCII digits; pages localise it.
    values["phone"] = normalize_digits(values["phone"])
    values["cost_rials"] = _int(cells, "cost_rials", 0, MAX_COST_RIALS, problems)
    values["sla_days"] = _int(cells, "sla_days", 1, MAX_SLA_DAYS, problems)
    fa, en = lines(values.pop("conditions_fa")), lines(values.pop("conditions_en"))
    if fa and en and len(fa) != len(en):
        problems.append(both(lambda: gettext("Give each refusal condition in both languages: one per line, the "
                                             "same number of lines in Persian and in English."), "mismatch",
                             "conditions_en"))
    elif len(fa) > MAX_CONDITIONS:
        problems.append(both(lambda: gettext("At most %(n)s refusal conditions.", n=MAX_CONDITIONS), "too_many",
                             "conditions_fa"))
    values["conditions"] = [{"fa": a, "en": b} for a, b in zip(fa, en, strict=False)]
    values["deemed_approval"] = str(cells.get("deemed_approval") or "").lower() in ("1", "y", "yes", "true", "on")
    if problems:
        raise Invalid(problems)
    return values


def template_cells(t: StepTemplate) -> dict:
    return {"name_fa": t.name_fa, "name_en": t.name_en, "office_fa": t.office_fa, "office_en": t.office_en,
            "phone": t.phone, "hours_fa": t.hours_fa, "hours_en": t.hours_en, "documents_fa": t.documents_fa,
            "documents_en": t.documents_en, "cost_rials": t.cost_rials, "sla_days": t.sla_days,
            "legal_basis_fa": t.legal_basis_fa, "legal_basis_en": t.legal_basis_en,
            "conditions_fa": "\n".join(c["fa"] for c in t.conditions or []),
            "conditions_en": "\n".join(c["en"] for c in t.conditions or []),
            "deemed_approval": t.deemed_approval}


def update_template(t: StepTemplate, cells: dict, version, user) -> StepTemplate:
    check_version(t, version)
    values = check_template(cells)
    before = template_cells(t)
    for k, v in values.items():
        if getattr(t, k) != v:
            setattr(t, k, v)
    t.illustrative = False
    db.session.flush()
    audit("update", "step_template", t.slug, before=before, after=template_cells(t), user=user)
    return t
