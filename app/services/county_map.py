"""The province's county map: outlines from OpenStreetMap (data/map/, rebuilt by its script) and the
figures each county shows — open opportunities and the value of the missing links they would fill.

Drawn server-side as SVG by templates/macros/county_map.html; no map tiles, nothing fetched."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.i18n import by_name
from app.models import County, Opportunity, Product
from app.services.gaps import province_gaps
from app.services.graph import per_data_version

MAP_FILE = Path(__file__).resolve().parents[2] / "data" / "map" / "east_azerbaijan_counties.json"


@lru_cache(maxsize=1)
def outlines() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def _county_numbers() -> tuple[dict[str, int], dict[str, int]]:
    """Open opportunities and the value of the gaps they would fill, per county slug.

    Both read every published opportunity (at national scale 90,000 rows and as many county × product pairs)
    and change only with the data: computed once per data version."""
    counts = dict(db.session.execute(
        select(County.slug, func.count(Opportunity.id)).join(Opportunity, Opportunity.county_id == County.id)
        .where(Opportunity.status == "published").group_by(County.slug)).all())
    products = db.session.execute(
        select(County.slug, Product.code).join(Opportunity, Opportunity.county_id == County.id)
        .join(Product, Product.id == Opportunity.product_id)
        .where(Opportunity.status == "published").distinct()).all()
    size_of: dict[str, int] = {}
    for gap in province_gaps():
        size_of[gap.product] = max(size_of.get(gap.product, 0), gap.size_rials)
    gap_value: dict[str, int] = {}
    for slug, code in products:
        gap_value[slug] = gap_value.get(slug, 0) + size_of.get(code, 0)
    return counts, gap_value


def county_figures() -> dict:
    """Everything the map and its table show: one entry per county, in the page's alphabetical order."""
    shapes = outlines()
    counts, gap_value = per_data_version("county_numbers", _county_numbers)
    most = max(counts.values(), default=0)
    rows = []
    for county in by_name(db.session.scalars(select(County))):
        shape = shapes["counties"].get(county.slug)
        n = counts.get(county.slug, 0)
        rows.append({"county": county, "d": shape["d"] if shape else "", "label": shape["label"] if shape else None,
                     "count": n, "gap_rials": gap_value.get(county.slug, 0),
                     # four shades by share of the busiest county; 0 = none open
                     "level": 0 if n == 0 else min(4, 1 + int(3 * n / most)) if most else 0})
    return {"width": shapes["width"], "height": shapes["height"], "rows": rows}
