"""The Chamber of Commerce's demands: filed by its working group, decided in the secretariat's queue — turned
into an obstacle report, a gap to study, a draft opportunity, or closed with a reason the Chamber sees."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.models import OBSTACLE_CATEGORIES, County, Demand, utcnow
from app.security import authz
from app.services.audit import audit
from app.services.catalogue.limits import TEXT_MAX
from app.services.catalogue.opportunities import check_opportunity, create_opportunity
from app.services.errors import Invalid, NotAllowed, both, check_version
from app.services.obstacles import find_product, report_obstacle

OUTCOMES = ("obstacle", "gap", "opportunity", "closed")


def check_demand(cells: dict) -> dict:
    problems = []
    title = (cells.get("title") or "").strip()
    if not title or len(title) > 400:
        problems.append(both(lambda: gettext("Give the demand a title (under 400 characters)."), "required", "title"))
    description = (cells.get("description") or "").strip()
    if len(description) < 10 or len(description) > TEXT_MAX:
        problems.append(both(lambda: gettext("Describe the demand in a sentence or more (under 4,000 characters)."),
                             "required", "description"))
    product = None
    if (cells.get("product") or "").strip():
        product = find_product(cells.get("product"))
        if product is None:
            problems.append(both(lambda: gettext("Choose a product from the suggestions: its name or its code."),
                                 "unknown_product", "product"))
    county = None
    if (cells.get("county") or "").strip():
        county = db.session.scalar(select(County).where(County.slug == cells["county"].strip()[:64]))
        if county is None:
            problems.append(both(lambda: gettext("Choose the county from the list."), "choice", "county"))
    if problems:
        raise Invalid(problems)
    return {"title": title, "description": description, "product": product, "county": county}


def file_demand(values: dict, user) -> Demand:
    if not authz.can_file_demand(user):
        raise NotAllowed()
    row = Demand(title=values["title"], description=values["description"], product=values["product"],
                 county=values["county"], created_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit("create", "demand", row.id, after={"title": row.title}, user=user)
    return row


def decide(row: Demand, user, outcome: str, version, cells: dict, lang: str) -> Demand:
    """The secretariat's decision. ``cells``: the reason (``outcome_note``) and, by outcome, the obstacle's
    category, or the opportunity's English title, agency and investment range."""
    if not authz.can_run_working_group(user):
        raise NotAllowed()
    if outcome not in OUTCOMES:
        raise Invalid([both(lambda: gettext("Choose what the demand becomes."), "choice", "outcome")])
    if row.status != "new":
        raise Invalid([both(lambda: gettext("This demand has already been decided."), "status", "outcome")])
    check_version(row, version)
    note = (cells.get("outcome_note") or "").strip()
    if len(note) > TEXT_MAX or (outcome == "closed" and not note):
        raise Invalid([both(lambda: gettext("Give the reason; the Chamber sees it (under 4,000 characters)."),
                            "required", "outcome_note")])
    if outcome in ("obstacle", "gap", "opportunity") and (row.product is None or
                                                          (outcome != "gap" and row.county is None)):
        raise Invalid([both(lambda: gettext("The demand needs a product and a county for this outcome."),
                            "required", "outcome")])
    if outcome == "obstacle":
        category = (cells.get("category") or "").strip()
        if category not in OBSTACLE_CATEGORIES:
            raise Invalid([both(lambda: gettext("Choose the kind of obstacle from the list."), "choice", "category")])
        row.obstacle = report_obstacle({
            "category": category, "product": row.product, "county": row.county, "lost_quantity": 0.0,
            "lost_period": "year", "lost_per_year": 0.0, "since": None,
            "description": f"{row.title}\n\n{row.description}", "reporter_name": "",
            "reporter_contact": getattr(user, "email", ""), "unit_name": ""}, lang)
    elif outcome == "opportunity":
        record, shares = check_opportunity({
            "title_fa": row.title, "title_en": cells.get("title_en", ""), "product": row.product.code,
            "county": row.county.slug, "agency": cells.get("agency", ""),
            "investment_min_rials": cells.get("investment_min_rials", ""),
            "investment_max_rials": cells.get("investment_max_rials", ""), "jobs": cells.get("jobs", "") or "0",
            "description_fa": row.description, "description_en": cells.get("title_en", ""),
            "incentives_fa": "", "incentives_en": "", "suited_for": "", "gap_kind": ""}, user)
        row.opportunity = create_opportunity(record, shares, user)
    row.status = outcome
    row.outcome = note
    row.decided_by_id, row.decided_at = user.id, utcnow()
    db.session.flush()
    audit("update", "demand", row.id, before={"status": "new"}, after={"status": outcome, "outcome": note},
          user=user)
    return row
