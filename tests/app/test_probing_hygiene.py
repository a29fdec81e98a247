"""Hostile files and hygiene found by probing (issue 14): XLSX zip and row bombs, uploads left on disk,
CSV headers, caching of private pages and exports, and the accounts the CLI may create."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.services.transfer import read as reader
from app.services.transfer.read import TransferError, read_table
from tests.app.conftest import sign_in

HEADER = ["code", "name_fa", "name_en", "sector", "stage"]


def workbook_bytes(rows=(("0406", "پنیر", "Cheese", "dairy", "final"),)) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewritten(data: bytes, replace: dict[str, object]) -> bytes:
    """The same workbook with some parts replaced; a callable part is written in chunks (never held whole)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = [i.filename for i in src.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names + [n for n in replace if n not in names]:
            new = replace.get(name)
            if callable(new):
                with dst.open(name, "w", force_zip64=True) as fh:
                    new(fh)
            else:
                dst.writestr(name, new if new is not None else src.read(name))
    return out.getvalue()


def with_shared_strings(data: bytes, part) -> bytes:
    """The workbook with a shared-strings part that openpyxl loads (referenced from the workbook's rels)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    rels = src.read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", (
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    types = src.read("[Content_Types].xml").replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    return rewritten(data, {"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types,
                            "xl/sharedStrings.xml": part})


def write(tmp_path: Path, data: bytes, name="bomb.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_anything_is_inflated(tmp_path):
    def huge_shared_string(fh):  # 150 MB of one shared string, about 0.15 MB zipped
        fh.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                 b'count="1" uniqueCount="1"><si><t>')
        chunk = b"a" * (1 << 20)
        for _ in range(150):
            fh.write(chunk)
        fh.write(b"</t></si></sst>")

    data = with_shared_strings(workbook_bytes(), huge_shared_string)
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(TransferError) as refused:
        read_table("products", write(tmp_path, data))
    assert refused.value.code == "too_large_unzipped"
    assert "MB" in refused.value.message_en and "فایل" in refused.value.message_fa
    assert time.perf_counter() - started < 2  # nothing was decompressed


def test_a_part_that_inflates_hundreds_of_times_over_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNZIPPED", 10 ** 12)
    data = rewritten(workbook_bytes(), {"docProps/custom.xml": lambda fh: [fh.write(b" " * (1 << 20))
                                                                            for _ in range(8)]})
    with pytest.raises(TransferError) as refused:
        read_table("products", write(tmp_path, data))
    assert refused.value.code == "too_large_unzipped"


def sheet_xml(rows: bytes) -> bytes:
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>' + rows +
            b"</sheetData></worksheet>")


def test_a_sheet_with_more_rows_than_the_limit_is_refused_before_any_row_is_built(tmp_path, monkeypatch):
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(2, 30_002))
    data = rewritten(workbook_bytes(), {"xl/worksheets/sheet1.xml": sheet_xml(rows)})
    built, opened = [], []
    original, load = reader.cell_text, reader.load_workbook
    monkeypatch.setattr(reader, "cell_text", lambda v: built.append(v) or original(v))
    monkeypatch.setattr(reader, "load_workbook", lambda *a, **k: opened.append(1) or load(*a, **k))
    with pytest.raises(TransferError) as refused:
        read_table("products", write(tmp_path, data), max_rows=10_000)
    assert refused.value.code == "too_many_rows"
    # Refused on the raw XML: openpyxl never opened it (opening a sheet without <dimension> parses all of it)
    # and no row was turned into cells.
    assert built == [] and opened == []


def test_one_row_numbered_three_million_is_refused_at_once(tmp_path):
    """openpyxl fills the gap before ``r="3000000"`` with empty rows: 75 s of CPU at the default limit."""
    data = rewritten(workbook_bytes(), {"xl/worksheets/sheet1.xml": sheet_xml(
        b'<row r="3000000"><c r="A3000000"><v>1</v></c></row>')})
    started = time.perf_counter()
    with pytest.raises(TransferError) as refused:
        read_table("products", write(tmp_path, data))
    assert refused.value.code == "too_many_rows"
    assert time.perf_counter() - started < 2


def test_an_ordinary_workbook_still_reads(tmp_path):
    table = read_table("products", write(tmp_path, workbook_bytes([("0406", "پنیر", "Cheese", "dairy", "final")] * 50),
                                         "ok.xlsx"))
    assert len(table.rows) == 50 and table.rows[0]["name_en"] == "Cheese"


# ---------------------------------------------------------------- uploads that failed are not kept
def test_a_failed_upload_is_removed_from_disk_at_once(fresh_app, make_user):
    _, email, password = make_user(role="hq")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    folder = Path(fresh_app.instance_path) / "transfer"
    before = set(folder.glob("*.upload")) if folder.exists() else set()
    bad = b"code,name_fa,name_en,sector,stage\n0406,,,no-such-sector,final\n"
    resp = client.post("/en/portal/transfer/", data={"kind": "products", "file": (io.BytesIO(bad), "bad.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    assert set(folder.glob("*.upload")) - before == set()

    good = "code,name_fa,name_en,sector,stage\n2603,کنسانتره مس,Copper ores and concentrates,mining,raw\n".encode()
    resp = client.post("/en/portal/transfer/", data={"kind": "products", "file": (io.BytesIO(good), "ok.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    assert "No problems" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert len(set(folder.glob("*.upload")) - before) == 1  # a clean dry run keeps its file for the import


# ---------------------------------------------------------------- headers
def test_a_csv_reply_names_its_charset_once(client):
    resp = client.get("/en/gaps?format=csv")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("path", ["/en/desk/", "/en/portal/", "/en/hq/", "/en/admin/users", "/fa/portal/transfer/",
                                  "/en/portal/transfer/export/products.csv", "/en/"])
def test_staff_pages_exports_and_pages_seen_signed_in_are_never_cached(fresh_app, make_user, path):
    _, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    resp = client.get(path)
    assert resp.status_code == 200, path
    assert resp.headers["Cache-Control"] == "no-store"


def test_public_pages_for_visitors_may_be_cached_and_the_sign_in_page_is_not(client):
    assert "no-store" not in client.get("/en/opportunities").headers.get("Cache-Control", "")
    assert client.get("/en/login").headers["Cache-Control"] == "no-store"


# ---------------------------------------------------------------- the CLI makes only accounts that can sign in
@pytest.mark.parametrize("email", ["a@b", "two@@example.org", "a b@example.org", "x@" + "a" * 250 + ".org",
                                   "no-at-sign.example.org", "dot.@example.org"])
def test_the_cli_refuses_an_address_the_sign_in_form_refuses(runner, email):
    result = runner.invoke(args=["users", "create", "--email", email, "--role", "admin", "--password", "x" * 12])
    assert result.exit_code != 0 and "--email" in result.output


def test_the_cli_accepts_an_address_the_sign_in_form_accepts(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "New.Admin@Example.org", "--role", "admin",
                                 "--password", "x" * 12])
    assert result.exit_code == 0, result.output
    assert "created admin new.admin@example.org" in result.output
