"""Matching where people use it: the desk, self-service, tracking, the agency's view, the API, the CLI."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Applicant, Case, Interest, MatchFeedback, Opportunity, OutboxMessage, User
from app.services import codes

DAIRY_PROFILE = {"applicant_type": "cooperative", "capital": "۵۰", "capital_unit": "billion",
                 "skills": "تولید لبنیات و پنیر", "products": "0401", "lang": "fa"}


def sign_in(client, make_user, role, agency=None):
    from tests.app.conftest import sign_in as sign_in_as

    uid, email, password = make_user(role=role, agency=agency)
    resp = sign_in_as(client, email, password, lang="fa")
    assert resp.status_code == 302
    return uid


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_clerk_takes_a_walk_in_profile_and_sees_ranked_matches_with_reasons(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    assert client.get("/fa/desk/").status_code == 200
    resp = client.post("/fa/desk/", data={**DAIRY_PROFILE, "name": "تعاونی نمونه", "phone": "۰۹۱۴۱۲۳۴۵۶۷"})
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"])
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "پنیر" in body
    # The chain-adjacency reason, in Persian, about the applicant: the clerk is not the one who makes milk.
    assert "متقاضی هم‌اکنون " in body and "از تولیدکنندگانی مانند او می‌خرد" in body
    reasons = re.findall(r'<ul class="reasons">(.*?)</ul>', body, re.S)
    excluded = re.findall(r'<li class="opp-card near-miss".*?</li>|<details class="mt-3">.*?</details>', body, re.S)
    assert reasons and [t for t in reasons + excluded if "شما" in t] == []
    # The investor's own page keeps speaking to the reader.
    own = fresh_app.test_client().post("/fa/match", data=DAIRY_PROFILE).get_data(as_text=True)
    assert "از تولیدکنندگانی مانند شما می‌خرد" in own
    with fresh_app.app_context():
        a = db.session.scalar(select(Applicant).where(Applicant.name == "تعاونی نمونه"))
        # The typed product first, then the products the free text names (the "we understood" list, never shown
        # here, counts as left all ticked).
        assert a.capital_rials == 50 * 10**9 and a.phone == "09141234567" and a.products.split("|")[0] == "0401"


@pytest.mark.parametrize("change,field_message", [
    ({"capital": ""}, "سرمایه در دسترس را وارد کنید."),
    ({"capital": "-5"}, "سرمایه را به صورت عدد وارد کنید"),
    ({"capital": "0"}, "سرمایه باید بیشتر از صفر باشد."),
    ({"products": "9999"}, "در فهرست محصولات استان نیست"),
    ({"applicant_type": "astronaut"}, "نوع متقاضی را از فهرست انتخاب کنید."),
    ({"counties": "atlantis"}, "«atlantis» از شهرستان‌های استان نیست."),
])
def test_a_bad_profile_gets_field_errors_in_persian_and_stores_nothing(fresh_app, make_user, change, field_message):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    before = count(fresh_app, Applicant)
    resp = client.post("/fa/desk/", data={**DAIRY_PROFILE, **change})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert field_message in body
    assert "Traceback" not in body
    assert count(fresh_app, Applicant) == before


def test_the_desk_is_for_staff_only(fresh_app, make_user):
    client = fresh_app.test_client()
    assert client.get("/fa/desk/").status_code == 302
    sign_in(client, make_user, "investor")
    assert client.get("/fa/desk/").status_code == 403


def _applicant_ref(fresh_app, client):
    resp = client.post("/fa/desk/", data=DAIRY_PROFILE)
    return resp.headers["Location"].rstrip("/").split("/")[-1]


def test_staff_mark_matches_and_open_a_case_the_applicant_can_track(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    ref = _applicant_ref(fresh_app, client)
    body = client.get(f"/fa/desk/applicants/{ref}").get_data(as_text=True)
    opp_id = int(re.search(r'id="opp-(\d+)"', body).group(1))
    resp = client.post(f"/fa/desk/applicants/{ref}/feedback", data={"opportunity_id": opp_id, "relevant": "yes"})
    assert resp.status_code == 302
    with fresh_app.app_context():
        fb = db.session.scalar(select(MatchFeedback))
        assert fb.relevant is True and set(fb.signals) >= {"text", "adjacency", "capital"}
    resp = client.post(f"/fa/desk/applicants/{ref}/cases", data={"opportunity_id": opp_id})
    assert resp.status_code == 302
    again = client.post(f"/fa/desk/applicants/{ref}/cases", data={"opportunity_id": opp_id})
    assert again.headers["Location"] == resp.headers["Location"]
    with fresh_app.app_context():
        case = db.session.scalar(select(Case))
        code = case.code
        assert count(fresh_app, Case) == 1
    public = fresh_app.test_client()
    tracked = public.get(f"/fa/track?code={code.lower()}")
    # Opening the case routed it: its first steps are already with the agencies.
    assert tracked.status_code == 200 and "در دست بررسی دستگاه‌ها" in tracked.get_data(as_text=True)
    other = codes.new_code()
    missing = public.get(f"/fa/track?code={other}")
    assert missing.status_code == 404 and "هیچ پرونده‌ای" in missing.get_data(as_text=True)
    assert public.get("/fa/track?code=PJ-NOPE00").status_code == 400
    assert public.get("/en/track?code=" + "X" * 40).status_code == 400


def test_a_verdict_needs_a_real_open_opportunity(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    ref = _applicant_ref(fresh_app, client)
    for data in ({"opportunity_id": "abc", "relevant": "yes"}, {"opportunity_id": 99999, "relevant": "yes"},
                 {"opportunity_id": 1, "relevant": "maybe"}):
        assert client.post(f"/fa/desk/applicants/{ref}/feedback", data=data).status_code == 400
    assert count(fresh_app, MatchFeedback) == 0


def test_the_print_sheet_is_bilingual_a4_in_the_applicants_language_without_internal_notes(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    resp = client.post("/en/desk/", data={**DAIRY_PROFILE, "phone": "09141234567", "lang": "fa"})
    ref = resp.headers["Location"].rstrip("/").split("/")[-1]
    body = client.get(f"/en/desk/applicants/{ref}/print").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in body
    assert "پنجره واحد سرمایه‌گذاری آذربایجان شرقی" in body and "East Azerbaijan Investment Single Window" in body
    assert ref in body
    assert "09141234567" not in body
    assert re.search(r"(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴\d\d".replace(
        r"\d", "[۰-۹]"), body)
    assert "print.css" in body
    # Its own icon: without one the browser asks for /favicon.ico, a 404 in the console of every print.
    assert re.search(r'<link rel="icon" href="/static/favicon.svg', body)


def test_a_visitor_finds_matches_without_anything_being_stored(fresh_app):
    client = fresh_app.test_client()
    before = count(fresh_app, Applicant)
    resp = client.post("/en/match", data={**DAIRY_PROFILE, "skills": "dairy and cheese making", "lang": "en"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "buys" in body and "from producers like you" in body
    assert count(fresh_app, Applicant) == before
    assert 'name="alerts"' not in body


def test_a_registered_investor_saves_a_profile_and_is_alerted_in_their_language(fresh_app, make_user):
    client = fresh_app.test_client()
    uid = sign_in(client, make_user, "investor")
    resp = client.post("/fa/match", data={**DAIRY_PROFILE, "alerts": "y"})
    assert resp.status_code == 200
    with fresh_app.app_context():
        saved = db.session.scalar(select(Applicant).where(Applicant.user_id == uid))
        assert saved is not None and saved.alerts
    runner = fresh_app.test_cli_runner()
    first = runner.invoke(args=["matching", "alerts", "--threshold", "0.5"])
    assert first.exit_code == 0, first.output
    queued = count(fresh_app, OutboxMessage)
    assert queued > 0
    with fresh_app.app_context():
        msg = db.session.scalars(select(OutboxMessage)).first()
        user = db.session.get(User, uid)
        assert msg.to == user.email and msg.lang == "fa" and "فرصت" in msg.subject and msg.sent_at is not None
    runner.invoke(args=["matching", "alerts", "--threshold", "0.5"])
    assert count(fresh_app, OutboxMessage) == queued


def test_interest_reaches_the_owning_agency_and_no_other(fresh_app, make_user):
    investor = fresh_app.test_client()
    sign_in(investor, make_user, "investor")
    investor.post("/fa/match", data={**DAIRY_PROFILE, "alerts": "y"})
    with fresh_app.app_context():
        opp = db.session.scalar(select(Opportunity).where(Opportunity.status == "published").order_by(Opportunity.id))
        opp_id, agency = opp.id, opp.agency.slug
        other = db.session.scalar(select(Opportunity).where(Opportunity.agency_id != opp.agency_id)).agency.slug
    assert investor.post(f"/fa/opportunities/{opp_id}/interest").status_code == 302
    assert count(fresh_app, Interest) == 1
    own = fresh_app.test_client()
    sign_in(own, make_user, "agency_editor", agency=agency)
    assert f"/fa/opportunities/{opp_id}" in own.get("/fa/portal/interests").get_data(as_text=True)
    stranger = fresh_app.test_client()
    sign_in(stranger, make_user, "agency_editor", agency=other)
    assert f"/fa/opportunities/{opp_id}\"" not in stranger.get("/fa/portal/interests").get_data(as_text=True)


def test_the_reverse_lookup_is_for_the_owning_agency_and_hq(fresh_app, make_user):
    with fresh_app.app_context():
        opp = db.session.scalar(select(Opportunity).where(Opportunity.status == "published",
                                                          Opportunity.title_en.like("%cheese%")))
        opp_id, agency = opp.id, opp.agency.slug
        other = db.session.scalar(select(Opportunity).where(Opportunity.agency_id != opp.agency_id)).agency.slug
    desk = fresh_app.test_client()  # an applicant who came through the agency's desk can be contacted
    sign_in(desk, make_user, "desk_staff", agency=agency)
    assert desk.post("/fa/desk/", data=DAIRY_PROFILE).status_code == 302
    own = fresh_app.test_client()
    sign_in(own, make_user, "agency_editor", agency=agency)
    resp = own.get(f"/en/portal/opportunities/{opp_id}/applicants")
    api = own.get(f"/api/v1/opportunities/{opp_id}/applicants?lang=en").get_json()["data"]
    assert api and api == sorted(api, key=lambda r: -r["score"]) and api[0]["reasons"]
    assert resp.status_code == 200 and api[0]["applicant"] in resp.get_data(as_text=True)
    stranger = fresh_app.test_client()
    sign_in(stranger, make_user, "agency_editor", agency=other)
    assert stranger.get(f"/en/portal/opportunities/{opp_id}/applicants").status_code == 403
    assert stranger.get(f"/api/v1/opportunities/{opp_id}/applicants").status_code == 403
    hq = fresh_app.test_client()
    sign_in(hq, make_user, "hq")
    assert hq.get(f"/en/portal/opportunities/{opp_id}/applicants").status_code == 200
    assert fresh_app.test_client().get(f"/api/v1/opportunities/{opp_id}/applicants").status_code == 401


def test_the_match_api_answers_in_the_documented_shape(client):
    resp = client.post("/api/v1/match", json={"applicant_type": "individual", "capital_rials": 20_000_000_000,
                                              "sectors": ["food"], "skills": "dairy, cheese", "products": ["0401"],
                                              "counties": ["tabriz"], "lang": "en"})
    assert resp.status_code == 200
    assert set(resp.get_json()) == {"data"}
    body = resp.get_json()["data"]
    assert set(body) == {"matches", "others", "excluded", "linked", "strict_counties"}
    assert body["matches"] and len(body["excluded"]) <= 20
    m = body["matches"][0]
    assert set(m) == {"opportunity_id", "ref", "title", "product_code", "county", "investment_min_rials", "chains",
                      "level", "score", "fit", "reasons"}
    assert 0 <= m["score"] <= 1 and m["reasons"] and m["level"] in ("strong", "good", "possible")
    assert [x["score"] for x in body["matches"]] == sorted((x["score"] for x in body["matches"]), reverse=True)
    assert all(x["level"] is None for x in body["others"])
    assert all({"opportunity_id", "rule", "reason", "near_miss", "opens"} <= set(e) for e in body["excluded"])
    assert all(set(x) == {"code", "score", "words"} for x in body["linked"])


def test_the_match_api_needs_only_type_and_capital(client):
    resp = client.post("/api/v1/match", json={"applicant_type": "home_business", "capital_rials": 5_000_000_000})
    data = resp.get_json()["data"]
    assert resp.status_code == 200 and not data["matches"] and data["others"]  # no content fit: only "others"


@pytest.mark.parametrize("body,fields", [
    ({}, {"applicant_type", "capital_rials"}),
    ({"applicant_type": "pirate", "capital_rials": -1}, {"applicant_type", "capital_rials"}),
    ({"applicant_type": "individual", "capital_rials": "lots"}, {"capital_rials"}),
    ({"applicant_type": "individual", "capital_rials": 10**9, "counties": ["atlantis"]}, {"counties"}),
    ({"applicant_type": "individual", "capital_rials": 10**9, "sectors": "food"}, {"sectors"}),
    ({"applicant_type": "individual", "capital_rials": 10**9, "products": ["9999"]}, {"products"}),
])
def test_a_bad_match_request_gets_field_errors(client, body, fields):
    resp = client.post("/api/v1/match?lang=fa", json=body)
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    assert err["code"] == "invalid"
    assert {f["field"] for f in err["fields"]} == fields
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in f["message"]) for f in err["fields"])


def ranked_ids(client, **profile) -> list[int]:
    resp = client.post("/api/v1/match", json={"applicant_type": "individual", "capital_rials": 10**10, **profile})
    assert resp.status_code == 200, resp.get_json()
    data = resp.get_json()["data"]
    return [m["opportunity_id"] for m in data["matches"] + data["others"]]


@pytest.mark.parametrize("slug,spellings", [
    # Persian name, Arabic yeh (ي for ی), English name with a capital.
    ("tabriz", ["تبریز", "تبريز", "Tabriz", "TABRIZ"]),
    ("marand", ["مرند", "Marand"]),
    # With the zero-width non-joiner, and written together without it.
    ("ajabshir", ["عجب\u200cشیر", "عجبشیر", "Ajabshir"]),
])
def test_a_county_named_in_persian_is_accepted_by_the_api(client, slug, spellings):
    expected = ranked_ids(client, counties=[slug])
    assert expected
    for spelling in spellings:
        assert ranked_ids(client, counties=[spelling]) == expected, spelling


def test_the_county_changes_the_ranking_so_the_spelling_test_means_something(client):
    assert ranked_ids(client, counties=["tabriz"]) != ranked_ids(client)


def test_closing_an_opportunity_takes_it_out_of_the_matches(fresh_app):
    client = fresh_app.test_client()
    ask = {"applicant_type": "cooperative", "capital_rials": 50 * 10**9, "products": ["0401"], "lang": "en"}
    first = client.post("/api/v1/match", json=ask).get_json()["data"]["matches"][0]["opportunity_id"]
    with fresh_app.app_context():
        db.session.get(Opportunity, first).status = "closed"
        db.session.commit()
    again = [m["opportunity_id"] for m in client.post("/api/v1/match", json=ask).get_json()["data"]["matches"]]
    assert first not in again


def test_the_index_is_rebuilt_in_the_background_without_blocking(databases):
    from tests.app.conftest import build_app

    app = build_app(databases.new_url(), PANJEREH_SYNC_INDEX=False)
    client = app.test_client()
    ask = {"applicant_type": "cooperative", "capital_rials": 50 * 10**9, "products": ["0401"], "lang": "en"}
    first = client.post("/api/v1/match", json=ask).get_json()["data"]["matches"][0]["opportunity_id"]
    with app.app_context():
        db.session.get(Opportunity, first).status = "closed"
        db.session.commit()
    stale = [m["opportunity_id"] for m in client.post("/api/v1/match", json=ask).get_json()["data"]["matches"]]
    assert first in stale  # served at once from the previous index while the new one is built
    for _ in range(100):
        fresh = [m["opportunity_id"] for m in client.post("/api/v1/match", json=ask).get_json()["data"]["matches"]]
        if first not in fresh:
            break
        time.sleep(0.1)
    assert first not in fresh


def test_training_on_staff_verdicts_saves_a_model_every_worker_loads(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    runner = fresh_app.test_cli_runner()
    refused = runner.invoke(args=["matching", "train"])
    assert refused.exit_code != 0 and "not enough feedback" in refused.output
    profiles = [DAIRY_PROFILE,
                {"applicant_type": "company", "capital": "500", "capital_unit": "billion", "products": "7403",
                 "skills": "copper wire cable", "lang": "en"},
                {"applicant_type": "home_business", "capital": "3", "capital_unit": "billion",
                 "skills": "dried fruit, nuts packaging", "lang": "fa"},
                {"applicant_type": "individual", "capital": "20", "capital_unit": "billion",
                 "skills": "leather shoes", "lang": "en"}]
    for profile in profiles:
        ref = client.post("/fa/desk/", data=profile).headers["Location"].rstrip("/").split("/")[-1]
        body = client.get(f"/en/desk/applicants/{ref}").get_data(as_text=True)
        ids = [int(x) for x in re.findall(r'id="opp-(\d+)"', body)]
        for rank, opp_id in enumerate(ids[:10]):
            verdict = "yes" if rank % 3 == 0 else "no"
            client.post(f"/en/desk/applicants/{ref}/feedback", data={"opportunity_id": opp_id, "relevant": verdict})
    trained = runner.invoke(args=["matching", "train"])
    assert trained.exit_code == 0, trained.output
    from app.services import matching as msvc

    with fresh_app.app_context():
        path = msvc.model_path()
        assert path.exists()
        model = msvc.scorer()
        assert model.n_feedback_ >= 20
    evaluated = runner.invoke(args=["matching", "evaluate", "-k", "5"])
    assert evaluated.exit_code == 0, evaluated.output
    assert "default: precision@5" in evaluated.output and "trained: precision@5" in evaluated.output


def test_an_investor_expresses_interest_from_the_opportunity_page(fresh_app, make_user):
    client = fresh_app.test_client()
    with fresh_app.app_context():
        opp_id = db.session.scalar(select(Opportunity.id).where(Opportunity.status == "published"))
    anonymous = fresh_app.test_client().get(f"/fa/opportunities/{opp_id}").get_data(as_text=True)
    assert "به این فرصت علاقه دارید؟" in anonymous and f"/fa/opportunities/{opp_id}/interest" not in anonymous
    sign_in(client, make_user, "investor")
    client.post("/fa/match", data={**DAIRY_PROFILE, "alerts": "y"})
    page = client.get(f"/fa/opportunities/{opp_id}").get_data(as_text=True)
    assert f'action="/fa/opportunities/{opp_id}/interest"' in page
    assert client.post(f"/fa/opportunities/{opp_id}/interest").status_code == 302
    assert count(fresh_app, Interest) == 1


def test_the_match_answer_shows_an_opportunitys_new_title_at_once(fresh_app):
    """What a match answer shows of an opportunity is kept per data version: an edit shows on the next answer."""
    client = fresh_app.test_client()
    ask = {"applicant_type": "cooperative", "capital_rials": 50 * 10**9, "products": ["0401"], "lang": "en"}
    first = client.post("/api/v1/match", json=ask).get_json()["data"]["matches"][0]
    with fresh_app.app_context():
        db.session.get(Opportunity, first["opportunity_id"]).title_en = "Renamed dairy plant"
        db.session.commit()
    again = {m["opportunity_id"]: m for m in client.post("/api/v1/match", json=ask).get_json()["data"]["matches"]}
    assert again[first["opportunity_id"]]["title"] == "Renamed dairy plant"
    assert again[first["opportunity_id"]]["ref"] == first["ref"]


def test_a_renamed_product_is_found_by_its_new_name_in_a_profile(fresh_app):
    """The product names a profile is checked against are kept per data version: a rename counts at once."""
    from app.models import Product

    client = fresh_app.test_client()
    ask = {"applicant_type": "cooperative", "capital_rials": 50 * 10**9, "products": ["Zebra milk"], "lang": "en"}
    refused = client.post("/api/v1/match", json=ask)
    assert refused.status_code == 400
    with fresh_app.app_context():
        db.session.scalar(select(Product).where(Product.code == "0401")).name_en = "Zebra milk"
        db.session.commit()
    resp = client.post("/api/v1/match", json=ask)
    assert resp.status_code == 200, resp.get_json()
    assert all(m["product_code"] == "0401" for m in resp.get_json()["data"]["matches"][:1])


def test_the_listed_table_finds_each_stored_ref_and_nothing_else():
    from app.services.matching import Listed, ListedTable

    rows = [(7, "OPP-B", "کارخانه پنیر", "Cheese plant", 10**17, "0406", 3, "tabriz"),
            (2, "OPP-A", "", "Copper wire", 5, "7408", 9, "ahar"),
            (9, "OPP-C", "شیر", "Milk", 0, "0406", 3, "tabriz")]
    table = ListedTable(rows, {3: ("dairy",), 9: ("copper", "metals")})
    found = table.lookup(["OPP-C", "OPP-A", "OPP-B", "OPP-Z", "OPP-", "", "OPP-A", None, 5])
    assert found == {"OPP-A": Listed(2, "OPP-A", "", "Copper wire", 5, "7408", "ahar", ("copper", "metals")),
                     "OPP-B": Listed(7, "OPP-B", "کارخانه پنیر", "Cheese plant", 10**17, "0406", "tabriz", ("dairy",)),
                     "OPP-C": Listed(9, "OPP-C", "شیر", "Milk", 0, "0406", "tabriz", ("dairy",))}
    assert ListedTable([], {}).lookup(["OPP-A"]) == {} and table.lookup([]) == {}
