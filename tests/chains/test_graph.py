"""The value-chain graph: validation on the way in, and the questions staff ask of it."""

from __future__ import annotations

import math
from datetime import date

import networkx as nx
import pytest

from chains.errors import ChainDataError
from chains.graph import (
    build_graph,
    chain_subgraph,
    customers,
    graph_arrays,
    local_supply_break,
    raw_to_final_paths,
    stale_figures,
    suppliers,
)
from chains.records import Link, Product, Provenance


def make_product(code: str, stage: str = "intermediate", **kw) -> Product:
    kw.setdefault("name_fa", f"محصول {code}")
    kw.setdefault("name_en", f"Product {code}")
    kw.setdefault("sector", "metals")
    return Product(code=code, stage=stage, **kw)


@pytest.fixture
def copper():
    products = [
        make_product("2603", "raw", output=800, chains=("copper",)),
        make_product("7403", output=20, inflow=30, chains=("copper",)),
        make_product("7408", output=35, inflow=65, chains=("copper",)),
        make_product("8544", "final", output=100, chains=("copper", "electrical")),
        make_product("3901", "intermediate", output=5, chains=("petrochemicals",)),
    ]
    links = [
        Link("2603", "7403", 5.0),
        Link("7403", "7408", 1.0),
        Link("7408", "8544", 1.0),
        Link("3901", "8544", 0.2),
    ]
    return products, links


def test_the_graph_has_a_node_per_product_and_an_edge_per_link(copper):
    G = build_graph(*copper)
    assert sorted(G) == ["2603", "3901", "7403", "7408", "8544"]
    assert G["2603"]["7403"]["coefficient"] == 5.0
    assert G["2603"]["7403"]["link"] == copper[1][0]
    assert G.nodes["7408"]["inflow"] == 65
    assert G.nodes["7408"]["product"].name_en == "Product 7408"


def test_the_array_view_is_in_code_order_whatever_the_record_order(copper):
    products, links = copper
    a = graph_arrays(build_graph(products[::-1], links[::-1]))
    assert a.codes == ("2603", "3901", "7403", "7408", "8544")
    assert a.A[a.index["2603"], a.index["7403"]] == 5.0
    assert list(a.A @ a.output) == [100.0, 20.0, 35.0, 100.0, 0.0]


@pytest.mark.parametrize(
    ("link", "code"),
    [
        (Link("2603", "9999", 1.0), "unknown_product"),
        (Link("2603", "2603", 1.0), "self_link"),
        (Link("2603", "7403", 2.0), "duplicate_link"),
        (Link("7403", "8544", 0.0), "coefficient_not_positive"),
        (Link("7403", "8544", -1.0), "coefficient_not_positive"),
        (Link("7403", "8544", "1.5"), "non_numeric"),
        (Link("7403", "8544", math.nan), "non_numeric"),
    ],
)
def test_a_bad_link_is_refused_with_a_bilingual_problem(copper, link, code):
    products, links = copper
    with pytest.raises(ChainDataError) as info:
        build_graph(products, links + [link])
    assert isinstance(info.value, ValueError)
    assert code in info.value.codes
    problem = info.value.problems[0]
    assert problem.message_fa and problem.message_en


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("output", -1.0, "negative"), ("inflow", math.nan, "non_numeric"), ("capacity", "lots", "non_numeric")],
)
def test_a_product_with_a_negative_or_missing_quantity_is_refused(copper, field, value, code):
    products, links = copper
    bad = make_product("9999", **{field: value})
    with pytest.raises(ChainDataError) as info:
        build_graph(products + [bad], links)
    assert info.value.codes == [code]
    assert info.value.problems[0].field == field


def test_every_problem_is_reported_at_once(copper):
    products, links = copper
    with pytest.raises(ChainDataError) as info:
        build_graph(products + [products[0]], links + [Link("8544", "8544", 1.0), Link("x", "8544", 0)])
    assert sorted(info.value.codes) == sorted(
        ["duplicate_code", "self_link", "unknown_product", "coefficient_not_positive"]
    )


def test_suppliers_and_customers_are_found_at_any_depth_with_their_distance(copper):
    G = build_graph(*copper)
    assert suppliers(G, "8544") == {"7408": 1, "3901": 1, "7403": 2, "2603": 3}
    assert suppliers(G, "8544", depth=1) == {"3901": 1, "7408": 1}
    assert customers(G, "2603") == {"7403": 1, "7408": 2, "8544": 3}
    assert customers(G, "8544") == {}
    with pytest.raises(nx.NodeNotFound):
        customers(G, "0000")


def test_a_chain_subgraph_holds_only_that_chains_products(copper):
    H = chain_subgraph(build_graph(*copper), "copper")
    assert sorted(H) == ["2603", "7403", "7408", "8544"]
    assert ("3901", "8544") not in H.edges


def test_paths_run_from_raw_material_to_final_product(copper):
    G = build_graph(*copper)
    assert raw_to_final_paths(G) == [["2603", "7403", "7408", "8544"], ["3901", "8544"]]
    assert raw_to_final_paths(G, "copper") == [["2603", "7403", "7408", "8544"]]
    assert raw_to_final_paths(G, limit=1) == [["2603", "7403", "7408", "8544"]]


def test_local_supply_ends_where_most_of_a_product_comes_from_outside(copper):
    G = build_graph(*copper)
    path = ["2603", "7403", "7408", "8544"]
    # cathode: 20 / (20 + 30) = 40 % local
    assert local_supply_break(G, path, 0.5) == "7403"
    assert local_supply_break(G, path, 0.38) == "7408"  # wire: 35 %
    assert local_supply_break(G, path, 0.0) is None


def test_figures_older_than_the_setting_are_stale():
    def dated(code, as_of):
        return make_product(code, provenance=Provenance("survey", "industry", as_of))

    products = [dated("a", date(2023, 2, 28)), dated("b", date(2023, 2, 27)), dated("c", None)]
    assert stale_figures(products, date(2024, 8, 28)) == ["b", "c"]
    assert stale_figures(products, date(2024, 8, 28), months=24) == ["c"]


def test_a_persian_chain_drawing_runs_right_to_left_with_escaped_names(copper):
    from chains.gaps import find_gaps
    from chains.svg import chain_svg

    products, links = copper
    products = products + [make_product("7419", "final", name_en="Pipes <& fittings>", chains=("copper",))]
    G = build_graph(products, links + [Link("7408", "7419", 1.0)])
    gaps = find_gaps(G)
    fa = chain_svg(G, "copper", gaps, lang="fa", chain_name="مس")
    en = chain_svg(G, "copper", gaps, lang="en", chain_name="Copper")
    assert 'role="img"' in fa and "<title" in fa and "<script" not in fa
    assert "زنجیرهٔ ارزش مس" in fa and "Value chain: Copper" in en
    assert "Pipes &lt;&amp; fittings&gt;" in en
    assert en.count('class="node"') == fa.count('class="node"') == 5
    # a Persian name that already says «زنجیره» is not prefixed with it again
    named = chain_svg(G, "copper", gaps, lang="fa", chain_name="زنجیره مس")
    assert "زنجیره مس" in named and "زنجیرهٔ ارزش زنجیره" not in named

    def x_of(svg, code):
        part = svg.split(f'data-code="{code}"')[1]
        return float(part.split('x="')[1].split('"')[0])

    # ore is the leftmost box in English and the rightmost in Persian
    assert x_of(en, "2603") < x_of(en, "8544")
    assert x_of(fa, "2603") > x_of(fa, "8544")
    assert "Missing local supplier" in en and "تأمین‌کنندهٔ محلی ندارد" in fa


def test_a_graph_edited_after_building_is_read_afresh_on_refresh(copper):
    G = build_graph(*copper)
    G.remove_edge("3901", "8544")
    a = graph_arrays(G, refresh=True)
    assert a.n_edges == 3
    assert a.A[a.index["3901"], a.index["8544"]] == 0
    H = nx.DiGraph(G)  # a plain copy has no cached view; one is built from the attributes
    H.graph.clear()
    assert graph_arrays(H).codes == a.codes


def test_a_long_chain_is_drawn_in_bands_no_wider_than_its_frame():
    from chains.svg import MAX_WIDTH, chain_svg

    # Twelve products in a line: twelve columns, far wider than a page in one row.
    products = [make_product(f"{7400 + i}", "intermediate", chains=("line",)) for i in range(12)]
    links = [Link(f"{7400 + i}", f"{7401 + i}", 1.0) for i in range(11)]
    G = build_graph(products, links)
    for lang in ("fa", "en"):
        svg = chain_svg(G, "line", [], lang=lang, chain_name="line")
        width = float(svg.split('width="', 1)[1].split('"', 1)[0])
        assert width <= MAX_WIDTH
        assert svg.count('class="node"') == 12 and svg.count("marker-end") == 11 + 1  # every link, and the legend's
        # the first and the fifth product start two bands: the fifth sits below the first
        y = {code: float(svg.split(f'data-code="{code}"')[1].split('y="')[1].split('"')[0])
             for code in ("7400", "7404")}
        assert y["7404"] > y["7400"]
