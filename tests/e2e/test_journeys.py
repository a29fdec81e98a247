"""Journeys through the site as the people it serves walk them, in Persian and in English.

Every page a journey reaches goes through ``checks.check_page`` (direction, digits, untranslated
text, console errors, requests to other hosts) and leaves a screenshot in artifacts/screenshots,
named ``journey-<journey>-<lang>-<step>.png``. One browser for the session, one context per person.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Applicant, Case, Interest, Obstacle, Opportunity, OutboxMessage, PermitPath, User
from app.services.cases.routing import open_case
from app.services.codes import grouped
from tests.e2e.checks import check_page, watch

LANGS = ("fa", "en")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


class Journey:
    """One journey in one language: opens a context per person and checks every page they reach."""

    def __init__(self, browser, base: str, lang: str, name: str, folder):
        self.browser, self.base, self.lang, self.name, self.folder = browser, base, lang, name, folder
        self.contexts, self.steps = [], 0

    def person(self):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        context.seen = watch(context)
        self.contexts.append(context)
        return context.new_page()

    def url(self, path: str) -> str:
        return f"{self.base}/{self.lang}{path}"

    def see(self, page, step: str, status: int = 200) -> None:
        self.steps += 1
        shot = self.folder / f"journey-{self.name}-{self.lang}-{self.steps:02d}-{step}.png"
        check_page(page, self.lang, page.context.seen, shot, status)

    def digits(self, text: str) -> str:
        """What a person types: Persian digits on a Persian page."""
        return text.translate(PERSIAN_DIGITS) if self.lang == "fa" else text

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(browser, live_server, artifacts):
    made = []

    def start(name: str, lang: str) -> Journey:
        made.append(Journey(browser, live_server, lang, name, artifacts))
        return made[-1]

    yield start
    for j in made:
        j.close()


def submit(page, form: str = "main form", button: str = "button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(f"{form} {button}").first.click()


def sign_in(j: Journey, page, email: str, password: str, totp_secret: str | None = None) -> None:
    """The sign-in pages as a person uses them, the authenticator code typed in the page's digits."""
    page.goto(j.url("/login"))
    j.see(page, "sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    submit(page)
    if totp_secret is not None:
        assert page.url.endswith(f"/{j.lang}/login/2fa"), page.url
        j.see(page, "second-step")
        page.fill("#code", j.digits(pyotp.TOTP(totp_secret).now()))
        submit(page)
    assert "/login" not in page.url, page.inner_text("main")
    assert page.locator("header", has_text=email).count() == 1


# ---------------------------------------------------------------- (a) a visitor looks for an opportunity
VISITOR = {"fa": ("فرش", "تبریز", "کارگاه خانگی قالی‌بافی نقشه تبریز", "۷ فرصت پیدا شد", "۲ فرصت پیدا شد"),
           "en": ("carpet", "Tabriz", "Home workshop weaving Tabriz-design carpets", "7 opportunities found",
                  "2 opportunities found")}


@pytest.mark.parametrize("lang", LANGS)
def test_a_visitor_searches_filters_and_opens_an_opportunity(journey, lang):
    word, county, title, seven, two = VISITOR[lang]
    j = journey("visitor", lang)
    page = j.person()
    page.goto(j.url("/"))
    j.see(page, "home")
    with page.expect_navigation():
        page.locator("nav.site-nav a", has_text=("فرصت‌های سرمایه‌گذاری" if lang == "fa"
                                                 else "Investment opportunities")).click()
    j.see(page, "list")

    page.fill("#q", word)
    submit(page, "form.filter-form")
    assert page.inner_text(".result-count") == seven
    j.see(page, "searched")

    page.select_option("#county", label=county)
    submit(page, "form.filter-form")
    assert page.inner_text(".result-count") == two
    assert page.input_value("#q") == word, "the search stays in the box"
    assert page.locator("#county option:checked").inner_text() == county
    cards = page.locator(".opp-card")
    assert cards.count() == 2
    for i in range(2):
        assert cards.nth(i).locator("dd").first.inner_text() == county
    j.see(page, "filtered")

    with page.expect_navigation():
        page.locator(".opp-card h2 a", has_text=title).click()
    assert page.inner_text("h1") == title
    facts = page.inner_text(".summary-list")
    assert county in facts
    assert re.fullmatch(r"OPP-\d{4}-\d{3}", page.locator(".breadcrumb .code").inner_text())
    j.see(page, "opportunity")


# ---------------------------------------------------------------- (b) a walk-in at the desk
WALK_IN = {"fa": ("تولید لبنیات، پنیر و بستنی", "۵۰"), "en": ("dairy, cheese and ice cream making", "50")}
MACHINERY = "8434"  # "Milking machines and dairy machinery": linked from the words, not what the walk-in makes


@pytest.mark.parametrize("lang", LANGS)
def test_a_walk_in_gets_matches_corrects_what_was_understood_opens_a_case_and_gets_the_sheet(journey, staff, lang):
    skills, capital = WALK_IN[lang]
    email, password, secret = staff("desk_staff")
    j = journey("desk", lang)
    page = j.person()
    sign_in(j, page, email, password, secret)
    page.goto(j.url("/desk/"))
    j.see(page, "intake")

    page.select_option("#applicant_type", "cooperative")
    page.fill("#name", "تعاونی لبنیات سراب" if lang == "fa" else "Sarab dairy cooperative")
    page.fill("#capital", capital)
    page.select_option("#capital_unit", "billion")
    page.fill("#skills", skills)
    page.select_option("#lang", lang)  # the sheet in the walk-in's language
    submit(page, "main form.profile-form", "#check")
    boxes = page.locator("#understood input[type=checkbox]")
    assert boxes.count() >= 3
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count())), "everything understood starts ticked"
    wrong = page.locator(f"#understood input[value='{MACHINERY}']")
    wrong_label = page.locator(f"label[for='{wrong.get_attribute('id')}']").inner_text()
    kept_labels = [page.locator(f"label[for='{boxes.nth(i).get_attribute('id')}']").inner_text()
                   for i in range(boxes.count()) if boxes.nth(i).get_attribute("value") != MACHINERY]
    wrong.uncheck()
    j.see(page, "understood-corrected")

    submit(page, "main form.profile-form", "button.btn-primary")
    assert "/desk/applicants/APP-" in page.url, page.inner_text("main")
    understood = page.inner_text("#understood-line")
    assert wrong_label not in understood
    assert all(label in understood for label in kept_labels)
    assert page.locator("ol.match-list > li.opp-card").count() >= 1
    ref = urlsplit(page.url).path.split("/applicants/")[1]  # the page opens at its results (#matches-h)
    j.see(page, "matches")

    # The walk-in takes up the first match: the desk opens a single-window case and gives its tracking code.
    first = page.locator("ol.match-list > li.opp-card").first
    title = first.locator("h3 a").inner_text()
    first.locator("input[name=contact_email]").fill("sarab.dairy@example.org")
    with page.expect_navigation():
        first.locator(f"form[action$='/desk/applicants/{ref}/cases'] button[type=submit]").click()
    code = re.fullmatch(r"/\w+/desk/cases/(\d{16})", urlsplit(page.url).path).group(1)
    shown = page.locator("dl.summary-list > div:first-child bdi.code").inner_text()  # "Tracking code"
    assert shown == " ".join(j.digits(code)[i:i + 4] for i in range(0, 16, 4)), shown  # 4 groups, page's digits
    assert j.digits(code[:4]) in page.locator(".alert-success").inner_text()
    assert title in page.inner_text("dl.summary-list")
    assert page.locator("table.case-steps tbody tr").count() >= 1  # routed through its permit path
    j.see(page, "case")

    with page.expect_navigation():
        page.locator("main a", has_text=("برگه" if lang == "fa" else "Print sheet")).first.click()
    assert urlsplit(page.url).path.endswith(f"/desk/applicants/{ref}/print")
    page.emulate_media(media="print")
    sheet = page.inner_text("body")
    assert j.digits(ref) in sheet  # the sheet is in the applicant's language and digits
    assert wrong_label not in sheet
    assert page.locator("ol.sheet-list > li").count() >= 1
    assert [c.replace(" ", "") for c in page.locator(".sheet-case .sheet-code").all_inner_texts()] == [j.digits(code)]
    j.see(page, "sheet")


# ---------------------------------------------------------------- (c) an investor registers, shows interest and applies
@pytest.mark.parametrize("lang", LANGS)
def test_an_investor_registers_confirms_by_email_expresses_interest_and_applies(journey, live_app, live_server, lang):
    email = f"investor-{uuid.uuid4().hex[:8]}@example.org"
    password = "apricot lantern river stone"
    j = journey("investor", lang)
    page = j.person()
    page.goto(j.url("/"))
    j.see(page, "home")
    with page.expect_navigation():
        page.locator("header a", has_text=("ثبت‌نام سرمایه‌گذار" if lang == "fa" else "Register as an investor")).click()
    j.see(page, "register")
    page.fill("#email", email)
    page.fill("#name", "سارا احمدی" if lang == "fa" else "Sara Ahmadi")
    page.fill("#password", password)
    page.fill("#password_again", password)
    submit(page)
    assert page.url.endswith(f"/{lang}/register/sent")
    j.see(page, "sent")

    with live_app.app_context():  # the outbox of the database the live server uses
        mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == email)).all()
        assert [m.kind for m in mail] == ["confirm_email"]
        assert mail[0].lang == lang
        body, subject = mail[0].body, mail[0].subject
    assert bool(re.search(r"[\u0600-\u06FF]", subject + body)) == (lang == "fa")
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 1 and links[0].startswith(f"{live_server}/{lang}/register/confirm/"), links
    page.goto(links[0])
    assert page.url.endswith(f"/{lang}/login")
    assert page.locator(".alert", has_text=("تأیید" if lang == "fa" else "confirmed")).count() == 1
    j.see(page, "confirmed")

    page.fill("#email", email)
    page.fill("#password", password)
    submit(page)
    assert "/login" not in page.url
    j.see(page, "signed-in")

    page.goto(j.url("/match"))
    j.see(page, "profile")
    page.select_option("#applicant_type", "home_business")
    page.fill("#capital", j.digits("3"))
    page.select_option("#capital_unit", "billion")
    page.fill("#skills", "فرش دستباف و رنگرزی نخ" if lang == "fa" else "hand-knotted carpets and dyeing yarn")
    page.check("#alerts")
    submit(page, "main form.profile-form", "button.btn-primary")
    assert page.locator(".alert-success").count() == 1, page.inner_text("main")
    first = page.locator("ol.match-list > li.opp-card h3 a").first
    title = first.inner_text()
    j.see(page, "matches")

    with page.expect_navigation():
        first.click()
    assert page.inner_text("h1") == title
    j.see(page, "opportunity")
    submit(page, ".interest-box form")
    flash = page.locator(".alert-success").inner_text()
    assert ("علاقه" in flash) if lang == "fa" else flash.startswith("Your interest was sent to ")
    assert page.inner_text("h1") == title
    j.see(page, "interested")
    submit(page, ".interest-box form")  # a second click sends nothing twice
    assert page.inner_text("h1") == title
    j.see(page, "interested-again")
    opportunity_page = page.url

    # Then applies through the single window: a case with its tracking code, on "my interests and cases".
    submit(page, ".interest-box form[action$='/apply']")
    assert page.url.endswith(f"/{lang}/my"), page.url
    flash = page.locator(".alert-success").inner_text()
    j.see(page, "applied")
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        applicant = db.session.scalar(select(Applicant).where(Applicant.user_id == user.id))
        cases = db.session.scalars(select(Case).where(Case.applicant_id == applicant.id)).all()
        assert [c.opportunity.title_fa if lang == "fa" else c.opportunity.title_en for c in cases] == [title]
        code = j.digits(grouped(cases[0].code))
    assert code in flash, flash  # the code in the page's digits, grouped as the tracking page reads it
    assert title in page.inner_text("main") and code in page.inner_text("main")
    page.goto(opportunity_page)  # applying again opens nothing new
    submit(page, ".interest-box form[action$='/apply']")
    j.see(page, "applied-again")

    with live_app.app_context():
        interests = db.session.scalars(select(Interest).where(Interest.applicant_id == applicant.id)).all()
        assert [i.opportunity.title_fa if lang == "fa" else i.opportunity.title_en for i in interests] == [title]
        assert db.session.scalars(select(Case.id).where(Case.applicant_id == applicant.id)).all() == [cases[0].id]


# ---------------------------------------------------------------- (d) two agency editors, one record
EDITS = {"fa": ("#title_fa", "احداث واحد ریخته‌گری میلگرد مسی در ورزقان", "واحد ریخته‌گری پیوسته مس در مجاورت سونگون"),
         "en": ("#title_en", "Copper rod casting plant in Varzaqan", "Continuous copper casting next to Sungun")}


@pytest.mark.parametrize("lang", LANGS)
def test_a_second_editors_stale_save_is_refused_and_nothing_is_lost(journey, staff, lang):
    box, first_title, second_title = EDITS[lang]
    j = journey("editors", lang)
    first, second = j.person(), j.person()
    for page in (first, second):
        email, password, secret = staff("agency_editor", agency="industry_mine_trade")
        sign_in(j, page, email, password, secret)

    # The first editor finds the record in the portal.
    first.goto(j.url("/portal/"))
    j.see(first, "portal")
    with first.expect_navigation():
        first.locator("nav.mb-3 a[href$='/portal/opportunities']").click()
    first.fill("#q", "OPP-1403-002")
    submit(first, "main form[role=search]")
    rows = first.locator("tbody tr")
    assert rows.count() == 1
    j.see(first, "found")
    with first.expect_navigation():
        rows.first.locator("a").first.click()
    edit_url = first.url
    assert re.search(r"/portal/opportunities/\d+/edit$", edit_url)

    # The second editor has the same form open before the first one saves.
    second.goto(edit_url)
    j.see(second, "form-opened")
    j.see(first, "form")
    first.fill(box, first_title)
    submit(first, "main form[novalidate]")
    assert first.locator(".alert-success").count() == 1
    assert first.input_value(box) == first_title
    j.see(first, "saved")

    second.fill(box, second_title)
    with second.expect_navigation() as refused:
        second.locator("main form[novalidate] button[type=submit]").click()
    assert refused.value.status == 409
    conflict = second.locator("#conflict")
    assert conflict.count() == 1
    assert ("فرد دیگری" in conflict.inner_text()) if lang == "fa" else (
        "Someone else changed this record in the meantime. Nothing you typed was saved" in conflict.inner_text())
    assert second.locator(".conflict-row .typed").all_inner_texts() == [second_title]
    assert second.locator(".conflict-row .current").all_inner_texts() == [first_title]
    assert second.input_value(box) == second_title, "what the second editor typed is still in the form"
    j.see(second, "refused", status=409)

    # The first save stands; the second editor, having compared, saves theirs on purpose.
    public = edit_url.replace("/portal/opportunities/", "/opportunities/").removesuffix("/edit")
    first.goto(public)
    assert first.inner_text("h1") == first_title
    j.see(first, "public-after-first")
    submit(second, "main form[novalidate]")
    assert second.locator(".alert-success").count() == 1
    first.goto(public)
    assert first.inner_text("h1") == second_title
    j.see(first, "public-after-second")


# ---------------------------------------------------------------- (e) an agency decides a case step
def walk_in_case(live_app, lang: str) -> tuple[str, str]:
    """A walk-in's case on an opportunity with the industrial permit path, opened as the desk opens it:
    (its tracking code, the agency of the one step started, the land allocation)."""
    with live_app.app_context():
        path = db.session.scalar(select(PermitPath).where(PermitPath.slug == "industrial_plant"))
        opp = db.session.scalars(select(Opportunity).where(Opportunity.permit_path_id == path.id,
                                                           Opportunity.status == "published")
                                 .order_by(Opportunity.id)).first()
        applicant = Applicant(ref=f"APP-J{uuid.uuid4().hex[:5].upper()}", applicant_type="company", lang=lang,
                              name="شرکت ریخته‌گری ارس" if lang == "fa" else "Aras Casting Co.",
                              capital_rials=2_000_000_000_000)
        db.session.add(applicant)
        db.session.flush()
        case = open_case(applicant, opp, None, lang=lang)
        db.session.commit()
        started = [s for s in case.steps if s.status == "in_progress"]
        assert len(started) == 1
        return case.code, started[0].agency.slug


STEP = {"fa": ("سند مالکیت زمین و نقشه جانمایی واحد را بفرستید.", "بازدید از زمین انجام شد؛ واگذاری تأیید می‌شود.",
               "تأیید", "نیازمند اطلاعات از متقاضی", "تأیید شد", "در حال انجام", "فرد دیگری"),
        "en": ("Send the title deed of the site and the plant layout.", "The site visit is done; the land is allotted.",
               "Approve", "Needs information from the applicant", "Approved", "In progress",
               "Someone else changed this record in the meantime. Nothing you typed was saved")}


@pytest.mark.parametrize("lang", LANGS)
def test_an_agency_decides_a_case_step_a_stale_decision_is_refused_and_the_applicant_tracks_it(
        journey, staff, live_app, lang):
    asked, approved, approve, needs_info, approved_label, in_progress, someone_else = STEP[lang]
    code, agency = walk_in_case(live_app, lang)
    j = journey("case-step", lang)
    shown = j.digits(grouped(code))  # as every page shows it: four groups, the page's digits
    first, second = j.person(), j.person()
    for page in (first, second):
        sign_in(j, page, *staff("agency_editor", agency=agency))

    # The first editor finds the step in the agency's queue.
    first.goto(j.url("/portal/steps"))
    row = first.locator("table tbody tr", has_text=shown)
    assert row.count() == 1
    j.see(first, "queue")
    with first.expect_navigation():
        row.locator("a.btn").click()
    step_url = first.url
    assert re.search(r"/portal/steps/\d+$", step_url)
    assert first.locator("dl.summary-list bdi.code").inner_text() == shown

    # The second editor has the same step open before the first one decides.
    second.goto(step_url)
    j.see(second, "step-opened")
    j.see(first, "step")
    first.check("#action-need_info")
    first.fill("#note", asked)
    submit(first, "main form.step-form")
    assert first.locator(".alert-success").count() == 1
    assert needs_info in first.inner_text("dl.summary-list")
    j.see(first, "asked")

    second.check("#action-approve")
    second.fill("#note", approved)
    with second.expect_navigation() as refused:
        second.locator("main form.step-form button[type=submit]").click()
    assert refused.value.status == 409
    assert someone_else in second.locator("#conflict").inner_text()
    assert second.locator(".conflict-row .typed").all_inner_texts() == [approve, approved]
    assert second.locator(".conflict-row .current").all_inner_texts() == [needs_info, asked]
    assert second.input_value("#note") == approved, "what the second editor typed is still in the form"
    assert second.is_checked("#action-approve")
    j.see(second, "refused", status=409)

    # The applicant, with nothing but the code, sees what the agency asked for.
    applicant = j.person()
    applicant.goto(j.url("/track"))
    j.see(applicant, "track")
    applicant.fill("#code", shown)
    submit(applicant)
    land = applicant.locator("table.case-steps tbody tr").first
    assert needs_info in land.inner_text() and asked in land.inner_text()
    j.see(applicant, "tracked-asked")

    # Having compared, the second editor approves on purpose; the next stage starts and the applicant sees it.
    submit(second, "main form.step-form")
    assert second.locator(".alert-success").count() == 1
    j.see(second, "approved")
    applicant.reload()
    steps = applicant.locator("table.case-steps tbody tr")
    assert approved_label in steps.first.inner_text()
    assert in_progress in steps.nth(1).inner_text()
    j.see(applicant, "tracked-approved")


# ---------------------------------------------------------------- (f) an obstacle reported and resolved
OBSTACLE = {"fa": ("قطع مکرر برق در ساعت‌های اوج، خط تولید پنیر را هر روز چند ساعت متوقف می‌کند.", "لبنیات کوثر",
                   "ترانسفورماتور اختصاصی نصب شد و برق واحد پایدار است.", "دریافت شد", "ارجاع‌شده به دستگاه",
                   "رفع شد"),
            "en": ("Repeated power cuts at peak hours stop the cheese line for hours every day.", "Kowsar Dairy",
                   "A dedicated transformer was installed; the unit's supply is stable.", "Received",
                   "Assigned to an agency", "Resolved")}
OBSTACLE_AGENCY = "power_distribution"


@pytest.mark.parametrize("lang", LANGS)
def test_an_obstacle_reported_on_the_public_form_is_assigned_resolved_and_tracked(journey, staff, live_app, lang):
    description, unit, resolution, received, assigned, resolved = OBSTACLE[lang]
    j = journey("obstacle", lang)
    reporter = j.person()
    reporter.goto(j.url("/obstacles/new"))
    j.see(reporter, "form")
    reporter.select_option("#category", "power")
    cheese = [v for v in reporter.locator("#product-list option").evaluate_all("os => os.map(o => o.value)")
              if v.endswith(f"({j.digits('0406')})")]
    assert len(cheese) == 1, "the suggestions name each product with its code in the page's digits"
    reporter.fill("#product", cheese[0])
    reporter.select_option("#county", "tabriz")
    reporter.fill("#lost_quantity", j.digits("12"))
    reporter.select_option("#lost_period", "month")
    reporter.fill("#description", description)
    reporter.fill("#unit_name", unit)
    reporter.fill("#reporter_contact", j.digits("09141234567"))
    submit(reporter)
    assert "/obstacles/track" in reporter.url, reporter.inner_text("main")
    shown = reporter.locator(".alert-success .code").inner_text()
    code = re.sub(r"\s", "", shown).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert re.fullmatch(r"\d{16}", code) and shown == j.digits(grouped(code)), shown
    assert received in reporter.inner_text("dl.summary-list")
    j.see(reporter, "sent")

    # HQ finds it in the queue and assigns it to the power distribution company.
    hq = j.person()
    sign_in(j, hq, *staff("hq"))
    hq.goto(j.url("/hq/obstacles?status=new"))
    row = hq.locator("tbody tr", has_text=shown)
    assert row.count() == 1
    j.see(hq, "queue")
    with hq.expect_navigation():
        row.locator("a").first.click()
    j.see(hq, "report")
    hq.select_option("#agency-assigned", OBSTACLE_AGENCY)
    submit(hq, "main form:has(input[name=status][value=assigned])")
    assert hq.locator(".alert-success").count() == 1
    assert assigned in hq.inner_text("dl.summary-list")
    j.see(hq, "assigned")

    # The agency's editor resolves it from the agency's own queue.
    editor = j.person()
    sign_in(j, editor, *staff("agency_editor", agency=OBSTACLE_AGENCY))
    editor.goto(j.url("/portal/obstacles"))
    row = editor.locator("tbody tr", has_text=shown)
    assert row.count() == 1
    j.see(editor, "queue")
    with editor.expect_navigation():
        row.locator("a").first.click()
    editor.fill("#note-resolved", resolution)
    submit(editor, "main form:has(input[name=status][value=resolved])")
    assert editor.locator(".alert-success").count() == 1
    assert resolved in editor.inner_text("dl.summary-list")
    j.see(editor, "resolved")

    # The reporter follows the code and sees how it was resolved.
    reporter.goto(j.url("/obstacles/track"))
    reporter.fill("#code", shown)
    submit(reporter)
    facts = reporter.inner_text("dl.summary-list")
    assert resolved in facts and resolution in facts
    j.see(reporter, "tracked-resolved")
    with live_app.app_context():
        row = db.session.scalar(select(Obstacle).where(Obstacle.code == code))
        assert (row.status, row.agency.slug, row.resolution) == ("resolved", OBSTACLE_AGENCY, resolution)


# ---------------------------------------------------------------- (g) HQ and the ten measures
@pytest.mark.parametrize("lang", LANGS)
def test_hq_opens_the_dashboard_of_the_ten_measures_and_a_measure_page(journey, staff, lang):
    j = journey("hq-measures", lang)
    page = j.person()
    sign_in(j, page, *staff("hq"))
    page.goto(j.url("/hq/"))
    links = page.locator("#h-measures ~ .row h3 a")
    hrefs = [urlsplit(h).path for h in links.evaluate_all("as => as.map(a => a.href)")]
    assert len(hrefs) == 10 and len(set(hrefs)) == 10
    assert all(h.startswith(f"/{lang}/hq/measures/") for h in hrefs)
    assert f"/{lang}/hq/measures/value_chains" in hrefs
    j.see(page, "dashboard")
    measure = page.locator("#h-measures ~ .row h3 a[href$='/hq/measures/value_chains']")
    name = measure.inner_text()
    with page.expect_navigation():
        measure.click()
    assert urlsplit(page.url).path == f"/{lang}/hq/measures/value_chains"
    assert name in page.inner_text("h1") and page.inner_text("h1 .measure-no") == j.digits("7")
    j.see(page, "measure")
    page.goto(j.url("/hq/measures/obstacles"))
    assert page.inner_text("h1 .measure-no") == j.digits("6")
    j.see(page, "measure-obstacles")


# ---------------------------------------------------------------- the checks themselves can fail
SPOILERS = [
    ("document.documentElement.dir = 'ltr'", "fa", "<html lang dir>"),
    ("document.body.style.direction = 'ltr'", "fa", "direction of"),
    ("document.documentElement.lang = 'en'", "fa", "<html lang dir>"),
    ("document.querySelector('h1').textContent += ' 42'", "fa", "ASCII digits"),
    ("document.querySelector('h1').textContent += ' Opportunities'", "fa", "untranslated English"),
    ("document.querySelector('main').setAttribute('aria-label', 'Main content')", "fa", "untranslated English"),
    ("document.querySelector('h1').textContent += ' فرصت'", "en", "Persian letters"),
    ("console.error('broken')", "en", "console errors"),
    ("fetch('http://127.0.0.2:9/tracker').catch(() => null)", "en", "requests to other hosts"),
]


@pytest.mark.parametrize("spoil,lang,complaint", SPOILERS)
def test_check_page_notices_what_a_person_would(browser, live_server, spoil, lang, complaint):
    context = browser.new_context(bypass_csp=True)  # else the policy stops the outside request first
    seen = watch(context)
    page = context.new_page()
    page.goto(f"{live_server}/{lang}/opportunities")
    check_page(page, lang, seen)  # the page as served passes
    page.evaluate(spoil)
    with pytest.raises(AssertionError, match=re.escape(complaint)):
        check_page(page, lang, seen)
    context.close()
