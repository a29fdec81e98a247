"""The agency's interest queue: mark an expression of interest contacted, invite the investor to apply
(which opens their case), or decline it with a reason. Optimistic locking and an audit event each time."""

from __future__ import annotations

from flask_babel import gettext

from app.extensions import db
from app.models import Interest, User
from app.security import authz
from app.services.audit import audit
from app.services.cases.routing import open_case
from app.services.errors import Conflict, Invalid, NotAllowed, both

ACTIONS = ("contacted", "invite", "decline")
MAX_REASON = 1000


def interest_state(row: Interest) -> dict:
    return {"id": row.id, "status": row.status, "reason": row.reason, "version": row.version,
            "case": row.case.code if row.case else None}


def act_on_interest(row: Interest, action: str, version, user, reason: str = "") -> Interest:
    if not authz.can_act_for_agency(user, row.agency_id):
        raise NotAllowed()
    reason = (reason or "").strip()
    problems = []
    if action not in ACTIONS:
        problems.append(both(lambda: gettext("Choose what to do with this expression of interest."), "action",
                             "action"))
    if action == "decline" and not reason:
        problems.append(both(lambda: gettext("Give the reason for declining; the investor will see it."),
                             "required", "reason"))
    if len(reason) > MAX_REASON:
        problems.append(both(lambda: gettext("At most %(n)s characters.", n=MAX_REASON), "too_long", "reason"))
    if problems:
        raise Invalid(problems)
    try:
        seen = int(str(version).strip())
    except (TypeError, ValueError):
        seen = None
    if seen != row.version or row.status in ("invited", "declined"):
        raise Conflict(interest_state(row))
    before = interest_state(row)
    if action == "contacted":
        row.status = "contacted"
    elif action == "decline":
        row.status, row.reason = "declined", reason
    else:
        investor = db.session.get(User, row.applicant.user_id) if row.applicant.user_id else None
        case = open_case(row.applicant, row.opportunity, user, contact_email=investor.email if investor else "",
                         share_contact=True, lang=row.applicant.lang)
        row.status, row.case_id = "invited", case.id
    row.handled = True
    db.session.flush()
    audit("update", "interest", str(row.id), before=before, after=interest_state(row), user=user)
    return row
