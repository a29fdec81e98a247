"""Missing links (gaps) and the simulation of filling one."""

from __future__ import annotations

from flask import abort, jsonify
from flask_babel import gettext

from app.api.common import _body, _code, _invalid, _problem
from app.api.schemas import gap_json
from app.services.gaps import filtered_gaps, gap_county_index, simulate_fill
from app.services.graph import value_chain_graph
from app.web.errors import render_error
from app.web.params import parse_int, read_gap_filters


# ---------------------------------------------------------------- missing links and simulation
def gaps():

    f = read_gap_filters()
    found = filtered_gaps(f)
    page = parse_int("page", minimum=1) or 1
    per_page = min(parse_int("per_page", minimum=1) or 100, 500)
    pages = max(1, -(-len(found) // per_page))
    if page > pages:
        abort(404)
    graph = value_chain_graph()
    counties = gap_county_index()
    shown = found[(page - 1) * per_page: page * per_page]
    return jsonify({"data": [gap_json(g, graph, counties) for g in shown],
                    "meta": {"page": page, "pages": pages, "total": len(found), "per_page": per_page}})


def simulate():
    """The effect of adding local capacity for one product (Leontief-style propagation)."""
    body = _body(gettext("Send a JSON object such as {\"product\": \"7408\", \"added_capacity\": 1000}."))
    code = body.get("product")
    qty = body.get("added_capacity")
    graph = value_chain_graph()
    problems = []
    if not isinstance(code, str) or code not in graph:
        problems.append(_problem("product", "unknown_product", lambda: gettext(
            "“%(value)s” is not a product in the value-chain data.", value=str(code)[:40])))
    if isinstance(qty, bool) or not isinstance(qty, (int, float)) or not (0 < float(qty) < 1e15):
        problems.append(_problem("added_capacity", "invalid_added_capacity", lambda: gettext(
            "“added_capacity” must be a positive number of units per year.")))
    if problems:
        return _invalid(problems)
    try:
        sim = simulate_fill(code, float(qty))
    except ValueError:
        return render_error(400, gettext("The simulation has no solution for these coefficients."),
                            key=_code("no_solution"))
    return jsonify({"data": sim.to_dict()})
