"""data/feasibility/plants.csv: the planner's facts per seed product, exactly as its build script writes them."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEAS = ROOT / "data" / "feasibility"


def _build():
    spec = importlib.util.spec_from_file_location("feasibility_build", FEAS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


def test_the_committed_table_is_what_the_build_script_writes(tmp_path):
    _build().main(tmp_path / "plants.csv")
    assert (tmp_path / "plants.csv").read_bytes() == (FEAS / "plants.csv").read_bytes(), \
        "rerun `.venv/bin/python data/feasibility/build.py`, or change the script"


def test_every_seed_product_has_its_facts_with_a_source():
    plants = _rows(FEAS / "plants.csv")
    products = _rows(ROOT / "data" / "seed" / "products.csv")
    assert set(plants) == set(products)
    assert all(r["source"].startswith("estimate:") and r["estimate"] == "1" for r in plants.values())


def test_intensities_follow_the_products_unit():
    """Sector intensities are per tonne; a product counted in m², pieces or pairs is charged per rial of output,
    so a square metre of machine-made carpet or one bearing is not an energy-hungry national plant."""
    build = _build()
    plants = _rows(FEAS / "plants.csv")
    products = _rows(ROOT / "data" / "seed" / "products.csv")
    per_tonne = build.tonne_prices(list(products.values()))
    for code, p in products.items():
        if code in build.NATIONAL:
            continue
        energy = float(plants[code]["energy_gj_per_unit"])
        if p["unit"] == "tonne":
            assert energy == build.ENERGY[p["sector"]], code
        else:
            want = build.ENERGY[p["sector"]] * float(p["unit_price_rials"]) / per_tonne.get(p["sector"], per_tonne[""])
            assert abs(energy - round(want, 3)) <= 0.0005 + 1e-9 * want, code
    assert float(plants["570242"]["energy_gj_per_unit"]) < 0.1  # a square metre of carpet, not a tonne of fibre
    assert float(plants["8482"]["energy_gj_per_unit"]) < 0.01  # one bearing
