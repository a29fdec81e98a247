"""Import and export formats: spreadsheet rows ⇄ the records of :mod:`chains.records`.

Every reader takes rows as dicts of cells — what :class:`csv.DictReader`
yields, or rows from any other source — and returns records, or raises one
:class:`~chains.errors.ChainDataError` listing *every* problem found, each with
its spreadsheet row (the header is row 1, so data starts at row 2), its column
and a message in Persian and English.

What the readers forgive, because people type spreadsheets by hand:

* headers in English (``capacity``) or Persian (``ظرفیت``), in any case, with
  stray spaces, a UTF-8 byte-order mark, Arabic ي/ك or a missing ZWNJ;
* Persian (۰-۹) and Arabic (٠-٩) digits, thousands separators (``,`` and
  ``٬``) and the Persian decimal separator ``٫`` in numbers;
* Jalali dates (``1403/06/31``) as well as ISO dates (``2024-09-21``);
* HS codes written with dots (``7408.11``) or without the leading zero
  a spreadsheet dropped (``406``).

Multi-valued cells separate values with ``|``; financing routes are written
``bank:0.6|leasing:0.2``.

>>> rows = [{"\\ufeffکد": "۷۴۰۹", "نام فارسی": "ورق مس", "نام انگلیسی": "Copper sheet",
...          "بخش": "mining", "مرحله": "intermediate", "ظرفیت": "۱۲٬۰۰۰", "تولید": "9,500"}]
>>> [p] = read_products(rows)
>>> p.code, p.capacity, p.output
('7409', 12000.0, 9500.0)
>>> read_products(product_rows([p])) == [p]
True
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import jdatetime

from chains.errors import FIELD_LABELS_FA, ChainDataError, Problem, problem
from chains.nomenclature import is_valid_code, normalize_code, normalize_digits
from chains.records import (
    AGENCY_CATEGORIES,
    APPLICANT_TYPES,
    FINANCING_KINDS,
    MAX_ALIAS_LENGTH,
    MAX_ALIASES,
    NOMENCLATURES,
    STAGES,
    Agency,
    Applicant,
    Chain,
    County,
    FinancingRoute,
    Link,
    Measure,
    Opportunity,
    Product,
    Provenance,
    Sector,
)

__all__ = [
    "COLUMNS",
    "PERSIAN_HEADERS",
    "OPPORTUNITY_STATUSES",
    "GAP_KINDS",
    "LANGUAGES",
    "SeedBundle",
    "read_counties",
    "read_measures",
    "read_sectors",
    "read_agencies",
    "read_chains",
    "read_products",
    "read_links",
    "read_opportunities",
    "read_applicants",
    "read_csv",
    "load_dir",
    "product_rows",
    "link_rows",
    "opportunity_rows",
    "write_csv",
    "parse_number",
    "parse_date",
]

#: Statuses an opportunity may have.
OPPORTUNITY_STATUSES = ("draft", "published", "closed")
#: Gap kinds an opportunity may be built from ("" when an agency entered it directly).
GAP_KINDS = ("", "missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity", "infrastructure")
#: Languages an applicant may prefer.
LANGUAGES = ("fa", "en")

#: Column layout of each seed file, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "counties": ("slug", "name_fa", "name_en"),
    "measures": ("slug", "position", "name_fa", "name_en"),
    "sectors": ("slug", "name_fa", "name_en"),
    "chains": ("slug", "name_fa", "name_en", "priority", "description_fa", "description_en"),
    "agencies": ("slug", "name_fa", "name_en", "category", "sectors"),
    "products": (
        "code", "nomenclature", "name_fa", "name_en", "sector", "stage", "unit",
        "unit_price_rials", "capacity", "output", "demand", "inflow", "outflow",
        "active_units", "idle_units", "jobs", "suited_for", "chains", "source", "agency", "as_of",
        "aliases",
    ),
    "links": ("supplier", "user", "coefficient", "source", "agency", "as_of"),
    "opportunities": (
        "ref", "title_fa", "title_en", "product", "county", "agency",
        "investment_min_rials", "investment_max_rials", "jobs", "description_fa",
        "description_en", "incentives_fa", "incentives_en", "suited_for", "financing",
        "status", "gap_kind",
    ),
    "applicants": (
        "ref", "applicant_type", "name", "capital_rials", "sectors", "skills",
        "products", "counties", "lang",
    ),
}

#: Persian column headers and the field each stands for. The canonical
#: label of every field (:data:`chains.errors.FIELD_LABELS_FA`) plus common
#: alternatives; matching also ignores case, spaces, ZWNJ and ي/ك vs ی/ک.
PERSIAN_HEADERS: dict[str, str] = {
    **{label: name for name, label in FIELD_LABELS_FA.items()},
    "نام": "name",
    "کد محصول": "code",
    "کد کالا": "code",
    "طبقه‌بندی": "nomenclature",
    "قیمت واحد": "unit_price_rials",
    "ظرفیت اسمی": "capacity",
    "تولید واقعی": "output",
    "تقاضای محلی": "demand",
    "واردات به استان": "inflow",
    "ورودی": "inflow",
    "صادرات از استان": "outflow",
    "خروجی": "outflow",
    "واحدهای غیرفعال": "idle_units",
    "واحدهای تعطیل": "idle_units",
    "شغل": "jobs",
    "زنجیره": "chains",
    "زنجیره‌های ارزش": "chains",
    "نام دیگر": "aliases",
    "مترادف‌ها": "aliases",
    "کلیدواژه‌ها": "aliases",
    "دستگاه مسئول": "agency",
    "دستگاه اجرایی": "agency",
    "تاریخ آمار": "as_of",
    "تامین کننده": "supplier",
    "ورودی محصول": "supplier",
    "محصول مصرف‌کننده": "user",
    "ضریب مصرف": "coefficient",
    "ضریب فنی": "coefficient",
    "دسته": "category",
    "نوع دستگاه": "category",
    "کد فرصت": "ref",
    "کد متقاضی": "ref",
    "حداقل سرمایه‌گذاری (ریال)": "investment_min_rials",
    "حداکثر سرمایه‌گذاری (ریال)": "investment_max_rials",
    "حداقل سرمایه‌گذاری": "investment_min_rials",
    "حداکثر سرمایه‌گذاری": "investment_max_rials",
    "مشوق‌های فارسی": "incentives_fa",
    "مشوق‌های انگلیسی": "incentives_en",
    "روش‌های تأمین مالی": "financing",
    "سرمایه": "capital_rials",
    "زبان دلخواه": "lang",
}

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
_HEADER_NOISE = re.compile(r"[\s_\u200c\u200d\u200e\u200f\u0640\u0654\ufeff]")
_HEADER_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ۀ": "ه", "ة": "ه"})
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_THOUSANDS = re.compile(r"[,٬'’\s\u00a0\u202f]")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
#: Tolerance for output above capacity (rounding in agency statistics).
_CAPACITY_SLACK = 1.0001


def _header_key(name: object) -> str:
    text = unicodedata.normalize("NFKC", str(name)).translate(_HEADER_LETTERS)
    return _HEADER_NOISE.sub("", text).casefold()


_HEADER_FIELDS: dict[str, str] = {
    **{_header_key(label): name for label, name in PERSIAN_HEADERS.items()},
    **{_header_key(name): name for columns in COLUMNS.values() for name in columns},
}


# ---------------------------------------------------------------------------
# cell parsing


def parse_number(text: str) -> float:
    """Read a number as people type it; raise ValueError when it is none.

    >>> parse_number("۱٬۲۳۴٫۵")
    1234.5
    >>> parse_number("1,000,000")
    1000000.0
    """
    try:
        value = float(text)  # the common case: a plain ASCII number
    except ValueError:
        value = float(_THOUSANDS.sub("", normalize_digits(text)).replace("٫", "."))
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def parse_integer(text: str) -> int:
    """Exact integer reading (rials exceed float precision); ValueError if not whole."""
    cleaned = _THOUSANDS.sub("", normalize_digits(text)).replace("٫", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    if value != value.to_integral_value():
        raise ArithmeticError(f"not a whole number: {text!r}")
    return int(value)


def parse_date(text: str) -> date:
    """Read an ISO (Gregorian) or a Jalali date; years before 1700 are Jalali.

    >>> parse_date("1403/06/31")
    datetime.date(2024, 9, 21)
    >>> parse_date("۲۰۲۴-۰۹-۲۱")
    datetime.date(2024, 9, 21)
    """
    match = _DATE.fullmatch(normalize_digits(text).strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year, month, day = (int(part) for part in match.groups())
    if year < 1700:
        return jdatetime.date(year, month, day).togregorian()
    return date(year, month, day)


def _cell_text(value: object) -> str:
    """A cell as text, whatever the source gave (None, numbers, dates)."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Table:
    """One table being read: maps headers, numbers rows and collects problems."""

    def __init__(self, rows: Iterable[Mapping[str, object]], source: str, required: Collection[str]):
        self.source = source
        self.problems: list[Problem] = []
        self._rows = rows
        self._required = set(required)
        self._absent: set[str] = set()
        self._keymap: dict[object, str | None] = {}

    def _field(self, key: object) -> str | None:
        try:
            return self._keymap[key]
        except KeyError:
            field = _HEADER_FIELDS.get(_header_key(key)) if key is not None else None
            self._keymap[key] = field
            return field

    def __iter__(self):
        first = True
        for number, raw in enumerate(self._rows, start=2):
            cells: dict[str, str] = {}
            for key, value in raw.items():
                field = self._field(key)
                if field is not None and field not in cells:
                    cells[field] = _cell_text(value)
            if first:
                first = False
                self._absent = self._required - cells.keys()
                for field in sorted(self._absent, key=list(FIELD_LABELS_FA).index):
                    self.problems.append(
                        problem("missing_column", record=f"{self.source} row 1", row=1, field=field)
                    )
            if not any(cells.values()):
                continue  # blank line at the end of a sheet
            yield _Row(self, number, cells)

    def raise_if_problems(self) -> None:
        if self.problems:
            raise ChainDataError(self.problems)


class _Row:
    """One data row: typed access to its cells, reporting problems to its table."""

    __slots__ = ("table", "number", "cells", "record", "ok")

    def __init__(self, table: _Table, number: int, cells: dict[str, str]):
        self.table = table
        self.number = number
        self.cells = cells
        self.record = f"{table.source} row {number}"
        self.ok = True

    def report(self, kind: str, field: str, **params: object) -> None:
        self.ok = False
        self.table.problems.append(problem(kind, record=self.record, row=self.number, field=field, **params))

    def text(self, field: str, *, required: bool = False, default: str = "") -> str:
        value = self.cells.get(field, "")
        if not value:
            if required and field not in self.table._absent:
                self.report("missing", field)
            return default
        if field.endswith("_fa"):
            value = value.translate(_PERSIAN_LETTERS)
        return value

    def code(self, field: str) -> str:
        """A required product code in canonical form (``normalize_code``).

        A cell of nothing but spaces, ZWNJ or direction marks normalises to nothing: it is reported as
        missing, like a blank cell, never read as the empty code."""
        raw = self.text(field, required=True)
        code = normalize_code(raw)
        if raw and not code:
            self.report("missing", field)
        return code

    def slug(self, field: str, *, required: bool = True) -> str:
        value = self.text(field, required=required).lower()
        if value and not _SLUG.fullmatch(value):
            self.report("bad_slug", field, value=value)
        return value

    def choice(self, field: str, choices: Collection[str], *, default: str | None = None) -> str:
        value = self.text(field, required=default is None)
        if not value:
            return default or ""
        value = value.lower()
        if value not in choices:
            allowed = tuple(c for c in choices if c)
            self.report("bad_choice", field, value=value, choices=", ".join(allowed), allowed=allowed)
        return value

    def _number(self, field: str, parse: Callable[[str], float | int], default):
        value = self.text(field)
        if not value:
            return default
        try:
            number = parse(value)
        except ArithmeticError:
            self.report("not_integer", field, value=value)
            return default
        except ValueError:
            self.report("non_numeric", field, value=value)
            return default
        if number < 0:
            self.report("negative", field, value=value)
            return default
        return number

    def quantity(self, field: str, default: float = 0.0) -> float:
        """A non-negative float; blank means ``default``."""
        return self._number(field, parse_number, default)

    def integer(self, field: str, default: int = 0, *, required: bool = False) -> int:
        """A non-negative integer (counts, rials); blank means ``default``."""
        if required:
            self.text(field, required=True)
        return self._number(field, parse_integer, default)

    def day(self, field: str) -> date | None:
        value = self.text(field)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.report("bad_date", field, value=value)
            return None

    def many(self, field: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.text(field).split("|") if part.strip())

    def many_choices(self, field: str, choices: Collection[str]) -> tuple[str, ...]:
        values = tuple(value.lower() for value in self.many(field))
        for value in values:
            if value not in choices:
                self.report("bad_choice", field, value=value, choices=", ".join(choices), allowed=tuple(choices))
        return values

    def aliases(self, field: str = "aliases") -> tuple[str, ...]:
        """Other names: "|"-separated, trimmed, Arabic ي/ك made Persian, repeats dropped, bounds checked."""
        values = tuple(dict.fromkeys(" ".join(value.translate(_PERSIAN_LETTERS).split())
                                     for value in self.many(field)))
        for value in values:
            if len(value) > MAX_ALIAS_LENGTH:
                self.report("alias_too_long", field, value=value[:40] + "…", limit=MAX_ALIAS_LENGTH)
        if len(values) > MAX_ALIASES:
            self.report("too_many_aliases", field, count=len(values), limit=MAX_ALIASES)
        return values

    def refs(self, field: str, known: Collection[str] | None, kind: str) -> tuple[str, ...]:
        values = tuple(value.lower() for value in self.many(field))
        for value in values:
            self.check_ref(field, value, known, kind)
        return values

    def check_ref(self, field: str, value: str, known: Collection[str] | None, kind: str) -> None:
        if known is not None and value and value not in known:
            if kind == "unknown_product":
                self.report(kind, field, code_value=value)
            else:
                self.report(kind, field, value=value)

    def provenance(self, known_agencies: Collection[str] | None = None) -> Provenance:
        agency = self.text("agency").lower()
        self.check_ref("agency", agency, known_agencies, "unknown_agency")
        return Provenance(source=self.text("source"), agency=agency, as_of=self.day("as_of"))


class _Unique:
    """Remembers the first row of each key to report duplicates."""

    def __init__(self) -> None:
        self.first: dict[object, int] = {}

    def seen(self, key: object, row: _Row) -> int | None:
        """Row number where ``key`` first appeared, or None (and remember it) when new."""
        if key in self.first:
            return self.first[key]
        self.first[key] = row.number
        return None


def _finish(table: _Table, records: list) -> list:
    table.raise_if_problems()
    return records


# ---------------------------------------------------------------------------
# readers


def _read_named(rows, source, make, extra_required=()):
    table = _Table(rows, source, ("slug", "name_fa", "name_en", *extra_required))
    unique = _Unique()
    records = []
    for row in table:
        slug = row.slug("slug")
        first = unique.seen(slug, row) if slug else None
        if first is not None:
            row.report("duplicate_code", "slug", code_value=slug, first=first)
        record = make(row, slug, row.text("name_fa", required=True), row.text("name_en", required=True))
        if row.ok:
            records.append(record)
    return table, records


def read_counties(rows: Iterable[Mapping[str, object]], *, source: str = "counties.csv") -> list[County]:
    """Read counties (``slug,name_fa,name_en``)."""
    table, records = _read_named(rows, source, lambda row, *names: County(*names))
    return _finish(table, records)


def read_sectors(rows: Iterable[Mapping[str, object]], *, source: str = "sectors.csv") -> list[Sector]:
    """Read sectors (``slug,name_fa,name_en``)."""
    table, records = _read_named(rows, source, lambda row, *names: Sector(*names))
    return _finish(table, records)


def read_measures(rows: Iterable[Mapping[str, object]], *, source: str = "measures.csv") -> list[Measure]:
    """Read the governor's measures (``slug,position,name_fa,name_en``)."""
    table, records = _read_named(
        rows, source,
        lambda row, *names: Measure(*names, position=row.integer("position", required=True)),
        ("position",),
    )
    return _finish(table, records)


def read_chains(rows: Iterable[Mapping[str, object]], *, source: str = "chains.csv") -> list[Chain]:
    """Read value chains (``slug,name_fa,name_en,priority,description_fa,description_en``).

    ``priority`` is a weight in [0, 1]; blank means 0.5.
    """

    def make(row: _Row, *names: str) -> Chain:
        priority = row.quantity("priority", 0.5)
        if priority > 1:
            row.report("out_of_range", "priority", value=row.text("priority"), low=0, high=1)
        return Chain(
            *names,
            priority=priority,
            description_fa=row.text("description_fa"),
            description_en=row.text("description_en"),
        )

    table, records = _read_named(rows, source, make)
    return _finish(table, records)


def read_agencies(
    rows: Iterable[Mapping[str, object]],
    *,
    known_sectors: Collection[str] | None = None,
    source: str = "agencies.csv",
) -> list[Agency]:
    """Read agencies (``slug,name_fa,name_en,category,sectors``); ``category`` is one of AGENCY_CATEGORIES."""

    def make(row: _Row, *names: str) -> Agency:
        return Agency(
            *names,
            category=row.choice("category", AGENCY_CATEGORIES),
            sectors=row.refs("sectors", known_sectors, "unknown_sector"),
        )

    table, records = _read_named(rows, source, make, ("category",))
    return _finish(table, records)


def read_products(
    rows: Iterable[Mapping[str, object]],
    *,
    known_sectors: Collection[str] | None = None,
    known_chains: Collection[str] | None = None,
    known_agencies: Collection[str] | None = None,
    source: str = "products.csv",
) -> list[Product]:
    """Read products, the nodes of the value-chain graph.

    Parameters
    ----------
    rows : iterable of mapping
        Rows with the columns of ``COLUMNS["products"]`` (English or Persian headers).
    known_sectors, known_chains, known_agencies : collection of str, optional
        Slugs that references must match; None skips that check.
    source : str
        File name used in problem records (``"products.csv row 12"``).

    Returns
    -------
    list of Product

    Raises
    ------
    ChainDataError
        With every problem: missing or unknown codes (``unknown_hs_code``,
        ``unknown_isic_code``), ``duplicate_code``, ``non_numeric``,
        ``negative``, ``bad_choice``, ``bad_date``, ``output_above_capacity``,
        unknown references.
    """
    table = _Table(rows, source, ("code", "name_fa", "name_en", "sector", "stage"))
    unique = _Unique()
    products = []
    for row in table:
        nomenclature = row.choice("nomenclature", NOMENCLATURES, default="hs")
        code = row.code("code")
        if code and nomenclature in NOMENCLATURES and not is_valid_code(code, nomenclature):
            row.report(f"unknown_{nomenclature}_code", "code", code_value=code)
        first = unique.seen(code, row) if code else None
        if first is not None:
            row.report("duplicate_code", "code", code_value=code, first=first)
        sector = row.slug("sector")
        row.check_ref("sector", sector, known_sectors, "unknown_sector")
        before = len(table.problems)
        capacity = row.quantity("capacity")
        output = row.quantity("output")
        if len(table.problems) == before and output > capacity * _CAPACITY_SLACK:
            row.report("output_above_capacity", "output", output=row.text("output"),
                       capacity=row.text("capacity", default="0"))
        product = Product(
            code=code,
            name_fa=row.text("name_fa", required=True),
            name_en=row.text("name_en", required=True),
            sector=sector,
            stage=row.choice("stage", STAGES),
            unit=row.text("unit", default="tonne"),
            nomenclature=nomenclature,
            unit_price_rials=row.integer("unit_price_rials"),
            capacity=capacity,
            output=output,
            demand=row.quantity("demand"),
            inflow=row.quantity("inflow"),
            outflow=row.quantity("outflow"),
            active_units=row.integer("active_units"),
            idle_units=row.integer("idle_units"),
            jobs=row.integer("jobs"),
            suited_for=row.many_choices("suited_for", APPLICANT_TYPES),
            chains=row.refs("chains", known_chains, "unknown_chain"),
            provenance=row.provenance(known_agencies),
            aliases=row.aliases(),
        )
        if row.ok:
            products.append(product)
    return _finish(table, products)


def read_links(
    rows: Iterable[Mapping[str, object]],
    known_codes: Collection[str] | None,
    *,
    known_agencies: Collection[str] | None = None,
    source: str = "links.csv",
) -> list[Link]:
    """Read links (``supplier,user,coefficient,source,agency,as_of``), the edges of the graph.

    Both ends must be in ``known_codes`` (None skips the check); a product may
    not supply itself, a (supplier, user) pair may appear once, and the
    coefficient must be a number greater than zero.

    >>> read_links([{"supplier": "7403", "user": "7409", "coefficient": "۱٫۰۲"}], {"7403", "7409"})
    [Link(supplier='7403', user='7409', coefficient=1.02, provenance=Provenance(source='', agency='', as_of=None))]
    """
    table = _Table(rows, source, ("supplier", "user", "coefficient"))
    known = None if known_codes is None else set(known_codes)
    unique = _Unique()
    links = []
    for row in table:
        supplier = row.code("supplier")
        user = row.code("user")
        row.check_ref("supplier", supplier, known, "unknown_product")
        row.check_ref("user", user, known, "unknown_product")
        if supplier and supplier == user:
            row.report("self_link", "user", code_value=supplier)
        elif supplier and user:
            first = unique.seen((supplier, user), row)
            if first is not None:
                row.report("duplicate_link", "user", supplier=supplier, user=user, first=first)
        coefficient = 0.0
        raw = row.text("coefficient", required=True)
        if raw:
            try:
                coefficient = parse_number(raw)
            except ValueError:
                row.report("non_numeric", "coefficient", value=raw)
            else:
                if coefficient <= 0:
                    row.report("coefficient_not_positive", "coefficient", value=raw)
        link = Link(supplier, user, coefficient, row.provenance(known_agencies))
        if row.ok:
            links.append(link)
    return _finish(table, links)


def _financing(row: _Row) -> tuple[FinancingRoute, ...]:
    routes = []
    kinds = set()
    for part in row.many("financing"):
        kind, sep, share_text = part.partition(":")
        kind = kind.strip().lower()
        if not sep or not kind or kind in kinds:
            row.report("bad_financing", "financing", value=part)
            continue
        kinds.add(kind)
        if kind not in FINANCING_KINDS:
            row.report("bad_choice", "financing", value=kind, choices=", ".join(FINANCING_KINDS),
                       allowed=FINANCING_KINDS)
            continue
        try:
            share = parse_number(share_text)
        except ValueError:
            row.report("bad_financing", "financing", value=part)
            continue
        if not 0 < share <= 1:
            row.report("out_of_range", "financing", value=share_text.strip(), low="0", high=1)
            continue
        routes.append(FinancingRoute(kind, share))
    total = sum(route.share for route in routes)
    if total > 1 + 1e-9:
        row.report("financing_sum_above_one", "financing", value=round(total, 6))
    return tuple(routes)


def read_opportunities(
    rows: Iterable[Mapping[str, object]],
    known_products: Collection[str] | None = None,
    known_counties: Collection[str] | None = None,
    known_agencies: Collection[str] | None = None,
    *,
    source: str = "opportunities.csv",
) -> list[Opportunity]:
    """Read investment opportunities (columns of ``COLUMNS["opportunities"]``).

    Investments are non-negative whole rials with min ≤ max; ``status`` is one
    of OPPORTUNITY_STATUSES (blank means published); ``gap_kind`` one of
    GAP_KINDS; ``financing`` like ``bank:0.6|leasing:0.2`` with shares in
    (0, 1] adding up to at most 1.
    """
    table = _Table(
        rows, source,
        ("ref", "title_fa", "title_en", "product", "county", "agency",
         "investment_min_rials", "investment_max_rials"),
    )
    unique = _Unique()
    opportunities = []
    for row in table:
        ref = row.text("ref", required=True)
        first = unique.seen(ref, row) if ref else None
        if first is not None:
            row.report("duplicate_code", "ref", code_value=ref, first=first)
        product = row.code("product")
        row.check_ref("product", product, known_products, "unknown_product")
        county = row.slug("county")
        row.check_ref("county", county, known_counties, "unknown_county")
        agency = row.slug("agency")
        row.check_ref("agency", agency, known_agencies, "unknown_agency")
        before = len(table.problems)
        low = row.integer("investment_min_rials", required=True)
        high = row.integer("investment_max_rials", required=True)
        if len(table.problems) == before and low > high:
            row.report("min_above_max", "investment_max_rials", low=low, high=high)
        opportunity = Opportunity(
            ref=ref,
            title_fa=row.text("title_fa", required=True),
            title_en=row.text("title_en", required=True),
            product=product,
            county=county,
            agency=agency,
            investment_min_rials=low,
            investment_max_rials=high,
            jobs=row.integer("jobs"),
            description_fa=row.text("description_fa"),
            description_en=row.text("description_en"),
            incentives_fa=row.text("incentives_fa"),
            incentives_en=row.text("incentives_en"),
            suited_for=row.many_choices("suited_for", APPLICANT_TYPES),
            financing=_financing(row),
            status=row.choice("status", OPPORTUNITY_STATUSES, default="published"),
            gap_kind=row.choice("gap_kind", GAP_KINDS, default=""),
        )
        if row.ok:
            opportunities.append(opportunity)
    return _finish(table, opportunities)


def read_applicants(
    rows: Iterable[Mapping[str, object]],
    *,
    known_sectors: Collection[str] | None = None,
    known_products: Collection[str] | None = None,
    known_counties: Collection[str] | None = None,
    source: str = "applicants.csv",
) -> list[Applicant]:
    """Read investor profiles (columns of ``COLUMNS["applicants"]``).

    An applicant's current products need not be in the province's product
    list, but each must then be a valid HS code or ISIC class.
    """
    table = _Table(rows, source, ("ref", "applicant_type", "capital_rials"))
    unique = _Unique()
    applicants = []
    for row in table:
        ref = row.text("ref", required=True)
        first = unique.seen(ref, row) if ref else None
        if first is not None:
            row.report("duplicate_code", "ref", code_value=ref, first=first)
        products = tuple(normalize_code(code) for code in row.many("products"))
        for code in products:
            listed = known_products is not None and code in known_products
            if not (listed or is_valid_code(code, "hs") or is_valid_code(code, "isic")):
                row.report("unknown_product", "products", code_value=code)
        applicant = Applicant(
            ref=ref,
            applicant_type=row.choice("applicant_type", APPLICANT_TYPES),
            capital_rials=row.integer("capital_rials", required=True),
            name=row.text("name"),
            sectors=row.refs("sectors", known_sectors, "unknown_sector"),
            skills=row.text("skills"),
            products=products,
            counties=row.refs("counties", known_counties, "unknown_county"),
            lang=row.choice("lang", LANGUAGES, default="fa"),
        )
        if row.ok:
            applicants.append(applicant)
    return _finish(table, applicants)


# ---------------------------------------------------------------------------
# a whole seed folder


@dataclass(frozen=True)
class SeedBundle:
    """Everything in a seed folder, validated and cross-checked."""

    counties: tuple[County, ...] = ()
    measures: tuple[Measure, ...] = ()
    sectors: tuple[Sector, ...] = ()
    agencies: tuple[Agency, ...] = ()
    chains: tuple[Chain, ...] = ()
    products: tuple[Product, ...] = ()
    links: tuple[Link, ...] = ()
    opportunities: tuple[Opportunity, ...] = ()
    applicants: tuple[Applicant, ...] = ()


def read_csv(path: str | Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file (a byte-order mark is dropped) as dicts."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


#: Seed files, in the order they are read, and whether the folder must have them.
_SEED_FILES = (
    ("counties", True), ("measures", False), ("sectors", True), ("agencies", True),
    ("chains", True), ("products", True), ("links", True), ("opportunities", False),
    ("applicants", False),
)


def load_dir(path: str | Path) -> SeedBundle:
    """Read and cross-check a seed folder of CSV files.

    Reads counties, measures, sectors, agencies, chains, products, links,
    opportunities and applicants ``.csv`` (measures, opportunities and
    applicants may be absent). References between files are checked: a
    product's sector, chains and agency, both ends of every link, an
    opportunity's product, county and agency, an applicant's sectors and
    counties.

    Raises
    ------
    ChainDataError
        One error with the problems of all files together.
    """
    folder = Path(path)
    problems: list[Problem] = []
    found: dict[str, list] = {}

    def attempt(name: str, required: bool, reader: Callable[..., list], **known) -> list:
        file = folder / f"{name}.csv"
        if not file.exists():
            if required:
                problems.append(problem("missing_file", record=file.name, file=file.name))
            return []
        try:
            return reader(read_csv(file), source=file.name, **known)
        except ChainDataError as error:
            problems.extend(error.problems)
            return []

    def slugs(name: str) -> set[str] | None:
        # A file that failed to read gives no reference list, so references
        # to it are not reported again as unknown.
        records = found[name]
        return {record.slug for record in records} if records else None

    found["counties"] = attempt("counties", True, read_counties)
    found["measures"] = attempt("measures", False, read_measures)
    found["sectors"] = attempt("sectors", True, read_sectors)
    found["agencies"] = attempt("agencies", True, read_agencies, known_sectors=slugs("sectors"))
    found["chains"] = attempt("chains", True, read_chains)
    found["products"] = attempt(
        "products", True, read_products,
        known_sectors=slugs("sectors"), known_chains=slugs("chains"), known_agencies=slugs("agencies"),
    )
    codes = {product.code for product in found["products"]} or None
    found["links"] = attempt(
        "links", True, lambda rows, **kw: read_links(rows, codes, **kw), known_agencies=slugs("agencies"),
    )
    found["opportunities"] = attempt(
        "opportunities", False, read_opportunities,
        known_products=codes, known_counties=slugs("counties"), known_agencies=slugs("agencies"),
    )
    found["applicants"] = attempt(
        "applicants", False, read_applicants,
        known_sectors=slugs("sectors"), known_products=codes, known_counties=slugs("counties"),
    )
    if problems:
        raise ChainDataError(problems)
    return SeedBundle(**{name: tuple(records) for name, records in found.items()})


# ---------------------------------------------------------------------------
# writers


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def product_rows(products: Iterable[Product]) -> list[dict[str, str]]:
    """Products as rows with the columns of ``COLUMNS["products"]``; :func:`read_products` reads them back."""
    return [
        {
            "code": p.code,
            "nomenclature": p.nomenclature,
            "name_fa": p.name_fa,
            "name_en": p.name_en,
            "sector": p.sector,
            "stage": p.stage,
            "unit": p.unit,
            "unit_price_rials": str(p.unit_price_rials),
            "capacity": _number_text(p.capacity),
            "output": _number_text(p.output),
            "demand": _number_text(p.demand),
            "inflow": _number_text(p.inflow),
            "outflow": _number_text(p.outflow),
            "active_units": str(p.active_units),
            "idle_units": str(p.idle_units),
            "jobs": str(p.jobs),
            "suited_for": "|".join(p.suited_for),
            "chains": "|".join(p.chains),
            **_provenance_cells(p.provenance),
            "aliases": "|".join(p.aliases),
        }
        for p in products
    ]


def _provenance_cells(provenance: Provenance) -> dict[str, str]:
    return {
        "source": provenance.source,
        "agency": provenance.agency,
        "as_of": provenance.as_of.isoformat() if provenance.as_of else "",
    }


def link_rows(links: Iterable[Link]) -> list[dict[str, str]]:
    """Links as rows with the columns of ``COLUMNS["links"]``."""
    return [
        {
            "supplier": link.supplier,
            "user": link.user,
            "coefficient": _number_text(link.coefficient),
            **_provenance_cells(link.provenance),
        }
        for link in links
    ]


def opportunity_rows(opportunities: Iterable[Opportunity]) -> list[dict[str, str]]:
    """Opportunities as rows with the columns of ``COLUMNS["opportunities"]``."""
    return [
        {
            "ref": o.ref,
            "title_fa": o.title_fa,
            "title_en": o.title_en,
            "product": o.product,
            "county": o.county,
            "agency": o.agency,
            "investment_min_rials": str(o.investment_min_rials),
            "investment_max_rials": str(o.investment_max_rials),
            "jobs": str(o.jobs),
            "description_fa": o.description_fa,
            "description_en": o.description_en,
            "incentives_fa": o.incentives_fa,
            "incentives_en": o.incentives_en,
            "suited_for": "|".join(o.suited_for),
            "financing": "|".join(f"{r.kind}:{_number_text(r.share)}" for r in o.financing),
            "status": o.status,
            "gap_kind": o.gap_kind,
        }
        for o in opportunities
    ]


def write_csv(path: str | Path, rows: Iterable[Mapping[str, str]], columns: Iterable[str]) -> None:
    """Write rows as UTF-8 CSV with a byte-order mark, so spreadsheet programs show Persian right."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
