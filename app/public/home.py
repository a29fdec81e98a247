"""The home page, and the liveness check."""

from __future__ import annotations

from flask import (
    jsonify,
    render_template,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Measure, Opportunity, ValueChain
from app.services.queries import active_chains, counts
from app.services.versions import current
from app.web.fragments import county_map_html


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
                           chains=chains, county_map=county_map_html())


def health():
    """Liveness for load balancers and the load harness: one primary-key read of the data version."""
    return jsonify({"status": "ok", "data_version": current()})
