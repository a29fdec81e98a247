"""Build the product-space tables the app ships, from the outside reference data.

Reads ``world-trade/world_trade_sitc4_avg_1998_2000.csv.gz`` and
``hs-sitc2-concordance/hs_combined_to_sitc2.csv`` under the shared data folder
(``PANJEREH_SHARED_DATA``, default ``../shared/data`` beside the repository) and
the province's HS codes from ``data/seed/products.csv``; writes three small CSV
tables beside this script (see README.md):

* ``hs_sitc2.csv``: each province HS code → one SITC rev. 2 four-digit product.
  Many-to-many pairs are resolved by lines: all six-digit HS lines of the code
  (the code itself when it has six digits; every vintage of the concordance)
  vote for the first four digits of their SITC code; codes of fewer than four
  digits and SITC products absent from the world table do not vote; the SITC
  product with most votes wins, ties going to the lower code. ``share`` is the
  winner's share of the votes.
* ``proximity.csv``: Atlas proximity φ between every pair of the mapped SITC
  products (computed on the whole 226 × 785 world table with
  :func:`chains.complexity.complexity_long`; pairs with φ = 0 left out).
* ``rca_irn.csv``: Iran's (``irn``) revealed comparative advantage and export
  value (2000 USD) in each mapped SITC product, and ``proximity_sum``, the
  product's φ summed over all 785 world products (the denominator of density).

Run::

    .venv/bin/python data/productspace/build.py [OUT_DIR]
"""

from __future__ import annotations

import csv
import gzip
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from chains.complexity import complexity_long  # noqa: E402

WORLD = "world-trade/world_trade_sitc4_avg_1998_2000.csv.gz"
CONCORDANCE = "hs-sitc2-concordance/hs_combined_to_sitc2.csv"
COUNTRY = "irn"


def shared_dir() -> Path:
    return Path(os.environ.get("PANJEREH_SHARED_DATA", ROOT.parent / "shared" / "data"))


def province_codes() -> list[str]:
    with open(ROOT / "data" / "seed" / "products.csv", encoding="utf-8", newline="") as handle:
        return sorted(row["code"] for row in csv.DictReader(handle) if row["nomenclature"] == "hs")


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(out_dir: Path = HERE) -> None:
    shared = shared_dir()
    with gzip.open(shared / WORLD, "rt", encoding="utf-8", newline="") as handle:
        world = [(r["country"], r["product"], float(r["value"])) for r in csv.DictReader(handle)]
    result = complexity_long(world, 0, 1, 2)
    sitc_labels = result.product_labels.tolist()
    column = {s: k for k, s in enumerate(sitc_labels)}
    row_irn = result.region_labels.tolist().index(COUNTRY)
    irn_value = {p: v for c, p, v in world if c == COUNTRY}

    with open(shared / CONCORDANCE, encoding="latin-1", newline="") as handle:  # the WITS file is Latin-1
        reader = csv.reader(handle)
        next(reader)
        pairs = [(r[0].strip(), r[2].strip()) for r in reader]

    mapping = []
    for code in province_codes():
        votes = Counter(s[:4] for h, s in pairs if h.startswith(code) and len(s) >= 4 and s[:4] in column)
        if not votes:
            continue
        best = min(votes, key=lambda s: (-votes[s], s))
        mapping.append([code, best, votes[best], f"{votes[best] / sum(votes.values()):.4f}"])
    write(out_dir / "hs_sitc2.csv", ["hs", "sitc2", "hs6_lines", "share"], mapping)

    used = sorted({m[1] for m in mapping})
    phi = result.proximity
    rows = []
    for i, a in enumerate(used):
        for b in used[i + 1:]:
            value = float(phi[column[a], column[b]])
            if value > 0:
                rows.append([a, b, f"{value:.4f}"])
    write(out_dir / "proximity.csv", ["sitc2_a", "sitc2_b", "proximity"], rows)
    world_sum = phi.sum(axis=1) - phi.diagonal()
    write(out_dir / "rca_irn.csv", ["sitc2", "rca", "export_usd", "proximity_sum"],
          [[s, f"{float(result.rca[row_irn, column[s]]):.4f}", f"{irn_value.get(s, 0.0):.0f}",
            f"{float(world_sum[column[s]]):.4f}"] for s in used])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
