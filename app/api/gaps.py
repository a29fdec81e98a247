"""Missing links (gaps) and the simulation of filling one."""

from __future__ import annotations

from flask import abort, jsonify
from flask_babel import gettext

from app.api.common import _body
from app.services.gaps import fill_quantity, filtered_gaps, simulate_fill
from app.services.graph import value_chain_graph
from app.services.queries import gap_counties
from app.web.errors import render_error
from app.web.params import parse_int, read_gap_filters


# ---------------------------------------------------------------- missing links and simulation
def _gap_json(g, graph, counties) -> dict:
    product = graph.nodes[g.product]["product"]
    out = g.to_dict()
    out["product_name"] = {"fa": product.name_fa, "en": product.name_en}
    out["sector"] = product.sector
    out["counties"] = sorted(counties.get(g.product, ()))
    out["fill_quantity"] = fill_quantity(g)
    return out


def gaps():

    f = read_gap_filters()
    found = filtered_gaps(f)
    page = parse_int("page", minimum=1) or 1
    per_page = min(parse_int("per_page", minimum=1) or 100, 500)
    pages = max(1, -(-len(found) // per_page))
    if page > pages:
        abort(404)
    graph = value_chain_graph()
    counties = gap_counties()
    shown = found[(page - 1) * per_page: page * per_page]
    return jsonify({"data": [_gap_json(g, graph, counties) for g in shown],
                    "meta": {"page": page, "pages": pages, "total": len(found), "per_page": per_page}})


def simulate():


    body = _body(gettext("Send a JSON object such as {\"product\": \"7408\", \"added_capacity\": 1000}."))
    code = body.get("product")
    qty = body.get("added_capacity")
    graph = value_chain_graph()
    if not isinstance(code, str) or code not in graph:
        return render_error(400, gettext("“%(value)s” is not a product in the value-chain data.",
                                         value=str(code)[:40]), key="unknown_product")
    if isinstance(qty, bool) or not isinstance(qty, (int, float)) or not (0 < float(qty) < 1e15):
        return render_error(400, gettext("“added_capacity” must be a positive number of units per year."),
                            key="invalid_added_capacity")
    try:
        sim = simulate_fill(code, float(qty))
    except ValueError:
        return render_error(400, gettext("The simulation has no solution for these coefficients."),
                            key="no_solution")
    return jsonify({"data": sim.to_dict()})
