"""Properties that must hold on any data, checked on random chains (hypothesis)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from chains.gaps import OBSTACLE_KINDS, find_gaps
from chains.graph import build_graph
from chains.records import STAGES, Link, Product
from chains.simulate import simulate

QUANTITY = st.one_of(st.just(0.0), st.floats(0.001, 1e4))
CHAIN_SLUGS = ("copper", "dairy", "textiles")


@st.composite
def chain_data(draw, acyclic: bool = False, max_products: int = 7):
    n = draw(st.integers(1, max_products))
    codes = [f"{7400 + 3 * i}" for i in range(n)]
    products = [
        Product(
            code=code,
            name_fa=f"محصول {i}",
            name_en=f"Product {i}",
            sector="s",
            stage=draw(st.sampled_from(STAGES)),
            unit_price_rials=draw(st.integers(0, 10**7)),
            capacity=draw(QUANTITY),
            output=draw(QUANTITY),
            demand=draw(QUANTITY),
            inflow=draw(QUANTITY),
            outflow=draw(QUANTITY),
            idle_units=draw(st.integers(0, 3)),
            jobs=draw(st.integers(0, 1000)),
            chains=tuple(draw(st.lists(st.sampled_from(CHAIN_SLUGS), max_size=2, unique=True))),
        )
        for i, code in enumerate(codes)
    ]
    pairs = [(s, u) for s in range(n) for u in range(n) if s != u and (s < u or not acyclic)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12)) if pairs else []
    coefficient = st.floats(0.01, 0.9) if acyclic else st.floats(0.01, 3.0)
    links = [Link(codes[s], codes[u], draw(coefficient)) for s, u in chosen]
    return products, links


@st.composite
def context(draw, codes):
    obstacles = {
        code: [(draw(st.sampled_from(OBSTACLE_KINDS)), draw(QUANTITY))]
        for code in draw(st.lists(st.sampled_from(codes), unique=True, max_size=3))
    }
    density = {code: draw(st.floats(-1.0, 2.0)) for code in draw(st.lists(st.sampled_from(codes), unique=True))}
    priority = {slug: draw(st.floats(-0.5, 1.5)) for slug in CHAIN_SLUGS}
    return {"obstacles": obstacles, "density": density, "chain_priority": priority}


def dicts(gaps):
    return [g.to_dict() for g in gaps]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_score_stays_between_zero_and_one(data):
    products, links = data.draw(chain_data())
    kwargs = data.draw(context([p.code for p in products]))
    for gap in find_gaps(build_graph(products, links), **kwargs):
        for score in (gap.viability, gap.attractiveness, gap.strategic, gap.priority):
            assert 0.0 <= score <= 1.0
        assert gap.size_rials >= 0
        assert gap.reason_fa and gap.reason_en


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_adding_local_capacity_to_a_product_never_enlarges_its_shortfall(data):
    products, links = data.draw(chain_data())
    k = data.draw(st.integers(0, len(products) - 1))
    extra = data.draw(st.floats(0.001, 1e4))
    code = products[k].code
    bigger = list(products)
    bigger[k] = dataclasses.replace(products[k], capacity=products[k].capacity + extra)

    def shortfall(ps):
        gaps = find_gaps(build_graph(ps, links), kinds=["shortfall"])
        return next((g.size_rials for g in gaps if g.product == code), 0)

    assert shortfall(bigger) <= shortfall(products)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_results_do_not_depend_on_the_order_of_the_records(data):
    products, links = data.draw(chain_data(acyclic=True))
    kwargs = data.draw(context([p.code for p in products]))
    shuffled_products = data.draw(st.permutations(products))
    shuffled_links = data.draw(st.permutations(links))
    G1, G2 = build_graph(products, links), build_graph(shuffled_products, shuffled_links)
    assert dicts(find_gaps(G1, **kwargs)) == dicts(find_gaps(G2, **kwargs))
    code = data.draw(st.sampled_from([p.code for p in products]))
    assert simulate(G1, code, 50.0).to_dict() == simulate(G2, code, 50.0).to_dict()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_simulation_never_substitutes_more_than_the_inflow_or_the_new_capacity(data):
    products, links = data.draw(chain_data(acyclic=True))
    product = data.draw(st.sampled_from(products))
    added = data.draw(QUANTITY)
    sim = simulate(build_graph(products, links), product.code, added)
    assert 0 <= sim.inflow_substituted <= min(product.inflow, added)
    assert all(q >= 0 for q in sim.total_output_change.values())
    relieved = sum(q for _, q in sim.downstream_relieved)
    assert sim.inflow_substituted + sim.outflow_added <= added + 1e-9 * max(1.0, added)
    assert relieved >= 0


OWN_PRICE_KINDS = ("infrastructure", "idle_capacity", "shortfall", "missing_supplier")


@st.composite
def product_space(draw, codes):
    from chains.productspace import ProductSpace

    sitc = {code: draw(st.sampled_from(["0001", "0002", "0003", "0004"])) for code in codes
            if draw(st.booleans())}
    labels = sorted(set(sitc.values()))
    phi = {(a, b): draw(st.floats(0.0, 1.0)) for i, a in enumerate(labels) for b in labels[i + 1:]}
    rca = {s: draw(st.floats(0.0, 20.0)) for s in labels}
    return ProductSpace(sitc, phi, rca)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_one_gap_per_product_and_the_total_is_the_sum_of_disjoint_parts(data):
    products, links = data.draw(chain_data())
    codes = [p.code for p in products]
    kwargs = data.draw(context(codes))
    kwargs["product_space"] = data.draw(product_space(codes))
    gaps = find_gaps(build_graph(products, links), **kwargs)
    assert len({g.product for g in gaps}) == len(gaps)
    total = 0
    for g in gaps:
        assert g.facets and len({f.kind for f in g.facets}) == len(g.facets)
        assert g.size_rials == sum(f.counted_rials for f in g.facets)
        for f in g.facets:
            assert 0 <= f.counted_rials <= f.size_rials
        # The own-price facets are slices of one quantity: together they are the largest of them.
        own = [f for f in g.facets if f.kind in OWN_PRICE_KINDS]
        if own:
            largest = max(f.size_rials for f in own)
            assert abs(sum(f.counted_rials for f in own) - largest) <= len(own)
        total += g.size_rials
    assert total == sum(part for g in gaps for part in (f.counted_rials for f in g.facets))
    for score_gap in gaps:
        for score in (score_gap.viability, score_gap.attractiveness, score_gap.priority):
            assert 0.0 <= score <= 1.0
