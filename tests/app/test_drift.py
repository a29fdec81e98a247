"""Regression tests for rules written twice whose copies drifted (issue "One place for every rule").

Every test goes through HTTP (Flask test client) or the CLI against a real, migrated and seeded
database, so they do not depend on how ``app/`` is laid out. Each one states the rule as the
stricter / documented copy has it; on the code these tests were written against, most of them fail.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, text, update

from app.extensions import db
from app.models import Agency, ImportJob, Opportunity, OutboxMessage, Product, ValueChain

from .conftest import build_app
from .conftest import sign_in as sign_in_as

AGRI = "agriculture_jihad"  # sectors agriculture and food: cheese (0406) is theirs, copper wire (7408) is not
IMT = "industry_mine_trade"  # metals, chemicals…: copper wire (7408) is theirs
COOP = "cooperatives"  # responsible agency of OPP-1404-025 (cheese, 0406)


# ---------------------------------------------------------------- helpers
def signed_in(app, make_user, role, agency=None, lang="en"):
    client = app.test_client()
    _, email, password = make_user(role=role, agency=agency)
    resp = sign_in_as(client, email, password, lang=lang)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client


class _Form(HTMLParser):
    """What a browser submits from each ``method=post`` form of a page (textareas included)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.data: dict = {}
        self.state = 0  # 1 inside a post form
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.state, self.data = 1, {}
            self.forms.append(self.data)
        if self.state != 1:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "y"))
            elif kind not in ("submit", "button"):
                self.data[name] = a.get("value", "")
        elif tag == "select":
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self.state == 1 and self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.state == 1:
            self.state = 0


def form_values(html: str, having: str = "version") -> dict:
    """The fields of the first post form that has an input named ``having``."""
    reader = _Form()
    reader.feed(html)
    [data] = [f for f in reader.forms if having in f][:1] or [{}]
    data.pop("csrf_token", None)
    return data


def opp_row(app, ref):
    with app.app_context():
        o = db.session.scalar(select(Opportunity).where(Opportunity.ref == ref))
        return {"id": o.id, "version": o.version, "product": o.product.code, "status": o.status,
                "agency": o.agency.slug, "published_at": o.published_at}


def product_row(app, code):
    with app.app_context():
        p = db.session.scalar(select(Product).where(Product.code == code))
        return {"version": p.version, "agency": p.agency.slug if p.agency else None,
                "chains": sorted(c.slug for c in p.chains), "capacity": p.capacity}


def upload(client, data: bytes, name: str, kind: str, lang: str = "en"):
    return client.post(f"/{lang}/portal/transfer/", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def job_problems(app, resp):
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    job_id = int(re.search(r"/jobs/(\d+)", resp.headers["Location"]).group(1))
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        return job_id, job.status, list(job.problems or [])


def exported(client, kind: str) -> tuple[list[str], list[dict]]:
    body = client.get(f"/en/portal/transfer/export/{kind}.csv").get_data(as_text=True).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(body))
    return list(reader.fieldnames), list(reader)


def to_csv(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def outbox_subjects(app):
    with app.app_context():
        return [m.subject for m in db.session.scalars(select(OutboxMessage))]


# ---------------------------------------------------------------- a shared, read-mostly world
@pytest.fixture(scope="module")
def world(databases):
    """One seeded app with a signed-in client per role; tests here only read (or write nothing)."""
    import pyotp

    from app.models import User
    from app.security.passwords import hash_password

    app = build_app(databases.new_url())
    roles = {"investor": None, "desk_staff": None, "owning_editor": COOP, "other_editor": IMT,
             "hq": None, "admin": None}
    clients = {"anonymous": app.test_client()}
    for name, agency in roles.items():
        role = "agency_editor" if agency else name
        email = f"{name}-{uuid.uuid4().hex[:6]}@example.org"
        with app.app_context():
            user = User(email=email, role=role, password_hash=hash_password("drift password 1"),
                        email_confirmed=True,
                        agency=db.session.scalar(select(Agency).where(Agency.slug == agency)) if agency else None)
            if role != "investor":
                user.totp_secret, user.totp_confirmed, user.recovery_codes = pyotp.random_base32(), True, []
            db.session.add(user)
            db.session.commit()
        client = app.test_client()
        resp = sign_in_as(client, email, "drift password 1")
        assert resp.status_code == 302, (name, resp.get_data(as_text=True)[:300])
        clients[name] = client
    yield app, clients
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# ================================================================ 1. an editor's remit over an opportunity's product
@pytest.mark.parametrize("ref", ["OPP-1404-025", "OPP-1404-024"], ids=["other_agencys_opp", "own_opp"])
def test_api_patch_refuses_moving_an_opportunity_onto_a_product_outside_the_editors_remit(fresh_app, make_user, ref):
    editor = signed_in(fresh_app, make_user, "agency_editor", AGRI)
    before = opp_row(fresh_app, ref)
    assert before["product"] == "0406"  # within the agriculture editor's remit, so they may edit it
    resp = editor.patch(f"/api/v1/opportunities/{before['id']}?lang=en",
                        json={"version": before["version"], "product": "7408"})
    assert resp.status_code in (400, 403), (resp.status_code, resp.get_data(as_text=True)[:300])
    if resp.status_code == 400:
        assert "product" in [f["field"] for f in resp.get_json()["error"]["fields"]]
    assert opp_row(fresh_app, ref) == before


@pytest.mark.parametrize("ref", ["OPP-1404-025", "OPP-1404-024"], ids=["other_agencys_opp", "own_opp"])
def test_portal_form_refuses_moving_an_opportunity_onto_a_product_outside_the_editors_remit(
        fresh_app, make_user, ref):
    editor = signed_in(fresh_app, make_user, "agency_editor", AGRI)
    before = opp_row(fresh_app, ref)
    url = f"/en/portal/opportunities/{before['id']}/edit"
    data = form_values(editor.get(url).get_data(as_text=True), having="product")
    assert data["product"] == "0406" and str(data["version"]) == str(before["version"])
    resp = editor.post(url, data={**data, "product": "7408"})
    assert resp.status_code in (400, 403), resp.status_code
    assert opp_row(fresh_app, ref) == before
    # Control: the very same form, product untouched, is accepted (so the refusal above is the product's).
    assert editor.post(url, data=data).status_code == 302


# ================================================================ 2. import: chains and provenance agency
def _agri_0406(client):
    header, rows = exported(client, "products")
    [row] = [r for r in rows if r["code"] == "0406"]
    return header, row


def test_portal_import_refuses_putting_a_product_into_another_agencys_chain(fresh_app, make_user):
    editor = signed_in(fresh_app, make_user, "agency_editor", AGRI)
    with fresh_app.app_context():
        copper = db.session.scalar(select(ValueChain).where(ValueChain.slug == "copper"))
        assert copper.agency is not None and copper.agency.slug != AGRI
    # The portal's own way in refuses: the chain is not theirs.
    assert editor.post("/en/portal/chains/copper/products", data={"code": "0406"}).status_code == 404
    before = product_row(fresh_app, "0406")
    header, row = _agri_0406(editor)
    row["chains"] = "|".join([*filter(None, row["chains"].split("|")), "copper"])
    job_id, status, problems = job_problems(fresh_app, upload(editor, to_csv(header, [row]), "chains.csv",
                                                              "products"))
    editor.post(f"/en/portal/transfer/jobs/{job_id}/import")
    assert product_row(fresh_app, "0406")["chains"] == before["chains"]
    assert status == "failed" and [p["column"] for p in problems] == ["chains"], problems


def test_portal_import_refuses_naming_another_agency_as_a_products_source(fresh_app, make_user):
    editor = signed_in(fresh_app, make_user, "agency_editor", AGRI)
    before = product_row(fresh_app, "0406")
    header, row = _agri_0406(editor)
    row["agency"] = IMT
    job_id, status, problems = job_problems(fresh_app, upload(editor, to_csv(header, [row]), "agency.csv",
                                                              "products"))
    editor.post(f"/en/portal/transfer/jobs/{job_id}/import")
    assert product_row(fresh_app, "0406")["agency"] == before["agency"]
    assert status == "failed" and [p["column"] for p in problems] == ["agency"], problems


def test_cli_import_as_an_agency_refuses_another_agencys_chain_and_source(fresh_app, tmp_path):
    runner = fresh_app.test_cli_runner()
    out = tmp_path / "agri.csv"
    assert runner.invoke(args=["data", "export", "products", "--agency", AGRI, "-o", str(out)]).exit_code == 0
    reader = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    [row] = [r for r in reader if r["code"] == "0406"]
    before = product_row(fresh_app, "0406")
    row["chains"] = "|".join([*filter(None, row["chains"].split("|")), "copper"])
    row["agency"] = IMT
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv(list(reader.fieldnames), [row]))
    result = runner.invoke(args=["data", "import", "products", str(bad), "--agency", AGRI])
    assert product_row(fresh_app, "0406") == before
    assert result.exit_code == 1, result.output
    assert "chains" in result.output and "agency" in result.output


# ================================================================ 3. import: the opportunity lifecycle and alerts
@pytest.mark.parametrize("ref, was, want", [("OPP-1404-032", "closed", "published"),
                                            ("OPP-1403-012", "draft", "closed")])
def test_import_refuses_a_status_change_the_lifecycle_forbids(fresh_app, make_user, ref, was, want):
    hq = signed_in(fresh_app, make_user, "hq")
    before = opp_row(fresh_app, ref)
    assert before["status"] == was
    # The API refuses this very move.
    api = hq.patch(f"/api/v1/opportunities/{before['id']}", json={"version": before["version"], "status": want})
    assert api.status_code == 400
    header, rows = exported(hq, "opportunities")
    [row] = [r for r in rows if r["ref"] == ref]
    row["status"] = want
    job_id, status, problems = job_problems(fresh_app, upload(hq, to_csv(header, [row]), "status.csv",
                                                              "opportunities"))
    hq.post(f"/en/portal/transfer/jobs/{job_id}/import")
    assert opp_row(fresh_app, ref) == before
    assert status == "failed" and [p["column"] for p in problems] == ["status"], problems


def test_cli_import_refuses_reopening_a_closed_opportunity(fresh_app, tmp_path):
    runner = fresh_app.test_cli_runner()
    out = tmp_path / "opps.csv"
    assert runner.invoke(args=["data", "export", "opportunities", "-o", str(out)]).exit_code == 0
    reader = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    [row] = [r for r in reader if r["ref"] == "OPP-1404-032"]
    row["status"] = "published"
    bad = tmp_path / "reopen.csv"
    bad.write_bytes(to_csv(list(reader.fieldnames), [row]))
    before = opp_row(fresh_app, "OPP-1404-032")
    result = runner.invoke(args=["data", "import", "opportunities", str(bad)])
    assert opp_row(fresh_app, "OPP-1404-032") == before
    assert result.exit_code == 1, result.output


def test_publishing_through_the_import_queues_alerts_like_the_portal_publish(fresh_app, make_user):
    fresh_app.config["PANJEREH_ALERT_THRESHOLD"] = 0.3
    investor = signed_in(fresh_app, make_user, "investor", lang="fa")
    investor.post("/fa/match", data={"applicant_type": "cooperative", "capital": "۵۰", "capital_unit": "billion",
                                     "skills": "تولید لبنیات و پنیر", "products": "0401", "alerts": "y"})
    hq = signed_in(fresh_app, make_user, "hq", lang="fa")
    title = "کارگاه پنیر تعاونی در سراب"
    resp = hq.post("/fa/portal/opportunities/new", data={
        "title_fa": title, "title_en": "Cooperative cheese workshop in Sarab", "product": "0406",
        "county": "sarab", "agency": AGRI, "investment_min_rials": "20000000000",
        "investment_max_rials": "45000000000", "jobs": "15", "suited_for": ["cooperative", "individual"],
        "description_fa": "پنیر لیقوان و سنتی از شیر دامداران سراب", "share_bank": "50"})
    assert resp.status_code == 302
    opp_id = int(resp.headers["Location"].rstrip("/").split("/")[-2])
    with fresh_app.app_context():
        ref = db.session.get(Opportunity, opp_id).ref
    assert not [s for s in outbox_subjects(fresh_app) if title in s]
    header, rows = exported(hq, "opportunities")
    [row] = [r for r in rows if r["ref"] == ref]
    assert row["status"] == "draft"
    row["status"] = "published"
    job_id, status, problems = job_problems(fresh_app, upload(hq, to_csv(header, [row]), "publish.csv",
                                                              "opportunities"))
    assert status != "failed", problems
    hq.post(f"/en/portal/transfer/jobs/{job_id}/import")
    now = opp_row(fresh_app, ref)
    assert now["status"] == "published" and now["published_at"] is not None
    assert [s for s in outbox_subjects(fresh_app) if title in s], "no alert queued when the import published"


# ================================================================ 4. removing a product from a chain checks the version
def test_removing_a_product_from_a_chain_with_a_stale_version_is_a_conflict(fresh_app, make_user):
    hq = signed_in(fresh_app, make_user, "hq")
    assert "dairy" in product_row(fresh_app, "0406")["chains"]
    page = form_values(hq.get("/en/portal/chains/dairy").get_data(as_text=True), having="name_fa")
    stale = int(page["version"])
    # Someone else changes the chain in the meantime.
    with fresh_app.app_context():
        db.session.execute(update(ValueChain).where(ValueChain.slug == "dairy")
                           .values(version=ValueChain.version + 1))
        db.session.commit()
    resp = hq.post("/en/portal/chains/dairy/products/0406/remove", data={"version": stale})
    assert "dairy" in product_row(fresh_app, "0406")["chains"]
    assert resp.status_code == 409


# ================================================================ 5. a retired chain is hidden everywhere
def test_a_retired_chain_is_hidden_from_the_api_as_from_the_pages(fresh_app, make_user):
    hq = signed_in(fresh_app, make_user, "hq")
    with fresh_app.app_context():
        version = db.session.scalar(select(ValueChain.version).where(ValueChain.slug == "dairy"))
    assert hq.post("/en/portal/chains/dairy/retire", data={"version": version}).status_code == 302
    anon = fresh_app.test_client()
    assert anon.get("/en/chains/dairy").status_code == 404
    listed = [c["slug"] for c in anon.get("/api/v1/chains").get_json()["data"]]
    assert "dairy" not in listed
    assert anon.get("/api/v1/chains/dairy").status_code == 404


# ================================================================ 6. who may see an opportunity's applicants
ROLES = ["anonymous", "investor", "desk_staff", "owning_editor", "other_editor", "hq", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_the_applicants_of_an_opportunity_are_shown_to_the_same_roles_on_page_and_api(world, role):
    app, clients = world
    client = clients[role]
    opp = opp_row(app, "OPP-1404-025")  # responsible agency: cooperatives
    page = client.get(f"/en/portal/opportunities/{opp['id']}/applicants")
    api = client.get(f"/api/v1/opportunities/{opp['id']}/applicants")
    assert page.status_code < 500 and api.status_code < 500
    page_ok, api_ok = page.status_code == 200, api.status_code == 200
    assert page_ok == api_ok, (role, page.status_code, api.status_code)
    expected = role in ("owning_editor", "hq", "admin")
    assert page_ok == expected and api_ok == expected, (role, page.status_code, api.status_code)


# ================================================================ 7. one applicant profile, one validation
VALID_FORM = {"applicant_type": "cooperative", "capital": "50", "capital_unit": "billion",
              "skills": "dairy and cheese making", "products": "0401"}
VALID_JSON = {"applicant_type": "cooperative", "capital_rials": 50 * 10**9, "skills": "dairy and cheese making",
              "products": ["0401"], "lang": "en"}

# (case id, form overrides, JSON overrides): each pair describes the same profile.
PROFILE_CASES = [
    ("valid", {}, {}),
    ("capital_at_the_limit", {"capital": "100000000000000000", "capital_unit": "rials"}, {"capital_rials": 10**17}),
    ("capital_just_above_the_limit", {"capital": "100000000000000001", "capital_unit": "rials"},
     {"capital_rials": 10**17 + 1}),
    ("capital_zero", {"capital": "0"}, {"capital_rials": 0}),
    ("unknown_product", {"products": "9999"}, {"products": ["9999"]}),
    ("product_in_persian_digits", {"products": "۰۴۰۶"}, {"products": ["۰۴۰۶"]}),
    ("unknown_sector", {"sectors": ["nowhere"]}, {"sectors": ["nowhere"]}),
    ("sector_by_english_name", {"sectors": ["Food and agro-processing industries"]},
     {"sectors": ["Food and agro-processing industries"]}),
    ("sector_by_persian_name", {"sectors": ["صنایع غذایی و تبدیلی"]}, {"sectors": ["صنایع غذایی و تبدیلی"]}),
    ("unknown_county", {"counties": ["atlantis"]}, {"counties": ["atlantis"]}),
    ("county_by_persian_name", {"counties": ["تبریز"]}, {"counties": ["تبریز"]}),
    ("county_slug_in_capitals", {"counties": ["TABRIZ"]}, {"counties": ["TABRIZ"]}),
    ("skills_2000_chars", {"skills": "x" * 2000}, {"skills": "x" * 2000}),
    ("skills_2001_chars", {"skills": "x" * 2001}, {"skills": "x" * 2001}),
    ("applicant_type_in_persian", {"applicant_type": "تعاونی"}, {"applicant_type": "تعاونی"}),
    ("applicant_type_missing", {"applicant_type": ""}, {"applicant_type": None}),
]


def _json_profile(over):
    body = {**VALID_JSON, **over}
    return {k: v for k, v in body.items() if v is not None}


@pytest.mark.parametrize("case, form_over, json_over", PROFILE_CASES, ids=[c[0] for c in PROFILE_CASES])
def test_the_match_form_the_desk_and_the_api_accept_and_refuse_the_same_profiles(world, case, form_over,
                                                                                   json_over):
    app, clients = world
    form = {**VALID_FORM, **form_over}
    self_service = clients["anonymous"].post("/en/match", data=form)
    api = clients["anonymous"].post("/api/v1/match", json=_json_profile(json_over))
    with app.app_context():
        applicants_before = db.session.execute(text("SELECT count(*) FROM applicants")).scalar()
    desk = clients["desk_staff"].post("/en/desk/", data={**form, "lang": "en", "name": "Drift test"})
    with app.app_context():  # leave the shared world as it was
        db.session.execute(text("DELETE FROM applicants WHERE name = 'Drift test'"))
        db.session.commit()
        assert db.session.execute(text("SELECT count(*) FROM applicants")).scalar() == applicants_before
    outcomes = {"/en/match": {200: "accepted", 400: "refused"}.get(self_service.status_code, self_service.status_code),
                "/en/desk/": {302: "accepted", 400: "refused"}.get(desk.status_code, desk.status_code),
                "/api/v1/match": {200: "accepted", 400: "refused"}.get(api.status_code, api.status_code)}
    assert len(set(outcomes.values())) == 1, outcomes
    if case == "valid":
        assert outcomes["/api/v1/match"] == "accepted"


# ================================================================ 8. one envelope, one set of error codes
def test_the_match_endpoint_answers_inside_the_data_envelope(client):
    resp = client.post("/api/v1/match", json=VALID_JSON)
    assert resp.status_code == 200
    body = resp.get_json()
    assert set(body) <= {"data", "meta"} and "data" in body, sorted(body)
    assert {"matches", "excluded"} <= set(body["data"])


def _error(resp):
    assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
    return resp.get_json()["error"]


def test_a_validation_failure_has_the_same_code_and_shape_on_match_and_on_a_write(world):
    app, clients = world
    hq = clients["hq"]
    opp = opp_row(app, "OPP-1404-025")
    write = _error(hq.patch(f"/api/v1/opportunities/{opp['id']}?lang=en",
                            json={"version": opp["version"], "jobs": "many"}))
    match = _error(hq.post("/api/v1/match?lang=en", json={**VALID_JSON, "capital_rials": "many"}))
    # api_write.py (products and opportunities, the majority) says "invalid" with "fields".
    assert write["code"] == "invalid"
    assert match["code"] == write["code"], (match["code"], write["code"])
    assert set(match) == set(write)
    assert isinstance(match["fields"], list) and isinstance(write["fields"], list)
    assert {frozenset(f) for f in match["fields"]} == {frozenset(f) for f in write["fields"]}
    assert opp_row(app, "OPP-1404-025") == opp


def test_an_unknown_field_is_refused_the_same_way_on_match_and_on_a_write(world):
    app, clients = world
    hq = clients["hq"]
    opp = opp_row(app, "OPP-1404-025")
    write = _error(hq.patch(f"/api/v1/opportunities/{opp['id']}?lang=en",
                            json={"version": opp["version"], "capitol": 5}))
    match = hq.post("/api/v1/match?lang=en", json={**VALID_JSON, "capitol": 5})
    match = _error(match)
    assert match["code"] == write["code"]
    assert [(f["field"], f["code"]) for f in match["fields"]] == [(f["field"], f["code"]) for f in write["fields"]]
    assert opp_row(app, "OPP-1404-025") == opp


def test_a_body_that_is_not_a_json_object_gets_the_same_code_on_match_and_on_a_write(world):
    app, clients = world
    hq = clients["hq"]
    opp = opp_row(app, "OPP-1404-025")
    write = _error(hq.patch(f"/api/v1/opportunities/{opp['id']}", data="[1, 2]", content_type="application/json"))
    match = _error(hq.post("/api/v1/match", data="[1, 2]", content_type="application/json"))
    simulate = _error(hq.post("/api/v1/simulate", data="[1, 2]", content_type="application/json"))
    assert match["code"] == write["code"] == simulate["code"] == "invalid_json"


# ================================================================ 9. GET carries each record's version
def test_get_responses_carry_each_records_version(world):
    app, clients = world
    anon = clients["anonymous"]
    opp = opp_row(app, "OPP-1404-025")
    missing = {}
    listed = anon.get("/api/v1/opportunities?per_page=5").get_json()["data"]
    missing["GET /api/v1/opportunities"] = [o["id"] for o in listed if "version" not in o]
    one = anon.get(f"/api/v1/opportunities/{opp['id']}").get_json()["data"]
    missing["GET /api/v1/opportunities/<id>"] = [] if one.get("version") == opp["version"] else [one.get("version")]
    chains = anon.get("/api/v1/chains").get_json()["data"]
    missing["GET /api/v1/chains"] = [c["slug"] for c in chains if "version" not in c]
    chain = anon.get("/api/v1/chains/dairy").get_json()["data"]
    missing["GET /api/v1/chains/<slug>"] = [] if "version" in chain else ["dairy"]
    missing["GET /api/v1/chains/<slug> nodes"] = [n["code"] for n in chain["nodes"] if "version" not in n]
    with app.app_context():
        version = db.session.scalar(select(Product.version).where(Product.code == "0406"))
    product = anon.get("/api/v1/products/0406")
    missing["GET /api/v1/products/<code>"] = ([] if product.status_code == 200
                                              and product.get_json()["data"].get("version") == version
                                              else [product.status_code])
    assert not any(missing.values()), {k: v for k, v in missing.items() if v}


# ================================================================ 10. one product representation
def test_products_have_the_same_keys_wherever_the_api_shows_them(world):
    app, clients = world
    anon, hq = clients["anonymous"], clients["hq"]
    opp = opp_row(app, "OPP-1404-025")
    shapes = {}
    with app.app_context():
        version = db.session.scalar(select(Product.version).where(Product.code == "0406"))
    # The write endpoints' answer (PATCH with no change still answers with the product).
    patched = hq.patch("/api/v1/products/0406", json={"version": version})
    assert patched.status_code == 200, patched.get_data(as_text=True)[:300]
    shapes["PATCH /api/v1/products/<code>"] = set(patched.get_json()["data"])
    chain = anon.get("/api/v1/chains/dairy").get_json()["data"]
    shapes["GET /api/v1/chains/<slug> nodes"] = set(next(n for n in chain["nodes"] if n["code"] == "0406"))
    product = anon.get(f"/api/v1/opportunities/{opp['id']}").get_json()["data"]["product"]
    shapes["GET /api/v1/opportunities/<id> product"] = set(product) if isinstance(product, dict) else {
        f"<{type(product).__name__}>"}
    got = anon.get("/api/v1/products/0406")
    shapes["GET /api/v1/products/<code>"] = (set(got.get_json()["data"]) if got.status_code == 200
                                             else {f"<HTTP {got.status_code}>"})
    reference = shapes["PATCH /api/v1/products/<code>"]
    differ = {where: {"missing": sorted(reference - keys), "extra": sorted(keys - reference)}
              for where, keys in shapes.items() if keys != reference}
    assert not differ, differ
