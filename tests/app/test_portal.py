"""The agency portal and the API's writes: scoping, lost updates, CSRF, soft retiring, audit, validation."""

from __future__ import annotations

import re
import uuid
from html import unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Link, Opportunity, OutboxMessage, Product, User

from .conftest import build_app
from .conftest import sign_in as sign_in_as

AGRI = "agriculture_jihad"  # sectors agriculture and food: cheese (0406) is theirs, copper (7403) is not


def sign_in(app, make_user, role, agency=None):
    client = app.test_client()
    uid, email, password = make_user(role=role, agency=agency)
    resp = sign_in_as(client, email, password, lang="fa")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client


class _FormReader(HTMLParser):
    """The values a browser would submit from the first POST form of a page."""

    def __init__(self):
        super().__init__()
        self.data: dict = {}
        self.forms = 0
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self.forms += 1
        if self.forms != 1:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data.setdefault(a["name"], []).append(a.get("value", ""))
            else:
                self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.select = None
            if a.get("name"):
                self.textarea = a["name"]
                self.data[a["name"]] = ""

    def handle_data(self, data):
        if getattr(self, "textarea", None):
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and getattr(self, "textarea", None):
            self.data[self.textarea] = self.data[self.textarea].removeprefix("\r\n").removeprefix("\n")
            self.textarea = None
        if tag == "select":
            self.select = None
        if tag == "form" and self.forms == 1:
            self.forms = 2


def form_values(html: str) -> dict:
    data = form_values_all(html)
    data.pop("csrf_token", None)
    return data


def form_values_all(html: str) -> dict:
    """Every named input of a page, the CSRF token included."""
    reader = _FormReader()
    reader.feed(html)
    return reader.data


def product_form(client, code, lang="fa"):
    """What the edit form shows: every field's value, the version included."""
    return form_values(client.get(f"/{lang}/portal/products/{code}/edit").get_data(as_text=True))


def stored(app, code):
    with app.app_context():
        p = db.session.scalar(select(Product).where(Product.code == code))
        return {"capacity": p.capacity, "output": p.output, "version": p.version, "retired": p.retired,
                "illustrative": p.illustrative, "name_fa": p.name_fa}


def events(app, **where):
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return [(e.action, e.entity, e.entity_key, e.before, e.after) for e in db.session.scalars(stmt)]


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- scoping
def test_an_editor_cannot_change_another_agencys_records_by_form_or_api_even_guessing_ids(fresh_app, make_user):
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    with fresh_app.app_context():
        copper_opp = db.session.scalar(select(Opportunity).where(Opportunity.ref == "OPP-1403-001")).id
        copper_link = db.session.scalar(select(Link.id).join(Product, Product.id == Link.user_id)
                                        .where(Product.code == "7403"))
    before = stored(fresh_app, "7403")
    assert client.get("/fa/portal/products/7403/edit").status_code == 404
    assert client.post("/fa/portal/products/7403/edit", data={"capacity": "1", "version": before["version"]}
                       ).status_code == 404
    assert client.post("/fa/portal/products/7403/retire", data={"version": before["version"]}).status_code == 404
    assert client.get(f"/fa/portal/links/{copper_link}/edit").status_code == 404
    assert client.post(f"/fa/portal/links/{copper_link}/retire", data={"version": 1}).status_code == 404
    assert client.get(f"/fa/portal/opportunities/{copper_opp}/edit").status_code == 404
    assert client.post(f"/fa/portal/opportunities/{copper_opp}/close", data={"version": 1}).status_code == 404
    assert client.post("/fa/portal/chains/copper/retire", data={"version": 1}).status_code == 404
    api = client.patch("/api/v1/products/7403", json={"capacity": 1, "version": before["version"]})
    assert api.status_code == 404 and "7403" not in api.get_data(as_text=True)
    assert client.patch(f"/api/v1/opportunities/{copper_opp}", json={"jobs": 1, "version": 1}).status_code == 404
    # Nor can they move a product into a sector they do not maintain.
    own = product_form(client, "0406")
    resp = client.post("/fa/portal/products/0406/edit", data={**own, "sector": "metals"})
    assert resp.status_code == 400 and "بخش" in resp.get_data(as_text=True)
    assert stored(fresh_app, "7403") == before and stored(fresh_app, "0406")["illustrative"]
    assert client.get("/fa/portal/products?q=7403").get_data(as_text=True).count('id="product-7403"') == 0
    # Roles that edit nothing are refused; anonymous callers must sign in.
    investor = sign_in(fresh_app, make_user, "investor")
    assert investor.get("/fa/portal/").status_code == 403
    assert investor.patch("/api/v1/products/0406", json={"version": 1}).status_code == 403
    assert fresh_app.test_client().patch("/api/v1/products/0406", json={"version": 1}).status_code == 401


def test_an_editor_changes_their_own_product_which_is_then_no_longer_illustrative(fresh_app, make_user):
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    data = product_form(client, "0406")
    resp = client.post("/fa/portal/products/0406/edit",
                       data={**data, "capacity": "۹٬۰۰۰", "source": "آمار جهاد کشاورزی", "as_of": "1404/01/15"})
    assert resp.status_code == 302
    now = stored(fresh_app, "0406")
    assert now["capacity"] == 9000 and not now["illustrative"] and now["version"] == int(data["version"]) + 1


# ---------------------------------------------------------------- lost updates
def test_the_second_of_two_saves_from_the_same_version_is_refused_with_the_stored_values(fresh_app, make_user):
    first = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    second = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    form_a, form_b = product_form(first, "0406"), product_form(second, "0406")
    assert form_a["version"] == form_b["version"]
    assert first.post("/fa/portal/products/0406/edit", data={**form_a, "capacity": "8111"}).status_code == 302
    resp = second.post("/fa/portal/products/0406/edit", data={**form_b, "capacity": "7999"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "فرد دیگری" in html
    assert re.search(r'class="typed">7999<', html) and re.search(r'class="current">8111<', html)
    assert stored(fresh_app, "0406")["capacity"] == 8111
    # The API refuses a stale version the same way and answers with what is stored.
    api = second.patch("/api/v1/products/0406?lang=en", json={"capacity": 7000, "version": int(form_b["version"])})
    assert api.status_code == 409
    body = api.get_json()["error"]
    assert body["code"] == "conflict" and body["current"]["capacity"] == 8111
    assert stored(fresh_app, "0406")["capacity"] == 8111


def test_the_api_changes_a_product_with_the_version_it_read(fresh_app, make_user):
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    version = stored(fresh_app, "0406")["version"]
    missing = client.patch("/api/v1/products/0406?lang=en", json={"capacity": 9000})
    assert missing.status_code == 400 and missing.get_json()["error"]["fields"][0]["field"] == "version"
    resp = client.patch("/api/v1/products/0406", json={"capacity": 9000, "version": version})
    assert resp.status_code == 200
    data = resp.get_json()["data"]
    assert data["capacity"] == 9000 and data["version"] == version + 1 and not data["provenance"]["illustrative"]


# ---------------------------------------------------------------- CSRF
def test_portal_forms_and_api_writes_without_a_csrf_token_are_refused(databases):
    import pyotp

    from app.models import Agency
    from app.security.passwords import hash_password

    app = build_app(databases.new_url(), WTF_CSRF_ENABLED=True)
    email, secret = f"editor-{uuid.uuid4().hex[:6]}@example.org", pyotp.random_base32()
    with app.app_context():
        db.session.add(User(email=email, role="agency_editor", password_hash=hash_password("correct horse battery"),
                            totp_secret=secret, totp_confirmed=True, recovery_codes=[],
                            agency=db.session.scalar(select(Agency).where(Agency.slug == AGRI))))
        db.session.commit()
    client = app.test_client()

    def token(url):
        return form_values_all(client.get(url).get_data(as_text=True))["csrf_token"]

    resp = client.post("/fa/login", data={"email": email, "password": "correct horse battery",
                                          "csrf_token": token("/fa/login")})
    assert resp.status_code == 302
    if "/login/2fa" in resp.headers["Location"]:
        resp = client.post("/fa/login/2fa", data={"code": pyotp.TOTP(secret).now(),
                                                  "csrf_token": token("/fa/login/2fa")})
    assert resp.status_code == 302
    before = stored(app, "0406")
    resp = client.post("/fa/portal/products/0406/retire", data={"version": before["version"]})
    assert resp.status_code == 400
    api = client.patch("/api/v1/products/0406", json={"capacity": 9000, "version": before["version"]})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "csrf"
    assert stored(app, "0406") == before
    token = client.get("/api/v1/session/csrf").get_json()["data"]["csrf_token"]
    ok = client.patch("/api/v1/products/0406", json={"capacity": 9000, "version": before["version"]},
                      headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- retiring
def test_retiring_a_product_is_soft_hides_it_from_public_lists_and_recomputes_the_gaps(fresh_app, make_user):
    from app.services.gaps import province_gaps

    with fresh_app.app_context():
        gap = next(g for g in province_gaps()
                   if db.session.scalar(select(Product).where(Product.code == g.product)).sector.slug == "food")
        chain = gap.chains[0]
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    anchor = f'id="gap-{gap.product}"'  # one gap, one row per product
    assert anchor in gap_pages(fresh_app.test_client(), gap.kind)
    version = stored(fresh_app, gap.product)["version"]
    assert client.post(f"/fa/portal/products/{gap.product}/retire", data={"version": version}).status_code == 302
    assert stored(fresh_app, gap.product)["retired"]  # the row is still there
    with fresh_app.app_context():
        assert all(g.product != gap.product for g in province_gaps())
    public = fresh_app.test_client()
    codes = [n["code"] for n in public.get(f"/api/v1/chains/{chain}").get_json()["data"]["nodes"]]
    assert gap.product not in codes
    assert anchor not in gap_pages(public, gap.kind)
    assert events(fresh_app, entity="product", action="retire")[-1][3:] == ({"retired": False}, {"retired": True})
    version = stored(fresh_app, gap.product)["version"]
    assert client.post(f"/fa/portal/products/{gap.product}/unretire", data={"version": version}).status_code == 302
    with fresh_app.app_context():
        assert any(g.product == gap.product for g in province_gaps())


def gap_pages(client, kind) -> str:
    """Every page of the public missing-links list of one kind, joined."""
    pages, page = [], 1
    while (resp := client.get(f"/fa/gaps?kind={kind}&page={page}")).status_code == 200:
        pages.append(resp.get_data(as_text=True))
        page += 1
    return "".join(pages)


# ---------------------------------------------------------------- audit
def test_every_change_writes_an_audit_event_with_before_and_after(fresh_app, make_user):
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    data = product_form(client, "0406")
    old = stored(fresh_app, "0406")
    client.post("/fa/portal/products/0406/edit", data={**data, "capacity": "8500"})
    action, entity, key, before, after = events(fresh_app, entity="product")[-1]
    assert (action, key) == ("update", "0406")
    assert before["capacity"] == old["capacity"] and after["capacity"] == 8500
    assert before["illustrative"] is True and after["illustrative"] is False
    with fresh_app.app_context():
        link = db.session.scalar(select(Link).join(Product, Product.id == Link.user_id).where(Product.code == "0406"))
        link_id, link_version, coefficient = link.id, link.version, link.coefficient
    resp = client.post(f"/en/portal/links/{link_id}/edit", data={"coefficient": "0.5", "source": "survey",
                                                                  "as_of": "2025-03-01", "version": link_version})
    assert resp.status_code == 302
    action, entity, key, before, after = events(fresh_app, entity="link")[-1]
    assert action == "update" and before["coefficient"] == coefficient and after["coefficient"] == 0.5
    resp = client.post("/en/portal/opportunities/new", data={
        "title_fa": "تولید پنیر سنتی لیقوان", "title_en": "Traditional Liqvan cheese", "product": "0406",
        "county": "tabriz", "investment_min_rials": "20000000000", "investment_max_rials": "40000000000",
        "jobs": "12", "suited_for": ["cooperative"], "share_bank": "60", "share_leasing": "20"})
    assert resp.status_code == 302
    action, entity, key, before, after = events(fresh_app, entity="opportunity")[-1]
    assert action == "create" and after["title_en"] == "Traditional Liqvan cheese"
    assert after["financing_bp"] == {"bank": 6000, "leasing": 2000} and after["status"] == "draft"
    with fresh_app.app_context():
        assert all(e.user.role == "agency_editor" for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity.in_(("product", "link", "opportunity")))))


# ---------------------------------------------------------------- validation
def test_validation_errors_are_shown_in_persian_on_their_fields_and_nothing_is_written(fresh_app, make_user):
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    products, audits = count(fresh_app, Product), count(fresh_app, AuditEvent)
    resp = client.post("/fa/portal/products/new", data={
        "code": "7499", "nomenclature": "hs", "name_fa": "آزمایشی", "name_en": "Test", "sector": "food",
        "stage": "final", "unit": "tonne", "capacity": "100", "output": "۲۰۰", "jobs": "-3", "as_of": "1403/13/40"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "کد ۷۴۹۹ در فهرست نظام هماهنگ (HS) نیست" in html
    assert "از ظرفیت" in html and "نمی‌تواند منفی باشد" in html and "معتبر نیست" in html
    assert re.search(r'id="output-error">[^<]*ظرفیت', html) and re.search(r'id="jobs-error">[^<]*منفی', html)
    assert count(fresh_app, Product) == products and count(fresh_app, AuditEvent) == audits
    api = client.post("/api/v1/products?lang=fa", json={"code": "7499", "name_fa": "x", "name_en": "x",
                                                        "sector": "food", "stage": "final"})
    fields = {f["field"]: f for f in api.get_json()["error"]["fields"]}
    assert api.status_code == 400 and fields["code"]["code"] == "unknown_hs_code"
    assert "۷۴۹۹" in fields["code"]["message"]
    created = client.post("/api/v1/products", json={"code": "0408", "name_fa": "تخم پرندگان بدون پوست",
                                                    "name_en": "Birds eggs, not in shell",
                                                    "sector": "food", "stage": "final", "capacity": 10, "output": 5})
    assert created.status_code == 201 and created.get_json()["data"]["provenance"]["agency"] == AGRI
    # A link: no self-link, no duplicate, no loop; errors in the page's language.
    assert "نمی‌تواند تأمین‌کنندهٔ خودش باشد" in client.post(
        "/fa/portal/products/0406/links", data={"supplier": "0406", "coefficient": "1"}).get_data(as_text=True)
    assert "already an input" in client.post(
        "/en/portal/products/0406/links", data={"supplier": "0401", "coefficient": "1"}).get_data(as_text=True)
    loop = client.post("/fa/portal/products/0401/links", data={"supplier": "0406", "coefficient": "0.1"})
    assert loop.status_code == 400 and "حلقه" in loop.get_data(as_text=True)
    # Opportunities: min above max, shares above 100% — field by field.
    opps = count(fresh_app, Opportunity)
    resp = client.post("/fa/portal/opportunities/new", data={
        "title_fa": "الف", "title_en": "A", "product": "0406", "county": "tabriz", "investment_min_rials": "9",
        "investment_max_rials": "5", "share_bank": "80", "share_leasing": "40"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "بیشتر است" in html and "۱۲۰" in html
    assert count(fresh_app, Opportunity) == opps


# ---------------------------------------------------------------- publishing and gaps
def test_publishing_an_opportunity_queues_an_alert_for_a_matching_saved_profile(fresh_app, make_user):
    fresh_app.config["PANJEREH_ALERT_THRESHOLD"] = 0.3
    investor = sign_in(fresh_app, make_user, "investor")
    investor.post("/fa/match", data={"applicant_type": "cooperative", "capital": "۵۰", "capital_unit": "billion",
                                     "skills": "تولید لبنیات و پنیر", "products": "0401", "alerts": "y"})
    editor = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    resp = editor.post("/fa/portal/opportunities/new", data={
        "title_fa": "کارگاه پنیر تعاونی در سراب", "title_en": "Cooperative cheese workshop in Sarab",
        "product": "0406", "county": "sarab", "investment_min_rials": "20000000000",
        "investment_max_rials": "45000000000", "jobs": "15", "suited_for": ["cooperative", "individual"],
        "description_fa": "پنیر لیقوان و سنتی از شیر دامداران سراب", "share_bank": "50"})
    assert resp.status_code == 302
    opp_id = int(resp.headers["Location"].rstrip("/").split("/")[-2])
    with fresh_app.app_context():
        opp = db.session.get(Opportunity, opp_id)
        assert opp.status == "draft" and opp.published_at is None
        version = opp.version
    assert not [m for m in _outbox(fresh_app) if "سراب" in m]
    resp = editor.post(f"/fa/portal/opportunities/{opp_id}/publish", data={"version": version})
    assert resp.status_code == 302
    with fresh_app.app_context():
        opp = db.session.get(Opportunity, opp_id)
        assert opp.status == "published" and opp.published_at is not None
    assert [m for m in _outbox(fresh_app) if "کارگاه پنیر تعاونی در سراب" in m]
    assert events(fresh_app, action="publish")[-1][3] == {"status": "draft"}
    with fresh_app.app_context():
        version = db.session.get(Opportunity, opp_id).version
    closed = editor.patch(f"/api/v1/opportunities/{opp_id}", json={"status": "closed", "version": version})
    assert closed.status_code == 200 and closed.get_json()["data"]["status"] == "closed"


def _outbox(app):
    with app.app_context():
        return [m.subject for m in db.session.scalars(select(OutboxMessage))]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_an_opportunity_built_from_a_missing_link_is_prefilled(fresh_app, make_user, lang):
    from app.services.gaps import province_gaps

    with fresh_app.app_context():
        gap = province_gaps()[0]
    client = sign_in(fresh_app, make_user, "hq")
    resp = client.get(f"/{lang}/portal/opportunities/new?gap_kind={gap.kind}&product={gap.product}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    text = unescape(html)
    facet = gap.facet(gap.kind)  # the opportunity answers one facet of the product's gap
    assert facet.reason_fa in text and facet.reason_en in text  # both languages, whatever the page's
    assert f'value="{gap.product}"' in html
    assert re.search(rf'<option selected value="{gap.kind}"|value="{gap.kind}" selected', html)
    low = re.search(r'name="investment_min_rials"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="investment_min_rials"',
                    html)
    assert low and int(low.group(1) or low.group(2)) > 0
    assert client.get(f"/{lang}/portal/opportunities/new?gap_kind=shortfall&product=9999").status_code == 404


# ---------------------------------------------------------------- aliases
def test_aliases_are_edited_one_a_line_in_the_form_and_the_api_and_feed_the_opportunity_search(fresh_app, make_user):
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    page = client.get("/fa/portal/products/0406/edit").get_data(as_text=True)
    assert "نام‌های دیگر و کلیدواژه‌ها" in page and "۳۰ نام" in page
    data = product_form(client, "0406")
    resp = client.post("/fa/portal/products/0406/edit",
                       data={**data, "aliases": "پنیر لیقوان\r\n  Sahand brine cheese \r\n\r\nپنير محلي"})
    assert resp.status_code == 302
    assert product_form(client, "0406")["aliases"].split("\n") == ["پنیر لیقوان", "Sahand brine cheese", "پنیر محلی"]
    with fresh_app.app_context():
        p = db.session.scalar(select(Product).where(Product.code == "0406"))
        assert p.aliases == "پنیر لیقوان|Sahand brine cheese|پنیر محلی"
        version = p.version
        opps = {o.id for o in db.session.scalars(select(Opportunity).where(Opportunity.product_id == p.id,
                                                                           Opportunity.status == "published"))}
    assert opps
    found = fresh_app.test_client().get("/en/opportunities?q=brine+Sahand").get_data(as_text=True)
    assert all(f'/opportunities/{oid}"' in found for oid in opps)
    too_long = client.patch("/api/v1/products/0406?lang=en", json={"aliases": ["x" * 101], "version": version})
    assert too_long.status_code == 400 and too_long.get_json()["error"]["fields"][0]["field"] == "aliases"
    resp = client.patch("/api/v1/products/0406", json={"aliases": ["لیقوان", "Liqvan"], "version": version})
    assert resp.status_code == 200 and resp.get_json()["data"]["aliases"] == ["لیقوان", "Liqvan"]
    gone = fresh_app.test_client().get("/en/opportunities?q=brine+Sahand").get_data(as_text=True)
    assert not any(f'/opportunities/{oid}"' in gone for oid in opps)


def test_the_edit_headings_mark_the_code_as_left_to_right(fresh_app, make_user):
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    product = client.get("/fa/portal/products/0406/edit").get_data(as_text=True)
    assert re.search(r"<h1>[^<]*<bdi dir=\"ltr\" class=\"code\"[^>]*>۰۴۰۶</bdi></h1>", product)
    assert re.search(r"<title>[^<]*۰۴۰۶[^<]*</title>", product), "the title, which cannot hold markup, stays text"
    with fresh_app.app_context():
        opp = db.session.scalars(select(Opportunity).where(
            Opportunity.agency.has(slug=AGRI))).first()
        opp_id, ref = opp.id, opp.ref
    page = client.get(f"/fa/portal/opportunities/{opp_id}/edit").get_data(as_text=True)
    fa_ref = ref.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert re.search(rf'<h1>[^<]*<bdi dir="ltr" class="code"[^>]*>{fa_ref}</bdi></h1>', page)
    # So is the code in the message after a save (a flashed sentence, marked by the mark_codes filter).
    for lang in ("fa", "en"):
        resp = client.post(f"/{lang}/portal/products/0406/edit", data=product_form(client, "0406", lang),
                           follow_redirects=True)
        flashed = re.search(r'<div class="alert alert-success" role="status">(.*?)</div>',
                            resp.get_data(as_text=True)).group(1)
        if lang == "fa":
            # Isolated left to right (LRI … PDI, or a code mark) and in Persian digits.
            assert ("\u2066۰۴۰۶\u2069" in flashed or 'class="code"' in flashed) and "ذخیره" in flashed
        else:
            assert flashed.replace("\u2066", "").replace("\u2069", "") == "Product 0406 was saved."


def test_persian_and_english_fields_say_their_language_on_either_page(fresh_app, make_user):
    """On the English form the Persian description is right to left and read as Persian, and the reverse."""
    client = sign_in(fresh_app, make_user, "agency_editor", AGRI)
    for lang in ("fa", "en"):
        page = client.get(f"/{lang}/portal/products/0406/edit").get_data(as_text=True)
        assert re.search(r'<input[^>]*\bdir="rtl"[^>]*\bid="name_fa"[^>]*\blang="fa"', page)
        assert re.search(r'<input[^>]*\bdir="ltr"[^>]*\bid="name_en"[^>]*\blang="en"', page)
        assert re.search(r'<input[^>]*\bdir="ltr"[^>]*\bid="capacity"', page)
        assert not re.search(r'<input[^>]*\bid="capacity"[^>]*\blang=', page)
        assert '="None"' not in page
