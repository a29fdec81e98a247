"""Exports in the format the import reads back: CSV with a BOM, or XLSX (right-to-left for Persian)."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    Agency,
    County,
    FinancingRoute,
    Link,
    Opportunity,
    Product,
    Sector,
    ValueChain,
    chain_products,
)
from app.security import authz
from app.services.records import aliases_of, types_from_mask
from app.services.transfer.read import COLUMNS, neutralise
from chains import io as chains_io
from chains import records as rec
from chains.errors import FIELD_LABELS_FA

_INT_FIELDS = {"unit_price_rials", "active_units", "idle_units", "jobs", "investment_min_rials",
               "investment_max_rials"}


_FLOAT_FIELDS = {"capacity", "output", "demand", "inflow", "outflow", "coefficient"}


# ---------------------------------------------------------------- export
def export_records(kind: str, user) -> list:
    """The records an export holds: everything for HQ/admin, what the editor may change otherwise."""
    if kind == "products":
        q = (select(Product.id, Product.code, Product.nomenclature, Product.name_fa, Product.name_en, Sector.slug,
                    Product.stage, Product.unit, Product.unit_price_rials, Product.capacity, Product.output,
                    Product.demand, Product.inflow, Product.outflow, Product.active_units, Product.idle_units,
                    Product.jobs, Product.suited_mask, Product.source, Agency.slug, Product.as_of,
                    Product.aliases)
             .join(Sector, Sector.id == Product.sector_id).outerjoin(Agency, Agency.id == Product.agency_id)
             .where(Product.retired.is_(False)).order_by(Product.code))
        rows = db.session.execute(authz.scope_products(q, user)).all()
        chains: dict[int, list[str]] = {}
        for pid, slug in db.session.execute(
                select(chain_products.c.product_id, ValueChain.slug)
                .join(ValueChain, ValueChain.id == chain_products.c.chain_id).order_by(ValueChain.slug)):
            chains.setdefault(pid, []).append(slug)

        return [rec.Product(
            code=r[1], nomenclature=r[2], name_fa=r[3], name_en=r[4], sector=r[5], stage=r[6], unit=r[7],
            unit_price_rials=r[8], capacity=r[9], output=r[10], demand=r[11], inflow=r[12], outflow=r[13],
            active_units=r[14], idle_units=r[15], jobs=r[16], suited_for=types_from_mask(r[17]),
            chains=tuple(chains.get(r[0], ())), provenance=rec.Provenance(r[18], r[19] or "", r[20]),
            aliases=aliases_of(r[21]))
            for r in rows]
    if kind == "links":
        sup, use = aliased(Product), aliased(Product)
        q = (select(sup.code, use.code, Link.coefficient, Link.source, Agency.slug, Link.as_of)
             .join(sup, sup.id == Link.supplier_id).join(use, use.id == Link.user_id)
             .outerjoin(Agency, Agency.id == Link.agency_id)
             .where(Link.retired.is_(False), sup.retired.is_(False), use.retired.is_(False)).order_by(Link.id))
        return [rec.Link(r[0], r[1], r[2], rec.Provenance(r[3], r[4] or "", r[5]))
                for r in db.session.execute(authz.scope_links(q, user))]

    q = (select(Opportunity.id, Opportunity.ref, Opportunity.title_fa, Opportunity.title_en, Product.code,
                County.slug, Agency.slug, Opportunity.investment_min_rials, Opportunity.investment_max_rials,
                Opportunity.jobs, Opportunity.description_fa, Opportunity.description_en, Opportunity.incentives_fa,
                Opportunity.incentives_en, Opportunity.suited_mask, Opportunity.status, Opportunity.gap_kind)
         .join(Product, Product.id == Opportunity.product_id).join(County, County.id == Opportunity.county_id)
         .join(Agency, Agency.id == Opportunity.agency_id).order_by(Opportunity.ref))
    rows = db.session.execute(authz.scope_opportunities(q, user)).all()
    financing: dict[int, list] = {}
    for oid, kind_, bp in db.session.execute(select(FinancingRoute.opportunity_id, FinancingRoute.kind,
                                                    FinancingRoute.share_bp).order_by(FinancingRoute.kind)):
        financing.setdefault(oid, []).append(rec.FinancingRoute(kind_, bp / 10000))
    return [rec.Opportunity(
        ref=r[1], title_fa=r[2], title_en=r[3], product=r[4], county=r[5], agency=r[6],
        investment_min_rials=r[7], investment_max_rials=r[8], jobs=r[9], description_fa=r[10],
        description_en=r[11], incentives_fa=r[12], incentives_en=r[13], suited_for=types_from_mask(r[14]),
        financing=tuple(financing.get(r[0], ())), status=r[15], gap_kind=r[16]) for r in rows]


WRITERS = {"products": chains_io.product_rows, "links": chains_io.link_rows,
           "opportunities": chains_io.opportunity_rows}


def export_rows(kind: str, user) -> list[dict[str, str]]:
    return WRITERS[kind](export_records(kind, user))


def header_row(kind: str, headers: str) -> list[str]:
    return [FIELD_LABELS_FA[c] if headers == "fa" else c for c in COLUMNS[kind]]


def to_csv(kind: str, rows: list[dict[str, str]], headers: str = "en") -> bytes:
    """UTF-8 CSV with a BOM; cells starting with = + - @ neutralised (read back exactly by the importer)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header_row(kind, headers))
    columns = COLUMNS[kind]
    writer.writerows([neutralise(row[c]) for c in columns] for row in rows)
    return buf.getvalue().encode("utf-8")


def _xlsx_value(column: str, text: str):
    if text and column in _INT_FIELDS:
        value = int(text)
        return value if abs(value) < 2**53 else text  # beyond a double's precision: keep it exact as text
    if text and column in _FLOAT_FIELDS:
        return float(text)
    return neutralise(text)


def to_xlsx(kind: str, rows: list[dict[str, str]], headers: str = "en", rtl: bool = False) -> bytes:
    """An XLSX workbook with one sheet; numbers as numbers, text as text; right to left for Persian."""

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=kind)
    ws.sheet_view.rightToLeft = rtl
    ws.append(header_row(kind, headers))
    columns = COLUMNS[kind]
    for row in rows:
        values = [_xlsx_value(c, row[c]) for c in columns]
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_file(kind: str, fmt: str, user, headers: str = "en", rtl: bool = False) -> bytes:
    rows = export_rows(kind, user)
    return to_xlsx(kind, rows, headers, rtl) if fmt == "xlsx" else to_csv(kind, rows, headers)


def export_filename(kind: str, fmt: str) -> str:
    return f"panjereh-{kind}-{date.today().isoformat()}.{fmt}"
