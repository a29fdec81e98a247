"""The gaps chart as a person sees it, at 390 and 1366 px in both languages: every text it shows at least
11 px tall, points spread out (log size axis), each kind of gap a shape of its own, every point reachable with
the Tab key in turn and linked to its row. Screenshots of the chart go to artifacts/screenshots/charts/."""

from __future__ import annotations

import pytest

_CHART_JS = """() => {
  const svg = document.querySelector('svg.gap-chart');
  const k = svg.getScreenCTM().a;
  const shown = (e) => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().width > 0;
  const texts = [...svg.querySelectorAll('text')].filter(shown)
    .map(t => ({text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * k}));
  const note = document.querySelector('.chart-axes-note');
  for (const e of [note, ...document.querySelectorAll('.chart-legend li')]) {
    if (shown(e)) texts.push({text: e.textContent.trim(), px: parseFloat(getComputedStyle(e).fontSize)});
  }
  const points = [...svg.querySelectorAll('a.chart-point')].map(a => {
    const r = a.getBoundingClientRect(), mark = a.querySelector('.mk');
    const kind = [...mark.classList].find(c => c.startsWith('mk-') && !['mk-hollow', 'mk-line'].includes(c));
    return {href: a.getAttribute('href'), x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2),
            kind, shape: mark.tagName + (mark.getAttribute('points') || '').split(' ').length};
  });
  return {texts, points, axesNote: shown(note)};
}"""


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_gaps_chart_is_readable_distinguishable_and_reachable_by_keyboard(browser, live_server, artifacts,
                                                                              lang, width):
    folder = artifacts / "charts"
    folder.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(f"{live_server}/{lang}/gaps", wait_until="load")
        page.locator(".gap-chart-figure").screenshot(path=str(folder / f"{lang}-gaps-{width}.png"))
        seen = page.evaluate(_CHART_JS)
        small = [t for t in seen["texts"] if t["px"] < 11]
        assert small == [], f"text under 11 px at {width} px: {small[:5]}"
        assert seen["axesNote"] == (width == 390)  # on a phone the axis titles are the caption's text
        points = seen["points"]
        assert len(points) > 50
        # Separated: nearly every point at a place of its own, spread over the plot both ways.
        assert len({(p["x"], p["y"]) for p in points}) >= 0.9 * len(points)
        # Each kind one shape, different from every other kind's.
        shapes = {}
        for p in points:
            shapes.setdefault(p["kind"], set()).add(p["shape"])
        assert all(len(s) == 1 for s in shapes.values()), shapes
        assert len({next(iter(s)) for s in shapes.values()}) == len(shapes), shapes
        # Every point linked to its row, and those of this table page to a row on it.
        ids = set(page.evaluate("() => [...document.querySelectorAll('tr[id^=gap-]')].map(r => r.id)"))
        here = [p["href"].split("#")[1] for p in points if "page=" not in p["href"]]
        assert here and set(here) <= ids
        # The Tab key walks from one point to the next, through every one of them.
        page.locator("svg.gap-chart a.chart-point").first.focus()
        reached = []
        for _ in range(len(points)):
            reached.append(page.evaluate(
                "() => [...document.querySelectorAll('svg.gap-chart a.chart-point')].indexOf(document.activeElement)"))
            page.keyboard.press("Tab")
        assert reached == list(range(len(points)))
    finally:
        page.close()
