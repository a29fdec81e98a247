"""Missing links (gaps) in the province and the simulated effect of filling one."""

from __future__ import annotations

from dataclasses import fields

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import ValueChain
from app.services.graph import _graph_lock, data_version, per_data_version, value_chain_graph
from app.services.obstacles import supply_cuts
from app.services.queries import gap_counties, opportunities_by_product
from app.services.relatedness import (
    active_relatedness_table,
    density_by_product_code,
    plant_facts,
    world_product_space,
)
from chains.gaps import find_gaps
from chains.settings import GapSettings
from chains.simulate import simulate
from chains.svg import chain_svg

# ---------------------------------------------------------------- gaps ("missing links") and simulation
_gap_cache: dict = {}


def gap_settings():
    """GapSettings with any PANJEREH_GAP_<FIELD> overrides from the configuration."""



    overrides = {}
    for f in fields(GapSettings):
        raw = current_app.config.get(f"PANJEREH_GAP_{f.name.upper()}")
        if raw is not None:
            overrides[f.name] = type(f.default)(raw)
    return GapSettings(**overrides)


def chain_priorities() -> dict[str, float]:
    return dict(db.session.execute(select(ValueChain.slug, ValueChain.priority)).all())


def province_gaps():
    """Every gap in the province, ordered by priority (cached per data version and chain priorities)."""

    graph = value_chain_graph()
    priorities = chain_priorities()
    settings = gap_settings()
    table = active_relatedness_table()
    key = (data_version(), tuple(sorted(priorities.items())), settings, table.id if table else None)
    with _graph_lock:
        cached = _gap_cache.get("gaps")
        if cached and cached[0] == key:
            return cached[1]
    density = density_by_product_code(list(graph.nodes))
    # Open reports of water, power and gas cuts are the infrastructure facet (and lower reliability).
    gaps = find_gaps(graph, settings=settings, chain_priority=priorities, density=density,
                     obstacles=supply_cuts(set(graph.nodes)), product_space=world_product_space(),
                     plants=plant_facts())
    with _graph_lock:
        _gap_cache["gaps"] = (key, gaps)
    return gaps


def fill_quantity(gap, kind: str | None = None) -> float | None:
    """The capacity that would close a gap (or its facet ``kind``), in the product's unit (None when the gap
    is not closed that way). For the whole gap: the largest quantity of its facets valued at its own price."""
    if kind is None:
        found = [q for q in (fill_quantity(gap, f.kind) for f in gap.facets) if q]
        return max(found) if found else None
    facet = gap.facet(kind) if gap.facets else None
    if facet is None:
        return None
    d = facet.details
    if kind == "missing_supplier":
        return d.get("inflow")
    if kind == "shortfall":
        return d.get("shortfall")
    if kind == "idle_capacity":
        return max(0.0, d.get("capacity", 0.0) - d.get("output", 0.0))
    if kind == "infrastructure":
        return d.get("lost_output")
    return None  # unprocessed outflow is closed downstream, not by more of the same product


#: Simulations kept per process for the current data version (the gaps and chain pages ask for the same ones).
SIMULATION_CACHE_SIZE = 20_000


def simulate_fill(code: str, quantity: float):
    """The effect of ``quantity`` more capacity of ``code`` (``chains.simulate``), cached per data version."""
    settings = gap_settings()
    key = (data_version(), settings)
    with _graph_lock:
        cache = _gap_cache.get("simulations")
        if cache is None or cache[0] != key:
            cache = _gap_cache["simulations"] = (key, {})
        found = cache[1].get((code, quantity))
    if found is not None:
        return found
    result = simulate(value_chain_graph(), code, quantity, settings)
    with _graph_lock:
        if len(cache[1]) >= SIMULATION_CACHE_SIZE:
            cache[1].clear()
        cache[1][(code, quantity)] = result
    return result


def gap_opportunity_index() -> dict[str, list[tuple[int, str]]]:
    """Published opportunities by product code (``queries.opportunities_by_product``), once per data version."""
    return per_data_version("opportunities_by_product", opportunities_by_product)


def gap_county_index() -> dict[str, set[str]]:
    """Counties with a published opportunity, by product code (``queries.gap_counties``), once per data version."""
    return per_data_version("gap_counties", gap_counties)
GAP_SORTS = ("priority", "size", "viability", "attractiveness", "strategic")


def filtered_gaps(f: dict) -> list:
    graph = value_chain_graph()
    gaps = province_gaps()
    counties = gap_county_index() if f.get("county") else {}
    out = []
    for g in gaps:
        product = graph.nodes[g.product]["product"]
        if f.get("kind") and f["kind"] not in g.kinds:
            continue
        if f.get("scale") == "provincial" and g.national_scale or f.get("scale") == "national" and not g.national_scale:
            continue
        if f.get("chain") and f["chain"] not in g.chains:
            continue
        if f.get("sector") and product.sector != f["sector"]:
            continue
        if f.get("county") and f["county"] not in counties.get(g.product, ()):
            continue
        out.append(g)
    key = {"size": lambda g: -g.size_rials, "viability": lambda g: -g.viability,
           "attractiveness": lambda g: -g.attractiveness,
           "strategic": lambda g: -g.strategic}.get(f.get("sort"))  # priority: the engine's order
    if key:
        out.sort(key=key)  # stable: ties keep the deterministic priority order
    return out


def gap_opportunities(gap, by_product: dict) -> list[tuple[int, str]]:
    """Published opportunities that answer a gap: on its product, or — for a raw material leaving
    unprocessed — processing opportunities on the products made from it."""
    found = list(by_product.get(gap.product, []))
    if "unprocessed_outflow" in gap.kinds:
        for code in gap.details.get("customers", []):
            found += [(opp_id, kind) for opp_id, kind in by_product.get(code, []) if kind == "unprocessed_outflow"]
    return list(dict.fromkeys(found))


def chain_drawing(slug: str, lang: str, chain_name: str, only: tuple[str, ...] | None = None) -> str:
    """The chain's SVG drawing (``chains.svg.chain_svg``) with its gaps coloured, kept until the gaps change.

    At national scale a chain has thousands of products and the drawing takes most of a second to build, the
    same for every visitor of the same data version and language. ``only``: draw just these products (the
    ones the page lists, when the chain has more than a page shows)."""
    gaps = province_gaps()
    key = (slug, lang, chain_name, only)
    with _graph_lock:
        cached = _gap_cache.get("drawings")
        if cached is None or cached[0] is not gaps:
            cached = _gap_cache["drawings"] = (gaps, {})
        found = cached[1].get(key)
    if found is not None:
        return found
    drawing = chain_svg(value_chain_graph(), slug, [g for g in gaps if slug in g.chains], lang=lang,
                        chain_name=chain_name, only=only)
    with _graph_lock:
        cached[1][key] = drawing
    return drawing
