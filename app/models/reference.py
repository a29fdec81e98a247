"""Places, sectors, measures and agencies: the reference tables every record points at."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


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
