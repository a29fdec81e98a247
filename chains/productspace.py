"""The world product space seen from the province: proximity, density and Iran's RCA.

The tables come from ``data/productspace/`` (built by
``data/productspace/build.py`` from the world export table and the HS → SITC
rev. 2 concordance; see its README). This module only holds them and turns
them into per-product vectors for :mod:`chains.gaps`; it reads no files.

* ``sitc_of`` maps a province product code (HS, 4 or 6 digits) to one SITC
  rev. 2 four-digit product of the world table.
* ``proximity`` holds the Atlas proximity ``φ_ss'`` between SITC products
  (symmetric; pairs in either order; the diagonal is not used).
* ``rca`` holds Iran's revealed comparative advantage per SITC product.
* ``proximity_sum`` holds ``Σ_{s'} φ_ss'`` over all world products (the
  density denominator); without it the sum over the mapped products is used.

Density of the province around product ``p`` (mapped to SITC ``s``) is the
Atlas density::

    density_p = Σ_{s' ≠ s} M_s' · φ_ss' / Σ_{s' ≠ s} φ_ss'

where the denominator runs over every world product and ``M_s' = 1`` when the
province makes (output > 0) any product mapped to ``s'`` (products it does
not track count as not made). Products with no SITC mapping (services, codes
outside the concordance) get NaN, i.e. "no world evidence".
:meth:`ProductSpace.density_score` turns density into its percentile among
the province's mapped products (0 the least surrounded, 1 the most), which
is what relatedness uses: raw densities of one region differ little.

>>> space = ProductSpace({"a": "1", "b": "2", "c": "3"},
...                      {("1", "2"): 0.6, ("1", "3"): 0.2, ("2", "3"): 0.4}, {"1": 3.0})
>>> d = space.density(["a", "b", "c"], [False, True, False])
>>> [round(x, 3) for x in d.tolist()]
[0.75, 0.0, 0.667]
>>> space.rca_score(["a", "b"]).tolist()
[0.75, 0.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["ProductSpace"]


@dataclass(frozen=True, eq=False)
class ProductSpace:
    """Proximity among SITC products, the HS → SITC map and Iran's RCA."""

    sitc_of: Mapping[str, str]
    proximity: Mapping[tuple[str, str], float]
    rca: Mapping[str, float] = field(default_factory=dict)
    source: str = ""
    proximity_sum: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        labels = sorted(set(self.sitc_of.values()) | {s for pair in self.proximity for s in pair})
        index = {s: k for k, s in enumerate(labels)}
        phi = np.zeros((len(labels), len(labels)))
        if self.proximity:
            rows = np.fromiter((index[a] for a, _ in self.proximity), dtype=np.int64)
            cols = np.fromiter((index[b] for _, b in self.proximity), dtype=np.int64)
            vals = np.clip(np.fromiter((float(v) for v in self.proximity.values()), dtype=float), 0.0, 1.0)
            phi[rows, cols] = vals
            phi[cols, rows] = vals
        np.fill_diagonal(phi, 0.0)
        world = np.fromiter((float(self.proximity_sum.get(s, np.nan)) for s in labels), dtype=float,
                            count=len(labels))
        object.__setattr__(self, "_world_sum", world)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_phi", phi)

    def positions(self, codes: Sequence[str]) -> np.ndarray:
        """The SITC row of each code (−1 when the code has no mapping)."""
        index, sitc_of = self._index, self.sitc_of  # type: ignore[attr-defined]
        return np.fromiter((index.get(sitc_of.get(c, ""), -1) for c in codes), dtype=np.int64, count=len(codes))

    def density(self, codes: Sequence[str], made: Sequence[bool] | np.ndarray,
                positions: np.ndarray | None = None) -> np.ndarray:
        """Density of the province's made products around each code (NaN where unmapped)."""
        pos = self.positions(codes) if positions is None else positions
        mapped = pos >= 0
        phi: np.ndarray = self._phi  # type: ignore[attr-defined]
        tracked = np.zeros(phi.shape[0])
        present = np.zeros(phi.shape[0])
        tracked[pos[mapped]] = 1.0
        present[pos[mapped & np.asarray(made, dtype=bool)]] = 1.0
        num = phi @ present
        world: np.ndarray = self._world_sum  # type: ignore[attr-defined]
        den = np.where(np.isnan(world), phi @ tracked, world)
        per_sitc = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
        out = np.full(len(pos), np.nan)
        out[mapped] = per_sitc[pos[mapped]]
        return out

    def density_score(self, codes: Sequence[str], made: Sequence[bool] | np.ndarray) -> np.ndarray:
        """Percentile of each code's density among the mapped codes (ties share their mean rank; NaN unmapped)."""
        d = self.density(codes, made)
        out = np.full(len(d), np.nan)
        known = ~np.isnan(d)
        k = int(known.sum())
        if k == 1:
            out[known] = 1.0
        elif k > 1:
            vals = d[known]
            order = np.argsort(vals, kind="stable")
            ranks = np.empty(k)
            ranks[order] = np.arange(k, dtype=float)
            # mean rank of ties
            uniq, inv = np.unique(vals, return_inverse=True)
            sums = np.bincount(inv, weights=ranks)
            counts = np.bincount(inv)
            out[known] = (sums / counts)[inv] / (k - 1)
        return out

    def rca_score(self, codes: Sequence[str]) -> np.ndarray:
        """``RCA / (1 + RCA)`` of Iran in each code's SITC product (0.5 at RCA = 1; NaN where unmapped)."""
        values = []
        for c in codes:
            s = self.sitc_of.get(c)
            if s is None:
                values.append(np.nan)
            else:
                r = max(0.0, float(self.rca.get(s, 0.0)))
                values.append(r / (1.0 + r))
        return np.asarray(values, dtype=float)
