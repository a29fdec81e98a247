"""Gap detection on a small copper chain whose every figure is worked out by hand.

    2603 copper ore (raw)      price 10,000  cap 1000  output 800  outflow 600
      │ 5 t ore per t cathode
    7403 copper cathode        price 100,000 cap 100   output 20   inflow 30   2 idle units
      │ 1 t per t wire
    7408 copper wire           price 150,000 cap 50    output 35   inflow 65
      │ 1 t per t cable
    8544 insulated cable       price 300,000 cap 120   output 100  demand 110  (15 t lost to cuts)

Intermediate use A @ output: ore 5·20 = 100, cathode 1·35 = 35, wire 1·100 = 100, cable 0.
Local use (demand + intermediate use): ore 100, cathode 35, wire 100, cable 110.

One gap per product; its facets are counted once (module docstring of chains.gaps):
cathode: idle 80 t counted first (8,000,000), its 30 t inflow lies inside it (0);
wire: shortfall 50 t (7,500,000), then the 15 t of inflow beyond it (2,250,000);
ore: the cathode's value added is 100,000 − 5·10,000 = 50,000 a tonne, all of it ore's cost share,
so the 600 t outflow (120 t of cathode) loses 6,000,000, of which the 80 t the cathode's own gap
counts are taken off: 40 t · 50,000 = 2,000,000 counted.
"""

from __future__ import annotations

import json

import pytest

from chains.gaps import KINDS, Facet, Gap, find_gaps
from chains.graph import build_graph
from chains.records import Link, Product
from chains.settings import GapSettings


def copper_products() -> list[Product]:
    common = {"sector": "metals", "chains": ("copper",)}
    return [
        Product("2603", "سنگ مس", "Copper ore", stage="raw", unit_price_rials=10_000,
                capacity=1000, output=800, outflow=600, jobs=100, **common),
        Product("7403", "کاتد مس", "Copper cathode", stage="intermediate", unit_price_rials=100_000,
                capacity=100, output=20, inflow=30, idle_units=2, jobs=50, **common),
        Product("7408", "سیم مسی", "Copper wire", stage="intermediate", unit_price_rials=150_000,
                capacity=50, output=35, inflow=65, jobs=40, **common),
        Product("8544", "کابل عایق‌دار", "Insulated cable", stage="final", unit_price_rials=300_000,
                capacity=120, output=100, demand=110, jobs=200, **common),
    ]


def copper_links() -> list[Link]:
    return [Link("2603", "7403", 5.0), Link("7403", "7408", 1.0), Link("7408", "8544", 1.0)]


OBSTACLES = {"8544": [("power", 10.0), ("water", 5.0)]}


@pytest.fixture
def graph():
    return build_graph(copper_products(), copper_links())


def only(gaps: list[Gap], kind: str) -> dict[str, Facet]:
    """The facets of one kind, by product."""
    return {g.product: f for g in gaps for f in g.facets if f.kind == kind}


def by_product(gaps: list[Gap]) -> dict[str, Gap]:
    return {g.product: g for g in gaps}


def test_a_supplier_mostly_brought_in_from_outside_is_a_missing_supplier(graph):
    gaps = only(find_gaps(graph), "missing_supplier")
    # wire: 65 of 100 used locally comes in (65 %); cathode: 30 of 35 (86 %).
    assert sorted(gaps) == ["7403", "7408"]
    wire = gaps["7408"]
    assert wire.size_rials == 65 * 150_000
    assert wire.counted_rials == 15 * 150_000  # the 50 t below capacity are counted as the shortfall
    assert wire.details["inflow_share"] == pytest.approx(0.65)
    assert wire.details["users"] == ["8544"]
    assert wire.reason_en == (
        "65% of the copper wire used by the province's makers of insulated cable comes from outside the province"
    )
    assert wire.reason_fa == "۶۵٪ سیم مسی مورد نیاز تولیدکنندگان کابل عایق‌دار در استان از خارج استان تأمین می‌شود"
    assert gaps["7403"].size_rials == 30 * 100_000
    assert gaps["7403"].counted_rials == 0  # restarting the idle units covers all of it


def test_one_gap_per_product_whose_size_counts_each_rial_once(graph):
    gaps = by_product(find_gaps(graph))
    assert sorted(gaps) == ["2603", "7403", "7408"]
    assert gaps["7408"].kinds == ("shortfall", "missing_supplier")
    assert gaps["7408"].size_rials == 65 * 150_000  # max(shortfall, inflow) × price
    assert gaps["7403"].kinds == ("idle_capacity", "missing_supplier")
    assert gaps["7403"].size_rials == 80 * 100_000
    assert gaps["2603"].size_rials == 2_000_000
    for g in gaps.values():
        assert g.size_rials == sum(f.counted_rials for f in g.facets)
        assert g.kind == g.facets[0].kind
    assert gaps["7408"].reason_en == (
        "The province uses 100 tonnes of copper wire a year, 50 tonnes more than it can make (50 tonnes); "
        "65% of the copper wire used by the province's makers of insulated cable comes from outside the province"
    )
    assert "؛ " in gaps["7408"].reason_fa


def test_a_higher_threshold_drops_the_smaller_missing_supplier(graph):
    gaps = find_gaps(graph, GapSettings(missing_supplier_inflow_share=0.8), kinds=["missing_supplier"])
    assert [g.product for g in gaps] == ["7403"]


def test_local_use_above_capacity_is_a_shortfall(graph):
    gaps = only(find_gaps(graph), "shortfall")
    assert list(gaps) == ["7408"]  # 100 used, 50 capacity
    assert gaps["7408"].size_rials == 50 * 150_000
    assert gaps["7408"].reason_en == (
        "The province uses 100 tonnes of copper wire a year, 50 tonnes more than it can make (50 tonnes)"
    )
    assert gaps["7408"].reason_fa == (
        "مصرف سالانهٔ سیم مسی در استان (۱۰۰ تن) از ظرفیت تولید آن (۵۰ تن) بیشتر است و ۵۰ تن کم می‌آید"
    )


def test_ore_leaving_while_its_processors_are_mostly_outside_is_unprocessed_outflow(graph):
    gaps = only(find_gaps(graph), "unprocessed_outflow")
    assert list(gaps) == ["2603"]
    ore = gaps["2603"]
    # cathode supply: 20 made + 30 brought in, so 40 % local.
    assert ore.details["customer_local_share"] == pytest.approx(0.4)
    # cathode value added 100,000 − 5·10,000 = 50,000 a tonne, ore's cost share 1, 5 t ore a tonne:
    # uplift = 50,000 / 5 = 10,000 rials per tonne of ore.
    assert ore.details["uplift_rials_per_unit"] == pytest.approx(10_000)
    assert ore.size_rials == 600 * 10_000
    assert ore.counted_rials == 2_000_000
    assert ore.reason_en == (
        "600 tonnes of copper ore leave the province unprocessed every year, while only 40% of the "
        "copper cathode made from it is produced locally; up to 6 million rials of value added a year is lost"
    )
    assert ore.reason_fa.startswith("سالانه ۶۰۰ تن سنگ مس بدون فرآوری از استان خارج می‌شود")
    assert "۴۰٪ کاتد مس" in ore.reason_fa


def test_capacity_used_below_half_is_idle_capacity(graph):
    gaps = only(find_gaps(graph), "idle_capacity")
    assert list(gaps) == ["7403"]  # 20 of 100
    assert gaps["7403"].size_rials == gaps["7403"].counted_rials == 80 * 100_000
    assert gaps["7403"].reason_en == (
        "Only 20% of the province's capacity to make copper cathode is in use; 2 production units stand idle"
    )
    assert gaps["7403"].reason_fa == (
        "تنها ۲۰٪ ظرفیت تولید کاتد مس در استان به کار گرفته می‌شود و ۲ واحد تولیدی راکد است"
    )


def test_output_lost_to_utility_cuts_is_an_infrastructure_gap(graph):
    gaps = only(find_gaps(graph, obstacles=OBSTACLES), "infrastructure")
    cable = gaps["8544"]
    assert cable.size_rials == cable.counted_rials == 15 * 300_000
    assert cable.details["obstacles"] == {"water": 5.0, "power": 10.0}
    assert cable.reason_en == "Water and power cuts cost 15 tonnes of insulated cable output a year"
    assert cable.reason_fa == "قطعی آب و برق سالانه ۱۵ تن از تولید کابل عایق‌دار را از بین می‌برد"
    gap = by_product(find_gaps(graph, obstacles=OBSTACLES))["8544"]
    # reliability 1 − 15/100; every neighbour (wire) is made locally, no world data: viability 1 × .85
    assert gap.viability == pytest.approx(0.85)
    assert gap.parts["viability"]["reliability"] == pytest.approx(0.85)


def test_no_obstacles_means_no_infrastructure_gaps(graph):
    assert not only(find_gaps(graph), "infrastructure")


def test_unknown_obstacle_kinds_and_products_are_refused(graph):
    with pytest.raises(ValueError):
        find_gaps(graph, obstacles={"8544": [("permits", 3.0)]})
    with pytest.raises(ValueError):
        find_gaps(graph, obstacles={"0000": [("gas", 3.0)]})


def test_strategic_score_is_the_chains_priority(graph):
    gaps = find_gaps(graph, chain_priority={"copper": 0.9})
    assert {g.strategic for g in gaps} == {0.9}
    assert {g.strategic for g in find_gaps(graph)} == {0.5}


def test_priority_is_the_weighted_mean_of_the_three_scores(graph):
    s = GapSettings()
    for g in find_gaps(graph, obstacles=OBSTACLES):
        expected = (
            s.priority_viability_weight * g.viability
            + s.priority_attractiveness_weight * g.attractiveness
            + s.priority_strategic_weight * g.strategic
        ) / (s.priority_viability_weight + s.priority_attractiveness_weight + s.priority_strategic_weight)
        assert g.priority == pytest.approx(expected, abs=1e-9)


def test_the_largest_gap_has_full_size_score(graph):
    s = GapSettings(attractiveness_size_weight=1, attractiveness_dependence_weight=0,
                    attractiveness_jobs_weight=0)
    gaps = find_gaps(graph, s)
    largest = max(gaps, key=lambda g: g.size_rials)
    assert largest.attractiveness == pytest.approx(1.0)


def test_gaps_come_highest_priority_first_then_largest(graph):
    gaps = find_gaps(graph, obstacles=OBSTACLES)
    keys = [(g.national_scale, -g.priority, -g.size_rials, g.product) for g in gaps]
    assert keys == sorted(keys)
    assert {f.kind for g in gaps for f in g.facets} == set(KINDS)
    assert len({g.product for g in gaps}) == len(gaps)


def test_a_limit_keeps_the_top_of_the_same_ordering(graph):
    full = find_gaps(graph, obstacles=OBSTACLES)
    assert find_gaps(graph, obstacles=OBSTACLES, limit=3) == full[:3]


def test_a_gap_serialises_to_json_with_both_reasons(graph):
    data = json.loads(json.dumps(find_gaps(graph, obstacles=OBSTACLES)[0].to_dict(), ensure_ascii=False))
    assert set(data) >= {"kind", "product", "chains", "size_rials", "viability", "attractiveness",
                         "strategic", "priority", "reason", "details", "facets", "national_scale", "parts"}
    assert data["size_rials"] == sum(f["counted_rials"] for f in data["facets"])
    assert set(data["parts"]) == {"viability", "attractiveness", "priority"}
    assert all(set(f) >= {"kind", "size_rials", "reason"} for f in data["facets"])
    assert set(data["reason"]) == {"fa", "en"}
    assert isinstance(data["size_rials"], int)


def test_asking_for_an_unknown_kind_is_an_error(graph):
    with pytest.raises(ValueError):
        find_gaps(graph, kinds=["shortage"])


def test_external_density_raises_the_relatedness_of_an_isolated_product():
    lone = [Product("0901", "قهوه", "Coffee", "food", "raw", inflow=10, demand=10, capacity=0)]
    G = build_graph(lone, [])
    plain = find_gaps(G, kinds=["shortfall"])[0]
    dense = find_gaps(G, kinds=["shortfall"], density={"0901": 3.0})[0]  # clipped to 1
    assert plain.details["relatedness"] == 0.0
    # graph share 0 (weight 0.25) and density 1 (weight 0.5): 2/3; no RCA without a product space
    assert dense.details["relatedness"] == pytest.approx(2 / 3)
    assert plain.reason_en == "The province has no capacity to make coffee, yet it uses 10 tonnes a year"


def test_a_plant_far_larger_than_the_province_needs_is_national_scale(graph):
    from chains.records import PlantFacts

    plants = {"7408": PlantFacts("7408", min_output=1000, energy_gj_per_unit=1.0, source="test"),
              "7403": PlantFacts("7403", min_output=10, national_plant=True)}
    gaps = by_product(find_gaps(graph, plants=plants))
    wire, cathode, ore = gaps["7408"], gaps["7403"], gaps["2603"]
    assert wire.national_scale and cathode.national_scale and not ore.national_scale
    # 1000 t against 100 t of local use: ten times
    assert "would make 10 times what the province uses (100 tonnes)" in wire.reason_en
    assert "۱۰ برابر مصرف استان" in wire.reason_fa and "مقیاس ملی" in wire.reason_fa
    assert "national, strategic project" in cathode.reason_en
    ordered = find_gaps(graph, plants=plants)
    assert [g.national_scale for g in ordered] == sorted(g.national_scale for g in ordered)
    assert find_gaps(graph, GapSettings(national_energy_gj=500), plants={"2603": PlantFacts(
        "2603", min_output=1000, energy_gj_per_unit=1.0)})[-1].national_scale


def test_infrastructure_losses_per_county_are_a_facet_that_lowers_reliability(graph):
    reports = {"7408": [{"kind": "power", "lost_output": 7.0, "county": "tabriz"},
                        {"kind": "gas", "lost_output": 3.5, "county": "marand"}]}
    before = by_product(find_gaps(graph))["7408"]
    after = by_product(find_gaps(graph, obstacles=reports))["7408"]
    facet = after.facet("infrastructure")
    assert facet.size_rials == facet.counted_rials == round(10.5 * 150_000)
    assert facet.details["counties"] == {"marand": 3.5, "tabriz": 7.0}
    assert after.parts["viability"]["reliability"] == pytest.approx(1 - 10.5 / 35)
    assert after.viability == pytest.approx(before.viability * (1 - 10.5 / 35))
    # the lost output lies inside the shortfall's quantity: the gap's size does not grow
    assert after.size_rials == before.size_rials
    assert after.kinds[-1] == "infrastructure"
