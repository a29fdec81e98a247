"""The data version: one counter row bumped by every write that changes the graph or the opportunities."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

#: The counter's row name.
DATA = "data"


class DataVersion(db.Model):
    __tablename__ = "data_versions"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
