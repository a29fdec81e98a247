"""The agency's queue: who expressed interest in its opportunities, and the reverse look-up of applicants."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Interest, Opportunity
from app.portal.steps import investor_emails
from app.security import authz
from app.security.access import role_required
from app.services import matching as svc


# ---------------------------------------------------------------- agency: reverse lookup and interest queue
@role_required("agency_editor", "hq", "admin")
def reverse_lookup(opp_id: int):
    opp = db.session.get(Opportunity, opp_id)
    if opp is None:
        abort(404)
    if not authz.can_see_applicants(current_user, opp):
        abort(403)
    return render_template("portal/reverse.html", opp=opp, rows=svc.reverse_lookup(opp))


@role_required("agency_editor", "hq", "admin")
def interests():
    stmt = select(Interest).options(selectinload(Interest.applicant), selectinload(Interest.opportunity),
                                    selectinload(Interest.case))
    if current_user.role == "agency_editor":
        stmt = stmt.where(Interest.agency_id == current_user.agency_id)
    rows = db.session.scalars(stmt.order_by(Interest.created_at.desc()).limit(500)).all()
    return render_template("portal/interests.html", rows=rows, emails=investor_emails(rows))
