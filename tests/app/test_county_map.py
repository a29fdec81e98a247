"""The county map: every county of the project has an OpenStreetMap outline, each is a link to its
opportunities with the same figures as the table, and the attribution is shown beside it."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import County, Opportunity
from app.services.county_map import MAP_FILE


def test_every_county_of_the_project_has_a_shape_in_the_committed_map(app):
    shapes = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    with app.app_context():
        slugs = set(db.session.scalars(select(County.slug)))
    assert len(slugs) == 21
    assert set(shapes["counties"]) == slugs
    assert all(c["d"].startswith("M") and c["d"].endswith("Z") for c in shapes["counties"].values())
    assert shapes["attribution"] == "© OpenStreetMap contributors" and shapes["licence"] == "ODbL-1.0"
    assert MAP_FILE.stat().st_size < 40_000  # simplified, not the 246 kB source


@pytest.mark.parametrize("path", ["/fa/", "/fa/opportunities", "/en/", "/en/opportunities"])
def test_the_map_links_each_county_to_its_opportunities_with_the_tables_figures(client, app, path):
    html = client.get(path).get_data(as_text=True)
    svg = html[html.index('<svg class="county-map"'):html.index("</svg>", html.index('<svg class="county-map"'))]
    links = re.findall(r'<a href="/(?:fa|en)/opportunities\?county=([a-z_]+)#results"', svg)
    assert len(links) == 21 and len(set(links)) == 21
    with app.app_context():
        open_in_tabriz = db.session.scalar(
            select(func.count(Opportunity.id)).join(County).where(County.slug == "tabriz",
                                                                  Opportunity.status == "published"))
    label = re.search(r'aria-label="(?:تبریز|Tabriz): ([^"]+)"', svg).group(1)
    digits = str(open_in_tabriz).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) if path.startswith("/fa") \
        else str(open_in_tabriz)
    assert label.startswith(digits)
    table = html[html.index('class="county-table"'):]
    assert re.search(r"(?:تبریز|Tabriz)</a></th><td>" + digits + "</td>", table)
    assert ("© مشارکت‌کنندگان" in html) if path.startswith("/fa") else ("© " in html and "contributors" in html)
    assert "OpenStreetMap" in html


def test_a_county_link_lands_on_that_countys_opportunities(client):
    html = client.get("/en/opportunities?county=tabriz").get_data(as_text=True)
    assert 'id="results"' in html and "Tabriz" in html


def test_the_map_counts_follow_the_data_when_an_opportunity_closes(fresh_app):
    """The per-county figures are kept per data version: a change to the opportunities shows at once."""
    client = fresh_app.test_client()

    def tabriz_count() -> str:
        html = client.get("/en/opportunities").get_data(as_text=True)
        return re.search(r'aria-label="Tabriz: (\d+)', html).group(1)

    before = tabriz_count()
    assert tabriz_count() == before  # served from the cache
    with fresh_app.app_context():
        opp = db.session.scalars(select(Opportunity).join(County).where(
            County.slug == "tabriz", Opportunity.status == "published")).first()
        opp.status = "closed"
        db.session.commit()
    assert int(tabriz_count()) == int(before) - 1
