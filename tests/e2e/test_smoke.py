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
