"""The province's missing links (gaps): list, chart and CSV export."""

from __future__ import annotations

from flask import (
    abort,
    render_template,
    request,
)
from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.i18n import current_lang, localise_digits
from app.models import County, Sector, ValueChain
from app.services.gaps import (
    fill_quantity,
    filtered_gaps,
    gap_opportunities,
    simulate_fill,
)
from app.services.graph import value_chain_graph
from app.services.queries import opportunities_by_product
from app.services.relatedness import active_relatedness_table
from app.web.errors import UserMessage
from app.web.exports import csv_response
from app.web.labels import gap_kind_labels
from app.web.params import parse_int, read_gap_filters


def gap_rows(gaps, lang: str):
    graph = value_chain_graph()
    opps = opportunities_by_product()
    rows = []
    for g in gaps:
        product = graph.nodes[g.product]["product"]
        qty = fill_quantity(g)
        sim = simulate_fill(g.product, qty) if qty and qty > 0 else None
        rows.append({"gap": g, "product": product, "opportunities": gap_opportunities(g, opps),
                     "fill_quantity": qty, "simulation": sim})
    return rows


def gaps():
    f = read_gap_filters()
    found = filtered_gaps(f)
    lang = current_lang()
    if request.args.get("format") == "csv":
        return gaps_csv(found, lang)
    if request.args.get("format") not in (None, "", "html"):
        abort(400, description=UserMessage(gettext("Only the formats html and csv are offered.")))
    page = parse_int("page", minimum=1) or 1
    per_page = 25
    pages = max(1, -(-len(found) // per_page))
    if page > pages:
        abort(404, description=UserMessage(gettext("There is no page %(page)s; the list has %(pages)s pages.",
                                                   page=localise_digits(page), pages=localise_digits(pages))))
    shown = found[(page - 1) * per_page: page * per_page]
    chains_all = db.session.scalars(select(ValueChain).order_by(ValueChain.slug)).all()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "public/gaps.html", rows=gap_rows(shown, lang), all_gaps=found, total=len(found), page=page, pages=pages,
        filters=f, args=args, chains=chains_all, chain_names={c.slug: c for c in chains_all},
        sectors=db.session.scalars(select(Sector).order_by(Sector.slug)).all(),
        counties=db.session.scalars(select(County).order_by(County.slug)).all(),
        chart=gap_chart(found, lang), relatedness=active_relatedness_table(),
    )


def gaps_csv(found, lang: str):

    graph = value_chain_graph()
    header = [gettext("Kind"), gettext("Product code"), gettext("Product"), gettext("Value chains"),
              gettext("Size (rials)"), gettext("Viability"), gettext("Attractiveness"),
              gettext("Strategic weight"), gettext("Priority"), gettext("Reason")]
    kinds = gap_kind_labels()
    rows = []
    for g in found:
        p = graph.nodes[g.product]["product"]
        rows.append([kinds[g.kind], g.product, p.name_fa if lang == "fa" else p.name_en, "|".join(g.chains),
                     g.size_rials, round(g.viability, 4), round(g.attractiveness, 4), round(g.strategic, 4),
                     round(g.priority, 4), g.reason(lang)])
    return csv_response("missing-links.csv", header, rows)


def gap_chart(found, lang: str, width: int = 640, height: int = 420) -> dict:
    """Points of the viability × attractiveness chart; x mirrors for right-to-left pages."""
    pad = 48
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    rtl = lang == "fa"
    points = []
    for g in found[:200]:
        x = g.viability if not rtl else 1 - g.viability
        points.append({"gap": g, "cx": round(pad + x * plot_w, 1),
                       "cy": round(pad + (1 - g.attractiveness) * plot_h, 1)})
    return {"width": width, "height": height, "pad": pad, "plot_w": plot_w, "plot_h": plot_h, "rtl": rtl,
            "points": points}
