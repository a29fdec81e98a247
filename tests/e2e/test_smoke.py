"""What a person sees in a real browser: direction, digits, no outside requests, no console errors."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

PAGES = [("fa", "/fa/", "home"), ("fa", "/fa/opportunities", "opportunities"),
         ("en", "/en/", "home"), ("en", "/en/opportunities", "opportunities")]


@pytest.mark.parametrize("lang,path,name", PAGES)
def test_the_page_reads_in_its_language_and_loads_nothing_from_elsewhere(browser, live_server, artifacts,
                                                                          lang, path, name):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(live_server + path, wait_until="networkidle")
    assert response.status == 200

    direction = page.evaluate("getComputedStyle(document.documentElement).direction")
    assert direction == ("rtl" if lang == "fa" else "ltr")
    heading_align = page.evaluate("getComputedStyle(document.querySelector('h1')).direction")
    assert heading_align == direction

    visible = page.inner_text("main")
    if lang == "fa":
        assert re.search(r"[۰-۹]", visible), "Persian digits expected on a fa page"
        assert not re.search(r"[0-9]", re.sub(r"[A-Z]{2,}-[0-9-]+", "", visible)), "Latin digits on a fa page"
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "Vazirmatn" in font
        assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    else:
        assert re.search(r"[0-9]", visible) and not re.search(r"[۰-۹]", visible)

    own = urlsplit(live_server).netloc
    outside = [u for u in requests if urlsplit(u).netloc != own and not u.startswith("data:")]
    assert outside == []
    assert errors == []
    page.screenshot(path=str(artifacts / f"{name}-{lang}.png"), full_page=True)
    context.close()


def test_the_language_switch_lands_on_the_same_page(browser, live_server):
    page = browser.new_page()
    page.goto(live_server + "/fa/opportunities?type=cooperative")
    page.click("a.lang-switch")
    assert page.url == live_server + "/en/opportunities?type=cooperative"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()


MORE_PAGES = [("fa", "/fa/gaps"), ("en", "/en/gaps"), ("fa", "/fa/chains/dairy"), ("en", "/en/chains/copper"),
              ("fa", "/fa/match"), ("fa", "/fa/track"), ("fa", "/fa/login"), ("en", "/en/register")]


@pytest.mark.parametrize("lang,path", MORE_PAGES)
def test_more_pages_render_without_console_errors_or_outside_requests(browser, live_server, artifacts, lang, path):
    """Console errors include Content-Security-Policy violations, so inline scripts or styles would show here."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(live_server + path, wait_until="networkidle")
    assert response.status == 200
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == ("rtl" if lang == "fa" else "ltr")
    own = urlsplit(live_server).netloc
    assert [u for u in requests if urlsplit(u).netloc != own and not u.startswith("data:")] == []
    assert errors == []
    page.screenshot(path=str(artifacts / (path.strip("/").replace("/", "-") + ".png")), full_page=False)
    page.close()


def test_a_visitor_finds_matches_in_persian_in_the_browser(browser, live_server, artifacts):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/fa/match")
    page.select_option("#applicant_type", "cooperative")
    page.fill("#capital", "۵۰")
    page.fill("#skills", "تولید لبنیات و پنیر")
    page.fill("#products", "0401")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    text = page.inner_text("#matches-h")
    assert text.strip() == "فرصت‌های مناسب شما"
    reasons = page.locator(".reasons li").all_inner_texts()
    assert reasons and any("مانند شما" in r for r in reasons)
    assert not any(re.search(r"[0-9]", r) for r in reasons), "reasons on a fa page use Persian digits"
    assert errors == []
    page.screenshot(path=str(artifacts / "self-service-fa.png"), full_page=False)
    page.close()
