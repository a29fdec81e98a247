"""The audit trail: every change is an AuditEvent with the fields before and after."""

from __future__ import annotations

from app.extensions import db
from app.models import AuditEvent


# ---------------------------------------------------------------- audit
def audit(action: str, entity: str, key: str = "", before=None, after=None, user=None) -> None:
    db.session.add(
        AuditEvent(
            action=action,
            entity=entity,
            entity_key=str(key),
            before=before,
            after=after,
            user_id=getattr(user, "id", None),
        )
    )
