"""The world product space: the committed tables, their rebuild, and density worked out by hand."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from chains.productspace import ProductSpace

TABLES = Path(__file__).parents[2] / "data" / "productspace"
NAMES = ["hs_sitc2.csv", "proximity.csv", "rca_irn.csv"]


def test_the_committed_tables_are_what_build_py_writes(tmp_path, shared_data):
    env = {**os.environ, "PANJEREH_SHARED_DATA": str(shared_data)}
    subprocess.run([sys.executable, str(TABLES / "build.py"), str(tmp_path)], check=True, env=env, timeout=300)
    differing = [n for n in NAMES if (tmp_path / n).read_bytes() != (TABLES / n).read_bytes()]
    assert not differing, f"{differing}: rerun `.venv/bin/python data/productspace/build.py`"


def test_the_tables_are_small_and_cover_the_province():
    for name in NAMES:
        assert (TABLES / name).stat().st_size < 400_000
    with open(TABLES / "hs_sitc2.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 200
    assert {r["hs"]: r["sitc2"] for r in rows}["7403"] == "6821"  # refined copper


def test_density_by_hand():
    # Four tracked products; the province makes b and d.
    space = ProductSpace({"a": "1", "b": "2", "c": "3", "d": "4", "x": "9"},
                         {("1", "2"): 0.5, ("1", "3"): 0.25, ("1", "4"): 0.25, ("2", "3"): 0.8,
                          ("3", "4"): 0.2}, {"1": 1.0})
    d = space.density(["a", "b", "c", "d", "s"], [False, True, False, True, True])
    # a: (0.5 + 0.25) / (0.5 + 0.25 + 0.25); b: neighbours a, c not made → 0;
    # c: (0.8 + 0.2) / (0.25 + 0.8 + 0.2); d: (0 from a, c) / (0.25 + 0.2) → 0; s unmapped → NaN.
    assert d[:4].tolist() == pytest.approx([0.75, 0.0, 0.8, 0.0])
    assert np.isnan(d[4])
    # x maps to a SITC product with no proximities: density 0, not NaN.
    assert space.density(["x"], [False]).tolist() == [0.0]
    assert space.rca_score(["a", "b", "s"])[:2].tolist() == [0.5, 0.0]
