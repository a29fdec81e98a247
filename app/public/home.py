"""The home page."""

from __future__ import annotations

from flask import (
    render_template,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Measure, Opportunity, ValueChain
from app.services.county_map import county_figures
from app.services.queries import active_chains, counts


def home():
    measures = db.session.scalars(select(Measure).order_by(Measure.position)).all()
    latest = db.session.scalars(
        select(Opportunity)
        .where(Opportunity.status == "published")
        .options(selectinload(Opportunity.county), selectinload(Opportunity.product))
        .order_by(Opportunity.published_at.desc(), Opportunity.id.desc())
        .limit(6)
    ).all()
    chains = db.session.scalars(active_chains()
                                .order_by(ValueChain.priority.desc(), ValueChain.slug)).all()
    return render_template("public/home.html", measures=measures, counts=counts(), latest=latest,
                           chains=chains, county_map_figures=county_figures())
