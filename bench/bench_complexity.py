"""Benchmark ``chains.complexity.complexity`` against the ``ecomplexity`` package.

Loads the 226 × 785 world table (``shared/data/world-trade``), times
``complexity`` (median of 5) and ``ecomplexity.ecomplexity`` (median of 3,
both with its default log-supermodularity check and without it), checks that
the results agree (max relative difference per output) and prints the ratio.

Usage::

    .venv/bin/python bench/bench_complexity.py [--shared-data DIR] [--blas-threads N]

``--blas-threads N`` sets ``OPENBLAS_NUM_THREADS``/``OMP_NUM_THREADS``
before NumPy is imported.  On a small, busy machine multi-threaded BLAS
oversubscribes the cores and the ~4 ms eigensolver can take 100× longer;
``--blas-threads 1`` gives stable figures.

``ecomplexity`` and ``pandas`` are test-only dependencies; they are imported
here, never in ``chains/``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path


def _early_blas_threads(argv: list[str]) -> str | None:
    # Must run before NumPy is imported, so it cannot wait for argparse.
    for k, a in enumerate(argv):
        if a == "--blas-threads" and k + 1 < len(argv):
            return argv[k + 1]
        if a.startswith("--blas-threads="):
            return a.split("=", 1)[1]
    return None


_THREADS = _early_blas_threads(sys.argv[1:])
if _THREADS is not None:
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _THREADS

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chains.complexity import complexity  # noqa: E402


def _default_shared() -> Path:
    env = os.environ.get("PANJEREH_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def load_world(shared: Path) -> tuple[list[str], list[str], np.ndarray, list[tuple[str, str, float]]]:
    path = shared / "world-trade" / "world_trade_sitc4_avg_1998_2000.csv.gz"
    with gzip.open(path, "rt", newline="") as f:
        recs = [(r["country"], r["product"], float(r["value"])) for r in csv.DictReader(f)]
    regions = sorted({r[0] for r in recs})
    products = sorted({r[1] for r in recs})
    ri = {r: i for i, r in enumerate(regions)}
    pi = {p: i for i, p in enumerate(products)}
    X = np.zeros((len(regions), len(products)))
    for c, p, v in recs:
        X[ri[c], pi[p]] = v
    return regions, products, X, recs


def timed(fn, n: int) -> tuple[float, list[float], object]:
    times, out = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared-data", type=Path, default=_default_shared())
    ap.add_argument("--blas-threads", help="set BLAS/OpenMP threads before importing NumPy")
    args = ap.parse_args()

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ecomplexity import ecomplexity

    regions, products, X, recs = load_world(args.shared_data)
    R, P = X.shape
    print(f"world table: {R} regions × {P} products, {len(recs)} non-zero cells")
    print(
        f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}; "
        f"CPUs: {os.cpu_count()}; load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    # Python package conventions: φ_pp = 1 and SD(ddof=0) over regions.
    t_ours, ts_ours, res = timed(lambda: complexity(X, self_proximity=1.0), 5)
    t_stata, ts_stata, _ = timed(lambda: complexity(X), 5)

    df = pd.DataFrame(recs, columns=["loc", "prod", "val"])
    df.insert(0, "time", 2000)
    cols = {"time": "time", "loc": "loc", "prod": "prod", "val": "val"}

    def run_pkg(check: bool):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return ecomplexity(df, cols, verbose=False, check_logsupermodularity=check)

    t_pkg, ts_pkg, out = timed(lambda: run_pkg(True), 3)
    t_pkg_nc, ts_pkg_nc, _ = timed(lambda: run_pkg(False), 3)

    ri = {r: k for k, r in enumerate(regions)}
    pi = {p: k for k, p in enumerate(products)}
    i = out["loc"].map(ri).to_numpy()
    j = out["prod"].map(pi).to_numpy()
    f = np.sqrt(R * P / (R * P - 1))  # Stata row-level SD(ddof=1) vs package SD(ddof=0)
    ours = {
        "rca": res.rca[i, j],
        "mcp": res.presence[i, j].astype(float),
        "density": res.density[i, j],
        "eci": res.eci[i] * f,
        "pci": res.pci[j] * f,
        "coi": res.coi[i] * f,
        "cog": res.cog[i, j] * f,
    }
    print("\nagreement with ecomplexity (max |ours − pkg| / |pkg| over pkg ≠ 0; max abs diff):")
    worst = 0.0
    for name, mine in ours.items():
        ref = out[name].to_numpy(dtype=float)
        nz = ref != 0
        rel = float(np.max(np.abs(mine[nz] - ref[nz]) / np.abs(ref[nz]))) if nz.any() else 0.0
        ab = float(np.max(np.abs(mine - ref)))
        worst = max(worst, rel)
        print(f"  {name:8s} rel {rel:.2e}  abs {ab:.2e}")

    print("\ntimings (seconds):")
    print(f"  complexity (self_proximity=1), median of 5: {t_ours:.4f}  {[round(t, 4) for t in ts_ours]}")
    print(f"  complexity (Stata default),    median of 5: {t_stata:.4f}  {[round(t, 4) for t in ts_stata]}")
    print(f"  ecomplexity (default),         median of 3: {t_pkg:.4f}  {[round(t, 4) for t in ts_pkg]}")
    print(f"  ecomplexity (no logsupermod),  median of 3: {t_pkg_nc:.4f}  {[round(t, 4) for t in ts_pkg_nc]}")
    print(f"\nspeed-up vs ecomplexity default:           {t_pkg / t_ours:.1f}×")
    print(f"speed-up vs ecomplexity without the check: {t_pkg_nc / t_ours:.1f}×")
    ok = worst < 1e-6
    print(f"results equal (max rel diff {worst:.2e} < 1e-6): {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
