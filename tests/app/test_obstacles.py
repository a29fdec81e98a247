"""Obstacle reports: the public form, the workflow to resolution, the working group, and the gap engine's
infrastructure facet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Meeting, Obstacle, Product, ValueChain
from app.services.codes import grouped
from tests.app.conftest import build_app, sign_in


def _product(app, **where):
    """A product of a chain that makes something (output > 0), with its chain slug."""
    with app.app_context():
        rows = db.session.scalars(select(Product).where(Product.retired.is_(False), Product.output > 0)
                                  .order_by(Product.code)).all()
        p = next(p for p in rows if p.chains)
        return {"code": p.code, "name_fa": p.name_fa, "name_en": p.name_en, "output": p.output,
                "capacity": p.capacity, "chain": p.chains[0].slug, "unit": p.unit}


def _form(chosen, **over):
    data = {"category": "power", "product": f"{chosen['name_fa']} ({chosen['code']})", "county": "tabriz",
            "lost_quantity": "10", "lost_period": "month", "since": "1404/01/15",
            "description": "برق کارگاه هر روز چهار ساعت قطع می‌شود.", "unit_name": "کارگاه نمونه",
            "reporter_name": "رضا", "reporter_contact": "۰۹۱۴۱۲۳۴۵۶۷", "website": ""}
    data.update(over)
    return data


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Obstacle.id)))


def _report(client, product, lang="fa", **over):
    resp = client.post(f"/{lang}/obstacles/new", data=_form(product, **over))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    code = resp.headers["Location"].split("code=")[1].split("&")[0]
    return code


def test_a_reporter_gets_a_code_and_follows_the_report_to_resolution_in_both_languages(fresh_app, make_user):
    product = _product(fresh_app)
    client = fresh_app.test_client()
    page = client.get("/fa/obstacles/new")
    assert page.status_code == 200 and "گزارش مانع تولید" in page.get_data(as_text=True)
    code = _report(client, product)
    assert len(code) == 16
    sent = client.get(f"/fa/obstacles/track?code={code}&sent=1").get_data(as_text=True)
    assert "دریافت شد" in sent
    # Persian digits and groups of four, as the reporter types it back
    typed = grouped(code).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert client.get("/fa/obstacles/track", query_string={"code": typed}).status_code == 200
    with fresh_app.app_context():
        row = db.session.scalar(select(Obstacle).where(Obstacle.code == code))
        assert (row.status, row.lost_per_year, row.reporter_contact) == ("new", 120.0, "09141234567")
        agency = db.session.scalar(select(Agency).order_by(Agency.slug))
        agency_slug, row_id = agency.slug, row.id
    _, hq_email, password = make_user(role="hq")
    _, ed_email, _ = make_user(role="agency_editor", agency=agency_slug)
    hq = fresh_app.test_client()
    assert sign_in(hq, hq_email, password).status_code == 302
    resp = hq.post(f"/en/hq/obstacles/{row_id}/move", data={"status": "assigned", "version": "1",
                                                           "agency": agency_slug})
    assert resp.status_code == 302
    editor = fresh_app.test_client()
    assert sign_in(editor, ed_email, password).status_code == 302
    assert "Assigned to an agency" in editor.get("/en/portal/obstacles").get_data(as_text=True)
    # The editor may not reject (HQ only), and may not act on a stale version.
    assert editor.post(f"/en/portal/obstacles/{row_id}/move",
                       data={"status": "rejected", "version": "2", "note": "no"}).status_code == 403
    assert editor.post(f"/en/portal/obstacles/{row_id}/move",
                       data={"status": "working_group", "version": "1"}).status_code == 409
    assert editor.post(f"/en/portal/obstacles/{row_id}/move",
                       data={"status": "working_group", "version": "2"}).status_code == 302
    today = date.today().isoformat()
    resp = hq.post("/en/hq/working-group", data={
        "held_on": today, "attendees": "Economic deputy; power distribution company",
        "decisions-0-obstacle": code, "decisions-0-decision": "Give the workshop a dedicated feeder",
        "decisions-0-owner": agency_slug, "decisions-0-due_on": (date.today() + timedelta(days=30)).isoformat()})
    assert resp.status_code == 302
    assert "dedicated feeder" in hq.get("/en/hq/working-group").get_data(as_text=True)
    again = hq.post("/en/hq/working-group", data={
        "held_on": today, "attendees": "Economic deputy; power distribution company",
        "decisions-0-obstacle": code, "decisions-0-decision": "Give the workshop a dedicated feeder",
        "decisions-0-owner": agency_slug, "decisions-0-due_on": "1405/12/01"})
    assert again.status_code == 400 and "already recorded" in again.get_data(as_text=True)
    # Resolving needs a note; with it the reporter sees how it was resolved, in either language.
    assert editor.post(f"/en/portal/obstacles/{row_id}/move",
                       data={"status": "resolved", "version": "3"}).status_code == 400
    assert editor.post(f"/en/portal/obstacles/{row_id}/move",
                       data={"status": "resolved", "version": "3", "note": "Feeder connected"}).status_code == 302
    en = client.get(f"/en/obstacles/track?code={code}").get_data(as_text=True)
    assert "Resolved" in en and "Feeder connected" in en and "dedicated feeder" in en
    fa = client.get(f"/fa/obstacles/track?code={code}").get_data(as_text=True)
    assert "رفع شد" in fa
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count(Meeting.id))) == 1
        assert db.session.get(Obstacle, row_id).closed_at is not None


@pytest.mark.parametrize("lang,field_text", [("fa", "نمی‌تواند در آینده باشد"), ("en", "cannot be in the future")])
def test_bad_reports_get_field_errors_in_the_readers_language_and_nothing_is_stored(fresh_app, lang, field_text):
    product = _product(fresh_app)
    client = fresh_app.test_client()
    before = _count(fresh_app)
    future = (date.today() + timedelta(days=3)).isoformat()
    page = client.post(f"/{lang}/obstacles/new", data=_form(product, since=future))
    assert page.status_code == 400 and field_text in page.get_data(as_text=True)
    for over in ({"lost_quantity": "-5"}, {"lost_quantity": ""}, {"lost_quantity": "1e400"},
                 {"lost_quantity": str(product["capacity"] * 10 + 10), "lost_period": "year"},
                 {"product": "not a product (9999)"}, {"category": "aliens"}, {"county": "atlantis"},
                 {"lost_period": "century"}, {"description": "x" * 5000}, {"reporter_contact": "<script>"},
                 {"reporter_contact": "name@@example.org"}, {"reporter_contact": "12345"},
                 {"since": "1404/13/40"}, {"reporter_name": "n" * 300}):
        resp = client.post(f"/{lang}/obstacles/new", data=_form(product, **over))
        assert resp.status_code == 400, over
        assert 'class="field-error"' in resp.get_data(as_text=True), over
    en = client.post("/en/obstacles/new", data=_form(product, lost_quantity="-1")).get_data(as_text=True)
    assert "must be a number of zero or more" in en
    assert _count(fresh_app) == before


def test_the_honeypot_and_the_rate_limit_refuse_bots_without_a_500(databases):
    app = build_app(databases.new_url(), RATELIMIT_ENABLED=True, PANJEREH_OBSTACLE_LIMIT="3/hour")
    product = _product(app)
    client = app.test_client()
    before = _count(app)
    resp = client.post("/en/obstacles/new", data=_form(product, website="http://spam.example"))
    assert resp.status_code == 400 and "could not be accepted" in resp.get_data(as_text=True)
    assert _count(app) == before
    replies = [client.post("/en/obstacles/new", data=_form(product)) for _ in range(3)]
    statuses = [r.status_code for r in replies]
    assert statuses == [302, 302, 429]
    refused = replies[-1].get_data(as_text=True)  # the shared 429 page, not the tracking-code wording
    assert "Retry-After" in replies[-1].headers and "tracking codes" not in refused and "Please wait" in refused
    assert _count(app) == before + 2
    assert client.get("/en/obstacles/new").status_code == 200  # reading the form is never limited


def test_tracking_tells_a_typo_from_a_code_that_does_not_exist(client):
    assert client.get("/en/obstacles/track?code=1234567890123456").status_code in (400, 404)
    typo = client.get("/en/obstacles/track?code=1234").get_data(as_text=True)
    assert "16 digits" in typo
    assert client.get("/en/obstacles/track?code=" + "9" * 500).status_code == 400


def test_ids_past_the_integer_range_are_not_found(fresh_app, make_user):
    _, email, password = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, email, password)
    for path in (f"/en/hq/obstacles/{2**63 + 5}", f"/en/hq/obstacles/{2**31}", f"/en/portal/obstacles/{2**64}"):
        assert hq.get(path).status_code == 404


def test_a_supply_cut_becomes_the_gaps_infrastructure_facet_lowers_reliability_and_shows_on_the_chain(
        fresh_app, make_user):
    product = _product(fresh_app)
    client = fresh_app.test_client()

    def gap():
        gaps = client.get("/api/v1/gaps?per_page=500").get_json()["data"]
        return next((g for g in gaps if g["product"] == product["code"]), None)

    before = gap()
    before_reliability = before["parts"]["viability"]["reliability"] if before else 1.0
    lost_month = product["output"] / 48  # a quarter of a year's output
    code = _report(client, product, lost_quantity=repr(lost_month), category="power")
    after = gap()
    infra = next(f for f in after["facets"] if f["kind"] == "infrastructure")
    assert infra["details"]["lost_output"] == pytest.approx(lost_month * 12)
    assert infra["details"]["counties"] == {"tabriz": pytest.approx(lost_month * 12)}
    assert after["parts"]["viability"]["reliability"] == pytest.approx(0.75)
    assert after["parts"]["viability"]["reliability"] < before_reliability
    chain = client.get(f"/en/chains/{product['chain']}").get_data(as_text=True)
    assert "Blocked links" in chain and "Power supply cut" in chain
    # A rejected report no longer counts.
    _, email, password = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, email, password)
    with fresh_app.app_context():
        row = db.session.scalar(select(Obstacle).where(Obstacle.code == code))
        row_id = row.id
    assert hq.post(f"/en/hq/obstacles/{row_id}/move", data={"status": "rejected", "version": "1",
                                                           "note": "Duplicate report"}).status_code == 302
    again = gap()
    assert again is None or "infrastructure" not in [f["kind"] for f in again["facets"]]
    assert "Blocked links" not in client.get(f"/en/chains/{product['chain']}").get_data(as_text=True)
    with fresh_app.app_context():
        assert db.session.scalar(select(ValueChain).where(ValueChain.slug == product["chain"])) is not None


def test_the_report_forms_county_list_is_in_the_pages_alphabetical_order(client):
    import re as _re

    from app.i18n import sort_by_name

    for lang in ("fa", "en"):
        html = client.get(f"/{lang}/obstacles/new").get_data(as_text=True)
        select_html = html[html.index('name="county"'):]
        select_html = select_html[:select_html.index("</select>")]
        names = [n for v, n in _re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', select_html) if v]
        assert len(names) == 21
        assert names == sort_by_name(names), lang
