"""Write plants.csv: the facts a planner checks for each product of the seed (illustrative estimates).

For every product of ``data/seed/products.csv``:

* ``min_output``: minimum efficient scale of one plant (product units a year). For the heavy plants in
  ``NATIONAL`` a typical single-line size (stated per row); otherwise the average size of the province's
  existing units (capacity / active units) or, with no units, a quarter of the province's supply
  (output + inflow). All are estimates (``estimate`` = 1).
* ``min_capital_rials``: ``min_output`` × price × the sector's capital-output ratio (``CAPITAL_OUTPUT``).
* ``energy_gj_per_unit``, ``water_m3_per_unit``: typical intensities by sector, or the plant's own in
  ``NATIONAL``. The sector tables are per tonne; a product counted in other units (square metres, pieces,
  pairs, head, services) gets its sector's intensity per rial of output instead — the per-tonne figure over
  the median price of a tonne of the sector's products in the seed, times the product's unit price — so a
  square metre of machine-made carpet is not charged the energy of a tonne of fibre.
* ``national_plant``: 1 for plants whose energy or feedstock is allocated nationally or that national plans
  reserve (smelters, steel mills, petrochemicals, refineries, cement, chemical fertilisers).

Run: ``.venv/bin/python data/feasibility/build.py`` (a test checks the file is what this writes).
"""

from __future__ import annotations

import csv
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seed" / "products.csv"

#: code → (minimum plant output a year, energy GJ per unit, water m3 per unit, what the size is)
NATIONAL = {
    "2603": (3_000_000, 0.15, 1.5, "concentrator of a large open-pit mine"),
    "7402": (100_000, 20.0, 10.0, "one copper smelter line"),
    "7403": (100_000, 12.0, 5.0, "one copper refinery"),
    "7601": (150_000, 55.0, 5.0, "one aluminium smelter potline"),
    "7207": (800_000, 6.0, 3.0, "one steel melt shop (EAF with DRI)"),
    "7208": (1_500_000, 2.0, 2.0, "one hot strip mill"),
    "7209": (500_000, 1.5, 1.5, "one cold rolling mill"),
    "2710": (5_000_000, 3.0, 1.0, "one oil refinery"),
    "2901": (500_000, 25.0, 10.0, "one ethylene cracker"),
    "2902": (300_000, 15.0, 8.0, "one aromatics unit"),
    "3901": (300_000, 5.0, 3.0, "one polyethylene plant"),
    "3902": (300_000, 5.0, 3.0, "one polypropylene plant"),
    "3903": (100_000, 6.0, 3.0, "one polystyrene plant"),
    "3904": (200_000, 8.0, 4.0, "one PVC plant"),
    "3907": (200_000, 6.0, 3.0, "one PET plant"),
    "3105": (500_000, 10.0, 4.0, "one compound fertiliser plant on an ammonia feed"),
    "2523": (1_000_000, 3.5, 0.3, "one cement kiln line"),
    "7005": (20_000_000, 0.08, 0.05, "one float glass line (about 600 tonnes a day; square metres of 4 mm glass)"),
}
ENERGY = {"agriculture": 1.0, "food": 2.0, "mining": 0.3, "metals": 10.0, "chemicals": 8.0, "automotive": 3.0,
          "machinery": 3.0, "electrical": 4.0, "textiles": 10.0, "leather": 12.0, "construction": 1.5,
          "services": 0.05}
WATER = {"agriculture": 800.0, "food": 5.0, "mining": 2.0, "metals": 4.0, "chemicals": 5.0, "automotive": 2.0,
         "machinery": 1.0, "electrical": 1.0, "textiles": 100.0, "leather": 40.0, "construction": 0.5,
         "services": 0.1}
CAPITAL_OUTPUT = {"agriculture": 1.5, "food": 0.6, "mining": 2.0, "metals": 1.2, "chemicals": 1.2,
                  "automotive": 0.8, "machinery": 0.8, "electrical": 0.8, "textiles": 0.7, "leather": 0.6,
                  "construction": 1.0, "services": 0.5}


def num(x: float) -> str:
    x = round(x, 3) if abs(x) < 1000 else round(x)
    return str(int(x)) if x == int(x) else f"{x:.3f}".rstrip("0").rstrip(".")


def tonne_prices(products: list[dict]) -> dict[str, float]:
    """The median price of a tonne of each sector's products counted in tonnes (and ``""``: of all of them)."""
    by_sector: dict[str, list[float]] = {}
    for p in products:
        if p["unit"] == "tonne":
            by_sector.setdefault(p["sector"], []).append(float(p["unit_price_rials"]))
    out = {sector: statistics.median(prices) for sector, prices in by_sector.items()}
    out[""] = statistics.median([x for prices in by_sector.values() for x in prices])
    return out


def intensity(table: dict[str, float], p: dict, per_tonne_price: dict[str, float]) -> float:
    """The sector's intensity per tonne, or per rial of output for a product counted in other units."""
    per_tonne = table[p["sector"]]
    if p["unit"] == "tonne":
        return per_tonne
    return per_tonne * float(p["unit_price_rials"]) / per_tonne_price.get(p["sector"], per_tonne_price[""])


def main(out: Path = HERE / "plants.csv") -> None:
    with open(SEED, encoding="utf-8", newline="") as handle:
        products = list(csv.DictReader(handle))
    per_tonne_price = tonne_prices(products)
    rows = []
    for p in products:
        code, sector, price = p["code"], p["sector"], float(p["unit_price_rials"])
        if code in NATIONAL:
            size, energy, water, what = NATIONAL[code]
            national, source = 1, f"estimate: typical size of {what}"
        else:
            units = int(p["active_units"])
            if units > 0 and float(p["capacity"]) > 0:
                size, source = float(p["capacity"]) / units, "estimate: average size of the province's units"
            else:
                size, source = 0.25 * (float(p["output"]) + float(p["inflow"])), "estimate: a quarter of supply"
            energy, water, national = intensity(ENERGY, p, per_tonne_price), intensity(WATER, p, per_tonne_price), 0
        rows.append([code, num(size), int(round(size * price * CAPITAL_OUTPUT[sector], -9)), num(energy),
                     num(water), national, source, 1])
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "min_output", "min_capital_rials", "energy_gj_per_unit", "water_m3_per_unit",
                         "national_plant", "source", "estimate"])
        writer.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "plants.csv")
