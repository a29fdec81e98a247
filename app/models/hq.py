"""The Production Leap HQ's records: obstacle reports and the working group's meetings, agencies'
operational plans (actions under the ten measures, with dated progress), and the realisation of
opportunities from publication to an operating plant."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .catalogue import Opportunity, Product
from .people import User
from .reference import Agency, County, Measure, utcnow

OBSTACLE_CATEGORIES = ("water", "power", "gas", "financing", "pricing", "cost", "permits", "raw_materials",
                       "market", "other")
#: new → assigned → working_group → resolved, or rejected (with a reason) from any open status.
OBSTACLE_STATUSES = ("new", "assigned", "working_group", "resolved", "rejected")
LOSS_PERIODS = ("week", "month", "year")


class Obstacle(db.Model):
    """A production unit's report of what holds its output back, tracked by code to resolution."""

    __tablename__ = "obstacles"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    # Output lost, as reported: a quantity in the product's unit over a period; lost_per_year is derived.
    lost_quantity: Mapped[float] = mapped_column(Float, default=0.0)
    lost_unit: Mapped[str] = mapped_column(String(32), default="")
    lost_period: Mapped[str] = mapped_column(String(8), default="year")
    lost_per_year: Mapped[float] = mapped_column(Float, default=0.0)
    since: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")  # the production unit (firm)
    reporter_name: Mapped[str] = mapped_column(String(200), default="")
    reporter_contact: Mapped[str] = mapped_column(String(254), default="")
    lang: Mapped[str] = mapped_column(String(8), default="fa")
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    resolution: Mapped[str] = mapped_column(Text, default="")  # how it was resolved, or why rejected
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    product: Mapped[Product] = relationship()
    county: Mapped[County] = relationship()
    agency: Mapped[Agency | None] = relationship()
    decisions: Mapped[list[MeetingDecision]] = relationship(back_populates="obstacle",
                                                            order_by="MeetingDecision.id")

    __mapper_args__ = {"version_id_col": version}


class Meeting(db.Model):
    """A meeting of the facilitation working group (کارگروه تسهیل و رفع موانع تولید)."""

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    decisions: Mapped[list[MeetingDecision]] = relationship(back_populates="meeting", order_by="MeetingDecision.id",
                                                            cascade="all, delete-orphan")


class MeetingDecision(db.Model):
    """What a meeting decided about one obstacle, who follows it up and by when."""

    __tablename__ = "meeting_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    obstacle_id: Mapped[int] = mapped_column(ForeignKey("obstacles.id"), index=True)
    decision: Mapped[str] = mapped_column(Text)
    owner_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    due_on: Mapped[date | None] = mapped_column(Date)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    obstacle: Mapped[Obstacle] = relationship(back_populates="decisions")
    owner: Mapped[Agency | None] = relationship()


class Plan(db.Model):
    """An agency's operational plan for one (Jalali) year; filed by the end of Farvardin."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("agency_id", "year", name="uq_plans_agency_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # Jalali year, e.g. 1405
    filed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    agency: Mapped[Agency] = relationship()
    actions: Mapped[list[PlanAction]] = relationship(back_populates="plan", order_by="PlanAction.id",
                                                     cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class PlanAction(db.Model):
    """One action of a plan, under one of the ten measures, with a measurable target and a deadline."""

    __tablename__ = "plan_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    title: Mapped[str] = mapped_column(String(400))
    target_value: Mapped[float] = mapped_column(Float)
    target_unit: Mapped[str] = mapped_column(String(100), default="")
    due_on: Mapped[date] = mapped_column(Date)

    plan: Mapped[Plan] = relationship(back_populates="actions")
    measure: Mapped[Measure] = relationship()
    updates: Mapped[list[ProgressUpdate]] = relationship(back_populates="action",
                                                         order_by="ProgressUpdate.reported_on",
                                                         cascade="all, delete-orphan")


class ProgressUpdate(db.Model):
    """A dated report of how far an action has come (cumulative, in the target's unit), with evidence."""

    __tablename__ = "progress_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    achieved: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    action: Mapped[PlanAction] = relationship(back_populates="updates")


REALISATION_STAGES = ("licensed", "under_construction", "operating")


class RealisationRecord(db.Model):
    """How far an opportunity has come beyond an application: licensed, under construction, operating.

    The earlier stages (published, interest, applied) are read from the opportunity, its interests and
    its cases; this record holds what only the agency knows, and HQ confirms the final figures."""

    __tablename__ = "realisation_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), unique=True)
    stage: Mapped[str] = mapped_column(String(32))
    capital_invested_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    jobs_created: Mapped[int] = mapped_column(Integer, default=0)
    # Financing actually obtained, rials by route (bank, capital_market, provincial_fund, leasing, …).
    financed_bank_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    financed_capital_market_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    financed_fund_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    financed_leasing_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    opportunity: Mapped[Opportunity] = relationship()
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    __mapper_args__ = {"version_id_col": version}


#: new → one outcome: obstacle (a report for the working group), gap (a missing link to study),
#: opportunity (a draft opportunity), or closed with a reason the Chamber sees.
DEMAND_STATUSES = ("new", "obstacle", "gap", "opportunity", "closed")


class Demand(db.Model):
    """A private-sector demand the Chamber of Commerce's working group forwards to the secretariat."""

    __tablename__ = "demands"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    outcome: Mapped[str] = mapped_column(Text, default="")  # what the secretariat decided, as the Chamber reads it
    obstacle_id: Mapped[int | None] = mapped_column(ForeignKey("obstacles.id"))
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    product: Mapped[Product | None] = relationship()
    county: Mapped[County | None] = relationship()
    obstacle: Mapped[Obstacle | None] = relationship()
    opportunity: Mapped[Opportunity | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
