"""The single window: permit paths (step templates an agency maintains) and the steps of a case.

A *step template* is one agency step as published before anyone applies (the UNCTAD eRegulations model):
office, documents, cost, service-level working days, legal basis, numbered refusal conditions. A *permit
path* is an ordered list of templates for one kind of opportunity; steps that share a ``stage`` run in
parallel, and stage n+1 starts when every step of stage n is approved. Opening a case copies the path into
``CaseStep`` rows (the conditions and days as they were that day), each owned by its agency.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
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
from .reference import Agency, utcnow

STEP_STATUSES = ("waiting", "in_progress", "needs_info", "approved", "refused")
OPEN_STEP_STATUSES = ("in_progress", "needs_info")
INTEREST_STATUSES = ("new", "contacted", "invited", "declined")


class StepTemplate(db.Model):
    __tablename__ = "step_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    name_fa: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    office_fa: Mapped[str] = mapped_column(String(500), default="")
    office_en: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    hours_fa: Mapped[str] = mapped_column(String(200), default="")
    hours_en: Mapped[str] = mapped_column(String(200), default="")
    # One document per line.
    documents_fa: Mapped[str] = mapped_column(Text, default="")
    documents_en: Mapped[str] = mapped_column(Text, default="")
    cost_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    sla_days: Mapped[int] = mapped_column(Integer, default=10)  # working days
    legal_basis_fa: Mapped[str] = mapped_column(Text, default="")
    legal_basis_en: Mapped[str] = mapped_column(Text, default="")
    # Numbered refusal conditions, in order: [{"fa": …, "en": …}]; condition n is item n-1.
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    # An overdue step is deemed approved (silence is consent) when the template says so.
    deemed_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()

    __mapper_args__ = {"version_id_col": version}


class PermitPath(db.Model):
    __tablename__ = "permit_paths"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_fa: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=True)
    steps: Mapped[list[PathStep]] = relationship(
        back_populates="path", cascade="all, delete-orphan", order_by="(PathStep.stage, PathStep.position)")


class PathStep(db.Model):
    __tablename__ = "path_steps"
    __table_args__ = (UniqueConstraint("path_id", "position", name="uq_path_steps_path_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("permit_paths.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("step_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)  # steps of one stage run in parallel

    path: Mapped[PermitPath] = relationship(back_populates="steps")
    template: Mapped[StepTemplate] = relationship()


class CaseStep(db.Model):
    __tablename__ = "case_steps"
    __table_args__ = (UniqueConstraint("case_id", "position", name="uq_case_steps_case_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("step_templates.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    sla_days: Mapped[int] = mapped_column(Integer)
    deemed_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    conditions: Mapped[list] = mapped_column(JSON, default=list)  # as published when the case opened
    started_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    decided_on: Mapped[date | None] = mapped_column(Date)
    paused_on: Mapped[date | None] = mapped_column(Date)  # waiting for the applicant since (the clock stops)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deemed: Mapped[bool] = mapped_column(Boolean, default=False)  # approved by silence past the due date
    refusal_condition: Mapped[int | None] = mapped_column(Integer)  # 1-based number of the cited condition
    note: Mapped[str] = mapped_column(Text, default="")  # what is needed, or why refused
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    template: Mapped[StepTemplate] = relationship()
    agency: Mapped[Agency] = relationship()
    case: Mapped["Case"] = relationship(back_populates="steps")  # noqa: F821, UP037 - defined in activity

    __mapper_args__ = {"version_id_col": version}
