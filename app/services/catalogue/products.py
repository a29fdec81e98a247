"""Products: one validator (the import's rules plus authorisation) and the writes, for form, API and import."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.i18n import isolate
from app.models import Opportunity, Product, Sector, utcnow
from app.security import authz
from app.services.audit import audit
from app.services.catalogue.common import (
    _only_row,
    apply,
    diff,
    editable_sectors,
    jsonable,
)
from app.services.catalogue.limits import checked
from app.services.errors import (
    FieldProblem,
    Invalid,
    both,
    check_version,
    from_chain_error,
)
from app.services.records import aliases_cell, opportunity_search_text, product_record, suited_mask
from chains import io as chain_io
from chains.errors import ChainDataError

PRODUCT_FIELDS = ("nomenclature", "name_fa", "name_en", "sector", "stage", "unit", "unit_price_rials", "capacity",
                  "output", "demand", "inflow", "outflow", "active_units", "idle_units", "jobs", "suited_for",
                  "source", "as_of", "aliases")


def product_cells(p: Product) -> dict[str, str]:
    """A stored product as the cells of a one-row products spreadsheet (what forms and PATCH start from)."""
    [row] = chain_io.product_rows([product_record(p)])
    return {k: row[k] for k in ("code", *PRODUCT_FIELDS)}


def check_product(cells: dict, user, existing: Product | None = None):
    """The product record ``cells`` describe, or ``Invalid`` with every problem (import rules + authz)."""
    cells = dict(cells)
    if existing is not None:
        cells["code"] = existing.code  # the code is the product's identity: it is never edited
    problems: list[FieldProblem] = []
    sectors = set(db.session.scalars(select(Sector.slug)))
    record = None
    try:
        record = _only_row(chain_io.read_products([{k: cells.get(k, "") for k in ("code", *PRODUCT_FIELDS)}],
                                          known_sectors=sectors, source="form"))
    except ChainDataError as error:
        problems += from_chain_error(error)
    sector = (cells.get("sector") or "").strip().lower()
    if sector in sectors and sector not in {s.slug for s in editable_sectors(user)}:
        problems.append(both(lambda: gettext("Your agency does not maintain this sector."), "forbidden_sector",
                             "sector"))
    if existing is None and record is not None:
        if db.session.scalar(select(Product.id).where(Product.code == record.code)):
            code = record.code
            problems.append(both(lambda: gettext("A product with code %(code)s already exists.", code=isolate(code)),
                                 "duplicate_code", "code"))
    problems = checked("products", cells, problems)
    if problems:
        raise Invalid(problems)
    return record


def _product_values(record, user, existing: Product | None) -> dict:
    sector = db.session.scalar(select(Sector).where(Sector.slug == record.sector))
    if authz._role(user) == "agency_editor":
        agency_id = user.agency_id
    else:
        agency_id = existing.agency_id if existing is not None else user.agency_id
    return {
        "nomenclature": record.nomenclature, "name_fa": record.name_fa, "name_en": record.name_en,
        "sector_id": sector.id, "stage": record.stage, "unit": record.unit,
        "unit_price_rials": int(record.unit_price_rials), "capacity": float(record.capacity),
        "output": float(record.output), "demand": float(record.demand), "inflow": float(record.inflow),
        "outflow": float(record.outflow), "active_units": int(record.active_units),
        "idle_units": int(record.idle_units), "jobs": int(record.jobs), "suited_mask": suited_mask(record.suited_for),
        "source": record.provenance.source, "as_of": record.provenance.as_of, "agency_id": agency_id,
        "aliases": aliases_cell(record.aliases),
        # An agency has now vouched for the figures.
        "illustrative": False,
    }


def create_product(record, user) -> Product:
    values = _product_values(record, user, None)
    row = Product(code=record.code, retired=False, **values)
    db.session.add(row)
    db.session.flush()
    audit("create", "product", row.code, after={"code": row.code, **{k: jsonable(v) for k, v in values.items()}},
          user=user)
    return row


def update_product(row: Product, record, user, version) -> Product:
    check_version(row, version)
    values = _product_values(record, user, row)
    before, after = diff(row, values)
    apply(row, values)
    row.updated_at = utcnow()  # every save bumps the version, so an older form is always refused
    db.session.flush()
    if {"name_fa", "name_en", "aliases"} & set(after):
        refresh_search_text(row)
    audit("update", "product", row.code, before=before, after=after, user=user)
    return row


def set_product_retired(row: Product, retired: bool, user, version) -> None:
    check_version(row, version)
    if row.retired == retired:
        return
    row.retired = retired
    db.session.flush()
    audit("retire" if retired else "unretire", "product", row.code, before={"retired": not retired},
          after={"retired": retired}, user=user)


def refresh_search_text(product: Product) -> None:
    """Re-fold the search text of the product's opportunities after its names or aliases change."""
    for o in db.session.scalars(select(Opportunity).where(Opportunity.product_id == product.id)):
        o.search_text = opportunity_search_text(o.title_fa, o.title_en, o.description_fa, o.description_en,
                                                product.name_fa, product.name_en, product.code, product.aliases)
    db.session.flush()
