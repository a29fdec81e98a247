"""The portal's start page: the agency's counts, drafts and recent changes."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    AuditEvent,
    Interest,
    Link,
    Opportunity,
    Product,
    User,
    ValueChain,
)
from app.portal.common import PORTAL_ROLES
from app.security import authz
from app.security.access import role_required


# ---------------------------------------------------------------- dashboard
@role_required(*PORTAL_ROLES)
def dashboard():
    def count(stmt):
        return db.session.scalar(select(func.count()).select_from(stmt.subquery()))

    user = current_user
    products = authz.scope_products(select(Product.id), user)
    opps = authz.scope_opportunities(select(Opportunity.id), user)
    counts = {
        "products": count(products.where(Product.retired.is_(False))),
        "retired": count(products.where(Product.retired.is_(True))),
        "links": count(authz.scope_links(select(Link.id), user).where(Link.retired.is_(False))),
        "chains": count(authz.scope_chains(select(ValueChain.id), user)),
        "drafts": count(opps.where(Opportunity.status == "draft")),
        "published": count(opps.where(Opportunity.status == "published")),
        "closed": count(opps.where(Opportunity.status == "closed")),
    }
    interests = select(Interest.id).where(Interest.handled.is_(False))
    if user.role == "agency_editor":
        interests = interests.where(Interest.agency_id == user.agency_id)
    counts["interests"] = count(interests)
    drafts = db.session.scalars(authz.scope_opportunities(select(Opportunity), user)
                                .where(Opportunity.status == "draft").order_by(Opportunity.updated_at.desc())
                                .limit(10)).all()
    recent = select(AuditEvent).options(selectinload(AuditEvent.user)).order_by(AuditEvent.at.desc(),
                                                                                AuditEvent.id.desc()).limit(15)
    if user.role == "agency_editor":

        recent = recent.where(AuditEvent.user_id.in_(select(User.id).where(User.agency_id == user.agency_id)))
    return render_template("portal/dashboard.html", counts=counts, drafts=drafts,
                           recent=db.session.scalars(recent).all())
