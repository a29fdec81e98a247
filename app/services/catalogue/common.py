"""What every catalogue writer shares: cells as the import reads them, diffs for the audit trail."""

from __future__ import annotations

from datetime import date

from sqlalchemy import false, select

from app.extensions import db
from app.models import Product, Sector
from app.security import authz
from chains.errors import ChainDataError, problem


def jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def diff(row, values: dict) -> tuple[dict, dict]:
    """The fields of ``values`` that differ from ``row``: (before, after) as plain JSON dicts."""
    before, after = {}, {}
    for key, value in values.items():
        old = getattr(row, key)
        if old != value:
            before[key], after[key] = jsonable(old), jsonable(value)
    return before, after


def apply(row, values: dict) -> None:
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def cell(value) -> str:
    """A JSON value or form datum as the text cell the chains.io readers expect."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return str(value).strip()


def editable_sectors(user) -> list[Sector]:
    stmt = select(Sector).order_by(Sector.slug)
    if authz._role(user) not in authz.EDIT_ALL:
        stmt = stmt.where(Sector.id.in_(authz.agency_sector_ids(user))) if user.agency_id else stmt.where(false())
    return db.session.scalars(stmt).all()


def active_codes() -> set[str]:
    return set(db.session.scalars(select(Product.code).where(Product.retired.is_(False))))


def _only_row(records: list):
    """The one record a one-row read gives; a row with nothing in it reads as no record at all."""
    if not records:
        raise ChainDataError([problem("missing", record="form", row=None, field="code")])
    return records[0]
