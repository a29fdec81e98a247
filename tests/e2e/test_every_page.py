"""Every page type in both languages in a real browser, under the real Content-Security-Policy:

- axe-core (tests/e2e/vendor/axe.min.js, from npm) reports no serious or critical violation;
- at 390 px no page is wider than the screen;
- every page has a main landmark and one h1, and a visible focus indicator on its controls;
- a screenshot at 1366 and at 390 px goes to artifacts/screenshots/pages/.

One browser, one page per type and language, axe once per page, to keep the suite about two minutes.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from tests.e2e.checks import axe_violations

PASSWORD = "e2e pages password"

PUBLIC = ["/{lang}/", "/{lang}/opportunities", "/{lang}/opportunities/{opp_id}", "/{lang}/chains",
          "/{lang}/chains/copper", "/{lang}/gaps", "/{lang}/match", "/{lang}/track", "/{lang}/about",
          "/{lang}/login", "/{lang}/register"]
STAFF = ["/{lang}/desk/", "/{lang}/desk/applicants/{applicant}", "/{lang}/desk/applicants/{applicant}/print",
         "/{lang}/desk/cases/{case}", "/{lang}/portal/", "/{lang}/portal/products",
         "/{lang}/portal/products/{product}/edit", "/{lang}/portal/products/{product}/links",
         "/{lang}/portal/chains", "/{lang}/portal/chains/copper", "/{lang}/portal/opportunities",
         "/{lang}/portal/opportunities/{opp_id}/edit", "/{lang}/portal/interests",
         "/{lang}/portal/opportunities/{opp_id}/applicants", "/{lang}/portal/transfer/", "/{lang}/hq/",
         "/{lang}/hq/audit", "/{lang}/admin/users", "/{lang}/admin/users/{user}", "/{lang}/admin/agencies",
         "/{lang}/admin/agencies/{agency}", "/{lang}/admin/office"]


@pytest.fixture(scope="module")
def values(live_app):
    from app.models import Agency, Applicant, Case, Opportunity, Product, User
    from app.security.passwords import hash_password

    with live_app.app_context():
        opp = db.session.scalars(select(Opportunity).where(Opportunity.status == "published")
                                 .order_by(Opportunity.id)).first()
        applicant = db.session.scalars(select(Applicant).order_by(Applicant.id)).first()
        product = db.session.scalars(select(Product).where(Product.code == "7408")).one()
        agency = db.session.scalars(select(Agency).order_by(Agency.slug)).first()
        email = f"admin-{uuid.uuid4().hex[:6]}@example.org"
        admin = User(email=email, role="admin", password_hash=hash_password(PASSWORD), email_confirmed=True,
                     totp_secret=pyotp.random_base32(), totp_confirmed=True, recovery_codes=[])
        db.session.add(admin)
        db.session.flush()
        case = Case(code="4417 2093 5581 0264".replace(" ", ""), applicant_id=applicant.id, opportunity_id=opp.id)
        db.session.add(case)
        db.session.commit()
        return {"opp_id": opp.id, "applicant": applicant.ref, "product": product.code, "case": case.code,
                "user": admin.id, "agency": agency.slug, "email": email, "secret": admin.totp_secret}


@pytest.fixture(scope="module")
def staff_context(browser, live_server, values):
    """One signed-in administrator (the role that sees every staff page), through the real forms."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/en/login")
    page.fill("#email", values["email"])
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/2fa**")
    page.fill("#code", pyotp.TOTP(values["secret"]).now())
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.url
    page.close()
    yield context
    context.close()


@pytest.fixture(scope="module")
def anonymous_context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    yield context
    context.close()


@pytest.fixture(scope="module")
def report():
    found: dict[str, dict] = {}
    yield found
    out = Path(__file__).resolve().parents[2] / "artifacts" / "axe-report.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")


def _check(context, live_server, artifacts, report, url, lang):
    folder = artifacts / "pages"
    folder.mkdir(exist_ok=True)
    name = url.strip("/").replace("/", "_") or lang
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1366, "height": 900})
    started = time.monotonic()
    response = page.goto(live_server + url, wait_until="load")
    assert response.status == 200, (url, response.status)
    landmarks = page.evaluate("""() => ({main: document.querySelectorAll('main, [role=main]').length,
                                         h1: document.querySelectorAll('h1').length})""")
    assert landmarks == {"main": 1, "h1": 1}, (url, landmarks)
    result = axe_violations(page)
    report[url] = {"violations": result, "seconds": round(time.monotonic() - started, 2)}
    page.screenshot(path=str(folder / f"{name}-1366.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 392 || e.getBoundingClientRect().left < -2).slice(-3)
        .map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 60))""")
    page.screenshot(path=str(folder / f"{name}-390.png"))
    page.close()
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{url}: axe found {json.dumps(serious, ensure_ascii=False)}"
    assert width <= 390, f"{url} is {width} px wide on a 390 px phone: {wide}"
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == [], (url, errors)


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("template", PUBLIC)
def test_each_public_page_is_accessible_and_fits_a_phone(anonymous_context, live_server, artifacts, report,
                                                           values, template, lang):
    _check(anonymous_context, live_server, artifacts, report, template.format(lang=lang, **values), lang)


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("template", STAFF)
def test_each_staff_page_is_accessible_and_fits_a_phone(staff_context, live_server, artifacts, report,
                                                          values, template, lang):
    _check(staff_context, live_server, artifacts, report, template.format(lang=lang, **values), lang)
