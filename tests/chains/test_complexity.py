"""Tests for ``chains.complexity``.

(a) Oracle: the Growth Lab's Stata ``ecomplexity``/``genproximity`` output
    in ``shared/data/ecomplexity-oracle`` (tolerances from its README).
(b) World table: agreement with the Python ``ecomplexity`` package
    (test-only dependency) on the 226 × 785 SITC table.
(c) Generated data: ranges, invariances, degenerate inputs, properties.

Shared data is found through ``$PANJEREH_SHARED_DATA`` or
``<repo>/../shared/data``; tests that need it skip when it is absent.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chains.complexity import (
    MIN_PRODUCTS,
    MIN_REGIONS,
    NOTE_KEYS,
    ComplexityResult,
    complexity,
    complexity_long,
    density_for,
)

# ---------------------------------------------------------------- shared data


def _shared_data() -> Path:
    env = os.environ.get("PANJEREH_SHARED_DATA")
    if env:
        return Path(env)
    # tests/chains/test_complexity.py -> parents[2] is the repo (/work/main),
    # parents[3] its parent (/work), which holds shared/data.
    return Path(__file__).resolve().parents[3] / "shared" / "data"


SHARED = _shared_data()
ORACLE = SHARED / "ecomplexity-oracle"
WORLD = SHARED / "world-trade" / "world_trade_sitc4_avg_1998_2000.csv.gz"


def _need(path: Path, what: str) -> None:
    if not path.exists():
        pytest.skip(
            f"…/shared/data not found ({path} missing): {what} needs it; "
            "set PANJEREH_SHARED_DATA or place shared/data next to the repo"
        )


def _oracle_year_matrix(year: str) -> tuple[list[str], list[str], np.ndarray]:
    with open(ORACLE / "trade_data_sample.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == year]
    regions = sorted({r["origin"] for r in rows})
    products = sorted({r["hs92"] for r in rows})
    ri = {r: i for i, r in enumerate(regions)}
    pi = {p: i for i, p in enumerate(products)}
    X = np.zeros((len(regions), len(products)))
    for r in rows:
        # Stata stored export_val as float32: round to float32, then widen.
        X[ri[r["origin"]], pi[r["hs92"]]] = np.float64(np.float32(float(r["export_val"])))
    return regions, products, X


@pytest.fixture(scope="module")
def ground_truth() -> list[dict[str, str]]:
    _need(ORACLE / "stata_ground_truth.csv", "the Stata oracle test")
    with open(ORACLE / "stata_ground_truth.csv", newline="") as f:
        return list(csv.DictReader(f))


# Tolerances from the oracle README: M, diversity, ubiquity exact; RCA, ECI,
# PCI rtol 1e-5; density, COI, COG rtol 1e-4.  A pure rtol cannot pass a
# reference value that is exactly 0 (COG where M = 1, density with no present
# neighbour) or tiny because it crosses zero (ECI/COI near the mean), so a
# tiny atol of 1e-12 is added: far below the CSV's ~16 printed digits on
# O(1) values, it only affects values that are zero to working precision.
TOL = {
    "rca": dict(rtol=1e-5, atol=1e-12),
    "eci": dict(rtol=1e-5, atol=1e-12),
    "pci": dict(rtol=1e-5, atol=1e-12),
    "density": dict(rtol=1e-4, atol=1e-12),
    "coi": dict(rtol=1e-4, atol=1e-12),
    "cog": dict(rtol=1e-4, atol=1e-12),
}


@pytest.mark.parametrize("year", ["1995", "1996"])
def test_oracle_stata_ground_truth(ground_truth: list[dict[str, str]], year: str) -> None:
    _need(ORACLE / "trade_data_sample.csv", "the Stata oracle test")
    regions, products, X = _oracle_year_matrix(year)
    res = complexity(X)
    assert res.notes == ()
    assert not res.too_small
    ri = {r: i for i, r in enumerate(regions)}
    pi = {p: i for i, p in enumerate(products)}
    gt = [g for g in ground_truth if g["year"] == year]
    assert len(gt) == len(regions) * len(products) == 300
    i = np.array([ri[g["origin"]] for g in gt])
    j = np.array([pi[g["hs92"]] for g in gt])

    def col(name: str) -> np.ndarray:
        return np.array([float(g[name]) for g in gt])

    np.testing.assert_array_equal(res.presence[i, j].astype(int), col("M").astype(int))
    np.testing.assert_array_equal(res.diversity[i], col("diversity").astype(int))
    np.testing.assert_array_equal(res.ubiquity[j], col("ubiquity").astype(int))
    mine = {
        "rca": res.rca[i, j],
        "eci": res.eci[i],
        "pci": res.pci[j],
        "density": res.density[i, j],
        "coi": res.coi[i],
        "cog": res.cog[i, j],
    }
    for name, got in mine.items():
        np.testing.assert_allclose(got, col(name), err_msg=f"{year} {name}", **TOL[name])


def test_oracle_stata_proximity() -> None:
    path = ORACLE / "stata_proximity_discrete_sym.csv"
    _need(path, "the Stata proximity test")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1800
    # The file has no year column: rows 1-900 are 1995, 901-1800 are 1996.
    for year, chunk in (("1995", rows[:900]), ("1996", rows[900:])):
        _, products, X = _oracle_year_matrix(year)
        res = complexity(X)
        pi = {p: k for k, p in enumerate(products)}
        a = np.array([pi[r["hs92_1"]] for r in chunk])
        b = np.array([pi[r["hs92_2"]] for r in chunk])
        expected = np.array([float(r["proximity"]) for r in chunk])
        assert len(set(zip(a.tolist(), b.tolist(), strict=True))) == 900
        np.testing.assert_allclose(res.proximity[a, b], expected, rtol=1e-10, atol=1e-15, err_msg=year)
        assert np.all(np.diag(res.proximity) == 0)


# ---------------------------------------------------------------- world table


@pytest.fixture(scope="module")
def world() -> tuple[list[str], list[str], np.ndarray, list[tuple[str, str, float]]]:
    _need(WORLD, "the world-table comparison")
    with gzip.open(WORLD, "rt", newline="") as f:
        recs = [(r["country"], r["product"], float(r["value"])) for r in csv.DictReader(f)]
    regions = sorted({r[0] for r in recs})
    products = sorted({r[1] for r in recs})
    ri = {r: i for i, r in enumerate(regions)}
    pi = {p: i for i, p in enumerate(products)}
    X = np.zeros((len(regions), len(products)))
    for c, p, v in recs:
        X[ri[c], pi[p]] = v
    return regions, products, X, recs


def test_world_table_matches_ecomplexity_package(world) -> None:
    """226 × 785 SITC table against the Python package (~2-5 s, kept in the normal run).

    Two documented convention differences are bridged explicitly:
    the package keeps φ_pp = 1 (so ``self_proximity=1``) and standardises
    with SD(ddof=0) over regions instead of Stata's row-level SD(ddof=1),
    so its ECI/PCI/COI/COG are ours times sqrt(R·P / (R·P − 1)).
    """
    pd = pytest.importorskip("pandas")
    with warnings.catch_warnings():
        # pytest turns warnings into errors; the package and its sklearn
        # import emit deprecation/runtime warnings that are not ours.
        warnings.simplefilter("ignore")
        eco = pytest.importorskip("ecomplexity")
    regions, products, X, recs = world
    assert X.shape == (226, 785)
    df = pd.DataFrame(recs, columns=["loc", "prod", "val"])
    df.insert(0, "time", 2000)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        out = eco.ecomplexity(
            df,
            {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
            verbose=False,
            check_logsupermodularity=False,
        )
    assert len(out) == X.size
    res = complexity(X, self_proximity=1.0)
    assert res.notes == () and not res.too_small
    ri = {r: k for k, r in enumerate(regions)}
    pi = {p: k for k, p in enumerate(products)}
    i = out["loc"].map(ri).to_numpy()
    j = out["prod"].map(pi).to_numpy()
    n = X.size
    f = np.sqrt(n / (n - 1))
    np.testing.assert_array_equal(res.presence[i, j].astype(int), out["mcp"].to_numpy().astype(int))
    np.testing.assert_array_equal(res.diversity[i], out["diversity"].to_numpy().astype(int))
    np.testing.assert_array_equal(res.ubiquity[j], out["ubiquity"].to_numpy().astype(int))
    atol = 1e-12  # COG is exactly 0 where M = 1; ECI/PCI/COI cross zero
    np.testing.assert_allclose(res.rca[i, j], out["rca"], rtol=1e-6, atol=atol)
    np.testing.assert_allclose(res.density[i, j], out["density"], rtol=1e-6, atol=atol)
    np.testing.assert_allclose(res.eci[i] * f, out["eci"], rtol=1e-6, atol=atol)
    np.testing.assert_allclose(res.pci[j] * f, out["pci"], rtol=1e-6, atol=atol)
    np.testing.assert_allclose(res.coi[i] * f, out["coi"], rtol=1e-4, atol=atol)
    np.testing.assert_allclose(res.cog[i, j] * f, out["cog"], rtol=1e-4, atol=atol)


def test_world_table_default_is_stata_convention(world) -> None:
    _, _, X, _ = world
    r0 = complexity(X)
    r1 = complexity(X, self_proximity=1.0)
    # ECI/PCI do not depend on the proximity diagonal; density does.
    np.testing.assert_allclose(r0.eci, r1.eci, rtol=0, atol=0)
    assert np.all(np.diag(r0.proximity) == 0) and np.all(np.diag(r1.proximity) == 1)
    assert not np.allclose(r0.density, r1.density)
    assert np.all((r0.density >= 0) & (r0.density <= 1))


# ---------------------------------------------------------------- generated data


def _random_table(seed: int, R: int = 12, P: int = 25, zero_frac: float = 0.3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.lognormal(mean=2.0, sigma=2.0, size=(R, P))
    X[rng.random((R, P)) < zero_frac] = 0.0
    return X


def _assert_finite(res: ComplexityResult) -> None:
    for name in ("rca", "proximity", "density", "eci", "pci", "coi", "cog"):
        assert np.all(np.isfinite(getattr(res, name))), name
    assert set(res.notes) <= set(NOTE_KEYS), res.notes


@pytest.mark.parametrize("seed", range(5))
def test_ranges_and_definitions(seed: int) -> None:
    X = _random_table(seed)
    res = complexity(X)
    _assert_finite(res)
    assert res.presence.dtype == bool
    np.testing.assert_array_equal(res.diversity, res.presence.sum(axis=1))
    np.testing.assert_array_equal(res.ubiquity, res.presence.sum(axis=0))
    assert np.all((res.density >= 0) & (res.density <= 1))
    assert np.all((res.proximity >= 0) & (res.proximity <= 1))
    np.testing.assert_array_equal(res.proximity, res.proximity.T)
    assert np.all(res.cog[res.presence] == 0)
    # corr(ECI, diversity) > 0 by the sign convention.
    assert np.corrcoef(res.eci, res.diversity)[0, 1] > 0
    # kc = (M/k_c) kp and PCI/ECI share mean and SD, so ECI_c is the mean PCI
    # of the products region c is present in.
    np.testing.assert_allclose(res.eci, (res.presence @ res.pci) / res.diversity, atol=1e-10)
    # Row-level standardisation: mean 0, and SD(ddof=1) over the R·P rows is 1.
    R, P = X.shape
    long_eci = np.repeat(res.eci, P)
    assert abs(long_eci.mean()) < 1e-10
    assert abs(long_eci.std(ddof=1) - 1) < 1e-10
    # Density by its definition, with a zero proximity diagonal.
    M = res.presence.astype(float)
    np.testing.assert_allclose(res.density, M @ res.proximity / res.proximity.sum(axis=1), atol=1e-12)


def test_permutation_invariance() -> None:
    X = _random_table(11, R=15, P=30)
    rng = np.random.default_rng(1)
    pr, pc = rng.permutation(15), rng.permutation(30)
    a = complexity(X)
    b = complexity(X[pr][:, pc])
    for name in ("rca", "density", "cog"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name)[pr][:, pc], atol=1e-10, err_msg=name)
    np.testing.assert_array_equal(b.presence, a.presence[pr][:, pc])
    np.testing.assert_allclose(b.proximity, a.proximity[pc][:, pc], atol=1e-12)
    for name in ("eci", "coi"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name)[pr], atol=1e-10, err_msg=name)
    np.testing.assert_allclose(b.pci, a.pci[pc], atol=1e-10)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse_equals_dense(fmt: str) -> None:
    X = _random_table(3, R=20, P=40, zero_frac=0.6)
    a = complexity(X)
    b = complexity(scipy.sparse.coo_matrix(X).asformat(fmt))
    for name in ("rca", "presence", "proximity", "density", "eci", "pci", "coi", "cog"):
        np.testing.assert_array_equal(getattr(b, name), getattr(a, name), err_msg=name)
    assert a.notes == b.notes


def test_scale_invariance() -> None:
    X = _random_table(4)
    a, b = complexity(X), complexity(X * 1234.5)
    np.testing.assert_allclose(b.rca, a.rca, rtol=1e-12)
    np.testing.assert_allclose(b.eci, a.eci, atol=1e-10)


def test_too_small_table_is_flagged() -> None:
    X = np.array([[5.0, 1.0, 0.0, 2.0], [1.0, 4.0, 1.0, 0.5], [0.0, 1.0, 6.0, 1.0]])
    res = complexity(X)
    assert res.too_small
    assert "few_regions" in res.notes and "few_products" in res.notes
    _assert_finite(res)
    big = complexity(_random_table(0, R=MIN_REGIONS + 5, P=MIN_PRODUCTS + 10))
    assert not big.too_small and big.notes == ()


def test_single_region_and_empty() -> None:
    one = complexity(np.array([[1.0, 2.0, 3.0]]))
    assert one.too_small and "single_region" in one.notes and "eci_undefined" in one.notes
    _assert_finite(one)
    assert np.all(one.eci == 0) and np.all(one.pci == 0)
    empty = complexity(np.zeros((4, 6)))
    assert empty.too_small and "empty" in empty.notes
    _assert_finite(empty)
    assert not empty.presence.any()


def test_zero_row_and_column_give_no_nan() -> None:
    X = _random_table(5, R=10, P=20)
    X[3, :] = 0.0
    X[:, 7] = 0.0
    res = complexity(X)
    _assert_finite(res)
    assert "zero_regions_dropped" in res.notes and "zero_products_dropped" in res.notes
    assert not res.region_valid[3] and not res.product_valid[7]
    assert res.eci[3] == 0 and res.coi[3] == 0 and res.pci[7] == 0
    assert np.all(res.rca[3] == 0) and np.all(res.density[:, 7] == 0)
    # The other regions/products equal the result on the reduced table.
    keep_r = np.arange(10) != 3
    keep_p = np.arange(20) != 7
    red = complexity(X[keep_r][:, keep_p])
    np.testing.assert_allclose(res.eci[keep_r], red.eci, atol=1e-10)
    np.testing.assert_allclose(res.pci[keep_p], red.pci, atol=1e-10)
    np.testing.assert_allclose(res.density[np.ix_(keep_r, keep_p)], red.density, atol=1e-12)


def test_nan_input_is_zero_and_flagged() -> None:
    X = _random_table(6)
    Y = X.copy()
    Y[2, 4] = np.nan
    X[2, 4] = 0.0
    res = complexity(Y)
    assert "nan_input" in res.notes
    np.testing.assert_array_equal(res.eci, complexity(X).eci)


def test_high_threshold_regions_without_presence() -> None:
    X = _random_table(7, R=12, P=25)
    # A perfectly average region: its exports are proportional to the other regions' column totals,
    # so every RCA of it is exactly 1, below the threshold of 3: no presence at all.
    X[0] = X[1:].sum(axis=0) / 11
    res = complexity(X, rca_threshold=3.0)
    _assert_finite(res)
    np.testing.assert_allclose(res.rca[0], 1.0, rtol=1e-12)
    assert res.diversity[0] == 0 and not res.presence[0].any()
    assert not res.region_valid[0] and res.region_valid[1:].any()
    assert "regions_without_presence" in res.notes
    assert res.eci[0] == 0 and res.coi[0] == 0


def test_disconnected_product_space_flags_degenerate_eigengap() -> None:
    # Two blocks with no shared products: λ2 = λ1 = 1, the eigenvector is arbitrary.
    rng = np.random.default_rng(8)
    X = np.zeros((12, 24))
    X[:6, :12] = rng.random((6, 12)) + 0.1
    X[6:, 12:] = rng.random((6, 12)) + 0.1
    res = complexity(X)
    assert "degenerate_eigengap" in res.notes and res.too_small
    _assert_finite(res)


@pytest.mark.parametrize(
    "bad, exc",
    [
        (np.array([[1.0, -1.0], [1.0, 1.0]]), ValueError),
        (np.array([[1.0, np.inf], [1.0, 1.0]]), ValueError),
        (np.ones(5), ValueError),
        (np.array([["a", "b"]]), TypeError),
    ],
)
def test_invalid_input_raises(bad: np.ndarray, exc: type[Exception]) -> None:
    with pytest.raises(exc):
        complexity(bad)


@pytest.mark.parametrize("kw", [dict(rca_threshold=0), dict(rca_threshold=np.nan), dict(self_proximity=2)])
def test_invalid_parameters_raise(kw: dict) -> None:
    with pytest.raises(ValueError):
        complexity(np.ones((3, 3)), **kw)


def test_complexity_long_dicts_tuples_and_labels() -> None:
    X = _random_table(9, R=8, P=12)
    regions = [f"r{k:02d}" for k in range(8)]
    products = [f"{k:04d}" for k in range(12)]
    dict_rows = [
        {"region": regions[a], "product": products[b], "value": X[a, b]}
        for a in range(8)
        for b in range(12)
        if X[a, b] > 0
    ]
    res = complexity_long(dict_rows, "region", "product", "value")
    assert res.region_labels.tolist() == regions and res.product_labels.tolist() == products
    np.testing.assert_array_equal(res.eci, complexity(X).eci)
    tuple_rows = [(r["region"], r["product"], r["value"]) for r in reversed(dict_rows)]
    res2 = complexity_long(tuple_rows, 0, 1, 2)
    np.testing.assert_array_equal(res2.density, res.density)
    # Repeated pairs are summed and flagged.
    split = dict_rows + [{"region": "r00", "product": "0000", "value": None}]
    half = [dict(r, value=r["value"] / 2) for r in dict_rows[:1]]
    res3 = complexity_long(split[1:] + half + half, "region", "product", "value")
    assert "duplicate_pairs_summed" in res3.notes
    np.testing.assert_allclose(res3.rca, res.rca, rtol=1e-12)
    with pytest.raises(ValueError):
        complexity_long([], 0, 1, 2)


def test_density_for() -> None:
    rows = [(c, p, v) for (c, p), v in np.ndenumerate(_random_table(10, R=6, P=11))]
    rows = [(f"c{c}", f"p{p:02d}", v) for c, p, v in rows]
    res = complexity_long(rows, 0, 1, 2)
    d = density_for(res, "c2")
    assert list(d) == [f"p{p:02d}" for p in range(11)]
    assert all(isinstance(v, float) and 0 <= v <= 1 for v in d.values())
    np.testing.assert_array_equal(list(d.values()), res.density[2])
    with pytest.raises(KeyError):
        density_for(res, "c")  # prefix of a label is not a label
    unlabelled = complexity(_random_table(10, R=6, P=11))
    assert density_for(unlabelled, 2) == dict(enumerate(unlabelled.density[2].tolist()))
    for bad in (6, -1, "c2", True):
        with pytest.raises(KeyError):
            density_for(unlabelled, bad)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 9), st.integers(1, 14)),
        elements=st.one_of(
            st.just(0.0),
            st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False),
            st.floats(min_value=1e-300, max_value=1e-290),
        ),
    ),
    st.sampled_from([0.5, 1.0, 2.0]),
    st.sampled_from([0.0, 1.0]),
)
def test_property_density_in_unit_interval(X: np.ndarray, thr: float, diag: float) -> None:
    res = complexity(X, rca_threshold=thr, self_proximity=diag)
    assert np.all((res.density >= 0) & (res.density <= 1))
    _assert_finite(res)
    assert res.presence.dtype == bool
