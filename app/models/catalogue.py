"""The value-chain catalogue: chains, products (nodes), links (edges) and opportunities."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .reference import Agency, County, Sector, chain_products, utcnow

OPPORTUNITY_STATUSES = ("draft", "published", "closed")


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
    # Other names and keywords in either language, "|"-separated (as in the products files).
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")
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
    __table_args__ = (
        # The text search (``search_text LIKE '%word%' OR ref ILIKE '%word%'``): GIN trigram indexes on PostgreSQL
        # (migration 0010 qualifies the operator class with pg_trgm's schema), plain ones elsewhere.
        Index("ix_opportunities_search_text_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
        Index("ix_opportunities_ref_trgm", "ref", postgresql_using="gin", postgresql_ops={"ref": "gin_trgm_ops"}),
        # The list's order: newest published first.
        Index("ix_opportunities_status_published", "status", "published_at", "id"),
        # The list for one county, counted and paged from the index (product_id for the sector and chain filters).
        Index("ix_opportunities_county_listing", "county_id", "status", "published_at", "id",
              postgresql_include=["product_id"]),
    )
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
    # The permit path an investor walks for this opportunity (app/models/permits.py).
    permit_path_id: Mapped[int | None] = mapped_column(ForeignKey("permit_paths.id"), index=True)

    product: Mapped[Product] = relationship()
    county: Mapped[County] = relationship()
    agency: Mapped[Agency] = relationship()
    permit_path: Mapped[PermitPath | None] = relationship()  # noqa: F821 - app/models/permits.py
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
