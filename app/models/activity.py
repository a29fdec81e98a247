"""What happens to records: the audit trail, match feedback, cases, interests, the outbox and import jobs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .catalogue import Opportunity
from .people import Applicant, User
from .permits import CaseStep
from .reference import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))  # create | update | retire | import | seed | login
    entity: Mapped[str] = mapped_column(String(32), index=True)
    entity_key: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()


CASE_STATUSES = ("open", "in_progress", "approved", "rejected", "withdrawn", "completed")


class MatchFeedback(db.Model):
    """A staff member's verdict on one shown match: the training data of the recommender."""

    __tablename__ = "match_feedback"
    __table_args__ = (UniqueConstraint("applicant_id", "opportunity_id", name="uq_match_feedback_pair"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    relevant: Mapped[bool] = mapped_column(Boolean)
    # The signals the match was shown with, so training sees what staff saw.
    signals: Mapped[dict | None] = mapped_column(JSON)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Case(db.Model):
    """A single-window application, tracked by code and routed through the steps of its permit path."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # How the agencies reach the applicant, and whether the applicant agreed to share it with them.
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    share_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    lang: Mapped[str] = mapped_column(String(8), default="fa", server_default="fa")
    decided_on: Mapped[date | None] = mapped_column(Date)

    applicant: Mapped[Applicant] = relationship()
    opportunity: Mapped[Opportunity] = relationship()
    steps: Mapped[list[CaseStep]] = relationship(back_populates="case", order_by="CaseStep.position",
                                                 cascade="all, delete-orphan")


class Interest(db.Model):
    """A registered applicant's interest in an opportunity; it lands in the owning agency's queue."""

    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("applicant_id", "opportunity_id", name="uq_interests_pair"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    handled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # new | contacted | invited (a case was opened) | declined (with the reason)
    status: Mapped[str] = mapped_column(String(16), default="new", server_default="new", index=True)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    applicant: Mapped[Applicant] = relationship()
    opportunity: Mapped[Opportunity] = relationship()
    case: Mapped[Case | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class OutboxMessage(db.Model):
    """Mail waiting for the pluggable sender (a log sender by default)."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    to: Mapped[str] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(8), default="fa")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportJob(db.Model):
    """One upload of products, links or opportunities: a dry run or the real, all-or-nothing import."""

    __tablename__ = "import_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    kind: Mapped[str] = mapped_column(String(32))  # products | links | opportunities
    filename: Mapped[str] = mapped_column(String(300), default="")
    dry_run: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    # Problems found: [{"row", "column", "code", "message_fa", "message_en"}].
    problems: Mapped[list | None] = mapped_column(JSON)
    summary: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
