"""Reading a CSV or XLSX file into canonical rows (field -> text).

BOM or not, headers in fa or en, numbers, dates, neutralised formulas."""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook

from app.services.cells import _FORMULA_START, safe_cell
from chains import io as chains_io
from chains.errors import to_fa_digits

KINDS = ("products", "links", "opportunities")


FORMATS = ("csv", "xlsx")


COLUMNS = {kind: chains_io.COLUMNS[kind] for kind in KINDS}


#: Problems kept on a job (the count is always kept); a report of thousands helps nobody.
MAX_STORED_PROBLEMS = 1000


#: Rows between two progress reports.
PROGRESS_EVERY = 2000


#: The most an XLSX file may hold once unzipped (all its parts together), and its shared strings alone:
#: checked on the archive's directory before anything is decompressed (``zipfile`` then never inflates a
#: part past the size it declares), so a "zip bomb" costs nothing.
MAX_UNZIPPED = 400 * 1024 * 1024
MAX_SHARED_STRINGS = 100 * 1024 * 1024

#: A part inflating more than this many times over is a bomb, not a spreadsheet (real sheets: 5-30).
MAX_RATIO = 200

#: The widest sheet read: columns past this are never built into rows (every kind has far fewer).
MAX_COLUMNS = 200

_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"'](\d{1,12})[\"']")


# ---------------------------------------------------------------- errors about the file itself
class TransferError(Exception):
    """The file cannot be read at all (wrong type, empty, not UTF-8, no data rows)."""

    MESSAGES = {
        "unsupported": ("این فایل اکسل یا ⁦CSV⁩ نیست. آن را در اکسل با قالب ⁦.xlsx⁩ یا ⁦CSV UTF-8⁩ ذخیره کنید.",
                        "This file is not CSV or XLSX. Save it as CSV (UTF-8) or Excel (.xlsx)."),
        "old_excel": ("فایل‌های قدیمی اکسل (⁦.xls⁩) پذیرفته نمی‌شوند؛ فایل را در اکسل با قالب ⁦.xlsx⁩ یا ⁦CSV⁩ ذخیره کنید.",
                      "Old Excel files (.xls) are not accepted; save it as .xlsx or CSV."),
        "empty": ("فایل خالی است.", "The file is empty."),
        "no_rows": ("فایل سطر عنوان دارد ولی هیچ سطر داده‌ای ندارد.",
                    "The file has a header row but no data rows."),
        "not_utf8": ("متن فایل با کدگذاری یونی‌کد (⁦UTF-8⁩) نیست؛ در اکسل آن را با گزینهٔ «⁦CSV UTF-8⁩» ذخیره کنید.",
                     "The file is not UTF-8 text; in Excel, save it as “CSV UTF-8”."),
        "bad_csv": ("فایل ⁦CSV⁩ معتبر نیست: {detail}", "The CSV file cannot be read: {detail}"),
        "bad_xlsx": ("فایل اکسل معتبر نیست یا آسیب دیده است.", "The XLSX file cannot be read or is damaged."),
        "too_many_rows": ("فایل بیش از {limit} سطر دارد؛ آن را به چند فایل کوچک‌تر تقسیم کنید.",
                          "The file has more than {limit} rows; split it into several files."),
        "too_large_unzipped": ("این فایل XLSX پس از گشودن بیش از {limit} مگابایت می‌شود؛ آن را به چند فایل "
                               "بشکنید یا با قالب CSV ذخیره کنید.",
                               "This XLSX file grows past {limit} MB once unzipped; split it into several files "
                               "or save it as CSV."),
        "no_columns": ("هیچ‌یک از ستون‌های فایل شناخته نشد. ستون‌های لازم: {columns}",
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


def check_archive(fh, max_unzipped: int = MAX_UNZIPPED) -> None:
    """Refuse an XLSX whose parts would inflate past the limits, from the zip directory alone."""
    try:
        members = zipfile.ZipFile(fh).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TransferError("bad_xlsx") from None
    limit_mb = max_unzipped // (1024 * 1024)
    if sum(m.file_size for m in members) > max_unzipped:
        raise TransferError("too_large_unzipped", limit=limit_mb)
    for m in members:
        if m.filename.lower().endswith("sharedstrings.xml") and m.file_size > MAX_SHARED_STRINGS:
            raise TransferError("too_large_unzipped", limit=limit_mb)
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise TransferError("too_large_unzipped", limit=limit_mb)
    fh.seek(0)


def count_rows(stream, max_rows: int) -> None:
    """Refuse a sheet with more than ``max_rows`` data rows, counting its ``<row>`` tags (and the row numbers
    they claim: openpyxl fills a gap up to ``r="3000000"`` with empty rows) in the raw XML, which is far
    cheaper than building rows, and stops at the first one past the limit."""
    seen, tail = 0, b""
    while chunk := stream.read(1 << 20):
        data = tail + chunk
        cut = data.rfind(b"<")  # a tag cut in two is read with the next chunk
        if cut < 0 or len(data) - cut > 4096:
            cut = len(data)
        for match in _ROW_TAG.finditer(data, 0, cut):
            seen += 1
            number = _ROW_NUMBER.search(match.group(1))
            if seen > max_rows + 1 or (number and int(number.group(1)) > max_rows + 1):
                raise TransferError("too_many_rows", limit=max_rows)
        tail = data[cut:]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _part(zf: zipfile.ZipFile, name: str):
    info = zf.getinfo(name)
    if info.file_size > 16 * 1024 * 1024:  # a package or workbook part is a few kB
        raise TransferError("bad_xlsx")
    return ElementTree.fromstring(zf.read(info))


def first_sheet_part(zf: zipfile.ZipFile) -> str:
    """The zip member of the first worksheet, the one openpyxl's ``worksheets[0]`` reads (package rels →
    workbook → its first ``<sheet>`` whose relationship is a worksheet)."""
    workbook = next(r.get("Target", "") for r in _part(zf, "_rels/.rels").iter(_RELS)
                    if r.get("Type", "").endswith("/officeDocument")).lstrip("/")
    folder, base = posixpath.split(workbook)
    rels = {r.get("Id"): r for r in _part(zf, posixpath.join(folder, "_rels", base + ".rels")).iter(_RELS)}
    for sheet in _part(zf, workbook).iter(_MAIN + "sheet"):
        rel = rels.get(sheet.get(_REL_ID))
        if rel is not None and rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    raise TransferError("empty")


def _read_xlsx(kind: str, path: Path, max_rows: int) -> Table:

    with open(path, "rb") as fh:  # a file object: openpyxl would refuse the stored name's suffix
        check_archive(fh)
        # Rows are counted before openpyxl sees the file: opening a sheet without a <dimension> already
        # parses all of it (75 s of CPU for 3 million rows).
        try:
            with zipfile.ZipFile(fh) as zf, zf.open(first_sheet_part(zf)) as raw:
                count_rows(raw, max_rows)
        except TransferError:
            raise
        except Exception:  # noqa: BLE001 - a missing part, bad XML, a bad CRC: not a readable workbook
            raise TransferError("bad_xlsx") from None
        fh.seek(0)
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors all mean "not a readable workbook"
            raise TransferError("bad_xlsx") from None
        try:
            if not wb.worksheets:
                raise TransferError("empty")
            return _rows_from(kind, wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS), max_rows)
        except TransferError:
            raise
        except Exception:  # noqa: BLE001
            raise TransferError("bad_xlsx") from None
        finally:
            wb.close()
