"""The chain drawing on a 1366 px desktop fits its frame (no sideways scrolling), in both languages, for the
copper chain and the seeded chain with the most products; on a phone the stage-by-stage list replaces it.
Screenshots of each frame go to artifacts/screenshots/chains/."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db

_FRAME_JS = """() => {
  const wrap = document.querySelector('.chain-graph-wrap'), hint = document.querySelector('#graph-hint');
  const svg = wrap.querySelector('svg');
  return {frame: wrap.clientWidth, scroll: wrap.scrollWidth, drawing: svg.getBoundingClientRect().width,
          tabindex: wrap.getAttribute('tabindex'),
          hint: hint !== null && getComputedStyle(hint).display !== 'none',
          labels: [...svg.querySelectorAll('text')].filter(t => t.textContent.includes('…')).length};
}"""


@pytest.fixture(scope="module")
def longest_chain(live_app):
    from app.models import ValueChain, chain_products

    with live_app.app_context():
        return db.session.execute(
            select(ValueChain.slug).join(chain_products, chain_products.c.chain_id == ValueChain.id)
            .group_by(ValueChain.slug).order_by(func.count().desc(), ValueChain.slug)).scalars().first()


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_chain_drawing_fits_its_frame_on_a_desktop(browser, live_server, artifacts, longest_chain, lang):
    folder = artifacts / "chains"
    folder.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        for slug in dict.fromkeys(["copper", longest_chain]):
            page.goto(f"{live_server}/{lang}/chains/{slug}", wait_until="load")
            frame = page.evaluate(_FRAME_JS)
            page.locator(".chain-graph-wrap").screenshot(path=str(folder / f"{lang}-{slug}-1366.png"))
            assert frame["drawing"] <= frame["frame"], (slug, frame)
            assert frame["scroll"] <= frame["frame"], f"{slug} scrolls sideways: {frame}"
            assert not frame["hint"], f"{slug}: a scroll hint where nothing scrolls"
            assert frame["tabindex"] == "0" and frame["labels"] == 0, (slug, frame)
            page.set_viewport_size({"width": 390, "height": 844})
            assert not page.locator(".chain-graph-wrap").is_visible()
            assert page.locator(".chain-list-view").is_visible()
            page.set_viewport_size({"width": 1366, "height": 900})
    finally:
        page.close()
