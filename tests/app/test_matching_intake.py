"""Issue 9, the web side: products by name or HS prefix, "we understood", levels, others, near misses,
strict counties in the form and the API, and a reverse look-up limited to reachable applicants."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import Applicant, Opportunity
from app.services import matching as svc
from tests.app.test_matching_web import sign_in

WALKIN = {"applicant_type": "cooperative", "capital": "۵۰", "capital_unit": "billion", "lang": "fa",
          "skills": "قالی بافی و نخ پشمی"}
ASCII_DIGIT = re.compile(r"[0-9]")


def stored(app, name):
    with app.app_context():
        return db.session.scalar(select(Applicant).where(Applicant.name == name))


def test_products_are_taken_by_name_in_either_language_and_by_hs_prefix(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    # No free text: products the text names would join the codes too (see the last test).
    bare = {**WALKIN, "skills": ""}
    resp = client.post("/fa/desk/", data={**bare, "name": "نام‌ها", "products": "کشمش، Hand-knotted carpets, 0806"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert set(stored(fresh_app, "نام‌ها").products.split("|")) == {"080620", "5701", "080610"}
    # The suggestion list's own wording, «name (code)» with Persian digits, is accepted too.
    resp = client.post("/fa/desk/", data={**bare, "name": "پیشنهاد", "products": "کشمش (۰۸۰۶۲۰)"})
    assert resp.status_code == 302 and stored(fresh_app, "پیشنهاد").products == "080620"


def test_an_ambiguous_name_lists_the_candidates_in_the_pages_language(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    resp = client.post("/fa/desk/", data={**WALKIN, "products": "بادام"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "می‌تواند چند محصول باشد" in body and "(۰۸۰۲۱۱)" in body and "(۰۸۰۲۱۲)" in body
    api = fresh_app.test_client().post("/api/v1/match?lang=en", json={
        "applicant_type": "individual", "capital_rials": 10**10, "products": ["almonds"]})
    fields = api.get_json()["error"]["fields"]
    assert api.status_code == 400 and fields[0]["field"] == "products" and "080211" in fields[0]["message"]


def test_suggestions_are_a_datalist_of_names_with_persian_digits(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    body = client.get("/fa/desk/").get_data(as_text=True)
    assert 'list="product-list"' in body and '<option value="فرش دستباف (۵۷۰۱)">' in body
    assert '<option value="Hand-knotted carpets (5701)">' in fresh_app.test_client().get("/en/match").get_data(
        as_text=True)


def test_the_sheet_languages_are_named_in_their_own_language_and_marked_so(fresh_app, make_user):
    """Screen readers read «English» on a Persian page in English, and «فارسی» on an English one in Persian."""
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    for lang in ("fa", "en"):
        body = client.get(f"/{lang}/desk/").get_data(as_text=True)
        assert re.search(r'<option[^>]* lang="en"[^>]*>English</option>', body)
        assert re.search(r'<option[^>]* lang="fa"[^>]*>فارسی</option>', body)


def test_the_applicant_reference_in_the_heading_is_marked_as_a_left_to_right_code(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    resp = client.post("/fa/desk/", data={**WALKIN, "name": "کد"})
    assert resp.status_code == 302
    heading = re.search(r"<h1>(.*?)</h1>", client.get(resp.headers["Location"]).get_data(as_text=True)).group(1)
    assert re.search(r'<bdi dir="ltr" class="code"[^>]*>APP-[A-Z0-9۰-۹]+</bdi>', heading), heading


def test_the_clerk_sees_what_was_understood_and_corrects_it_before_saving(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    resp = client.post("/fa/desk/", data={**WALKIN, "name": "برداشت", "check": "1"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and stored(fresh_app, "برداشت") is None  # nothing stored yet
    assert "برداشت ما" in body and 'value="5701"' in body and "فرش دستباف (۵۷۰۱)" in body
    # The clerk keeps the carpet, clears everything else, and saves: the profile keeps the code.
    resp = client.post("/fa/desk/", data={**WALKIN, "name": "برداشت", "understood": ["5701"]})
    assert resp.status_code == 302
    assert stored(fresh_app, "برداشت").products == "5701"
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "برداشت ما:" in page and "فرش دستباف (۵۷۰۱)" in page


def test_matches_show_levels_in_both_languages_and_others_apart(fresh_app, make_user):
    client = fresh_app.test_client()
    fa = client.post("/fa/match", data={**WALKIN, "products": "5701"}).get_data(as_text=True)
    en = client.post("/en/match", data={**WALKIN, "products": "5701"}).get_data(as_text=True)
    assert re.search(r"تناسب (قوی|خوب|احتمالی)", fa) and re.search(r"(Strong|Good|Possible) fit", en)
    assert "فرصت‌های دیگر در حد توان مالی شما" in fa and "Other opportunities within your means" in en
    scores = re.findall(r'class="match-score"[^>]*>([^<]*)<', fa)
    assert scores and not any(ASCII_DIGIT.search(s) for s in scores)
    # Others come after the matches, in their own list.
    assert fa.index("match-list") < fa.index("other-list")


def test_the_api_separates_matches_others_and_near_misses(client):
    data = client.post("/api/v1/match", json={"applicant_type": "individual", "capital_rials": 3 * 10**9,
                                              "skills": "قالی بافی", "lang": "fa"}).get_json()["data"]
    assert {x["code"] for x in data["linked"]} >= {"5701"}
    assert all(m["level"] for m in data["matches"]) and all(m["level"] is None for m in data["others"])
    assert not {m["opportunity_id"] for m in data["matches"]} & {m["opportunity_id"] for m in data["others"]}
    near = [e for e in data["excluded"] if e["near_miss"]]
    assert all(e["opens"] and e["opens"]["rule"] in ("applicant_type", "capital") for e in near)


def test_strict_counties_in_the_api(client):
    def counties(strict):
        resp = client.post("/api/v1/match", json={"applicant_type": "cooperative", "capital_rials": 10**11,
                                                  "skills": "لبنیات و پنیر", "counties": ["tabriz"],
                                                  "strict_counties": strict})
        assert resp.status_code == 200
        d = resp.get_json()["data"]
        return {m["county"] for m in d["matches"] + d["others"]}, d["strict_counties"]
    loose, flag = counties(False)
    strict, flag2 = counties(True)
    assert not flag and flag2 and strict == {"tabriz"} and loose - {"tabriz"}
    bad = client.post("/api/v1/match", json={"applicant_type": "cooperative", "capital_rials": 10**9,
                                             "strict_counties": "yes"})
    assert bad.status_code == 400 and bad.get_json()["error"]["fields"][0]["field"] == "strict_counties"


def test_strict_counties_in_the_form_are_kept_with_the_stored_applicant(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    resp = client.post("/en/desk/", data={**WALKIN, "skills": "dairy cheese", "counties": ["marand"],
                                          "strict_counties": "y", "name": "Strict Marand"})
    assert resp.status_code == 302
    with fresh_app.app_context():
        published = db.session.scalars(select(Opportunity).where(Opportunity.status == "published")).all()
        marand = {o.id for o in published if o.county.slug == "marand"}
        marand_refs = {o.ref for o in published if o.county.slug == "marand"}
    applicant = stored(fresh_app, "Strict Marand")
    assert applicant.strict_counties is True

    def shown(url):
        page = client.get(url).get_data(as_text=True)
        return page, {int(x) for x in re.findall(r'id="opp-(\d+)"', page)}

    page, ids = shown(resp.headers["Location"])  # no ?strict=1 needed: the stored profile says so
    assert "Only opportunities in these counties" in page
    assert ids and ids <= marand
    # After a verdict the clerk lands on the same (strict) list.
    back = client.post(f"/en/desk/applicants/{applicant.ref}/feedback",
                       data={"opportunity_id": str(min(ids)), "relevant": "yes"})
    assert back.status_code == 302
    _, after = shown(back.headers["Location"].split("#")[0])
    assert after and after <= marand
    # The print sheet too; ?strict=0 widens one page without changing the profile.
    sheet = client.get(f"/en/desk/applicants/{applicant.ref}/print").get_data(as_text=True)
    matches_part = sheet.split('<ol class="sheet-list">', 1)[1].split("</ol>", 1)[0]  # the matches list itself
    ascii_digits = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")  # the sheet is in the applicant's language
    listed = {r.translate(ascii_digits) for r in re.findall(r"OPP-[0-9۰-۹]{4}-[0-9۰-۹]{3}", matches_part)}
    assert listed and listed <= marand_refs
    _, loose = shown(f"/en/desk/applicants/{applicant.ref}?strict=0")
    assert loose - marand
    assert stored(fresh_app, "Strict Marand").strict_counties is True
    # A profile without the box is not strict.
    client.post("/en/desk/", data={**WALKIN, "skills": "dairy cheese", "counties": ["marand"], "name": "Loose"})
    assert stored(fresh_app, "Loose").strict_counties is False


def test_the_reverse_lookup_lists_only_applicants_who_can_be_contacted(fresh_app, make_user):
    with fresh_app.app_context():
        opp = db.session.scalar(select(Opportunity).where(Opportunity.status == "published",
                                                          Opportunity.title_en.like("%cheese%")))
        opp_id, agency = opp.id, opp.agency.slug
        other = db.session.scalar(select(Opportunity).where(Opportunity.agency_id != opp.agency_id)).agency.slug
    dairy = {"applicant_type": "cooperative", "capital": "50", "capital_unit": "billion", "lang": "fa",
             "skills": "لبنیات و پنیر", "products": "0401"}
    own_desk, other_desk = fresh_app.test_client(), fresh_app.test_client()
    sign_in(own_desk, make_user, "desk_staff", agency=agency)
    sign_in(other_desk, make_user, "desk_staff", agency=other)
    assert own_desk.post("/fa/desk/", data={**dairy, "name": "از میز خود"}).status_code == 302
    assert other_desk.post("/fa/desk/", data={**dairy, "name": "از میز دیگر"}).status_code == 302
    hq = fresh_app.test_client()
    sign_in(hq, make_user, "hq")
    listed = {r["applicant"] for r in hq.get(f"/api/v1/opportunities/{opp_id}/applicants").get_json()["data"]}
    assert stored(fresh_app, "از میز خود").ref in listed
    assert stored(fresh_app, "از میز دیگر").ref not in listed
    with fresh_app.app_context():  # the seed's walk-ins never asked to be contacted
        seed_refs = set(db.session.scalars(select(Applicant.ref).where(Applicant.illustrative.is_(True))))
    assert not listed & seed_refs


def test_evaluate_reports_the_walk_in_figures_without_any_feedback(fresh_app):
    out = fresh_app.test_cli_runner().invoke(args=["matching", "evaluate"])
    assert out.exit_code == 0, out.output
    line = re.search(r"(\d+) profiles: nDCG@5 = ([\d.]+)\s+first match relevant = ([\d.]+)\s+coverage@5 = ([\d.]+)",
                     out.output)
    assert line and int(line.group(1)) >= 40 and all(0 <= float(line.group(i)) <= 1 for i in (2, 3, 4))
    assert "staff feedback: not enough to evaluate" in out.output


def test_the_products_hint_has_the_pages_digits_whichever_language_renders_first(fresh_app):
    client = fresh_app.test_client()
    assert "(۰۸۰۶ " in client.get("/fa/match").get_data(as_text=True)
    assert "(0806 finds" in client.get("/en/match").get_data(as_text=True)


def test_an_unticked_linked_product_no_longer_drives_the_ranking(fresh_app, make_user):
    client = fresh_app.test_client()
    sign_in(client, make_user, "desk_staff")
    # Never checked: everything the text names is kept, as if left ticked.
    assert client.post("/fa/desk/", data={**WALKIN, "name": "بی‌بررسی"}).status_code == 302
    # Checked, and the clerk cleared every product: none is kept, and none is linked again from the text.
    resp = client.post("/fa/desk/", data={**WALKIN, "name": "پاک‌شده", "understood_shown": "1"})
    assert resp.status_code == 302
    assert "5701" in stored(fresh_app, "بی‌بررسی").products.split("|")
    assert stored(fresh_app, "پاک‌شده").products == ""
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "فرش دستباف (۵۷۰۱)" not in page.split("match-list")[0]
    with fresh_app.test_request_context("/fa/desk/"):
        carpets = {o.ref for o in db.session.scalars(select(Opportunity).where(Opportunity.status == "published"))
                   if o.product.code == "5701"}

        def product_fit(name):
            found = svc.match(svc.applicant_record(stored(fresh_app, name)), "fa", k=200, confirmed=True)
            return {m.opportunity_ref: m.signals["product"] for m in found.result.matches + found.result.others
                    if m.opportunity_ref in carpets}, found.result.linked
        kept, kept_linked = product_fit("بی‌بررسی")
        cleared, cleared_linked = product_fit("پاک‌شده")
    assert carpets and kept and all(v > 0 for v in kept.values())
    assert "5701" not in {x.code for x in cleared_linked} and all(v == 0 for v in cleared.values())
    # The self-service form passes the clearing through too.
    anon = fresh_app.test_client().post("/fa/match", data={**WALKIN, "understood_shown": "1"}).get_data(as_text=True)
    assert "برداشت ما:" not in anon
