"""The office behind the site: its name, address, phone, opening hours and statements (one row, admin-edited)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class OfficeSettings(db.Model):
    __tablename__ = "office_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_name_fa: Mapped[str] = mapped_column(String(200), default="")
    office_name_en: Mapped[str] = mapped_column(String(200), default="")
    address_fa: Mapped[str] = mapped_column(String(500), default="")
    address_en: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    hours_fa: Mapped[str] = mapped_column(String(300), default="")
    hours_en: Mapped[str] = mapped_column(String(300), default="")
    privacy_fa: Mapped[str] = mapped_column(Text, default="")
    privacy_en: Mapped[str] = mapped_column(Text, default="")
    accessibility_fa: Mapped[str] = mapped_column(Text, default="")
    accessibility_en: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
