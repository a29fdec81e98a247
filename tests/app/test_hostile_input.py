"""Hostile input over HTTP: a clear 4xx in the user's language, never a 500, and nothing half-written.

Regression tests for the issue "One place for every rule". They go through the Flask test client and a
real database (SQLite by default, PostgreSQL with PANJEREH_TEST_DATABASE_URL), so they do not depend on
how app/ is laid out.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Applicant, AuditEvent, Opportunity, Product, User

from .conftest import build_app, sign_in

pytestmark = pytest.mark.db

AGRI = "agriculture_jihad"  # sectors agriculture and food: cheese (0406) is theirs
HUGE = "9" * 20  # above 2**63 - 1
PERSIAN_LETTERS = set("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")
# Valid HS codes that are not in the seed: each creating test takes its own, so a row one test wrongly
# stores can never make another test pass by "duplicate code".
def _free_codes():
    import csv

    from chains.nomenclature import is_hs_code

    from .conftest import ROOT

    with (ROOT / "data" / "seed" / "products.csv").open(encoding="utf-8") as fh:
        seeded = {row["code"] for row in csv.DictReader(fh)}
    return iter([c for c in (f"{n:04d}" for n in range(100, 9800)) if is_hs_code(c) and c not in seeded])


FREE_CODES = _free_codes()


def persian(text: str, at_least: int = 3) -> bool:
    return sum(ch in PERSIAN_LETTERS for ch in text) >= at_least


def no_trace(body: str) -> None:
    assert "Traceback" not in body and "werkzeug" not in body.lower()


def field_error(html: str, field: str) -> str | None:
    """The message shown on ``field`` of a form page (``<div class="field-error" id="field-error">``)."""
    m = re.search(rf'<div class="field-error" id="{re.escape(field)}-error">([^<]+)</div>', html)
    return m.group(1) if m else None


def api_fields(resp) -> dict:
    body = resp.get_json(silent=True) or {}
    return {f["field"]: f for f in (body.get("error") or {}).get("fields") or []}


def count(app, model, *where):
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for w in where:
            stmt = stmt.where(w)
        return db.session.scalar(stmt)


def product_row(app, code):
    with app.app_context():
        p = db.session.scalar(select(Product).where(Product.code == code))
        if p is None:
            return None
        return {c.name: getattr(p, c.key) for c in Product.__table__.columns if c.name != "updated_at"}


def opportunity_row(app, opp_id):
    with app.app_context():
        o = db.session.get(Opportunity, opp_id)
        return {c.name: getattr(o, c.key) for c in Opportunity.__table__.columns if c.name != "updated_at"}


# ---------------------------------------------------------------- one seeded world, one client per role
@pytest.fixture(scope="module")
def world(databases):
    from app.security.passwords import hash_password

    app = build_app(databases.new_url())
    with app.app_context():
        agency = db.session.scalar(select(Agency).where(Agency.slug == AGRI))
        opp = db.session.scalars(select(Opportunity).where(Opportunity.agency_id == agency.id)
                                 .order_by(Opportunity.id)).first()
        users = {}
        for role in ("admin", "hq", "agency_editor", "desk_staff", "investor"):
            user = User(email=f"{role}-{uuid.uuid4().hex[:6]}@example.org", role=role,
                        password_hash=hash_password("hostile password"),
                        agency=agency if role == "agency_editor" else None)
            if role != "investor":
                user.totp_secret, user.totp_confirmed, user.recovery_codes = pyotp.random_base32(), True, []
            db.session.add(user)
            users[role] = user
        db.session.commit()
        emails = {role: u.email for role, u in users.items()}
        values = {"opp_id": opp.id, "product": "0406", "chain": "x", "applicant": "x"}
    clients = {"anonymous": app.test_client()}
    for role, email in emails.items():
        client = app.test_client()
        resp = sign_in(client, email, "hostile password")
        assert resp.status_code == 302, (role, resp.status_code)
        clients[role] = client
    return app, clients, values


def _base_product(code):
    return {"code": code, "name_fa": "محصول آزمایشی", "name_en": "Test product", "sector": "food",
            "stage": "final", "capacity": 10, "output": 5}


def _base_product_form(code):
    return {"code": code, "nomenclature": "hs", "name_fa": "محصول آزمایشی", "name_en": "Test product",
            "sector": "food", "stage": "final", "unit": "tonne", "capacity": "10", "output": "5"}


def opportunity_form(client, opp_id, stored):
    """What the edit form would submit for the stored opportunity, built from the row itself."""
    from chains.records import APPLICANT_TYPES

    with client.application.app_context():
        o = db.session.get(Opportunity, opp_id)
        data = {"title_fa": o.title_fa, "title_en": o.title_en, "product": o.product.code,
                "county": o.county.slug, "agency": o.agency.slug,
                "investment_min_rials": str(o.investment_min_rials),
                "investment_max_rials": str(o.investment_max_rials), "jobs": str(o.jobs),
                "description_fa": o.description_fa or "", "description_en": o.description_en or "",
                "incentives_fa": o.incentives_fa or "", "incentives_en": o.incentives_en or "",
                "suited_for": [t for i, t in enumerate(APPLICANT_TYPES) if o.suited_mask & (1 << i)],
                "gap_kind": o.gap_kind or "", "version": str(o.version)}
        for f in o.financing:
            data[f"share_{f.kind}"] = str(f.share_bp // 100)
    return data


# ================================================================ controls: the valid requests these tests start from
def test_control_the_base_product_form_and_body_are_accepted(world):
    app, clients, _ = world
    code_form, code_api = next(FREE_CODES), next(FREE_CODES)
    resp = clients["agency_editor"].post("/fa/portal/products/new", data=_base_product_form(code_form))
    assert resp.status_code == 302 and product_row(app, code_form) is not None
    resp = clients["agency_editor"].post("/api/v1/products", json=_base_product(code_api))
    assert resp.status_code == 201 and product_row(app, code_api) is not None


def test_control_the_opportunity_form_as_built_here_is_accepted(world):
    app, clients, values = world
    opp_id = values["opp_id"]
    before = opportunity_row(app, opp_id)
    resp = clients["agency_editor"].post(f"/fa/portal/opportunities/{opp_id}/edit",
                                         data=opportunity_form(clients["agency_editor"], opp_id, before))
    assert resp.status_code == 302, resp.status_code


# ================================================================ 1. integer path segments above 2**63 - 1
# Every rule with an <int:…> segment: (endpoint, method, path with a 20-digit id, role that may use it).
INT_ROUTES = [
    ("public.opportunity", "GET", f"/fa/opportunities/{HUGE}", "anonymous"),
    ("public.interest", "POST", f"/fa/opportunities/{HUGE}/interest", "investor"),
    ("portal.reverse_lookup", "GET", f"/fa/portal/opportunities/{HUGE}/applicants", "admin"),
    ("admin.user_edit", "GET", f"/fa/admin/users/{HUGE}", "admin"),
    ("admin.user_edit", "POST", f"/fa/admin/users/{HUGE}", "admin"),
    ("admin.user_reset_2fa", "POST", f"/fa/admin/users/{HUGE}/reset-2fa", "admin"),
    ("transfer.job", "GET", f"/fa/portal/transfer/jobs/{HUGE}", "admin"),
    ("transfer.run_import", "POST", f"/fa/portal/transfer/jobs/{HUGE}/import", "admin"),
    ("portal.link_edit", "GET", f"/fa/portal/links/{HUGE}/edit", "admin"),
    ("portal.link_edit", "POST", f"/fa/portal/links/{HUGE}/edit", "admin"),
    ("portal.link_retire", "POST", f"/fa/portal/links/{HUGE}/retire", "admin"),
    ("portal.opportunity_edit", "GET", f"/fa/portal/opportunities/{HUGE}/edit", "admin"),
    ("portal.opportunity_edit", "POST", f"/fa/portal/opportunities/{HUGE}/edit", "admin"),
    ("portal.opportunity_publish", "POST", f"/fa/portal/opportunities/{HUGE}/publish", "admin"),
    ("portal.opportunity_close", "POST", f"/fa/portal/opportunities/{HUGE}/close", "admin"),
    ("api.opportunity", "GET", f"/api/v1/opportunities/{HUGE}", "anonymous"),
    ("api.opportunity_applicants", "GET", f"/api/v1/opportunities/{HUGE}/applicants", "admin"),
    ("api.opportunity_update", "PATCH", f"/api/v1/opportunities/{HUGE}", "admin"),
    ("public.apply", "POST", f"/fa/opportunities/{HUGE}/apply", "investor"),
    ("portal.step", "GET", f"/fa/portal/steps/{HUGE}", "admin"),
    ("portal.step", "POST", f"/fa/portal/steps/{HUGE}", "admin"),
    ("portal.step_template_edit", "GET", f"/fa/portal/step-templates/{HUGE}", "admin"),
    ("portal.step_template_edit", "POST", f"/fa/portal/step-templates/{HUGE}", "admin"),
    ("portal.interest_action", "POST", f"/fa/portal/interests/{HUGE}", "admin"),
    ("hq.obstacle", "GET", f"/fa/hq/obstacles/{HUGE}", "admin"),
    ("hq.obstacle_move", "POST", f"/fa/hq/obstacles/{HUGE}/move", "admin"),
    ("portal.obstacle", "GET", f"/fa/portal/obstacles/{HUGE}", "admin"),
    ("portal.obstacle_move", "POST", f"/fa/portal/obstacles/{HUGE}/move", "admin"),
    ("portal.action_progress", "POST", f"/fa/portal/plan/actions/{HUGE}/progress", "admin"),
    ("portal.realisation", "GET", f"/fa/portal/opportunities/{HUGE}/realisation", "admin"),
    ("portal.realisation", "POST", f"/fa/portal/opportunities/{HUGE}/realisation", "admin"),
    ("hq.realisation_confirm", "POST", f"/fa/hq/realisation/{HUGE}/confirm", "admin"),
    ("hq.demand", "GET", f"/fa/hq/demands/{HUGE}", "admin"),
    ("hq.demand", "POST", f"/fa/hq/demands/{HUGE}", "admin"),
]


def test_every_int_route_is_covered(world):
    app, _, _ = world
    have = {(r.endpoint, m) for r in app.url_map.iter_rules() if "<int:" in r.rule
            for m in r.methods - {"HEAD", "OPTIONS"}}
    assert have == {(e, m) for e, m, _, _ in INT_ROUTES}


@pytest.mark.parametrize("endpoint,method,path,role", INT_ROUTES, ids=[f"{e}-{m}" for e, m, _, _ in INT_ROUTES])
def test_a_twenty_digit_id_is_a_404_not_a_500(world, endpoint, method, path, role):
    app, clients, _ = world
    kwargs = {"json": {"version": 1}} if path.startswith("/api/") and method != "GET" else {}
    resp = clients[role].open(path, method=method, **kwargs)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 404, (endpoint, method, resp.status_code)
    no_trace(body)
    if path.startswith("/api/"):
        assert resp.get_json()["error"]["code"] == "not_found"
    else:
        assert '<html lang="fa" dir="rtl">' in body and persian(body, 20)


# ================================================================ 2. deeply nested JSON
DEEP = 100_000


@pytest.mark.parametrize("shape", ["list", "object"])
def test_deeply_nested_json_on_match_is_a_400_json_error(world, shape):
    _, clients, _ = world
    nested = "[" * DEEP + "]" * DEEP if shape == "list" else '{"a":' * DEEP + "1" + "}" * DEEP
    payload = '{"applicant_type": "cooperative", "capital_rials": 1000, "skills": ' + nested + "}"
    resp = clients["anonymous"].post("/api/v1/match?lang=fa", data=payload, content_type="application/json")
    assert resp.status_code == 400, resp.status_code
    body = resp.get_json()
    assert body["error"]["code"] and persian(body["error"]["message"])


def test_deeply_nested_json_on_a_product_write_is_a_400_json_error(world):
    app, clients, _ = world
    before = count(app, Product)
    nested = "[" * DEEP + "]" * DEEP
    resp = clients["agency_editor"].post("/api/v1/products?lang=fa", data='{"code": ' + nested + "}",
                                         content_type="application/json")
    assert resp.status_code == 400, resp.status_code
    assert resp.get_json()["error"]["code"]
    assert count(app, Product) == before


# ================================================================ 3. a status that is not a string
@pytest.mark.parametrize("status", [{}, [], ["published"], 5, True], ids=["dict", "empty-list", "list", "number",
                                                                          "bool"])
def test_a_status_that_is_not_text_is_a_field_problem(world, status):
    app, clients, values = world
    opp_id = values["opp_id"]
    before = opportunity_row(app, opp_id)
    resp = clients["agency_editor"].patch(f"/api/v1/opportunities/{opp_id}?lang=fa",
                                          json={"status": status, "version": before["version"]})
    assert resp.status_code == 400, resp.status_code
    assert resp.get_json()["error"]["code"] == "invalid"
    fields = api_fields(resp)
    assert "status" in fields and persian(fields["status"]["message"])
    assert opportunity_row(app, opp_id) == before


# ================================================================ 4. a code of only invisible characters
@pytest.mark.parametrize("code", ["\u200c", "\u200c\u200c\u200c", " \u200c "], ids=["zwnj", "zwnj3", "spaced"])
def test_a_product_code_of_only_zwnj_is_refused_by_the_api(world, code):
    app, clients, _ = world
    before = count(app, Product)
    resp = clients["agency_editor"].post("/api/v1/products?lang=fa", json=_base_product(code))
    assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
    fields = api_fields(resp)
    assert resp.get_json()["error"]["code"] == "invalid"
    assert "code" in fields and persian(fields["code"]["message"])
    assert count(app, Product) == before


@pytest.mark.parametrize("code", ["\u200c", "\u200c\u200c\u200c"], ids=["zwnj", "zwnj3"])
def test_a_product_code_of_only_zwnj_is_refused_by_the_portal_form(world, code):
    app, clients, _ = world
    before = count(app, Product)
    resp = clients["agency_editor"].post("/fa/portal/products/new", data=_base_product_form(code))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, resp.status_code
    no_trace(body)
    message = field_error(body, "code")
    assert message and persian(message), "no Persian message on the code field"
    assert count(app, Product) == before


# ================================================================ 5. numbers that are not finite or absurdly large
NOT_NUMBERS = ["1e30", "1e309", "nan", "inf", "-inf", "NaN", "Infinity"]
PRODUCT_NUMBER_FIELDS = ["unit_price_rials", "capacity", "output", "demand", "jobs", "active_units"]


@pytest.mark.parametrize("field", PRODUCT_NUMBER_FIELDS)
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_api_product_create_refuses_non_finite_or_huge_numbers(world, field, value):
    app, clients, _ = world
    code = next(FREE_CODES, None) or pytest.skip("out of free codes")
    body = {**_base_product(code), "capacity": 1e12, field: value}
    resp = clients["agency_editor"].post("/api/v1/products?lang=fa", json=body)
    assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
    fields = api_fields(resp)
    assert field in fields and persian(fields[field]["message"]), fields
    assert product_row(app, code) is None


# JSON literals (not strings): Python's json reads 1e309 as inf and accepts NaN / Infinity.
@pytest.mark.parametrize("field", ["unit_price_rials", "capacity", "jobs"])
@pytest.mark.parametrize("literal", ["1e30", "1e309", "NaN", "Infinity", "-Infinity"])
def test_api_product_update_refuses_non_finite_or_huge_json_numbers(world, field, literal):
    app, clients, _ = world
    before = product_row(app, "0406")
    payload = f'{{"{field}": {literal}, "capacity": 1e12, "version": {before["version"]}}}' if field != "capacity" \
        else f'{{"capacity": {literal}, "version": {before["version"]}}}'
    resp = clients["agency_editor"].patch("/api/v1/products/0406?lang=fa", data=payload,
                                          content_type="application/json")
    assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
    fields = api_fields(resp)
    assert field in fields and persian(fields[field]["message"]), fields
    assert product_row(app, "0406") == before


@pytest.mark.parametrize("field", ["investment_min_rials", "investment_max_rials", "jobs"])
@pytest.mark.parametrize("value", ["1e30", "1e309", "nan", "inf"])
def test_api_opportunity_update_refuses_non_finite_or_huge_numbers(world, field, value):
    app, clients, values = world
    opp_id = values["opp_id"]
    before = opportunity_row(app, opp_id)
    body = {field: value, "version": before["version"]}
    if field == "investment_min_rials":
        body["investment_max_rials"] = "1e40" if value == "1e30" else before["investment_max_rials"]
    resp = clients["agency_editor"].patch(f"/api/v1/opportunities/{opp_id}?lang=fa", json=body)
    assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
    fields = api_fields(resp)
    assert field in fields and persian(fields[field]["message"]), fields
    assert opportunity_row(app, opp_id) == before


@pytest.mark.parametrize("field", ["unit_price_rials", "capacity", "jobs"])
@pytest.mark.parametrize("value", ["1e30", "1e309", "nan", "inf"])
def test_portal_product_form_refuses_non_finite_or_huge_numbers(world, field, value):
    app, clients, _ = world
    code = next(FREE_CODES, None) or pytest.skip("out of free codes")
    data = {**_base_product_form(code), "capacity": "1000000000000", field: value}
    resp = clients["agency_editor"].post("/fa/portal/products/new", data=data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, resp.status_code
    no_trace(body)
    message = field_error(body, field)
    assert message and persian(message), f"no Persian message on {field}"
    assert product_row(app, code) is None


@pytest.mark.parametrize("field", ["investment_max_rials", "jobs"])
@pytest.mark.parametrize("value", ["1e30", "1e309", "nan", "inf"])
def test_portal_opportunity_form_refuses_non_finite_or_huge_numbers(world, field, value):
    app, clients, values = world
    opp_id = values["opp_id"]
    client = clients["agency_editor"]
    before = opportunity_row(app, opp_id)
    data = opportunity_form(client, opp_id, before)
    data[field] = value
    resp = client.post(f"/fa/portal/opportunities/{opp_id}/edit", data=data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, resp.status_code
    no_trace(body)
    message = field_error(body, field)
    assert message and persian(message), f"no Persian message on {field}"
    assert opportunity_row(app, opp_id) == before


@pytest.mark.parametrize("value", ["1e30", "1e309", "nan", "inf", "Infinity", "۱e۳۰"])
def test_desk_intake_refuses_non_finite_or_huge_capital(world, value):
    app, clients, _ = world
    before = count(app, Applicant)
    resp = clients["desk_staff"].post("/fa/desk/", data={"applicant_type": "cooperative", "capital": value,
                                                         "capital_unit": "billion", "lang": "fa"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, resp.status_code
    no_trace(body)
    message = field_error(body, "capital")
    assert message and persian(message), "no Persian message on the capital field"
    assert count(app, Applicant) == before


@pytest.mark.parametrize("param", ["min", "max"])
@pytest.mark.parametrize("value", ["1e30", "1e309", "nan", "inf"])
def test_query_min_max_refuse_non_finite_or_huge_numbers(world, param, value):
    _, clients, _ = world
    page = clients["anonymous"].get(f"/fa/opportunities?{param}={value}")
    body = page.get_data(as_text=True)
    assert page.status_code == 400, page.status_code
    no_trace(body)
    assert ("حداقل سرمایه‌گذاری" if param == "min" else "حداکثر سرمایه‌گذاری") in body
    api = clients["anonymous"].get(f"/api/v1/opportunities?{param}={value}&lang=fa")
    assert api.status_code == 400, api.status_code
    assert api.get_json()["error"]["code"] == "bad_request"


# ================================================================ 6. control characters in next=
@pytest.mark.parametrize("target", ["/%0A/evil.example", "/%0D/evil.example", "/%09/evil.example",
                                    "/%0D%0A/evil.example", "%0A//evil.example", "/\t/evil.example",
                                    "/fa/%0ASet-Cookie:x=1", "//evil.example", "/%5Cevil.example",
                                    "https://evil.example/", "/%E2%80%A8/evil.example"],
                         ids=["lf", "cr", "tab", "crlf", "lf-first", "raw-tab", "header-injection", "double-slash",
                              "backslash", "absolute", "line-separator"])
@pytest.mark.parametrize("role", ["investor", "admin"])
def test_a_control_character_in_next_keeps_the_redirect_on_the_site(world, role, target):
    from app.security.passwords import hash_password

    app, _, _ = world
    email = f"next-{role}-{uuid.uuid4().hex[:8]}@example.org"
    with app.app_context():
        user = User(email=email, role=role, password_hash=hash_password("hostile password"))
        if role != "investor":
            user.totp_secret, user.totp_confirmed, user.recovery_codes = pyotp.random_base32(), True, []
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    page = client.get(f"/fa/login?next={target}")
    assert page.status_code == 200, page.status_code
    resp = client.post(f"/fa/login?next={target}", data={"email": email, "password": "hostile password"})
    assert resp.status_code == 302, resp.status_code
    if "/fa/login/2fa" in resp.headers["Location"]:  # staff: one second step, with this fresh account's code
        with app.app_context():
            secret = db.session.scalar(select(User.totp_secret).where(User.email == email))
        resp = client.post("/fa/login/2fa", data={"code": pyotp.TOTP(secret).now()})
        assert resp.status_code == 302, resp.status_code
    location = resp.headers["Location"]
    assert not re.search(r"[\x00-\x1f\x7f]", location), repr(location)
    # What a browser does with the header: drop tabs and newlines, then resolve against the site.
    seen = re.sub(r"[\t\r\n]", "", location)
    parts = urlsplit(seen)
    assert parts.netloc in ("", "localhost") and seen.startswith("/") and not seen.startswith("//") \
        and "\\" not in seen, repr(location)
    assert "Set-Cookie" not in resp.headers or "x=1" not in resp.headers.get("Set-Cookie", "")


# ================================================================ 7. over-long text
def test_api_refuses_a_product_unit_of_forty_characters(world):
    app, clients, _ = world
    code = next(FREE_CODES)
    resp = clients["agency_editor"].post("/api/v1/products?lang=fa", json={**_base_product(code), "unit": "u" * 40})
    assert resp.status_code == 400, resp.status_code
    fields = api_fields(resp)
    assert "unit" in fields and persian(fields["unit"]["message"]), fields
    assert product_row(app, code) is None


def test_api_refuses_a_forty_character_unit_on_update(world):
    app, clients, _ = world
    before = product_row(app, "0406")
    resp = clients["agency_editor"].patch("/api/v1/products/0406?lang=fa",
                                          json={"unit": "u" * 40, "version": before["version"]})
    assert resp.status_code == 400, resp.status_code
    fields = api_fields(resp)
    assert "unit" in fields and persian(fields["unit"]["message"]), fields
    assert product_row(app, "0406") == before


def test_portal_refuses_a_product_unit_of_forty_characters(world):
    app, clients, _ = world
    code = next(FREE_CODES)
    resp = clients["agency_editor"].post("/fa/portal/products/new", data={**_base_product_form(code),
                                                                          "unit": "u" * 40})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, resp.status_code
    no_trace(body)
    message = field_error(body, "unit")
    assert message and persian(message), "no Persian message on the unit field"
    assert product_row(app, code) is None


LONG = "ب" * 600_000


@pytest.mark.parametrize("field", ["name_fa", "name_en", "source"])
def test_api_refuses_a_600000_character_product_text(world, field):
    app, clients, _ = world
    code = next(FREE_CODES)
    resp = clients["agency_editor"].post("/api/v1/products?lang=fa", json={**_base_product(code), field: LONG})
    assert resp.status_code == 400, resp.status_code
    fields = api_fields(resp)
    assert field in fields and persian(fields[field]["message"]), fields
    assert product_row(app, code) is None


@pytest.mark.parametrize("field", ["title_fa", "title_en", "description_fa", "description_en", "incentives_fa"])
def test_api_refuses_a_600000_character_opportunity_text(world, field):
    app, clients, values = world
    opp_id = values["opp_id"]
    before = opportunity_row(app, opp_id)
    resp = clients["agency_editor"].patch(f"/api/v1/opportunities/{opp_id}?lang=fa",
                                          json={field: LONG, "version": before["version"]})
    assert resp.status_code == 400, resp.status_code
    fields = api_fields(resp)
    assert field in fields and persian(fields[field]["message"]), fields
    assert opportunity_row(app, opp_id) == before


@pytest.mark.parametrize("field", ["title_fa", "description_fa"])
def test_portal_refuses_a_600000_character_opportunity_text(world, field):
    app, clients, values = world
    opp_id = values["opp_id"]
    client = clients["agency_editor"]
    before = opportunity_row(app, opp_id)
    data = opportunity_form(client, opp_id, before)
    data[field] = LONG
    resp = client.post(f"/fa/portal/opportunities/{opp_id}/edit", data=data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, resp.status_code
    message = field_error(body, field)
    assert message and persian(message), f"no Persian message on {field}"
    assert opportunity_row(app, opp_id) == before


# ================================================================ 8. twenty concurrent saves of one form
def test_twenty_concurrent_saves_of_one_product_form_give_one_success_and_nineteen_conflicts(databases):
    from .test_portal import form_values

    app = build_app(databases.new_url())
    clients = _editor_clients(app, 20)
    first = clients[0]
    data = form_values(first.get("/fa/portal/products/0406/edit").get_data(as_text=True))
    before = product_row(app, "0406")
    audits = count(app, AuditEvent, AuditEvent.entity == "product", AuditEvent.entity_key == "0406")
    assert int(data["version"]) == before["version"]

    n = 20
    results = _race(databases, n, lambda i: clients[i].post("/fa/portal/products/0406/edit",
                                                          data={**data, "capacity": str(9000 + i)}))

    codes = [r[0] for r in results]
    ok = [i for i, c in enumerate(codes) if c in (200, 302)]
    assert len(ok) == 1 and codes.count(409) == n - 1, codes
    for status, body in results:
        if status == 409:
            assert "Someone else" in body or persian(body, 20)
    after = product_row(app, "0406")
    assert after["version"] == before["version"] + 1
    assert after["capacity"] == 9000 + ok[0]
    assert count(app, AuditEvent, AuditEvent.entity == "product", AuditEvent.entity_key == "0406") == audits + 1



def _editor_clients(app, n: int) -> list:
    """A signed-in agriculture editor (TOTP done once) and ``n`` clients sharing that session, for races."""
    from app.security.passwords import hash_password

    email = f"editor-{uuid.uuid4().hex[:6]}@example.org"
    with app.app_context():
        user = User(email=email, role="agency_editor", password_hash=hash_password("hostile password"),
                    agency=db.session.scalar(select(Agency).where(Agency.slug == AGRI)))
        user.totp_secret, user.totp_confirmed, user.recovery_codes = pyotp.random_base32(), True, []
        db.session.add(user)
        db.session.commit()
    first = app.test_client()
    assert sign_in(first, email, "hostile password").status_code == 302
    cookie = first.get_cookie("session")
    clients = [first]
    for _ in range(n - 1):
        c = app.test_client()
        c.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost", path=cookie.path or "/")
        clients.append(c)
    return clients


def _race(databases, n: int, send) -> list:
    """``send(i)`` n times at once on PostgreSQL (one after another on SQLite): (status, body) or the exception."""
    results: list = [None] * n

    def save(i):
        try:
            resp = send(i)
            results[i] = (resp.status_code, resp.get_data(as_text=True))
        except Exception as exc:  # noqa: BLE001 - an exception is a 500 a user would see
            results[i] = (repr(exc), "")

    if databases.is_postgres:
        barrier = threading.Barrier(n)

        def run(i):
            barrier.wait()
            save(i)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    else:
        for i in range(n):
            save(i)
    return results


@pytest.mark.parametrize("resource", ["products", "opportunities"])
def test_twenty_concurrent_api_patches_of_one_record_give_one_success_and_nineteen_conflicts(databases, resource):
    app = build_app(databases.new_url())
    clients = _editor_clients(app, 20)
    with app.app_context():
        agency = db.session.scalar(select(Agency).where(Agency.slug == AGRI))
        opp_id = db.session.scalars(select(Opportunity.id).where(Opportunity.agency_id == agency.id)
                                    .order_by(Opportunity.id)).first()
    if resource == "products":
        before = product_row(app, "0406")
        path, field, entity, key = "/api/v1/products/0406?lang=fa", "capacity", "product", "0406"
    else:
        before = opportunity_row(app, opp_id)
        path, field, entity, key = f"/api/v1/opportunities/{opp_id}?lang=fa", "jobs", "opportunity", before["ref"]
    audits = count(app, AuditEvent, AuditEvent.entity == entity, AuditEvent.entity_key == key)

    results = _race(databases, 20, lambda i: clients[i].patch(path, json={field: 9000 + i,
                                                                           "version": before["version"]}))
    codes = [r[0] for r in results]
    ok = [i for i, c in enumerate(codes) if c == 200]
    assert len(ok) == 1 and codes.count(409) == 19, codes
    for status, body in results:
        if status == 409:
            assert '"conflict"' in body
    after = product_row(app, "0406") if resource == "products" else opportunity_row(app, opp_id)
    assert after["version"] == before["version"] + 1 and after[field] == 9000 + ok[0]
    assert count(app, AuditEvent, AuditEvent.entity == entity, AuditEvent.entity_key == key) == audits + 1


def test_twenty_concurrent_creates_of_one_code_give_one_product_and_no_server_error(databases):
    """Each request sees the code free, so the unique key refuses all but one at flush (PostgreSQL) or the
    duplicate check refuses them (after the first commit): 400 or 409 in the user's language, never a 500."""
    app = build_app(databases.new_url())
    clients = _editor_clients(app, 20)
    code = next(FREE_CODES)

    def send(i):
        if i % 2:
            return clients[i].post("/api/v1/products?lang=fa", json=_base_product(code))
        return clients[i].post("/fa/portal/products/new", data=_base_product_form(code))

    results = _race(databases, 20, send)
    codes = [r[0] for r in results]
    assert sum(c in (201, 302) for c in codes) == 1 and all(c in (201, 302, 400, 409) for c in codes), codes
    for i, (status, body) in enumerate(results):
        if status in (400, 409):
            text = json.dumps(json.loads(body), ensure_ascii=False) if i % 2 else body
            assert persian(text, 5) and "Traceback" not in text
    assert count(app, Product, Product.code == code) == 1
