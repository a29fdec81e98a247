"""Imported region x product tables for economic-complexity relatedness."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .reference import utcnow


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
