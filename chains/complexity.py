"""Relatedness and economic complexity for one region × product table.

Implements the Atlas of Economic Complexity quantities -- RCA, presence
``M``, diversity, ubiquity, product proximity, density, ECI, PCI, COI and
COG -- with the conventions of the Harvard Growth Lab's Stata
``ecomplexity`` command (default options: RCA threshold 1, discrete,
symmetric proximity).  Everything is vectorised NumPy/SciPy; there are no
Python loops over regions or products.

Conventions (checked against the Stata ground truth in
``shared/data/ecomplexity-oracle``):

* ``RCA_cp = (X_cp / X_c) / (X_p / X)``; ``M_cp = 1`` where
  ``RCA_cp >= rca_threshold``.
* ``φ_pp' = Σ_c M_cp M_cp' / max(k_p, k_p')`` for ``p ≠ p'`` and
  ``φ_pp = 0``: Stata's ``genproximity`` writes a zero diagonal and its
  ``ecomplexity`` uses that same matrix for density, COI and COG (checked:
  a unit diagonal misses the oracle's density by 25 %).  The Python
  ``ecomplexity`` package keeps ``φ_pp = 1``; pass ``self_proximity=1`` to
  reproduce it.
* ``density_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'``.
* ``kp`` is the eigenvector of the second-largest eigenvalue of
  ``(M/k_p)ᵀ (M/k_c)`` and ``kc = (M/k_c) kp``; the sign makes
  ``corr(kc, diversity) > 0``.
* ``ECI = (kc − mean) / SD`` and ``PCI = (kp − mean(kc)) / SD(kc)`` where
  the mean and the SD (``n − 1``) are taken over the *rows of the long
  table* (every region repeated once per product), as Stata does.  The
  Python ``ecomplexity`` package instead uses ``SD`` with ``ddof=0`` over
  regions; the two differ by the factor ``sqrt(R·P / (R·P − 1))``.
* ``COI`` is the same row-level z-score of ``Σ_p density_cp (1 − M_cp) kp_p``
  and ``COG_cp = (1 − M_cp) Σ_q (1 − M_cq) φ_qp kp_q / Σ_r φ_qr`` divided by
  ``SD(kc)``.

Degenerate input never produces NaN: regions/products with zero total are
left out of the computation and reported with zeros, quantities that are
undefined are set to 0 and flagged in :attr:`ComplexityResult.notes`.

Example
-------
>>> import numpy as np
>>> X = np.array([[5., 1., 0.], [1., 4., 1.], [0., 1., 6.]])
>>> r = complexity(X)
>>> r.presence.astype(int).tolist()
[[1, 0, 0], [0, 1, 0], [0, 0, 1]]
>>> r.too_small, "few_regions" in r.notes
(True, True)
>>> bool(np.all((r.density >= 0) & (r.density <= 1)))
True
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse

__all__ = [
    "MIN_REGIONS",
    "MIN_PRODUCTS",
    "NOTE_KEYS",
    "ComplexityResult",
    "complexity",
    "complexity_long",
    "density_for",
]

#: Fewer valid regions than this sets ``too_small`` (note ``"few_regions"``).
MIN_REGIONS = 5
#: Fewer valid products than this sets ``too_small`` (note ``"few_products"``).
MIN_PRODUCTS = 10

#: Every machine-readable key that may appear in ``ComplexityResult.notes``.
NOTE_KEYS = (
    "empty",  # no positive value at all
    "single_region",  # at most one region with a positive total
    "single_product",  # at most one product with a positive total
    "few_regions",  # fewer than MIN_REGIONS regions with presence
    "few_products",  # fewer than MIN_PRODUCTS products with presence
    "zero_regions_dropped",  # regions with zero total: all outputs 0
    "zero_products_dropped",  # products with zero total: all outputs 0
    "regions_without_presence",  # positive total but diversity 0: eci/coi 0
    "products_without_presence",  # positive total but ubiquity 0: pci 0
    "nan_input",  # NaN cells in the input were read as 0
    "rca_overflow",  # RCA exceeded the float range: stored as the largest float
    "degenerate_eigengap",  # 2nd eigenvalue (near-)repeated: ECI/PCI unstable
    "eci_undefined",  # ECI/PCI/COI/COG could not be computed: set to 0
    "sign_ambiguous",  # corr(kc, diversity) is 0 or undefined: sign kept +
    "zero_sd",  # SD(kc) or SD(coi) is 0: z-scores set to 0
    "density_clipped",  # density left [0, 1] by more than rounding
    "nan_replaced",  # a NaN/inf was produced and replaced by 0
    "duplicate_pairs_summed",  # complexity_long: repeated pairs were summed
)

_EIG_TOL = 1e-9
_CLIP_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class ComplexityResult:
    """Outputs of :func:`complexity` for one table (one year).

    Arrays are indexed like the input: ``R`` regions (rows) by ``P``
    products (columns).

    Attributes
    ----------
    rca : ndarray, shape (R, P)
        Balassa revealed comparative advantage (0 for zero-total rows/cols).
    presence : ndarray of bool, shape (R, P)
        ``M_cp``: ``rca >= rca_threshold``.
    diversity : ndarray of int, shape (R,)
        ``k_c = Σ_p M_cp``.
    ubiquity : ndarray of int, shape (P,)
        ``k_p = Σ_c M_cp``.
    proximity : ndarray, shape (P, P)
        Symmetric ``φ``; diagonal ``self_proximity`` (default 0) where
        ``k_p > 0``.
    density : ndarray, shape (R, P)
        Density in ``[0, 1]``.
    eci : ndarray, shape (R,)
        Economic complexity index (0 where ``region_valid`` is False).
    pci : ndarray, shape (P,)
        Product complexity index (0 where ``product_valid`` is False).
    coi : ndarray, shape (R,)
        Complexity outlook index (0 where ``region_valid`` is False).
    cog : ndarray, shape (R, P)
        Complexity outlook gain (0 where ``M_cp = 1``).
    region_valid, product_valid : ndarray of bool
        Regions with diversity > 0 / products with ubiquity > 0, i.e. those
        that entered the eigenvector computation.
    eigenvalues : ndarray
        The (up to) three largest eigenvalues of ``(M/k_p)ᵀ(M/k_c)``.
    too_small : bool
        True when the table is too small or degenerate for ECI/PCI to be
        trusted (see ``notes``).
    notes : tuple of str
        Machine-readable keys from :data:`NOTE_KEYS`.
    rca_threshold : float
        The threshold used for ``presence``.
    self_proximity : float
        The diagonal of ``proximity`` used for density, COI and COG.
    region_labels, product_labels : ndarray or None
        Axis labels (set by :func:`complexity_long` or passed explicitly).
    """

    rca: np.ndarray
    presence: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    proximity: np.ndarray
    density: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    region_valid: np.ndarray
    product_valid: np.ndarray
    eigenvalues: np.ndarray
    too_small: bool
    notes: tuple[str, ...]
    rca_threshold: float
    self_proximity: float = 0.0
    region_labels: np.ndarray | None = None
    product_labels: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        """``(R, P)``."""
        return self.rca.shape  # type: ignore[return-value]


def _as_dense(X: Any) -> np.ndarray:
    if scipy.sparse.issparse(X):
        A = X.toarray()
    else:
        A = np.asarray(X)
    if A.ndim != 2:
        raise ValueError(f"X must be a 2-D region × product matrix, got ndim={A.ndim}")
    if A.dtype == object or not np.issubdtype(A.dtype, np.number) or np.iscomplexobj(A):
        raise TypeError(f"X must be a real numeric matrix, got dtype {A.dtype}")
    # C order so that sums (and hence results) do not depend on the layout.
    return np.array(A, dtype=np.float64, order="C", copy=True)


def _labels(labels: Sequence[Hashable] | np.ndarray | None, n: int, axis: str) -> np.ndarray | None:
    if labels is None:
        return None
    arr = np.asarray(labels)
    if arr.shape != (n,):
        raise ValueError(f"{axis}_labels must have length {n}, got shape {arr.shape}")
    return arr


def _second_eigvector(Mv: np.ndarray, kc: np.ndarray, kp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (kp eigenvector, top eigenvalues) for the valid block.

    ``(M/k_p)ᵀ(M/k_c) = D_p⁻¹ Mᵀ D_c⁻¹ M`` is similar to the symmetric
    ``B = D_p^-½ Mᵀ D_c⁻¹ M D_p^-½`` and shares its non-zero spectrum with
    the region-side ``C = D_c^-½ M D_p⁻¹ Mᵀ D_c^-½``.  We solve whichever
    is smaller with a symmetric eigensolver and map back.
    """
    n_r, n_p = Mv.shape
    A = Mv / np.sqrt(kc)[:, None] / np.sqrt(kp)[None, :]
    if n_r <= n_p:
        S = A @ A.T
    else:
        S = A.T @ A
    n = S.shape[0]
    k = min(3, n)
    vals, vecs = scipy.linalg.eigh(S, subset_by_index=[n - k, n - 1])
    vals = vals[::-1]
    v = vecs[:, k - 2] if k >= 2 else vecs[:, 0]
    if n_r <= n_p:
        kc_vec = v / np.sqrt(kc)
        # kp ∝ D_p⁻¹ Mᵀ kc (scale is irrelevant: every output is scale-free).
        kp_vec = (Mv.T @ kc_vec) / kp
    else:
        kp_vec = v / np.sqrt(kp)
    return kp_vec, vals


# Float warnings are not errors here: every output passes a final
# finite-value guard (note ``"nan_replaced"``) and callers' warning filters
# (pytest runs with ``-W error``) must not turn edge cases into crashes.
@np.errstate(all="ignore")
def complexity(
    X: Any,
    rca_threshold: float = 1.0,
    *,
    self_proximity: float = 0.0,
    region_labels: Sequence[Hashable] | np.ndarray | None = None,
    product_labels: Sequence[Hashable] | np.ndarray | None = None,
) -> ComplexityResult:
    """Compute RCA, presence, proximity, density, ECI, PCI, COI and COG.

    Parameters
    ----------
    X : array_like or scipy.sparse matrix, shape (R, P)
        Non-negative values (exports, output, employment …) of one period,
        regions in rows and products in columns.  NaN cells are read as 0
        (note ``"nan_input"``); negative or infinite values raise.
    rca_threshold : float, default 1.0
        ``M_cp = 1`` where ``RCA_cp >= rca_threshold``.
    self_proximity : float, default 0.0
        Diagonal ``φ_pp`` used by density, COI and COG (and stored in
        ``proximity``).  0 reproduces Stata's ``ecomplexity``/``genproximity``
        (the oracle); 1 reproduces the Python ``ecomplexity`` package, whose
        ``M.T @ M / k`` keeps the unit diagonal.  Must lie in ``[0, 1]``.
    region_labels, product_labels : sequence, optional
        Axis labels stored on the result (used by :func:`density_for`).

    Returns
    -------
    ComplexityResult

    Raises
    ------
    ValueError
        If ``X`` is not 2-D, has negative or infinite values, or
        ``rca_threshold`` is not a positive finite number.
    """
    A = _as_dense(X)
    thr = float(rca_threshold)
    if not np.isfinite(thr) or thr <= 0:
        raise ValueError(f"rca_threshold must be a positive finite number, got {rca_threshold!r}")
    self_proximity = float(self_proximity)
    if not 0.0 <= self_proximity <= 1.0:
        raise ValueError(f"self_proximity must lie in [0, 1], got {self_proximity!r}")
    notes: list[str] = []
    nan_cells = np.isnan(A)
    if nan_cells.any():
        A[nan_cells] = 0.0
        notes.append("nan_input")
    if np.isinf(A).any():
        raise ValueError("X contains infinite values")
    if (A < 0).any():
        raise ValueError("X must be non-negative")

    R, P = A.shape
    rl = _labels(region_labels, R, "region")
    pl = _labels(product_labels, P, "product")

    row_tot = A.sum(axis=1)
    if not np.isfinite(row_tot.sum()):
        # Sums overflow: RCA is scale-free, so rescale (only in this case,
        # to keep ordinary inputs bit-for-bit).
        A /= A.max()
        row_tot = A.sum(axis=1)
    col_tot = A.sum(axis=0)
    total = row_tot.sum()
    r_act = row_tot > 0
    p_act = col_tot > 0
    if total <= 0:
        notes.append("empty")
    if (~r_act).any() and r_act.any():
        notes.append("zero_regions_dropped")
    if (~p_act).any() and p_act.any():
        notes.append("zero_products_dropped")
    if r_act.sum() <= 1:
        notes.append("single_region")
    if p_act.sum() <= 1:
        notes.append("single_product")

    # --- RCA and presence ----------------------------------------------------
    rca = np.zeros((R, P))
    if total > 0:
        Aa = A[np.ix_(r_act, p_act)]
        rt, ct = row_tot[r_act][:, None], col_tot[p_act][None, :]
        with np.errstate(all="ignore"):
            # The Stata/ecomplexity order of operations (keeps M identical
            # at RCA ≈ threshold) ...
            sub = (Aa / rt) / (ct / total)
            bad = ~np.isfinite(sub)
            if bad.any():
                # ... and where a share underflowed, the equivalent
                # (X_cp / X_p) · (X / X_c), which has no 0/0.
                alt = (Aa / ct) * (total / rt)
                sub[bad] = alt[bad]
        rca[np.ix_(r_act, p_act)] = sub
        if np.isinf(rca).any():
            # Extreme dynamic range (e.g. 1e-300 next to 1e9): RCA beyond the
            # float range is present all the same; store the largest float.
            rca[np.isinf(rca)] = np.finfo(np.float64).max
            notes.append("rca_overflow")
    presence = rca >= thr
    Mf = presence.astype(np.float64)
    diversity = presence.sum(axis=1)
    ubiquity = presence.sum(axis=0)
    r_ok = diversity > 0
    p_ok = ubiquity > 0
    if (r_act & ~r_ok).any():
        notes.append("regions_without_presence")
    if (p_act & ~p_ok).any():
        notes.append("products_without_presence")
    n_r, n_p = int(r_ok.sum()), int(p_ok.sum())
    if n_r < MIN_REGIONS:
        notes.append("few_regions")
    if n_p < MIN_PRODUCTS:
        notes.append("few_products")

    # --- proximity and density -----------------------------------------------
    co = Mf.T @ Mf  # co-occurrence, diagonal = ubiquity
    kmax = np.maximum(ubiquity[:, None], ubiquity[None, :]).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi_full = np.where(kmax > 0, co / np.where(kmax > 0, kmax, 1.0), 0.0)  # diag 1 where k_p>0
    # Diagonal: 0 as in Stata (default) or ``self_proximity`` where k_p > 0.
    np.fill_diagonal(phi_full, np.where(ubiquity > 0, self_proximity, 0.0))
    phi_rowsum = phi_full.sum(axis=1)
    safe_rowsum = np.where(phi_rowsum > 0, phi_rowsum, 1.0)
    density = (Mf @ phi_full) / safe_rowsum[None, :]  # φ symmetric: Σ_p' M_cp' φ_p'p
    density[:, phi_rowsum <= 0] = 0.0
    proximity = phi_full

    # --- ECI / PCI -------------------------------------------------------------
    eci = np.zeros(R)
    pci = np.zeros(P)
    coi = np.zeros(R)
    cog = np.zeros((R, P))
    eigenvalues = np.zeros(0)
    if n_r >= 2 and n_p >= 2:
        Mv = Mf[np.ix_(r_ok, p_ok)]
        kc_d = diversity[r_ok].astype(np.float64)
        kp_u = ubiquity[p_ok].astype(np.float64)
        kp_v, eigenvalues = _second_eigvector(Mv, kc_d, kp_u)
        # λ1 = 1 always; λ2 ≈ λ1 (disconnected product space) or λ2 ≈ λ3
        # makes the eigenvector arbitrary within a subspace, and λ2 ≈ 0
        # leaves nothing but rounding noise in it.
        gaps = -np.diff(eigenvalues)
        if (gaps.size and (gaps[:2] < _EIG_TOL).any()) or eigenvalues[1] < _EIG_TOL:
            notes.append("degenerate_eigengap")
        kc_v = (Mv @ kp_v) / kc_d
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.corrcoef(kc_v, kc_d)[0, 1] if np.ptp(kc_d) > 0 and np.ptp(kc_v) > 0 else np.nan
        if not np.isfinite(c) or c == 0:
            notes.append("sign_ambiguous")
        elif c < 0:
            kc_v, kp_v = -kc_v, -kp_v
        # Row-level mean and SD (ddof=1) over the long table: each valid
        # region counts once per active product, as in Stata.
        n_rows = n_r * int(p_act.sum())
        mean_kc = kc_v.mean()
        sd_kc = np.sqrt(((kc_v - mean_kc) ** 2).sum() * (n_rows / n_r) / (n_rows - 1)) if n_rows > 1 else 0.0
        kp_all = np.zeros(P)
        kp_all[p_ok] = kp_v
        # COI raw and COG raw use the same φ and kp (unstandardised).
        notM = 1.0 - Mf
        coi_raw = (density * notM) @ kp_all
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(phi_rowsum > 0, kp_all / safe_rowsum, 0.0)
        cog_raw = notM * (notM @ (phi_full * w[:, None]))
        if sd_kc > 0 and np.isfinite(sd_kc):
            eci[r_ok] = (kc_v - mean_kc) / sd_kc
            pci[p_ok] = (kp_v - mean_kc) / sd_kc
            cog = cog_raw / sd_kc
            cr = coi_raw[r_ok]
            mean_coi = cr.mean()
            sd_coi = np.sqrt(((cr - mean_coi) ** 2).sum() * (n_rows / n_r) / (n_rows - 1))
            if sd_coi > 0 and np.isfinite(sd_coi):
                coi[r_ok] = (cr - mean_coi) / sd_coi
            else:
                notes.append("zero_sd")
        else:
            notes.append("zero_sd")
    else:
        notes.append("eci_undefined")

    # --- guards -----------------------------------------------------------------
    if (density < -_CLIP_TOL).any() or (density > 1 + _CLIP_TOL).any():
        notes.append("density_clipped")
    density = np.clip(density, 0.0, 1.0)
    arrays = {"rca": rca, "proximity": proximity, "density": density, "eci": eci, "pci": pci, "coi": coi, "cog": cog}
    for arr in arrays.values():
        bad = ~np.isfinite(arr)
        if bad.any():
            arr[bad] = 0.0
            if "nan_replaced" not in notes:
                notes.append("nan_replaced")

    too_small = bool(
        {"empty", "few_regions", "few_products", "degenerate_eigengap", "eci_undefined", "zero_sd"} & set(notes)
    )
    return ComplexityResult(
        rca=rca,
        presence=presence,
        diversity=diversity.astype(np.int64),
        ubiquity=ubiquity.astype(np.int64),
        proximity=proximity,
        density=density,
        eci=eci,
        pci=pci,
        coi=coi,
        cog=cog,
        region_valid=r_ok,
        product_valid=p_ok,
        eigenvalues=np.asarray(eigenvalues, dtype=np.float64),
        too_small=too_small,
        notes=tuple(notes),
        rca_threshold=thr,
        self_proximity=self_proximity,
        region_labels=rl,
        product_labels=pl,
    )


def complexity_long(
    rows: Iterable[Mapping[Any, Any] | Sequence[Any]],
    region_key: Any,
    product_key: Any,
    value_key: Any,
    rca_threshold: float = 1.0,
) -> ComplexityResult:
    """:func:`complexity` on long-format records, with labelled axes.

    Parameters
    ----------
    rows : iterable of mappings or sequences
        One record per (region, product) value.  Keys are looked up with
        ``row[key]``, so dicts take names and tuples take indices.
        Absent pairs count as 0; repeated pairs are summed (note
        ``"duplicate_pairs_summed"``); ``None`` or empty values count as 0.
    region_key, product_key, value_key : hashable or int
        Where to find the region label, product label and value.
    rca_threshold : float, default 1.0
        Passed to :func:`complexity`.

    Returns
    -------
    ComplexityResult
        With ``region_labels`` and ``product_labels`` set to the sorted
        distinct labels; matrix ``[i, j]`` is region ``region_labels[i]``
        and product ``product_labels[j]``.

    Examples
    --------
    >>> rows = [("a", "x", 3), ("a", "y", 1), ("b", "y", 2)]
    >>> r = complexity_long(rows, 0, 1, 2)
    >>> r.region_labels.tolist(), r.product_labels.tolist()
    (['a', 'b'], ['x', 'y'])
    """
    regions: list[Any] = []
    products: list[Any] = []
    values: list[float] = []
    for row in rows:
        v = row[value_key]
        regions.append(row[region_key])
        products.append(row[product_key])
        values.append(0.0 if v is None or v == "" else float(v))
    if not values:
        raise ValueError("complexity_long needs at least one row")
    r_lab, r_idx = np.unique(np.asarray(regions), return_inverse=True)
    p_lab, p_idx = np.unique(np.asarray(products), return_inverse=True)
    vals = np.asarray(values, dtype=np.float64)
    X = np.zeros((r_lab.size, p_lab.size))
    np.add.at(X, (r_idx, p_idx), vals)
    dup = np.unique(r_idx * p_lab.size + p_idx).size < vals.size
    res = complexity(X, rca_threshold, region_labels=r_lab, product_labels=p_lab)
    if dup:
        object.__setattr__(res, "notes", res.notes + ("duplicate_pairs_summed",))
    return res


def density_for(result: ComplexityResult, region: Hashable) -> dict[Any, float]:
    """Density of every product for one region.

    Parameters
    ----------
    result : ComplexityResult
    region : hashable
        A region label when ``result.region_labels`` is set, otherwise the
        integer row index.

    Returns
    -------
    dict
        ``{product_label: density}`` (keys are column indices when the
        result has no product labels).  Values are Python floats in ``[0, 1]``.

    Raises
    ------
    KeyError
        If the region is unknown.
    """
    if result.region_labels is not None:
        hits = [k for k, lab in enumerate(result.region_labels.tolist()) if lab == region]
        if len(hits) != 1:
            raise KeyError(region)
        i = hits[0]
    else:
        if isinstance(region, bool) or not isinstance(region, (int, np.integer)):
            raise KeyError(region)
        i = int(region)
        if not 0 <= i < result.rca.shape[0]:
            raise KeyError(region)
    keys = result.product_labels.tolist() if result.product_labels is not None else list(range(result.rca.shape[1]))
    return dict(zip(keys, result.density[i].tolist(), strict=True))
