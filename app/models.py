"""Typed SQLAlchemy 2 models for the domain in DESIGN.md.

Business rules live in ``app/services.py`` and the domain packages, not here.
Money is stored as integer rials (BigInteger); physical quantities as floats.
Every figure an agency owns carries provenance (source, agency, as-of date) and
an ``illustrative`` flag that stays true until an agency replaces the figure.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

ROLES = ("admin", "hq", "agency_editor", "desk_staff", "investor")
OPPORTUNITY_STATUSES = ("draft", "published", "closed")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


chain_products = Table(
    "chain_products",
    db.metadata,
    Column("chain_id", ForeignKey("value_chains.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)

agency_sectors = Table(
    "agency_sectors",
    db.metadata,
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id", ondelete="CASCADE"), primary_key=True),
)


class County(db.Model):
    __tablename__ = "counties"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_fa: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class Sector(db.Model):
    __tablename__ = "sectors"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_fa: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class Measure(db.Model):
    __tablename__ = "measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    name_fa: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))


class Agency(db.Model):
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_fa: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(32))  # driver | support | service | infrastructure
    sectors: Mapped[list[Sector]] = relationship(secondary=agency_sectors, order_by="Sector.slug")


class ValueChain(db.Model):
    __tablename__ = "value_chains"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_fa: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    description_fa: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Strategic weight set by the agencies, 0..1.
    priority: Mapped[float] = mapped_column(Float, default=0.5)
    # The agency that maintains the chain's definition (its name, description and priority).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    products: Mapped[list[Product]] = relationship(
        secondary=chain_products, back_populates="chains", order_by="Product.code"
    )
    agency: Mapped[Agency | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Product(db.Model):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    nomenclature: Mapped[str] = mapped_column(String(8), default="hs")
    name_fa: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(32), default="tonne")
    unit_price_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    capacity: Mapped[float] = mapped_column(Float, default=0.0)
    output: Mapped[float] = mapped_column(Float, default=0.0)
    demand: Mapped[float] = mapped_column(Float, default=0.0)
    inflow: Mapped[float] = mapped_column(Float, default=0.0)
    outflow: Mapped[float] = mapped_column(Float, default=0.0)
    active_units: Mapped[int] = mapped_column(Integer, default=0)
    idle_units: Mapped[int] = mapped_column(Integer, default=0)
    jobs: Mapped[int] = mapped_column(Integer, default=0)
    suited_mask: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(300), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    as_of: Mapped[date | None] = mapped_column(Date)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    sector: Mapped[Sector] = relationship()
    agency: Mapped[Agency | None] = relationship()
    chains: Mapped[list[ValueChain]] = relationship(
        secondary=chain_products, back_populates="products", order_by="ValueChain.slug"
    )

    __mapper_args__ = {"version_id_col": version}


class Link(db.Model):
    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("supplier_id", "user_id", name="uq_links_supplier_user"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    coefficient: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    as_of: Mapped[date | None] = mapped_column(Date)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    supplier: Mapped[Product] = relationship(foreign_keys=[supplier_id])
    user: Mapped[Product] = relationship(foreign_keys=[user_id])
    agency: Mapped[Agency | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Opportunity(db.Model):
    __tablename__ = "opportunities"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    title_fa: Mapped[str] = mapped_column(String(400))
    title_en: Mapped[str] = mapped_column(String(400))
    description_fa: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    incentives_fa: Mapped[str] = mapped_column(Text, default="")
    incentives_en: Mapped[str] = mapped_column(Text, default="")
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    investment_min_rials: Mapped[int] = mapped_column(BigInteger, index=True)
    investment_max_rials: Mapped[int] = mapped_column(BigInteger, index=True)
    jobs: Mapped[int] = mapped_column(Integer, default=0)
    suited_mask: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    gap_kind: Mapped[str] = mapped_column(String(32), default="")
    # Folded text of titles, descriptions and product names for Persian-aware search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    product: Mapped[Product] = relationship()
    county: Mapped[County] = relationship()
    agency: Mapped[Agency] = relationship()
    financing: Mapped[list[FinancingRoute]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="FinancingRoute.kind"
    )

    __mapper_args__ = {"version_id_col": version}


class FinancingRoute(db.Model):
    __tablename__ = "financing_routes"
    __table_args__ = (UniqueConstraint("opportunity_id", "kind", name="uq_financing_routes_opportunity_kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # Share of the investment this route can cover, in basis points (0..10000): exact, not float.
    share_bp: Mapped[int] = mapped_column(Integer)

    opportunity: Mapped[Opportunity] = relationship(back_populates="financing")


class Applicant(db.Model):
    __tablename__ = "applicants"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    applicant_type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300), default="")
    capital_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    sectors: Mapped[str] = mapped_column(String(500), default="")  # "|"-separated slugs
    skills: Mapped[str] = mapped_column(Text, default="")
    products: Mapped[str] = mapped_column(String(1000), default="")  # "|"-separated codes
    counties: Mapped[str] = mapped_column(String(500), default="")  # "|"-separated slugs
    lang: Mapped[str] = mapped_column(String(8), default="fa")
    phone: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # A saved profile is alerted when a newly published opportunity matches it above the threshold.
    alerts: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change or disabling: every older session stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Second factor (TOTP) for staff, agency, HQ and admin accounts.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hashes of unused one-time recovery codes.
    recovery_codes: Mapped[list | None] = mapped_column(JSON)
    # Self-registered investors confirm their e-mail address; staff accounts are created confirmed.
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    agency: Mapped[Agency | None] = relationship()

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


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


class RelatednessTable(db.Model):
    """An imported region × product table (output or exports) for economic-complexity relatedness."""

    __tablename__ = "relatedness_tables"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300), default="")
    # The region label in the table that stands for this province.
    province_region: Mapped[str] = mapped_column(String(64))
    regions: Mapped[int] = mapped_column(Integer)
    products: Mapped[int] = mapped_column(Integer)
    too_small: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(String(500), default="")  # "|"-separated machine keys
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RelatednessValue(db.Model):
    __tablename__ = "relatedness_values"
    __table_args__ = (UniqueConstraint("table_id", "region", "product", name="uq_relatedness_values_cell"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("relatedness_tables.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(String(64))
    product: Mapped[str] = mapped_column(String(16))
    # A statistical value in the table's own unit (e.g. USD of exports), used only in ratios.
    value: Mapped[Decimal] = mapped_column(Numeric(24, 4))


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
    """A single-window application, tracked by code (its routing through agency steps comes later)."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    applicant: Mapped[Applicant] = relationship()
    opportunity: Mapped[Opportunity] = relationship()


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

    applicant: Mapped[Applicant] = relationship()
    opportunity: Mapped[Opportunity] = relationship()


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
