"""Simulating new capacity on the hand-worked copper chain of ``test_gaps``.

Adding 80 t of wire capacity: 65 t replace the wire brought in; of the other
15 t, cable makers (short by 110 − 100 = 10 t, with 20 t of idle capacity)
take 10 t and make 10 t more cable; 5 t leave the province.
Upstream, with regional purchase coefficients ρ(ore) = 1, ρ(cathode) = 20/50:
cathode 0.4 · 1 · 80 = 32 t more, ore 1 · 5 · 32 = 160 t more, and the other
0.6 · 80 = 48 t of cathode come from outside.
Value added per tonne: ore 10,000; cathode 100,000 − 5·10,000 = 50,000;
wire 150,000 − 100,000 = 50,000; cable 300,000 − 150,000 = 150,000.
"""

from __future__ import annotations

import networkx as nx
import pytest

from chains.graph import build_graph
from chains.records import Link, Product
from chains.simulate import simulate
from tests.chains.test_gaps import copper_links, copper_products


@pytest.fixture
def graph():
    return build_graph(copper_products(), copper_links())


def test_new_wire_capacity_first_replaces_wire_brought_in(graph):
    sim = simulate(graph, "7408", 80)
    assert sim.inflow_substituted == 65
    assert sim.inflow_substituted_rials == 65 * 150_000


def test_the_rest_relieves_cable_makers_that_are_short(graph):
    sim = simulate(graph, "7408", 80)
    assert sim.downstream_relieved == (("8544", pytest.approx(10.0)),)
    assert sim.outflow_added == pytest.approx(5.0)


def test_upstream_output_follows_the_input_coefficients(graph):
    sim = simulate(graph, "7408", 80)
    assert sim.total_output_change == pytest.approx({"2603": 160.0, "7403": 32.0, "7408": 80.0, "8544": 10.0})
    assert sim.inflow_added == pytest.approx({"7403": 48.0})


def test_value_added_kept_sums_every_products_margin(graph):
    sim = simulate(graph, "7408", 80)
    assert sim.value_added_kept_rials == 160 * 10_000 + 32 * 50_000 + 80 * 50_000 + 10 * 150_000


def test_small_capacity_only_substitutes_inflow(graph):
    sim = simulate(graph, "7408", 20)
    assert sim.inflow_substituted == 20
    assert sim.downstream_relieved == ()
    assert sim.outflow_added == 0


def test_zero_capacity_changes_nothing(graph):
    sim = simulate(graph, "7408", 0)
    assert sim.total_output_change == {} and sim.value_added_kept_rials == 0


def test_a_negative_capacity_or_unknown_product_is_refused(graph):
    with pytest.raises(ValueError):
        simulate(graph, "7408", -1)
    with pytest.raises(nx.NodeNotFound):
        simulate(graph, "0000", 1)


def test_a_cycle_needing_more_than_it_makes_is_refused():
    products = [Product(c, c, c, "s", "intermediate", output=10, capacity=10) for c in ("a", "b", "c")]
    G = build_graph(products, [Link("a", "b", 2.0), Link("b", "a", 2.0), Link("b", "c", 1.0)])
    with pytest.raises(ValueError, match="non-productive"):
        simulate(G, "c", 1)


def test_the_simulation_serialises_to_json(graph):
    data = simulate(graph, "7408", 80).to_dict()
    assert data["inflow_substituted"] == {"quantity": 65.0, "rials": 9_750_000}
    assert data["downstream_relieved"] == [["8544", pytest.approx(10.0)]]
