"""Relatedness (economic complexity): imported region x product tables and the province's density."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import RelatednessTable, RelatednessValue
from app.services.audit import audit
from app.services.graph import _graph_lock
from chains.complexity import complexity_long, density_for
from chains.productspace import ProductSpace
from chains.records import PlantFacts

# ---------------------------------------------------------------- relatedness (economic complexity)
_density_cache: dict = {}


def active_relatedness_table():

    return db.session.scalar(select(RelatednessTable).where(RelatednessTable.active.is_(True))
                             .order_by(RelatednessTable.id.desc()))


def import_relatedness(rows, name: str, province_region: str, source: str = "") -> object:
    """Store a region × product table and make it the active one (flushes; all-or-nothing with the request).

    ``rows`` are ``(region, product, value)`` triples already validated by the caller.
    Returns the new table row; its ``too_small`` flag says whether density is trusted.
    """



    totals: dict[tuple[str, str], float] = {}
    for region, product, value in rows:  # repeated cells (several years, say) are summed
        totals[(region, product)] = totals.get((region, product), 0.0) + float(value)
    rows = [(r, p, v) for (r, p), v in sorted(totals.items())]
    result = complexity_long(rows, 0, 1, 2)
    if province_region not in set(result.region_labels.tolist()):
        raise ValueError(province_region)
    for old in db.session.scalars(select(RelatednessTable).where(RelatednessTable.active.is_(True))):
        old.active = False
    table = RelatednessTable(name=name, source=source, province_region=province_region,
                             regions=int(result.region_valid.sum()), products=int(result.product_valid.sum()),
                             too_small=bool(result.too_small), notes="|".join(result.notes), active=True)
    db.session.add(table)
    db.session.flush()
    db.session.add_all(RelatednessValue(table_id=table.id, region=r, product=p, value=Decimal(str(v)))
                       for r, p, v in rows)
    audit("import", "relatedness_table", table.id, after={"name": name, "regions": table.regions,
                                                          "products": table.products})
    db.session.flush()
    return table


def province_density() -> dict[str, float] | None:
    """The province's density per product code from the active table, or None (no table, or too small)."""


    table = active_relatedness_table()
    if table is None or table.too_small:
        return None
    with _graph_lock:
        cached = _density_cache.get(table.id)
    if cached is not None:
        return cached
    rows = db.session.execute(select(RelatednessValue.region, RelatednessValue.product, RelatednessValue.value)
                              .where(RelatednessValue.table_id == table.id)).all()
    result = complexity_long([(r, p, float(v)) for r, p, v in rows], 0, 1, 2)
    density = {str(k): float(v) for k, v in density_for(result, table.province_region).items()}
    with _graph_lock:
        _density_cache[table.id] = density
    return density


def density_by_product_code(codes) -> dict[str, float] | None:
    """Density for each product code: exact label, else its HS-4 heading (6-digit codes)."""
    density = province_density()
    if density is None:
        return None
    out = {}
    for code in codes:
        value = density.get(code, density.get(code[:4]))
        if value is not None:
            out[code] = value
    return out


# ---------------------------------------------------- world product space and plant facts (committed tables)
_DATA = Path(__file__).resolve().parents[2] / "data"
_tables_cache: dict = {}


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def world_product_space() -> ProductSpace | None:
    """The product-space tables of ``data/productspace`` (``PANJEREH_PRODUCTSPACE_DIR``), loaded once."""
    folder = Path(current_app.config.get("PANJEREH_PRODUCTSPACE_DIR") or _DATA / "productspace")
    key = ("space", str(folder))
    if key not in _tables_cache:
        mapping = {r["hs"]: r["sitc2"] for r in _read(folder / "hs_sitc2.csv")}
        proximity = {(r["sitc2_a"], r["sitc2_b"]): float(r["proximity"]) for r in _read(folder / "proximity.csv")}
        sitc_rows = _read(folder / "rca_irn.csv")
        rca = {r["sitc2"]: float(r["rca"]) for r in sitc_rows}
        world = {r["sitc2"]: float(r["proximity_sum"]) for r in sitc_rows}
        _tables_cache[key] = (ProductSpace(mapping, proximity, rca, source=str(folder), proximity_sum=world)
                              if mapping else None)
    return _tables_cache[key]


def plant_facts() -> dict[str, PlantFacts]:
    """Minimum efficient scale, intensities and national flags per product (``data/feasibility/plants.csv``)."""
    path = Path(current_app.config.get("PANJEREH_PLANTS_FILE") or _DATA / "feasibility" / "plants.csv")
    key = ("plants", str(path))
    if key not in _tables_cache:
        _tables_cache[key] = {
            r["code"]: PlantFacts(r["code"], float(r["min_output"]), int(r["min_capital_rials"]),
                                  float(r["energy_gj_per_unit"]), float(r["water_m3_per_unit"]),
                                  r["national_plant"] == "1", r["source"], r["estimate"] == "1")
            for r in _read(path)}
    return _tables_cache[key]
