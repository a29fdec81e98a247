"""What happens to the province if local capacity for one product grows.

The model (input–output, Leontief style, in physical units)
-----------------------------------------------------------
Let ``p`` gain ``added_capacity`` units a year, all of it produced
(``x = added_capacity``).

1. **Import substitution.** Local output first replaces what the province
   brings in: ``substituted = min(x, inflow_p)`` -- never more than the
   inflow. Its value is ``substituted × price_p`` rials.
2. **Supplying local users.** The rest, ``e = x − substituted``, goes to the
   direct customers ``u`` of ``p`` that are *short*: their local use
   (final demand + intermediate use) exceeds their output. Each can take
   ``a_pu × room_u`` units of ``p``, where ``room_u = min(shortage_u,
   capacity_u − output_u)`` -- it can only make more where it has idle
   capacity. ``e`` is shared in proportion to what they can take, capped
   at it; customer ``u`` then makes ``Δ_u = share_u / a_pu`` more units,
   which relieves its shortage by that much (``downstream_relieved``).
   Anything left leaves the province (``outflow_added``).
3. **Upstream requirements.** The extra output ``y`` (``x`` of ``p`` and
   ``Δ_u`` of the customers) needs inputs. With *regional purchase
   coefficients* ``ρ_s = output_s / (output_s + inflow_s)`` (the share of
   ``s`` bought locally), local suppliers must make
   ``Δx = (I − diag(ρ) A)⁻¹ y`` in total, where ``A[s, u]`` is the input
   coefficient. ``ρ_p`` is set to 0 because the customers' extra need for
   ``p`` is already served from ``x``. The system is solved with
   :func:`scipy.sparse.linalg.spsolve` restricted to the products upstream
   of ``y`` (everything else is unaffected), so one run touches only the
   chain neighbourhood. The imported part of every input,
   ``(1 − ρ_s)·(A Δx)_s``, is ``inflow_added``. Upstream suppliers are not
   capacity-limited in this linear model, so induced output is an upper
   bound.
4. **Value added kept.** ``Σ_s Δx_s × max(0, price_s − Σ_k a_ks·price_k)``
   -- each unit's price less the cost of its inputs, over every product
   whose local output changes.

>>> from chains.records import Product, Link
>>> from chains.graph import build_graph
>>> G = build_graph(
...     [Product("ore", "سنگ", "ore", "m", "raw", unit_price_rials=10, output=100, capacity=100),
...      Product("wire", "سیم", "wire", "m", "intermediate", unit_price_rials=50, inflow=30),
...      Product("cable", "کابل", "cable", "m", "final", unit_price_rials=200,
...              output=10, capacity=40, demand=25)],
...     [Link("ore", "wire", 2.0), Link("wire", "cable", 1.0)])
>>> sim = simulate(G, "wire", 40)
>>> sim.inflow_substituted, sim.inflow_substituted_rials
(30.0, 1500)
>>> sim.downstream_relieved
(('cable', 10.0),)
>>> sim.total_output_change
{'cable': 10.0, 'ore': 80.0, 'wire': 40.0}
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import MatrixRankWarning, spsolve

from chains.graph import ChainArrays, graph_arrays
from chains.settings import DEFAULT_SETTINGS, GapSettings

__all__ = ["Simulation", "simulate", "upstream_closure"]

_EPS = 1e-9


@dataclass(frozen=True)
class Simulation:
    """The effect of ``added_capacity`` more units of ``product`` a year (see the module docstring).

    ``downstream_relieved`` lists ``(code, quantity)`` of customers whose
    shortage shrinks, by code; ``total_output_change``, ``inflow_added`` map
    product codes to quantities (only non-zero entries, sorted by code).
    """

    product: str
    added_capacity: float
    inflow_substituted: float
    inflow_substituted_rials: int
    value_added_kept_rials: int
    downstream_relieved: tuple[tuple[str, float], ...]
    outflow_added: float
    total_output_change: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    inflow_added: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "product": self.product,
            "added_capacity": self.added_capacity,
            "inflow_substituted": {"quantity": self.inflow_substituted, "rials": self.inflow_substituted_rials},
            "value_added_kept_rials": self.value_added_kept_rials,
            "downstream_relieved": [list(pair) for pair in self.downstream_relieved],
            "outflow_added": self.outflow_added,
            "total_output_change": dict(self.total_output_change),
            "inflow_added": dict(self.inflow_added),
        }


def upstream_closure(a: ChainArrays, seeds: np.ndarray) -> np.ndarray:
    """Indices of ``seeds`` and every product upstream of them, sorted.

    One vectorised breadth-first sweep per level over the transposed
    coefficient matrix.
    """
    AT = a.AT
    seen = np.zeros(len(a.codes), dtype=bool)
    frontier = np.unique(seeds)
    seen[frontier] = True
    while frontier.size:
        nxt = AT[frontier].indices
        nxt = np.unique(nxt[~seen[nxt]])
        seen[nxt] = True
        frontier = nxt
    return np.flatnonzero(seen)


def simulate(
    G: nx.DiGraph, code: str, added_capacity: float, settings: GapSettings = DEFAULT_SETTINGS
) -> Simulation:
    """Simulate adding ``added_capacity`` units a year of local capacity for ``code``.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`chains.graph.build_graph`.
    code : str
        The product whose capacity grows.
    added_capacity : float
        Extra units a year (finite, ≥ 0); the model assumes it is all used.
    settings : GapSettings
        Accepted for symmetry with :func:`chains.gaps.find_gaps`; the model
        itself has no tunable thresholds.

    Raises
    ------
    networkx.NodeNotFound
        When ``code`` is not in the graph.
    ValueError
        For a negative or non-finite capacity, or coefficients whose cycles
        need more than one unit of a product to make one (no solution).
    """
    a = graph_arrays(G)
    if code not in a.index:
        raise nx.NodeNotFound(f"product {code} is not in the graph")
    x = float(added_capacity)
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"added capacity must be a non-negative number, not {added_capacity!r}")
    i = a.index[code]
    A = a.A

    substituted = min(x, float(a.inflow[i]))
    surplus = x - substituted

    # 2. Supply the short customers that have idle capacity.
    cols = A.indices[A.indptr[i]:A.indptr[i + 1]]
    coef = A.data[A.indptr[i]:A.indptr[i + 1]]
    use = a.demand[cols] + A[cols] @ a.output
    shortage = np.maximum(0.0, use - a.output[cols])
    room = np.minimum(shortage, np.maximum(0.0, a.capacity[cols] - a.output[cols]))
    can_take = coef * room
    wanted = float(can_take.sum())
    taken = can_take * min(1.0, surplus / wanted) if wanted > 0 else np.zeros_like(can_take)
    delta_customers = np.divide(taken, coef, out=np.zeros_like(taken), where=coef > 0)
    outflow_added = max(0.0, surplus - float(taken.sum()))

    # 3. Upstream requirements on the closure of the impulse.
    y = np.zeros(len(a.codes))
    y[cols] = delta_customers
    y[i] += x
    seeds = np.flatnonzero(y > 0)
    if seeds.size == 0:
        seeds = np.array([i])
    S = upstream_closure(a, seeds)
    # Suppliers before users: the system is (block) upper triangular, so the
    # natural ordering factorises without fill-in.
    S = S[np.argsort(a.topo_key[S], kind="stable")]
    total = a.output + a.inflow
    rho = np.divide(a.output, total, out=np.zeros_like(total), where=total > 0)[S]
    rho[S == i] = 0.0
    A_SS = A[S][:, S]
    M = (sp.identity(S.size, format="csr") - sp.diags_array(rho) @ A_SS).tocsc()
    with warnings.catch_warnings():
        warnings.simplefilter("error", MatrixRankWarning)
        try:
            dx_S = np.atleast_1d(spsolve(M, y[S], permc_spec="NATURAL"))
        except (MatrixRankWarning, RuntimeError) as exc:
            raise ValueError("the input coefficients have no solution (a non-productive cycle)") from exc
    if not np.isfinite(dx_S).all() or (dx_S < -_EPS * max(1.0, x)).any():
        raise ValueError("the input coefficients form a non-productive cycle; the model has no solution")
    dx_S = np.maximum(dx_S, 0.0)

    need_S = A_SS @ dx_S
    imported = (1.0 - rho) * need_S
    imported[S == i] = 0.0

    # 4. Value added kept.
    input_cost = a.AT[S] @ a.price
    va = np.maximum(0.0, a.price[S] - input_cost)
    value_added = float((dx_S * va).sum())

    codes = a.codes
    by_code = np.argsort(S)  # indices follow code order
    S_c, dx_c, imp_c = S[by_code], dx_S[by_code], imported[by_code]
    changed, leaked = dx_c > _EPS, imp_c > _EPS
    return Simulation(
        product=code,
        added_capacity=x,
        inflow_substituted=substituted,
        inflow_substituted_rials=int(round(substituted * float(a.price[i]))),
        value_added_kept_rials=int(round(value_added)),
        downstream_relieved=tuple(
            (codes[u], float(d))
            for u, d in sorted(zip(cols.tolist(), delta_customers.tolist(), strict=True))
            if d > _EPS
        ),
        outflow_added=outflow_added,
        total_output_change={codes[s]: d for s, d in zip(S_c[changed].tolist(), dx_c[changed].tolist(), strict=True)},
        inflow_added={codes[s]: q for s, q in zip(S_c[leaked].tolist(), imp_c[leaked].tolist(), strict=True)},
    )
