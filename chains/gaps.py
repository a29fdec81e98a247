"""Gap detection and scoring over the whole value-chain graph.

A *gap* is something the graph shows missing or weak at one product. All
arithmetic is vectorised over the :class:`~chains.graph.ChainArrays` view of
the graph (vectors in product-code order, sparse coefficient matrix ``A``
with ``A[s, u]`` = units of supplier ``s`` per unit of user ``u``); Python
only loops over the gaps found, to write their reasons.

Quantities (per product ``p``)
------------------------------
* intermediate use ``iu = A @ output`` (what local users consume),
  local use ``use = demand + iu``;
* local share of supply ``output / (output + inflow)``.

The five kinds
--------------
``missing_supplier``
    Local users need ``p`` (``iu > 0``) and the inflow from outside is at
    least ``missing_supplier_inflow_share`` of its local use.
    Size = inflow × price.
``shortfall``
    Local use exceeds local capacity (by more than ``shortfall_min_share``
    of the use). Size = (use − capacity) × price.
``unprocessed_outflow``
    A raw or intermediate product leaves the province (outflow > 0) while
    its customers are mostly not made locally: the customers' local share,
    ``Σ_u a_pu·output_u / Σ_u a_pu·(output_u + inflow_u)``, is below
    ``unprocessed_customer_local_share``. Size = outflow × uplift, where the
    uplift is the value a unit of ``p`` becomes once processed in the
    province, less its own price:
    ``uplift = Σ_u price_u·m_u / Σ_u a_pu·m_u − price_p`` (floored at 0),
    with ``m_u = output_u + inflow_u`` -- the mean customer price per unit of
    ``p``, weighted by how much of ``p`` each customer's market absorbs
    (plain mean of ``price_u / a_pu`` when every ``m_u`` is 0). It counts the
    customer's whole price, so it is an upper bound of the value added kept.
``idle_capacity``
    ``capacity > 0`` and ``output / capacity < idle_utilisation``.
    Size = (capacity − output) × price.
``infrastructure``
    Output reported lost to water, power or gas cuts (the ``obstacles``
    argument). Size = lost output × price.

Scores (each in [0, 1])
-----------------------
* relatedness = share of the product's graph neighbours (suppliers and
  customers, each counted once) with local output > 0 (0 without
  neighbours); with an external ``density`` value ``d`` for the product,
  ``(1 − density_blend)·relatedness + density_blend·clip(d, 0, 1)``;
* reliability = 1 − min(1, lost output / output) (0 when output is lost
  but nothing is made; 1 with no losses);
* **viability** = weighted mean of relatedness and reliability;
* size score = log1p(size) / log1p(largest size among all gaps found);
* downstream dependence = value of local output of the product's direct
  customers (``Σ_u output_u·price_u``) as a share of all local output
  value, divided by the largest such share (so the most depended-upon
  product scores 1); the raw share is in ``details``;
* jobs score = log1p(jobs of the product and its direct customers) /
  log1p(largest such figure);
* **attractiveness** = weighted mean of size, dependence and jobs scores;
* **strategic** = the highest priority among the product's chains (given
  as a mapping chain slug → priority, clipped to [0, 1]; chains missing
  from it, or a product in no chain, get ``default_chain_priority``);
* **priority** = weighted mean of viability, attractiveness and strategic.

Weights and thresholds come from :class:`chains.settings.GapSettings`.
Gaps are ordered by priority (highest first), then size (largest first),
then kind, then product code, so the same data always gives the same list.

Example
-------
>>> from chains.records import Product, Link
>>> from chains.graph import build_graph
>>> G = build_graph(
...     [Product("7408", "سیم مسی", "copper wire", "metals", "intermediate",
...              unit_price_rials=1_000, inflow=65, output=35, capacity=40),
...      Product("8544", "کابل", "insulated cable", "electrical", "final",
...              unit_price_rials=3_000, output=100, capacity=120, demand=100)],
...     [Link("7408", "8544", 1.0)])
>>> gap = find_gaps(G, kinds=["missing_supplier"])[0]
>>> gap.size_rials
65000
>>> gap.reason_en
"65% of the copper wire used by the province's makers of insulated cable comes from outside the province"
>>> gap.reason_fa
'۶۵٪ سیم مسی مورد نیاز تولیدکنندگان کابل در استان از خارج استان تأمین می\u200cشود'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
import numpy as np

from chains.graph import ChainArrays, gc_paused, graph_arrays
from chains.records import STAGES
from chains.settings import DEFAULT_SETTINGS, GapSettings

__all__ = [
    "KINDS",
    "OBSTACLE_KINDS",
    "Gap",
    "GapInputs",
    "find_gaps",
    "gap_inputs",
    "fa_digits",
    "format_number",
]

#: The gap kinds, in the order the app lists them.
KINDS = ("missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity", "infrastructure")
#: Infrastructure obstacles that count towards the ``infrastructure`` kind.
OBSTACLE_KINDS = ("water", "power", "gas")

_KIND_RANK = {kind: rank for rank, kind in enumerate(sorted(KINDS))}
_RAW = STAGES.index("raw")
_INTERMEDIATE = STAGES.index("intermediate")
_OBSTACLE_FA = {"water": "آب", "power": "برق", "gas": "گاز"}
_UNITS_FA = {
    "tonne": "تن", "ton": "تن", "t": "تن", "kg": "کیلوگرم", "g": "گرم",
    "litre": "لیتر", "liter": "لیتر", "l": "لیتر", "m3": "مترمکعب", "m2": "مترمربع",
    "m": "متر", "km": "کیلومتر", "unit": "عدد", "piece": "عدد", "pcs": "عدد", "number": "عدد",
    "pair": "جفت", "head": "رأس", "set": "دستگاه", "kwh": "کیلووات‌ساعت", "mwh": "مگاوات‌ساعت",
    "carat": "قیراط",
}
_UNITS_EN_PLURAL = {"tonne": "tonnes", "ton": "tons", "litre": "litres", "liter": "liters",
                    "unit": "units", "piece": "pieces", "pair": "pairs", "head": "head",
                    "set": "sets", "carat": "carats"}
_FA_TRANS = str.maketrans("0123456789,.%", "۰۱۲۳۴۵۶۷۸۹٬٫٪")
_FA_DIGITS_ONLY = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ZWNJ = "\u200c"


# --------------------------------------------------------------------------- text helpers


def fa_digits(text: object) -> str:
    """Persian digits, thousands separator (٬), decimal separator (٫) and percent sign (٪).

    >>> fa_digits("65% of 1,234.5")
    '۶۵٪ of ۱٬۲۳۴٫۵'
    """
    return str(text).translate(_FA_TRANS)


def format_number(x: float, lang: str = "en") -> str:
    """A quantity for a sentence: whole with separators from 100 up, else up to two decimals.

    >>> format_number(12345.6), format_number(2.50), format_number(12345.6, "fa")
    ('12,346', '2.5', '۱۲٬۳۴۶')
    """
    x = float(x)
    text = f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}".rstrip("0").rstrip(".")
    return fa_digits(text) if lang == "fa" else text


def _percent(share: float, lang: str) -> str:
    value = round(100 * share)
    if value == 0 and share > 0:
        return "کمتر از ۱٪" if lang == "fa" else "less than 1%"
    if value == 100 and share < 1:
        value = 99
    return fa_digits(f"{value}%") if lang == "fa" else f"{value}%"


def _money(rials: float, lang: str) -> str:
    for scale, fa, en in ((1e12, "هزار میلیارد ریال", "trillion rials"),
                          (1e9, "میلیارد ریال", "billion rials"),
                          (1e6, "میلیون ریال", "million rials")):
        if rials >= scale:
            number = f"{rials / scale:,.1f}".removesuffix(".0")
            return f"{fa_digits(number)} {fa}" if lang == "fa" else f"{number} {en}"
    return f"{format_number(rials, 'fa')} ریال" if lang == "fa" else f"{format_number(rials)} rials"


def _unit(unit: str, lang: str) -> str:
    key = unit.strip().lower()
    if lang == "fa":
        return _UNITS_FA.get(key, unit)
    return _UNITS_EN_PLURAL.get(key, unit)


def _lower_first(name: str) -> str:
    """'Copper wire' → 'copper wire', but 'PVC pipe' stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _join(items: list[str], lang: str, more: int = 0) -> str:
    if more:
        items = items + ([f"{fa_digits(more)} محصول دیگر"] if lang == "fa" else
                         [f"{more} other product{'s' if more > 1 else ''}"])
    if len(items) <= 1:
        return "".join(items)
    if lang == "fa":
        return "، ".join(items[:-1]) + " و " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Gap:
    """One gap at one product, with its size, scores and a reason in both languages."""

    kind: str
    product: str
    chains: tuple[str, ...]
    size_rials: int
    viability: float
    attractiveness: float
    strategic: float
    priority: float
    reason_fa: str
    reason_en: str
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def reason(self, lang: str = "fa") -> str:
        """The reason in ``lang`` (``"fa"`` or ``"en"``)."""
        return self.reason_fa if lang == "fa" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the fields, ``reason`` as ``{"fa", "en"}`` and ``details``.

        >>> Gap("shortfall", "0406", ("dairy",), 10, 0.5, 0.5, 0.5, 0.5, "…", "...").to_dict()["reason"]
        {'fa': '…', 'en': '...'}
        """
        return {
            "kind": self.kind,
            "product": self.product,
            "chains": list(self.chains),
            "size_rials": self.size_rials,
            "viability": self.viability,
            "attractiveness": self.attractiveness,
            "strategic": self.strategic,
            "priority": self.priority,
            "reason": {"fa": self.reason_fa, "en": self.reason_en},
            "details": dict(self.details),
        }


@dataclass(frozen=True, eq=False)
class GapInputs:
    """Per-product vectors that gap detection and the simulation share (code order)."""

    arrays: ChainArrays
    intermediate_use: np.ndarray
    local_use: np.ndarray
    lost: np.ndarray
    lost_by_kind: dict[int, dict[str, float]]
    relatedness: np.ndarray
    reliability: np.ndarray
    dependence_share: np.ndarray
    dependence: np.ndarray
    jobs_linked: np.ndarray
    jobs_score: np.ndarray
    n_customers: np.ndarray


def _obstacle_losses(
    obstacles: Mapping[str, Any] | None, index: Mapping[str, int], n: int
) -> tuple[np.ndarray, dict[int, dict[str, float]]]:
    lost = np.zeros(n)
    by_kind: dict[int, dict[str, float]] = {}
    for code, reports in (obstacles or {}).items():
        if code not in index:
            raise ValueError(f"obstacles name product {code!r}, which is not in the graph")
        items = reports.items() if isinstance(reports, Mapping) else reports
        kinds: dict[str, float] = {}
        for item in items:
            if isinstance(item, Mapping):
                kind, qty = item["kind"], item.get("lost_output", 0.0)
            else:
                kind, qty = item
            if kind not in OBSTACLE_KINDS:
                raise ValueError(f"obstacle kind {kind!r} is not one of {', '.join(OBSTACLE_KINDS)}")
            qty = float(qty)
            if not math.isfinite(qty) or qty < 0:
                raise ValueError(f"lost output for {code} must be a non-negative number, not {qty}")
            kinds[kind] = kinds.get(kind, 0.0) + qty
        if kinds:
            i = index[code]
            by_kind[i] = kinds
            lost[i] = sum(kinds.values())
    return lost, by_kind


def _safe_div(num: np.ndarray, den: np.ndarray, fill: float = 0.0) -> np.ndarray:
    out = np.full(np.broadcast(num, den).shape, fill, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _log_score(values: np.ndarray, top: float) -> np.ndarray:
    if top <= 0:
        return np.zeros_like(values, dtype=float)
    return np.clip(np.log1p(values) / math.log1p(top), 0.0, 1.0)


def gap_inputs(
    G: nx.DiGraph,
    settings: GapSettings = DEFAULT_SETTINGS,
    obstacles: Mapping[str, Any] | None = None,
    density: Mapping[str, float] | None = None,
) -> GapInputs:
    """Compute the per-product vectors gap detection works from.

    ``obstacles`` maps a product code to its reported infrastructure losses,
    either ``[("power", 120.0), ("water", 30.0)]``, ``{"power": 120.0}`` or a
    list of ``{"kind": ..., "lost_output": ...}`` dicts; kinds are among
    :data:`OBSTACLE_KINDS`. ``density`` maps codes to an external relatedness
    in [0, 1] (values are clipped).
    """
    a = graph_arrays(G)
    n = len(a.codes)
    A = a.A
    ones = np.ones(n)
    iu = A @ a.output
    use = a.demand + iu

    P = A.copy()
    P.data[:] = 1.0
    n_customers = P @ ones
    B = (P + P.T).tocsr()
    B.data[:] = 1.0
    n_neigh = B @ ones
    made = (a.output > 0).astype(float)
    relatedness = _safe_div(B @ made, n_neigh)
    if density:
        beta = settings.density_blend
        idx = np.fromiter((a.index[c] for c in density if c in a.index), dtype=np.int64)
        vals = np.fromiter((float(v) for c, v in density.items() if c in a.index), dtype=float)
        vals = np.clip(np.nan_to_num(vals, nan=0.0), 0.0, 1.0)
        relatedness[idx] = (1 - beta) * relatedness[idx] + beta * vals

    lost, by_kind = _obstacle_losses(obstacles, a.index, n)
    reliability = np.where(lost > 0, 1.0 - np.minimum(1.0, _safe_div(lost, a.output, fill=np.inf)), 1.0)

    value = a.output * a.price
    total_value = float(value.sum())
    dep_share = np.clip(_safe_div(P @ value, np.full(n, total_value)), 0.0, 1.0)
    top_dep = float(dep_share.max()) if n else 0.0
    dependence = dep_share / top_dep if top_dep > 0 else np.zeros(n)

    jobs_linked = a.jobs + P @ a.jobs
    jobs_score = _log_score(jobs_linked, float(jobs_linked.max()) if n else 0.0)
    return GapInputs(
        arrays=a,
        intermediate_use=iu,
        local_use=use,
        lost=lost,
        lost_by_kind=by_kind,
        relatedness=np.clip(relatedness, 0.0, 1.0),
        reliability=np.clip(reliability, 0.0, 1.0),
        dependence_share=dep_share,
        dependence=np.clip(dependence, 0.0, 1.0),
        jobs_linked=jobs_linked,
        jobs_score=jobs_score,
        n_customers=n_customers,
    )


def _weighted(pairs: Iterable[tuple[float, np.ndarray]]) -> np.ndarray:
    pairs = list(pairs)
    total = sum(w for w, _ in pairs)
    return np.clip(sum(w * v for w, v in pairs) / total, 0.0, 1.0)


def _candidates(
    gi: GapInputs, s: GapSettings, kinds: set[str]
) -> tuple[list[tuple[str, np.ndarray, np.ndarray]], dict[str, np.ndarray]]:
    """(kind, product indices, sizes in rials) for every kind asked for, and the
    full-length vectors the reasons quote (inflow share, customers' local
    share, uplift)."""
    a = gi.arrays
    A = a.A
    n = len(a.codes)
    found: list[tuple[str, np.ndarray, np.ndarray]] = []
    extra: dict[str, np.ndarray] = {}
    if "missing_supplier" in kinds:
        share = _safe_div(a.inflow, gi.local_use)
        mask = (gi.intermediate_use > 0) & (a.inflow > 0) & (share >= s.missing_supplier_inflow_share)
        idx = np.flatnonzero(mask)
        found.append(("missing_supplier", idx, a.inflow[idx] * a.price[idx]))
        extra["inflow_share"] = np.minimum(share, 1.0)
    if "shortfall" in kinds:
        excess = gi.local_use - a.capacity
        tol = 1e-9 * np.maximum(1.0, gi.local_use)
        mask = (excess > tol) & (excess > s.shortfall_min_share * gi.local_use)
        idx = np.flatnonzero(mask)
        found.append(("shortfall", idx, excess[idx] * a.price[idx]))
    if "unprocessed_outflow" in kinds:
        m = a.output + a.inflow
        cust_local = _safe_div(gi.intermediate_use, A @ m)
        stage_ok = (a.stage == _RAW) | (a.stage == _INTERMEDIATE)
        mask = stage_ok & (a.outflow > 0) & (gi.n_customers > 0) & (cust_local < s.unprocessed_customer_local_share)
        idx = np.flatnonzero(mask)
        uplift = np.zeros(n)
        uplift[idx] = _uplift(a, idx)
        found.append(("unprocessed_outflow", idx, a.outflow[idx] * uplift[idx]))
        extra["customer_local_share"] = cust_local
        extra["uplift"] = uplift
    if "idle_capacity" in kinds:
        util = _safe_div(a.output, a.capacity, fill=1.0)
        mask = (a.capacity > 0) & (util < s.idle_utilisation)
        idx = np.flatnonzero(mask)
        found.append(("idle_capacity", idx, np.maximum(0.0, a.capacity[idx] - a.output[idx]) * a.price[idx]))
    if "infrastructure" in kinds:
        idx = np.flatnonzero(gi.lost > 0)
        found.append(("infrastructure", idx, gi.lost[idx] * a.price[idx]))
    return found, extra


def _uplift(a: ChainArrays, idx: np.ndarray) -> np.ndarray:
    """Value-added uplift per unit of each product in ``idx`` (see the module docstring)."""
    if idx.size == 0:
        return np.zeros(0)
    A = a.A[idx]
    m = a.output + a.inflow
    P = A.copy()
    P.data[:] = 1.0
    num = P @ (a.price * m)
    den = A @ m
    inv = A.copy()
    inv.data = 1.0 / inv.data
    fallback = _safe_div(inv @ a.price, P @ np.ones(A.shape[1]))
    per_unit = np.where(den > 0, _safe_div(num, den), fallback)
    return np.maximum(0.0, per_unit - a.price[idx])


def find_gaps(
    G: nx.DiGraph,
    settings: GapSettings = DEFAULT_SETTINGS,
    obstacles: Mapping[str, Any] | None = None,
    density: Mapping[str, float] | None = None,
    chain_priority: Mapping[str, float] | None = None,
    kinds: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[Gap]:
    """Find, size, score and explain every gap in ``G``.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`chains.graph.build_graph`.
    settings : GapSettings
        Thresholds and weights.
    obstacles : mapping, optional
        Product code → reported infrastructure losses (see :func:`gap_inputs`).
    density : mapping, optional
        Product code → external relatedness (density) in [0, 1].
    chain_priority : mapping, optional
        Chain slug → strategic priority in [0, 1].
    kinds : iterable of str, optional
        Only these kinds (default: all of :data:`KINDS`).
    limit : int, optional
        Return only the first ``limit`` gaps of the ordering; scores are the
        same as without a limit (sizes are normalised over all gaps).

    Returns
    -------
    list of Gap
        Ordered by priority, size (both descending), kind, product code.
    """
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown gap kinds: {', '.join(sorted(unknown))}")
    s = settings
    gi = gap_inputs(G, s, obstacles, density)
    a = gi.arrays
    found, extra = _candidates(gi, s, wanted)
    if not found:
        return []
    kind_of = np.concatenate([np.full(len(idx), _KIND_RANK[k]) for k, idx, _ in found])
    prod = np.concatenate([idx for _, idx, _ in found]).astype(np.int64)
    size = np.concatenate([np.nan_to_num(sz, nan=0.0, posinf=0.0) for _, _, sz in found])
    size = np.maximum(0.0, np.round(size))
    if prod.size == 0:
        return []

    viability = _weighted([(s.viability_relatedness_weight, gi.relatedness[prod]),
                           (s.viability_reliability_weight, gi.reliability[prod])])
    size_score = _log_score(size, float(size.max()))
    attractiveness = _weighted([(s.attractiveness_size_weight, size_score),
                                (s.attractiveness_dependence_weight, gi.dependence[prod]),
                                (s.attractiveness_jobs_weight, gi.jobs_score[prod])])
    strategic = _strategic(a, prod, chain_priority or {}, s.default_chain_priority)
    priority = _weighted([(s.priority_viability_weight, viability),
                          (s.priority_attractiveness_weight, attractiveness),
                          (s.priority_strategic_weight, strategic)])
    # Round scores so that float noise cannot reorder ties between runs.
    priority = np.round(priority, 12)
    order = np.lexsort((prod, kind_of, -size, -priority))
    if limit is not None:
        order = order[: max(0, limit)]

    with gc_paused():
        return _materialise(gi, extra, s, order, prod, kind_of, size, viability, attractiveness,
                            strategic, priority)


def _materialise(
    gi: GapInputs,
    extra: dict[str, np.ndarray],
    s: GapSettings,
    order: np.ndarray,
    prod: np.ndarray,
    kind_of: np.ndarray,
    size: np.ndarray,
    viability: np.ndarray,
    attractiveness: np.ndarray,
    strategic: np.ndarray,
    priority: np.ndarray,
) -> list[Gap]:
    """Gap records with their reasons, in ``order`` (vectors are indexed by candidate)."""
    a = gi.arrays
    kinds_sorted = sorted(KINDS)
    writer = _ReasonWriter(gi, s, extra)
    # Plain Python lists: indexing NumPy scalars one by one is slower.
    prod_l, kind_l = prod[order].tolist(), kind_of[order].tolist()
    size_l = [int(x) for x in size[order].tolist()]
    viab_l, attr_l = viability[order].tolist(), attractiveness[order].tolist()
    strat_l, prio_l = strategic[order].tolist(), priority[order].tolist()
    related, reliable = gi.relatedness.tolist(), gi.reliability.tolist()
    dep_share, jobs_linked = gi.dependence_share.tolist(), gi.jobs_linked.tolist()
    gaps = []
    for j, i in enumerate(prod_l):
        kind = kinds_sorted[kind_l[j]]
        fa, en, details = writer.write(kind, i)
        details["relatedness"] = related[i]
        details["reliability"] = reliable[i]
        details["downstream_dependence"] = dep_share[i]
        details["jobs_linked"] = int(jobs_linked[i])
        gaps.append(
            Gap(
                kind=kind,
                product=a.codes[i],
                chains=tuple(a.products[i].chains),
                size_rials=size_l[j],
                viability=viab_l[j],
                attractiveness=attr_l[j],
                strategic=strat_l[j],
                priority=prio_l[j],
                reason_fa=fa,
                reason_en=en,
                details=details,
            )
        )
    return gaps


def _strategic(
    a: ChainArrays, prod: np.ndarray, chain_priority: Mapping[str, float], default: float
) -> np.ndarray:
    clipped = {k: min(1.0, max(0.0, float(v))) for k, v in chain_priority.items() if not math.isnan(float(v))}
    per_product: dict[int, float] = {}
    for i in np.unique(prod).tolist():
        chains = a.products[i].chains
        per_product[i] = max((clipped.get(c, default) for c in chains), default=default)
    return np.fromiter((per_product[i] for i in prod.tolist()), dtype=float, count=prod.size)


class _Names(NamedTuple):
    """How a product is named inside a reason sentence."""

    fa: str  # Persian name, digits made Persian
    en: str  # English name, first letter lowered when it is an ordinary word
    unit_fa: str
    unit_en: str


class _ReasonWriter:
    """Writes the bilingual reason and the JSON details of one gap."""

    def __init__(self, gi: GapInputs, settings: GapSettings, extra: dict[str, np.ndarray]) -> None:
        a = gi.arrays
        self.a = a
        self.top = settings.reason_customers
        self.products = a.products
        self.m = a.output + a.inflow
        # Python lists: one gap reads a handful of figures, NumPy scalars are slow one by one.
        self.output, self.capacity = a.output.tolist(), a.capacity.tolist()
        self.inflow, self.outflow = a.inflow.tolist(), a.outflow.tolist()
        self.idle_units, self.use = a.idle_units.tolist(), gi.local_use.tolist()
        self.lost, self.lost_by_kind = gi.lost, gi.lost_by_kind
        self.extra = {k: v.tolist() for k, v in extra.items()}
        self._names: dict[int, _Names] = {}

    def name(self, i: int) -> _Names:
        names = self._names.get(i)
        if names is None:
            p = self.products[i]
            names = _Names(p.name_fa.translate(_FA_DIGITS_ONLY), _lower_first(p.name_en),
                           _unit(p.unit, "fa"), _unit(p.unit, "en"))
            self._names[i] = names
        return names

    def customers(self, i: int, weights: np.ndarray, only_positive: bool) -> tuple[list[int], int]:
        """Customers of ``i`` ranked by how much of ``i`` they take (``a_iu * weights[u]``), then code."""
        A = self.a.A
        lo, hi = A.indptr[i], A.indptr[i + 1]
        cols = A.indices[lo:hi]
        take = (A.data[lo:hi] * weights[cols]).tolist()
        ranked = sorted((-t, c) for t, c in zip(take, cols.tolist(), strict=True) if t > 0 or not only_positive)
        return [c for _, c in ranked[: self.top]], max(0, len(ranked) - self.top)

    def names(self, idx: list[int], lang: str, more: int) -> str:
        if lang == "fa":
            return _join([self.name(i).fa for i in idx], "fa", more)
        return _join([self.name(i).en for i in idx], "en", more)

    def write(self, kind: str, i: int) -> tuple[str, str, dict[str, Any]]:
        p = self.products[i]
        details: dict[str, Any] = {"name": {"fa": p.name_fa, "en": p.name_en}, "unit": p.unit}
        fa, en = getattr(self, kind)(i, self.name(i), details)
        return fa, en, details

    def missing_supplier(self, i: int, n: _Names, details: dict[str, Any]) -> tuple[str, str]:
        share = self.extra["inflow_share"][i]
        users, more = self.customers(i, self.a.output, only_positive=True)
        details.update(inflow=self.inflow[i], local_use=self.use[i], inflow_share=share,
                       users=[self.a.codes[u] for u in users])
        fa = (f"{_percent(share, 'fa')} {n.fa} مورد نیاز تولیدکنندگان "
              f"{self.names(users, 'fa', more)} در استان از خارج استان تأمین می{_ZWNJ}شود")
        en = (f"{_percent(share, 'en')} of the {n.en} used by the province's makers of "
              f"{self.names(users, 'en', more)} comes from outside the province")
        return fa, en

    def shortfall(self, i: int, n: _Names, details: dict[str, Any]) -> tuple[str, str]:
        use, cap = self.use[i], self.capacity[i]
        details.update(local_use=use, capacity=cap, shortfall=use - cap)
        use_fa, use_en = format_number(use, "fa"), format_number(use)
        if cap <= 0:
            fa = (f"استان ظرفیتی برای تولید {n.fa} ندارد، ولی سالانه "
                  f"{use_fa} {n.unit_fa} از آن مصرف می{_ZWNJ}کند")
            en = f"The province has no capacity to make {n.en}, yet it uses {use_en} {n.unit_en} a year"
        else:
            fa = (f"مصرف سالانهٔ {n.fa} در استان ({use_fa} {n.unit_fa}) از ظرفیت تولید آن "
                  f"({format_number(cap, 'fa')} {n.unit_fa}) بیشتر است و "
                  f"{format_number(use - cap, 'fa')} {n.unit_fa} کم می{_ZWNJ}آید")
            en = (f"The province uses {use_en} {n.unit_en} of {n.en} a year, "
                  f"{format_number(use - cap)} {n.unit_en} more than it can make "
                  f"({format_number(cap)} {n.unit_en})")
        return fa, en

    def unprocessed_outflow(self, i: int, n: _Names, details: dict[str, Any]) -> tuple[str, str]:
        local = self.extra["customer_local_share"][i]
        uplift = self.extra["uplift"][i]
        outflow = self.outflow[i]
        users, more = self.customers(i, self.m, only_positive=False)
        details.update(outflow=outflow, customer_local_share=local, uplift_rials_per_unit=uplift,
                       customers=[self.a.codes[u] for u in users])
        fa = (f"سالانه {format_number(outflow, 'fa')} {n.unit_fa} {n.fa} بدون فرآوری از استان خارج می{_ZWNJ}شود، "
              f"در حالی که تنها {_percent(local, 'fa')} {self.names(users, 'fa', more)} "
              f"در خود استان تولید می{_ZWNJ}شود")
        en = (f"{format_number(outflow)} {n.unit_en} of {n.en} leave the province unprocessed "
              f"every year, while only {_percent(local, 'en')} of the {self.names(users, 'en', more)} "
              f"made from it is produced locally")
        if uplift > 0:
            value = outflow * uplift
            fa += f"؛ ارزش افزودهٔ از دست رفته تا {_money(value, 'fa')} در سال است"
            en += f"; up to {_money(value, 'en')} of value added a year is lost"
        return fa, en

    def idle_capacity(self, i: int, n: _Names, details: dict[str, Any]) -> tuple[str, str]:
        cap, out = self.capacity[i], self.output[i]
        util = out / cap
        idle = int(self.idle_units[i])
        details.update(capacity=cap, output=out, utilisation=util, idle_units=idle)
        if util <= 0:
            fa = (f"از ظرفیت تولید {n.fa} در استان ({format_number(cap, 'fa')} {n.unit_fa}) "
                  f"هیچ استفاده{_ZWNJ}ای نمی{_ZWNJ}شود")
            en = f"None of the province's capacity to make {n.en} ({format_number(cap)} {n.unit_en}) is in use"
        else:
            fa = f"تنها {_percent(util, 'fa')} ظرفیت تولید {n.fa} در استان به کار گرفته می{_ZWNJ}شود"
            en = f"Only {_percent(util, 'en')} of the province's capacity to make {n.en} is in use"
        if idle > 0:
            fa += f" و {fa_digits(idle)} واحد تولیدی راکد است"
            en += f"; {idle} production unit{' stands' if idle == 1 else 's stand'} idle"
        return fa, en

    def infrastructure(self, i: int, n: _Names, details: dict[str, Any]) -> tuple[str, str]:
        kinds = self.lost_by_kind[i]
        names = [k for k in OBSTACLE_KINDS if kinds.get(k, 0) > 0]
        lost = float(self.lost[i])
        details.update(lost_output=lost, obstacles={k: float(kinds[k]) for k in names})
        fa_kinds = _join([_OBSTACLE_FA[k] for k in names], "fa")
        en_kinds = _join(names, "en")
        en_kinds = en_kinds[:1].upper() + en_kinds[1:]
        fa = (f"قطعی {fa_kinds} سالانه {format_number(lost, 'fa')} {n.unit_fa} از تولید {n.fa} "
              f"را از بین می{_ZWNJ}برد")
        en = f"{en_kinds} cuts cost {format_number(lost)} {n.unit_en} of {n.en} output a year"
        return fa, en
