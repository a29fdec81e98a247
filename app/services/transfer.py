"""Import and export of products, links and opportunities as CSV or XLSX.

The path of an upload::

    file ──read_table──▶ canonical rows ──check──▶ records + problems ──plan_*──▶ plan ──apply──▶ rows
              (CSV/XLSX,      (field → text)   (chains.io readers,      (inserts, updates   (bulk INSERT /
               BOM, numbers,                    app.authz scoping)       against maps        UPDATE, one
               dates, '=…)                                               loaded once)        transaction)

``import_bundle`` (the seed) writes products, links and opportunities through the same
``plan_*``/``apply`` functions, so the demo data and agency uploads cannot drift apart.
Services flush; the caller commits (the background runner commits its own job).

Columns a file leaves out are left alone on rows that already exist, so a sheet of
``code, name_fa, name_en, sector, stage, capacity`` updates capacities without wiping
chains or provenance.
"""

from __future__ import annotations

import csv
import io
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import aliased

from chains import io as chains_io
from chains import records as rec
from chains.errors import FIELD_LABELS_FA, ChainDataError, Problem, to_fa_digits
from matching.normalize import fold

from .. import authz
from ..exports import _FORMULA_START, safe_cell
from ..extensions import db
from ..models import (
    Agency,
    County,
    FinancingRoute,
    ImportJob,
    Link,
    Opportunity,
    Product,
    Sector,
    ValueChain,
    chain_products,
    utcnow,
)

KINDS = ("products", "links", "opportunities")
FORMATS = ("csv", "xlsx")
COLUMNS = {kind: chains_io.COLUMNS[kind] for kind in KINDS}
#: Problems kept on a job (the count is always kept); a report of thousands helps nobody.
MAX_STORED_PROBLEMS = 1000
#: Rows between two progress reports.
PROGRESS_EVERY = 2000
_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit

_INT_FIELDS = {"unit_price_rials", "active_units", "idle_units", "jobs", "investment_min_rials",
               "investment_max_rials"}
_FLOAT_FIELDS = {"capacity", "output", "demand", "inflow", "outflow", "coefficient"}


# ---------------------------------------------------------------- errors about the file itself
class TransferError(Exception):
    """The file cannot be read at all (wrong type, empty, not UTF-8, no data rows)."""

    MESSAGES = {
        "unsupported": ("این پرونده CSV یا XLSX نیست. پرونده را با قالب CSV (UTF-8) یا Excel (.xlsx) ذخیره کنید.",
                        "This file is not CSV or XLSX. Save it as CSV (UTF-8) or Excel (.xlsx)."),
        "old_excel": ("پرونده‌های قدیمی Excel (.xls) پذیرفته نمی‌شوند؛ آن را با قالب .xlsx یا CSV ذخیره کنید.",
                      "Old Excel files (.xls) are not accepted; save it as .xlsx or CSV."),
        "empty": ("پرونده خالی است.", "The file is empty."),
        "no_rows": ("پرونده سطر عنوان دارد ولی هیچ سطر داده‌ای ندارد.",
                    "The file has a header row but no data rows."),
        "not_utf8": ("متن پرونده UTF-8 نیست؛ در Excel آن را با گزینهٔ «CSV UTF-8» ذخیره کنید.",
                     "The file is not UTF-8 text; in Excel, save it as “CSV UTF-8”."),
        "bad_csv": ("پرونده CSV خوانا نیست: {detail}", "The CSV file cannot be read: {detail}"),
        "bad_xlsx": ("پرونده XLSX خوانا نیست یا آسیب دیده است.", "The XLSX file cannot be read or is damaged."),
        "too_many_rows": ("پرونده بیش از {limit} سطر دارد؛ آن را به چند پرونده بشکنید.",
                          "The file has more than {limit} rows; split it into several files."),
        "no_columns": ("هیچ‌یک از ستون‌های پرونده شناخته نشد. ستون‌های لازم: {columns}",
                       "None of the file's columns was recognised. Required columns: {columns}"),
    }

    def __init__(self, code: str, **params):
        fa, en = self.MESSAGES[code]
        self.code = code
        self.message_fa = fa.format(**{k: to_fa_digits(v) if isinstance(v, int) else v for k, v in params.items()})
        self.message_en = en.format(**params)
        super().__init__(self.message_en)

    def message(self, lang: str) -> str:
        return self.message_fa if lang == "fa" else self.message_en


# ---------------------------------------------------------------- reading a file into canonical rows
@dataclass
class Table:
    """A sheet as canonical rows: ``rows[i]`` is spreadsheet row ``i + 2`` (the header is row 1)."""

    fields: set[str]
    rows: list[dict[str, str]]
    ignored_columns: list[str] = field(default_factory=list)


def header_field(header: object) -> str | None:
    """The field a header (English or Persian, as chains.io forgives it) stands for."""
    if header is None:
        return None
    # chains.io owns the header vocabulary; asking it keeps one list of accepted headers.
    return chains_io._HEADER_FIELDS.get(chains_io._header_key(header))


def neutralise(value) -> str:
    """``safe_cell`` plus one more apostrophe on text that already looks neutralised, so the
    importer's :func:`unneutralise` gives back exactly what was exported (``'=x`` stays ``'=x``)."""
    text = safe_cell(value)
    if text.startswith("'") and text.lstrip("'")[:1] in _FORMULA_START and text == str(value):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Drop the apostrophe an export put before = + - @ (and only that one)."""
    if text.startswith("'") and text.lstrip("'")[:1] in _FORMULA_START:
        return text[1:]
    return text


def cell_text(value) -> str:
    """A CSV or XLSX cell as the text chains.io reads."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unneutralise(value).strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value).strip()


def _canonical(kind: str, header: list) -> tuple[list[str | None], set[str], list[str]]:
    wanted = set(COLUMNS[kind])
    fields: list[str | None] = []
    seen: set[str] = set()
    ignored = []
    for h in header:
        f = header_field(h)
        if f in wanted and f not in seen:
            fields.append(f)
            seen.add(f)
        else:
            fields.append(None)
            if h not in (None, "") and str(h).strip():
                ignored.append(str(h).strip())
    return fields, seen, ignored


def _rows_from(kind: str, raw_rows: Iterable, max_rows: int) -> Table:
    raw_rows = iter(raw_rows)
    header = next(raw_rows, None)
    if header is None or not any(cell_text(h) for h in header):
        raise TransferError("empty")
    fields, present, ignored = _canonical(kind, [cell_text(h) if not isinstance(h, str) else h for h in header])
    if not present:
        raise TransferError("no_columns", columns=", ".join(COLUMNS[kind]))
    rows = []
    pairs = [(i, f) for i, f in enumerate(fields) if f is not None]
    for raw in raw_rows:
        n = len(raw)
        rows.append({f: cell_text(raw[i]) if i < n else "" for i, f in pairs})
        if len(rows) > max_rows:
            raise TransferError("too_many_rows", limit=max_rows)
    while rows and not any(rows[-1].values()):
        rows.pop()  # spreadsheets often carry empty rows at the end
    if not rows:
        raise TransferError("no_rows")
    return Table(present, rows, ignored)


def file_format(path: Path, filename: str) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise TransferError("empty")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TransferError("old_excel")
    suffix = Path(filename or "").suffix.lower()
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise TransferError("unsupported")


def read_table(kind: str, path: str | Path, filename: str = "", max_rows: int = 1_000_000) -> Table:
    """Read an uploaded CSV (UTF-8, with or without BOM) or XLSX file into canonical rows."""
    path = Path(path)
    fmt = file_format(path, filename or path.name)
    if fmt == "xlsx":
        return _read_xlsx(kind, path, max_rows)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TransferError("not_utf8") from None
    if "\x00" in text:
        raise TransferError("unsupported")
    first = text.split("\n", 1)[0]
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    try:
        return _rows_from(kind, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), max_rows)
    except csv.Error as exc:
        raise TransferError("bad_csv", detail=str(exc)) from None


def _read_xlsx(kind: str, path: Path, max_rows: int) -> Table:
    from openpyxl import load_workbook

    with open(path, "rb") as fh:  # a file object: openpyxl would refuse the stored name's suffix
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors all mean "not a readable workbook"
            raise TransferError("bad_xlsx") from None
        try:
            if not wb.worksheets:
                raise TransferError("empty")
            return _rows_from(kind, wb.worksheets[0].iter_rows(values_only=True), max_rows)
        except TransferError:
            raise
        except Exception:  # noqa: BLE001
            raise TransferError("bad_xlsx") from None
        finally:
            wb.close()


# ---------------------------------------------------------------- references and permissions
class Ids:
    """Slug → id maps of the reference tables and code → id of products, loaded once per import."""

    def __init__(self) -> None:
        self.sectors = dict(db.session.execute(select(Sector.slug, Sector.id)).all())
        self.agencies = dict(db.session.execute(select(Agency.slug, Agency.id)).all())
        self.chains = dict(db.session.execute(select(ValueChain.slug, ValueChain.id)).all())
        self.counties = dict(db.session.execute(select(County.slug, County.id)).all())
        self.load_products()
        self._opportunity_refs: set[str] | None = None

    @property
    def opportunity_refs(self) -> set[str]:
        if self._opportunity_refs is None:
            self._opportunity_refs = set(db.session.scalars(select(Opportunity.ref)))
        return self._opportunity_refs

    def load_products(self) -> None:
        rows = db.session.execute(select(Product.code, Product.id, Product.sector_id)).all()
        self.products = {code: pid for code, pid, _ in rows}
        self.product_sector = {code: sid for code, _, sid in rows}


def _fa(text: str) -> str:
    """Persian digits in a reference, unless it holds Latin letters (as chains.errors does)."""
    return text if any("a" <= ch.lower() <= "z" for ch in text) else to_fa_digits(text)


def _not_allowed(row: int | None, field_name: str, fa: str, en: str) -> Problem:
    return Problem(record=f"row {row}", row=row, field=field_name, message_fa=fa, message_en=en, code="not_allowed")


class Permissions:
    """``app.authz`` asked once per distinct case instead of once per row."""

    def __init__(self, user, kind: str):
        self.user = user
        self._sector: dict = {}
        self._opportunity: dict = {}
        self.products = set(db.session.scalars(authz.scope_products(select(Product.code), user)))
        self.opportunities = (set(db.session.scalars(authz.scope_opportunities(select(Opportunity.ref), user)))
                              if kind == "opportunities" else set())

    def sector(self, sector_id) -> bool:
        if sector_id not in self._sector:
            self._sector[sector_id] = authz.can_edit_product(self.user, SimpleNamespace(sector_id=sector_id))
        return self._sector[sector_id]

    def opportunity(self, agency_id, product_sector_id) -> bool:
        key = (agency_id, product_sector_id)
        if key not in self._opportunity:
            self._opportunity[key] = authz.can_edit_opportunity(self.user, SimpleNamespace(
                agency_id=agency_id, product=SimpleNamespace(sector_id=product_sector_id)))
        return self._opportunity[key]


def authorise(kind: str, records: list, numbers: list[int | None], user, ids: Ids) -> list[Problem]:
    """Rows the user may not change, as problems (never silently skipped or written)."""
    perm = Permissions(user, kind)
    out = []
    for record, n in zip(records, numbers):
        if kind == "products":
            sector_id = ids.sectors.get(record.sector)
            if record.code in ids.products and record.code not in perm.products:
                out.append(_not_allowed(
                    n, "code",
                    f"محصول {to_fa_digits(record.code)} به بخشِ دستگاه دیگری تعلق دارد و شما نمی‌توانید آن را تغییر دهید",
                    f"Product {record.code} belongs to another agency's sector; you may not change it"))
            elif not perm.sector(sector_id):
                out.append(_not_allowed(
                    n, "sector",
                    f"بخش «{record.sector}» از بخش‌های دستگاه شما نیست",
                    f"Sector {record.sector} is not one of your agency's sectors"))
        elif kind == "links":
            if record.user not in perm.products:
                out.append(_not_allowed(
                    n, "user",
                    f"محصول {to_fa_digits(record.user)} به بخشِ دستگاه دیگری تعلق دارد؛ شما فقط نهاده‌های محصولات خودتان را "
                    "تغییر می‌دهید",
                    f"Product {record.user} belongs to another agency's sector; you may only change the inputs "
                    "of your own products"))
        else:
            if record.ref in ids.opportunity_refs and record.ref not in perm.opportunities:
                out.append(_not_allowed(
                    n, "ref",
                    f"فرصت {_fa(record.ref)} از آنِ دستگاه دیگری است و شما نمی‌توانید آن را تغییر دهید",
                    f"Opportunity {record.ref} belongs to another agency; you may not change it"))
            elif not perm.opportunity(ids.agencies.get(record.agency), ids.product_sector.get(record.product)):
                out.append(_not_allowed(
                    n, "agency",
                    f"دستگاه مسئول ({record.agency}) و محصول ({to_fa_digits(record.product)}) این فرصت هیچ‌کدام در حوزهٔ "
                    "دستگاه شما نیستند",
                    f"Neither the agency ({record.agency}) nor the product ({record.product}) of this "
                    "opportunity is your agency's"))
    return out


# ---------------------------------------------------------------- checking
@dataclass
class Checked:
    kind: str
    records: list
    problems: list[Problem]
    total_rows: int
    fields: set[str]
    ignored_columns: list[str]


def _counting(rows: list, progress: Callable[[int], None] | None):
    for i, row in enumerate(rows, start=1):
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(i)
        yield row


def _read(kind: str, rows, ids: Ids, source: str) -> list:
    if kind == "products":
        return chains_io.read_products(rows, known_sectors=ids.sectors, known_chains=ids.chains,
                                       known_agencies=ids.agencies, source=source)
    if kind == "links":
        return chains_io.read_links(rows, ids.products, known_agencies=ids.agencies, source=source)
    return chains_io.read_opportunities(rows, known_products=ids.products, known_counties=ids.counties,
                                        known_agencies=ids.agencies, source=source)


def check(kind: str, table: Table, user, ids: Ids | None = None, source: str = "",
          progress: Callable[[int], None] | None = None) -> Checked:
    """Validate every row (chains.io) and every permission (app.authz); nothing is written."""
    ids = ids or Ids()
    source = source or f"{kind}.csv"
    rows = table.rows
    bad: set[int] = set()
    problems: list[Problem] = []
    try:
        records = _read(kind, _counting(rows, progress), ids, source)
    except ChainDataError as exc:
        problems = list(exc.problems)
        if any(p.row in (None, 1) for p in problems):  # missing columns: the rows mean nothing
            return Checked(kind, [], problems, len(rows), table.fields, table.ignored_columns)
        bad = {p.row for p in problems}
        # Read the good rows again (bad ones blanked, so numbering stays) to check their permissions too.
        cleaned = [dict.fromkeys(r, "") if i in bad else r for i, r in enumerate(rows, start=2)]
        try:
            records = _read(kind, cleaned, ids, source)
        except ChainDataError:
            records = []
    if progress is not None:
        progress(len(rows))
    numbers = [i for i, r in enumerate(rows, start=2) if i not in bad and any(r.values())]
    if len(numbers) != len(records):  # cannot happen while chains.io skips exactly the blank rows
        numbers = [None] * len(records)
    problems.extend(authorise(kind, records, numbers, user, ids))
    problems.sort(key=lambda p: (p.row or 0))
    if problems:
        records = []
    return Checked(kind, records, problems, len(rows), table.fields, table.ignored_columns)


# ---------------------------------------------------------------- write plans (shared with the seed)
@dataclass
class Plan:
    kind: str
    created: int = 0
    updated: int = 0
    kept: int = 0
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    # product/opportunity code → wanted set of chain ids / financing routes, where they change
    members: dict = field(default_factory=dict)
    # products: codes of rows inserted whose chains must be added after their ids exist
    after_insert: dict = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "kept": self.kept}


def _suited(types) -> int:
    from . import suited_mask

    return suited_mask(types)


PRODUCT_FIELDS = {
    "nomenclature": ("nomenclature",), "name_fa": ("name_fa",), "name_en": ("name_en",),
    "sector": ("sector_id",), "stage": ("stage",), "unit": ("unit",), "unit_price_rials": ("unit_price_rials",),
    "capacity": ("capacity",), "output": ("output",), "demand": ("demand",), "inflow": ("inflow",),
    "outflow": ("outflow",), "active_units": ("active_units",), "idle_units": ("idle_units",), "jobs": ("jobs",),
    "suited_for": ("suited_mask",), "source": ("source",), "agency": ("agency_id",), "as_of": ("as_of",),
}
LINK_FIELDS = {"coefficient": ("coefficient",), "source": ("source",), "agency": ("agency_id",),
               "as_of": ("as_of",)}
OPPORTUNITY_FIELDS = {
    "title_fa": ("title_fa",), "title_en": ("title_en",), "description_fa": ("description_fa",),
    "description_en": ("description_en",), "incentives_fa": ("incentives_fa",),
    "incentives_en": ("incentives_en",), "product": ("product_id",), "county": ("county_id",),
    "agency": ("agency_id",), "investment_min_rials": ("investment_min_rials",),
    "investment_max_rials": ("investment_max_rials",), "jobs": ("jobs",), "suited_for": ("suited_mask",),
    "status": ("status",), "gap_kind": ("gap_kind",),
}


def _columns(field_map: dict, fields: set[str] | None, retired: bool = True) -> list[str]:
    """The columns a file with ``fields`` may change (None: all of them)."""
    chosen = field_map if fields is None else {f: c for f, c in field_map.items() if f in fields}
    return [c for cols in chosen.values() for c in cols] + (["retired"] if retired else [])


def _existing(model, key_cols, cols: list[str]) -> dict:
    t = model.__table__
    wanted = ["id", "illustrative", *key_cols, *[c for c in cols if c not in key_cols]]
    rows = db.session.execute(select(*[t.c[c] for c in dict.fromkeys(wanted)])).mappings().all()
    if len(key_cols) == 1:
        return {r[key_cols[0]]: r for r in rows}
    return {tuple(r[k] for k in key_cols): r for r in rows}


def _plan_rows(plan: Plan, existing: dict, key, values: dict, columns: list[str], illustrative: bool,
               extra_changed: bool = False) -> tuple[str, object]:
    """Classify one record: ('insert', None) | ('update', id) | ('kept', id) | ('protected', id)."""
    old = existing.get(key)
    if old is None:
        plan.inserts.append({**values, "illustrative": illustrative})
        plan.created += 1
        return "insert", None
    if illustrative and old["illustrative"] is False:
        # An agency has replaced the illustrative figures: the demo seed never overwrites them.
        plan.kept += 1
        return "protected", old["id"]
    sub = {c: values[c] for c in columns}
    changed = any(old[c] != v for c, v in sub.items())
    if changed or extra_changed or old["illustrative"] != illustrative:
        plan.updates.append({"_id": old["id"], **sub, "illustrative": illustrative})
    if changed or extra_changed:
        plan.updated += 1
    else:
        plan.kept += 1
    return ("update" if changed else "kept"), old["id"]


def plan_products(records, ids: Ids, illustrative: bool, fields: set[str] | None = None) -> Plan:
    plan = Plan("products")
    columns = _columns(PRODUCT_FIELDS, fields)
    existing = _existing(Product, ["code"], columns)
    memberships: dict[int, set[int]] = {}
    with_chains = fields is None or "chains" in fields
    if with_chains:
        for pid, cid in db.session.execute(select(chain_products.c.product_id, chain_products.c.chain_id)):
            memberships.setdefault(pid, set()).add(cid)
    for p in records:
        values = {
            "code": p.code, "nomenclature": p.nomenclature, "name_fa": p.name_fa, "name_en": p.name_en,
            "sector_id": ids.sectors[p.sector], "stage": p.stage, "unit": p.unit,
            "unit_price_rials": int(p.unit_price_rials), "capacity": float(p.capacity), "output": float(p.output),
            "demand": float(p.demand), "inflow": float(p.inflow), "outflow": float(p.outflow),
            "active_units": int(p.active_units), "idle_units": int(p.idle_units), "jobs": int(p.jobs),
            "suited_mask": _suited(p.suited_for), "source": p.provenance.source, "as_of": p.provenance.as_of,
            "agency_id": ids.agencies[p.provenance.agency] if p.provenance.agency else None, "retired": False,
        }
        wanted = {ids.chains[c] for c in p.chains}
        old = existing.get(p.code)
        chains_differ = with_chains and old is not None and memberships.get(old["id"], set()) != wanted
        outcome, pid = _plan_rows(plan, existing, p.code, values, columns, illustrative, chains_differ)
        if outcome == "insert" and wanted:
            plan.after_insert[p.code] = wanted
        elif chains_differ and outcome != "protected":
            plan.members[pid] = wanted
    return plan


def plan_links(records, ids: Ids, illustrative: bool, fields: set[str] | None = None) -> Plan:
    plan = Plan("links")
    columns = _columns(LINK_FIELDS, fields)
    existing = _existing(Link, ["supplier_id", "user_id"], columns)
    for lk in records:
        sup, use = ids.products[lk.supplier], ids.products[lk.user]
        values = {
            "supplier_id": sup, "user_id": use, "coefficient": float(lk.coefficient),
            "source": lk.provenance.source, "as_of": lk.provenance.as_of,
            "agency_id": ids.agencies[lk.provenance.agency] if lk.provenance.agency else None, "retired": False,
        }
        _plan_rows(plan, existing, (sup, use), values, columns, illustrative)
    return plan


def plan_opportunities(records, ids: Ids, illustrative: bool, fields: set[str] | None = None,
                       user_id: int | None = None) -> Plan:
    plan = Plan("opportunities")
    columns = [*_columns(OPPORTUNITY_FIELDS, fields, retired=False), "search_text"]
    search_parts = ("title_fa", "title_en", "description_fa", "description_en", "product_id")
    existing = _existing(Opportunity, ["ref"], [*columns, *search_parts, "published_at"])
    names = {pid: (fa, en, code) for pid, fa, en, code in
             db.session.execute(select(Product.id, Product.name_fa, Product.name_en, Product.code))}
    routes: dict[int, dict[str, int]] = {}
    with_financing = fields is None or "financing" in fields
    if with_financing:
        for oid, kind, bp in db.session.execute(select(FinancingRoute.opportunity_id, FinancingRoute.kind,
                                                       FinancingRoute.share_bp)):
            routes.setdefault(oid, {})[kind] = bp
    now = utcnow()
    for o in records:
        values = {
            "ref": o.ref, "title_fa": o.title_fa, "title_en": o.title_en,
            "description_fa": o.description_fa, "description_en": o.description_en,
            "incentives_fa": o.incentives_fa, "incentives_en": o.incentives_en,
            "product_id": ids.products[o.product], "county_id": ids.counties[o.county],
            "agency_id": ids.agencies[o.agency], "investment_min_rials": int(o.investment_min_rials),
            "investment_max_rials": int(o.investment_max_rials), "jobs": int(o.jobs),
            "suited_mask": _suited(o.suited_for), "status": o.status, "gap_kind": o.gap_kind or "",
        }
        old = existing.get(o.ref)
        # Search text folds the row as it will be: the file's columns over what the row already has.
        merged = values if old is None else {**old, **{c: values[c] for c in columns if c in values}}
        fa, en, code = names[merged["product_id"]]
        values["search_text"] = fold(" ".join([merged["title_fa"], merged["title_en"], merged["description_fa"],
                                               merged["description_en"], fa, en, code]))
        cols = columns
        status = merged["status"]
        if status == "published" and (old is None or old["published_at"] is None):
            values["published_at"] = now
            cols = [*columns, "published_at"]
        if old is None:
            values.setdefault("published_at", None)
            values["created_by_id"] = user_id
        wanted = {f.kind: round(f.share * 10000) for f in o.financing}
        differ = with_financing and old is not None and routes.get(old["id"], {}) != wanted
        outcome, oid = _plan_rows(plan, existing, o.ref, values, cols, illustrative, differ)
        if outcome == "insert" and wanted:
            plan.after_insert[o.ref] = wanted
        elif differ and outcome != "protected":
            plan.members[oid] = wanted
    return plan


PLANNERS = {"products": plan_products, "links": plan_links, "opportunities": plan_opportunities}
MODELS = {"products": Product, "links": Link, "opportunities": Opportunity}


def _chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _execute_updates(table, updates: list[dict], progress=None) -> None:
    """Bulk UPDATE by id; rows with the same set of columns go in one executemany. Bumps ``version``."""
    groups: dict[tuple, list[dict]] = {}
    for u in updates:
        groups.setdefault(tuple(sorted(u)), []).append(u)
    for keys, rows in groups.items():
        cols = [k for k in keys if k != "_id"]
        stmt = (update(table).where(table.c.id == bindparam("_id"))
                .values({c: bindparam("v_" + c) for c in cols}))
        if "version" in table.c:
            stmt = stmt.values(version=table.c.version + 1)
        params = [{"_id": r["_id"], **{"v_" + c: r[c] for c in cols}} for r in rows]
        db.session.execute(stmt, params, execution_options={"synchronize_session": False})


def apply(plan: Plan, ids: Ids) -> None:
    """Write a plan with bulk statements (flushes the session first; never commits)."""
    db.session.flush()
    model = MODELS[plan.kind]
    table = model.__table__
    if plan.inserts:
        db.session.execute(insert(table), plan.inserts)
    if plan.updates:
        _execute_updates(table, plan.updates)
    if plan.kind == "products":
        if plan.inserts:
            ids.load_products()
        members = dict(plan.members)
        members.update({ids.products[code]: wanted for code, wanted in plan.after_insert.items()})
        changed = [pid for pid in members if pid in plan.members]
        for chunk in _chunks(changed):
            db.session.execute(delete(chain_products).where(chain_products.c.product_id.in_(chunk)))
        pairs = [{"product_id": pid, "chain_id": cid} for pid, wanted in members.items() for cid in sorted(wanted)]
        if pairs:
            db.session.execute(insert(chain_products), pairs)
    elif plan.kind == "opportunities":
        members = dict(plan.members)
        if plan.after_insert:
            refs = dict(db.session.execute(select(Opportunity.ref, Opportunity.id)).all())
            members.update({refs[ref]: wanted for ref, wanted in plan.after_insert.items()})
        fr = FinancingRoute.__table__
        for chunk in _chunks(list(plan.members)):
            db.session.execute(delete(fr).where(fr.c.opportunity_id.in_(chunk)))
        routes = [{"opportunity_id": oid, "kind": k, "share_bp": v}
                  for oid, wanted in members.items() for k, v in sorted(wanted.items())]
        if routes:
            db.session.execute(insert(fr), routes)
    if plan.inserts or plan.updates or plan.members or plan.after_insert:
        from .versions import bump

        bump()  # bulk statements bypass the session's before_flush hook
    # ORM objects of these tables loaded earlier in the session are now stale.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, (Product, Link, Opportunity, FinancingRoute, ValueChain)):
            db.session.expire(obj)


# ---------------------------------------------------------------- a whole import
@dataclass
class Outcome:
    kind: str
    dry_run: bool
    total_rows: int
    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def import_table(kind: str, table: Table, user, *, dry_run: bool, source: str = "",
                 progress: Callable[[int], None] | None = None,
                 before_write: Callable[[], None] | None = None) -> Outcome:
    """Check every row, then (unless a dry run or any problem) write them all; flushes, never commits."""
    ids = Ids()
    checked = check(kind, table, user, ids, source=source, progress=progress)
    outcome = Outcome(kind, dry_run, checked.total_rows, checked.problems, ignored_columns=checked.ignored_columns)
    if checked.problems:
        return outcome
    fields = checked.fields
    if kind == "opportunities":
        plan = plan_opportunities(checked.records, ids, False, fields, user_id=getattr(user, "id", None))
    else:
        plan = PLANNERS[kind](checked.records, ids, False, fields)
    outcome.counts = plan.counts
    if dry_run:
        return outcome
    if before_write is not None:
        before_write()
    apply(plan, ids)
    if kind == "products":
        assign_chain_owners()
    from . import audit

    audit("import", kind, source, after={**plan.counts, "rows": checked.total_rows}, user=user)
    db.session.flush()
    return outcome


def assign_chain_owners() -> None:
    """A chain without an owner is maintained by the agency that owns most of its products."""
    rows = db.session.execute(
        select(ValueChain.id, Product.agency_id)
        .join(chain_products, chain_products.c.chain_id == ValueChain.id)
        .join(Product, Product.id == chain_products.c.product_id)
        .where(ValueChain.agency_id.is_(None), Product.agency_id.is_not(None))).all()
    owners: dict[int, list[int]] = {}
    for chain_id, agency_id in rows:
        owners.setdefault(chain_id, []).append(agency_id)
    for chain_id, agency_ids in owners.items():
        chain = db.session.get(ValueChain, chain_id)
        chain.agency_id = max(sorted(set(agency_ids)), key=agency_ids.count)


# ---------------------------------------------------------------- jobs (web and CLI)
def upload_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "transfer"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(instance_path: str, stream, filename: str) -> str:
    """Save an upload under a random name (returned); files older than a day are removed first."""
    folder = upload_dir(instance_path)
    cutoff = time.time() - 86400
    for old in folder.glob("*.upload"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    name = secrets.token_urlsafe(18) + ".upload"
    with open(folder / name, "wb") as fh:
        while chunk := stream.read(1 << 20):
            fh.write(chunk)
    return name


def stored_path(instance_path: str, job: ImportJob) -> Path | None:
    name = (job.summary or {}).get("file")
    if not name or "/" in name or "\\" in name or not name.endswith(".upload"):
        return None
    path = upload_dir(instance_path) / name
    return path if path.exists() else None


def problem_dicts(problems: list[Problem]) -> list[dict]:
    return [{"row": p.row, "column": p.field, "code": p.code, "message_fa": p.message_fa,
             "message_en": p.message_en} for p in problems[:MAX_STORED_PROBLEMS]]


def _report(job_id: int, **values) -> None:
    """Progress for readers, on its own connection (the import's own transaction is not committed yet)."""
    try:
        with db.engine.begin() as conn:
            conn.execute(update(ImportJob.__table__).where(ImportJob.__table__.c.id == job_id).values(**values))
    except Exception:  # noqa: BLE001 - progress is best effort; the job's result is written with the data
        pass


def run_job(job: ImportJob, path: Path, user, *, echo: Callable[[str], None] | None = None) -> Outcome | None:
    """Run a job's dry run or import and record the result on the job; commits (the data and the job
    together); any database error rolls the data back and marks the job failed."""
    job_id = job.id
    kind, dry_run, filename = job.kind, job.dry_run, job.filename
    summary = dict(job.summary or {})
    _report(job_id, status="running", summary={**summary, "phase": "reading"})
    db.session.expire(job)
    sqlite = db.engine.dialect.name == "sqlite"
    try:
        table = read_table(kind, path, filename)
        total = len(table.rows)
        _report(job_id, total_rows=total, summary={**summary, "phase": "checking"})
        if echo:
            echo(f"read {total} rows")

        def progress(n: int) -> None:
            _report(job_id, processed_rows=n)
            if echo and (n % (PROGRESS_EVERY * 5) == 0 or n == total):
                echo(f"checked {n}/{total} rows")

        def before_write() -> None:
            if not sqlite:  # SQLite has one writer: the report would wait for the import itself
                _report(job_id, summary={**summary, "phase": "writing"})
            if echo:
                echo("writing…")

        outcome = import_table(kind, table, user, dry_run=dry_run, source=filename or f"{kind}.csv",
                               progress=progress, before_write=before_write)
    except TransferError as exc:
        db.session.rollback()
        _finish(job_id, "failed", summary, problems=[{"row": None, "column": "", "code": exc.code,
                                                       "message_fa": exc.message_fa,
                                                       "message_en": exc.message_en}])
        return None
    except Exception as exc:  # noqa: BLE001 - the import is all-or-nothing: undo and say so
        db.session.rollback()
        from flask import current_app

        current_app.logger.exception("import job %s failed: %s", job_id, exc)
        _finish(job_id, "failed", summary, problems=[{
            "row": None, "column": "", "code": "database",
            "message_fa": "نوشتن در پایگاه داده ناموفق بود و هیچ تغییری ذخیره نشد.",
            "message_en": "Writing to the database failed and nothing was saved."}])
        return None
    job = db.session.get(ImportJob, job_id)
    job.status = "done" if outcome.ok else "failed"
    job.total_rows = job.processed_rows = outcome.total_rows
    job.problems = problem_dicts(outcome.problems)
    job.summary = {**summary, "phase": "finished", **outcome.counts, "problem_count": len(outcome.problems),
                   "ignored_columns": outcome.ignored_columns}
    job.finished_at = utcnow()
    try:
        db.session.commit()
    except Exception as exc:  # noqa: BLE001
        db.session.rollback()
        from flask import current_app

        current_app.logger.exception("import job %s failed at commit: %s", job_id, exc)
        _finish(job_id, "failed", summary, problems=[{
            "row": None, "column": "", "code": "database",
            "message_fa": "نوشتن در پایگاه داده ناموفق بود و هیچ تغییری ذخیره نشد.",
            "message_en": "Writing to the database failed and nothing was saved."}])
        return None
    return outcome


def _finish(job_id: int, status: str, summary: dict, problems: list[dict]) -> None:
    job = db.session.get(ImportJob, job_id)
    job.status = status
    job.problems = problems
    job.summary = {**summary, "phase": "finished", "problem_count": len(problems)}
    job.finished_at = utcnow()
    db.session.commit()


_enqueued: dict[int, object] = {}  # job id → the app that queued it
_enqueued_lock = threading.Lock()


def start_in_background(app, job_id: int, path: Path, user_id: int | None) -> None:
    """Queue the job for the task consumer (``app.tasks.run_import_job``); it runs with its own session."""
    from ..tasks import huey, run_import_job

    with _enqueued_lock:
        _enqueued[job_id] = app
    try:
        run_import_job(job_id, str(path), user_id)
    except Exception:  # noqa: BLE001 - the queue is down: say so on the job rather than leave it queued
        app.logger.exception("import job %s could not be queued", job_id)
        from ..tasks import CRASHED, fail_job

        fail_job(job_id, CRASHED)
    if huey.immediate:
        with _enqueued_lock:
            _enqueued.pop(job_id, None)


def wait_for_jobs(timeout: float = 60) -> None:
    """Wait until the jobs this process queued are done or failed (tests and orderly shutdown)."""
    deadline = time.monotonic() + timeout
    table = ImportJob.__table__
    while True:
        with _enqueued_lock:
            waiting = dict(_enqueued)
        for job_id, app in waiting.items():
            with app.app_context():
                with db.engine.connect() as conn:
                    status = conn.execute(select(table.c.status).where(table.c.id == job_id)).scalar()
            if status in (None, "done", "failed"):
                with _enqueued_lock:
                    _enqueued.pop(job_id, None)
        with _enqueued_lock:
            if not _enqueued or time.monotonic() > deadline:
                return
        time.sleep(0.1)


def cli_user(agency_slug: str | None):
    """The CLI acts as HQ, or as an editor of ``--agency`` (so the same authz rules apply)."""
    if not agency_slug:
        return SimpleNamespace(role="hq", agency_id=None, id=None, is_authenticated=True)
    agency_id = db.session.scalar(select(Agency.id).where(Agency.slug == agency_slug))
    if agency_id is None:
        raise LookupError(agency_slug)
    return SimpleNamespace(role="agency_editor", agency_id=agency_id, id=None, is_authenticated=True)


# ---------------------------------------------------------------- export
def export_records(kind: str, user) -> list:
    """The records an export holds: everything for HQ/admin, what the editor may change otherwise."""
    if kind == "products":
        q = (select(Product.id, Product.code, Product.nomenclature, Product.name_fa, Product.name_en, Sector.slug,
                    Product.stage, Product.unit, Product.unit_price_rials, Product.capacity, Product.output,
                    Product.demand, Product.inflow, Product.outflow, Product.active_units, Product.idle_units,
                    Product.jobs, Product.suited_mask, Product.source, Agency.slug, Product.as_of)
             .join(Sector, Sector.id == Product.sector_id).outerjoin(Agency, Agency.id == Product.agency_id)
             .where(Product.retired.is_(False)).order_by(Product.code))
        rows = db.session.execute(authz.scope_products(q, user)).all()
        chains: dict[int, list[str]] = {}
        for pid, slug in db.session.execute(
                select(chain_products.c.product_id, ValueChain.slug)
                .join(ValueChain, ValueChain.id == chain_products.c.chain_id).order_by(ValueChain.slug)):
            chains.setdefault(pid, []).append(slug)
        from . import types_from_mask

        return [rec.Product(
            code=r[1], nomenclature=r[2], name_fa=r[3], name_en=r[4], sector=r[5], stage=r[6], unit=r[7],
            unit_price_rials=r[8], capacity=r[9], output=r[10], demand=r[11], inflow=r[12], outflow=r[13],
            active_units=r[14], idle_units=r[15], jobs=r[16], suited_for=types_from_mask(r[17]),
            chains=tuple(chains.get(r[0], ())), provenance=rec.Provenance(r[18], r[19] or "", r[20]))
            for r in rows]
    if kind == "links":
        sup, use = aliased(Product), aliased(Product)
        q = (select(sup.code, use.code, Link.coefficient, Link.source, Agency.slug, Link.as_of)
             .join(sup, sup.id == Link.supplier_id).join(use, use.id == Link.user_id)
             .outerjoin(Agency, Agency.id == Link.agency_id)
             .where(Link.retired.is_(False), sup.retired.is_(False), use.retired.is_(False)).order_by(Link.id))
        return [rec.Link(r[0], r[1], r[2], rec.Provenance(r[3], r[4] or "", r[5]))
                for r in db.session.execute(authz.scope_links(q, user))]
    from . import types_from_mask

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
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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


__all__ = ["KINDS", "FORMATS", "TransferError", "Table", "read_table", "check", "import_table", "run_job",
           "start_in_background", "wait_for_jobs", "export_rows", "export_file", "to_csv", "to_xlsx",
           "plan_products", "plan_links", "plan_opportunities", "apply", "Ids", "neutralise", "unneutralise"]
