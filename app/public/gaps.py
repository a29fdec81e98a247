"""The province's missing links (gaps): totals, chart, sortable table and CSV export."""

from __future__ import annotations

import math

from flask import (
    abort,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.i18n import by_name, current_lang, localise_digits
from app.models import County, Sector, ValueChain
from app.services.gaps import (
    fill_quantity,
    filtered_gaps,
    gap_opportunities,
    gap_opportunity_index,
    simulate_fill,
)
from app.services.graph import value_chain_graph
from app.services.relatedness import active_relatedness_table
from app.web.errors import UserMessage
from app.web.exports import csv_response
from app.web.labels import gap_kind_labels
from app.web.params import parse_int, read_gap_filters
from chains.gaps import KINDS

PER_PAGE = 25
#: The chart's marker per facet kind: a distinct shape as well as a colour.
SHAPES = {"missing_supplier": "circle", "shortfall": "square", "unprocessed_outflow": "triangle",
          "idle_capacity": "diamond", "infrastructure": "cross"}


def gap_rows(gaps, lang: str):
    graph = value_chain_graph()
    opps = gap_opportunity_index()
    rows = []
    for g in gaps:
        product = graph.nodes[g.product]["product"]
        qty = fill_quantity(g)
        sim = simulate_fill(g.product, qty) if qty and qty > 0 else None
        rows.append({"gap": g, "product": product, "opportunities": gap_opportunities(g, opps),
                     "fill_quantity": qty, "simulation": sim})
    return rows


def totals(found) -> dict:
    """The size of the listed gaps counted once, and the part of it each facet kind accounts for."""
    by_kind = dict.fromkeys(KINDS, 0)
    gaps_by_kind = dict.fromkeys(KINDS, 0)
    for g in found:
        for f in g.facets:
            by_kind[f.kind] += f.counted_rials
            gaps_by_kind[f.kind] += 1
    return {"rials": sum(g.size_rials for g in found), "gaps": len(found),
            "national": sum(1 for g in found if g.national_scale),
            "national_rials": sum(g.size_rials for g in found if g.national_scale),
            "kinds": [(k, by_kind[k], gaps_by_kind[k]) for k in KINDS if gaps_by_kind[k]]}


def gaps():
    f = read_gap_filters()
    found = filtered_gaps(f)
    found.sort(key=lambda g: g.national_scale)  # stable: national-scale gaps listed apart, after the others
    lang = current_lang()
    if request.args.get("format") == "csv":
        return gaps_csv(found, lang)
    if request.args.get("format") not in (None, "", "html"):
        abort(400, description=UserMessage(gettext("Only the formats html and csv are offered.")))
    page = parse_int("page", minimum=1) or 1
    pages = max(1, -(-len(found) // PER_PAGE))
    if page > pages:
        abort(404, description=UserMessage(gettext("There is no page %(page)s; the list has %(pages)s pages.",
                                                   page=localise_digits(page), pages=localise_digits(pages))))
    first = (page - 1) * PER_PAGE
    rows = gap_rows(found[first: first + PER_PAGE], lang)
    for n, r in enumerate(rows, first + 1):
        r["rank"] = n
    chains_all = by_name(db.session.scalars(select(ValueChain)))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "public/gaps.html", provincial_rows=[r for r in rows if not r["gap"].national_scale],
        national_rows=[r for r in rows if r["gap"].national_scale], total=len(found), page=page, pages=pages,
        filters=f, args=args, chains=chains_all, chain_names={c.slug: c for c in chains_all},
        sectors=by_name(db.session.scalars(select(Sector))),
        counties=by_name(db.session.scalars(select(County))),
        chart=gap_chart(found, lang, args), totals=totals(found), relatedness=active_relatedness_table(),
        shapes=SHAPES,
    )


def facet_cell(g, kinds: dict[str, str], lang: str) -> str:
    """The facets of one gap in a CSV cell: kind, counted and own size, reason."""
    return " | ".join(f"{kinds[f.kind]}: {f.counted_rials} / {f.size_rials} — {f.reason(lang)}" for f in g.facets)


def gaps_csv(found, lang: str):
    graph = value_chain_graph()
    header = [gettext("Kind"), gettext("Product code"), gettext("Product"), gettext("Value chains"),
              gettext("Scale"), gettext("Size (rials, counted once)"), gettext("Viability"),
              gettext("Attractiveness"), gettext("Strategic weight"), gettext("Priority"),
              gettext("Facets (kind: counted rials / own size rials — reason)"), gettext("Reason")]
    kinds = gap_kind_labels()
    national, provincial = gettext("National-scale"), gettext("Provincial")
    rows = []
    for g in found:
        p = graph.nodes[g.product]["product"]
        rows.append([kinds[g.kind], g.product, p.name_fa if lang == "fa" else p.name_en, "|".join(g.chains),
                     national if g.national_scale else provincial, g.size_rials, round(g.viability, 4),
                     round(g.attractiveness, 4), round(g.strategic, 4), round(g.priority, 4),
                     facet_cell(g, kinds, lang), g.reason(lang)])
    return csv_response("missing-links.csv", header, rows)


def _size_axis(sizes: list[int]) -> dict:
    """A log axis (whole decades) when the sizes span more than one order of magnitude, else linear."""
    positive = [s for s in sizes if s > 0] or [1]
    lo, hi = min(positive), max(positive)
    if hi / lo > 10:
        d0, d1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        d1 = max(d1, d0 + 1)
        return {"log": True, "lo": d0, "hi": d1, "ticks": [10 ** d for d in range(d0, d1 + 1)],
                "pos": lambda s: (math.log10(max(s, 10 ** d0)) - d0) / (d1 - d0)}
    top = hi * 1.1
    return {"log": False, "lo": 0, "hi": top, "ticks": [top * k / 4 for k in range(5)],
            "pos": lambda s: s / top}


def gap_chart(found, lang: str, args: dict, width: int = 720, height: int = 460) -> dict:
    """Points of the viability × size chart (log size axis); x mirrors for right-to-left pages.

    Every point links to its gap's row: the table page it is on and its anchor. The side pad holds the size
    ticks at the phone's larger type (``site.css``: 22 units, 11 px on a 390 px screen)."""
    pad_x, pad_top, pad_bottom = 104, 24, 56
    plot_w, plot_h = width - 2 * pad_x, height - pad_top - pad_bottom
    rtl = lang == "fa"
    shown = found[:300]
    axis = _size_axis([g.size_rials for g in shown])
    graph = value_chain_graph()
    points = []
    for n, g in enumerate(shown):
        x = g.viability if not rtl else 1 - g.viability
        page = n // PER_PAGE + 1
        href = url_for("public.gaps", **({**args, "page": page} if page > 1 else args)) + f"#gap-{g.product}"
        y = 1 - axis["pos"](g.size_rials)
        product = graph.nodes[g.product]["product"] if g.product in graph else None
        name = (product.name_fa if rtl else product.name_en) if product is not None else ""
        points.append({"gap": g, "shape": SHAPES[g.kind], "href": href, "name": name,
                       "cx": round(pad_x + x * plot_w, 1), "cy": round(pad_top + y * plot_h, 1)})
    ticks = [{"value": t, "y": round(pad_top + (1 - axis["pos"](t)) * plot_h, 1)} for t in axis["ticks"]]
    xticks = [{"value": v, "x": round(pad_x + (v if not rtl else 1 - v) * plot_w, 1)} for v in (0, .25, .5, .75, 1)]
    return {"width": width, "height": height, "pad_x": pad_x, "pad_top": pad_top, "plot_w": plot_w,
            "plot_h": plot_h, "rtl": rtl, "points": points, "log": axis["log"], "ticks": ticks, "xticks": xticks,
            "left_out": max(0, len(found) - len(shown)), "zeros": sum(1 for g in shown if g.size_rials <= 0)}
