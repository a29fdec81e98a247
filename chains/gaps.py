"""Gap detection and scoring over the whole value-chain graph: one gap per product.

A *gap* is what the graph shows missing or weak at one product. Each
finding is a *facet* of the product's single gap; the gap has one size in
rials that counts no rial twice. All arithmetic is vectorised over the
:class:`~chains.graph.ChainArrays` view of the graph (vectors in
product-code order, sparse coefficient matrix ``A`` with ``A[s, u]`` =
units of supplier ``s`` per unit of user ``u``); Python only loops over the
gaps found, to write their reasons.

Quantities (per product ``p``)
------------------------------
* intermediate use ``iu = A @ output`` (what local users consume),
  local use ``use = demand + iu``;
* local share of supply ``output / (output + inflow)``.

The five facets
---------------
``missing_supplier``
    Local users need ``p`` (``iu > 0``) and the inflow from outside is at
    least ``missing_supplier_inflow_share`` of its local use.
    Own size = inflow × price.
``shortfall``
    Local use exceeds local capacity (by more than ``shortfall_min_share``
    of the use). Own size = (use − capacity) × price.
``unprocessed_outflow``
    A raw or intermediate product leaves the province (outflow > 0) while
    its customers are mostly not made locally: the customers' local share,
    ``Σ_u a_pu·output_u / Σ_u a_pu·(output_u + inflow_u)``, is below
    ``unprocessed_customer_local_share``. Own size = outflow × uplift, the
    customers' value added per unit of ``p``::

        va_u   = (price_u − cost_u)⁺,  cost_u = Σ_k a_ku·price_k
        uplift = Σ_u w_u · va_u · price_p / cost_u,
        w_u    = a_pu·m_u / Σ_u' a_pu'·m_u',  m_u = output_u + inflow_u

    i.e. each customer's value added shared among its inputs by their cost
    share (``a_pu·price_p / cost_u``), per unit of ``p``, weighted by how
    much of ``p`` the customer's market absorbs (equal weights when every
    ``m_u`` is 0). The customer's price never enters, only its value added.
``idle_capacity``
    ``capacity > 0`` and ``output / capacity < idle_utilisation``.
    Own size = (capacity − output) × price.
``infrastructure``
    Output reported lost to water, power or gas cuts (the ``obstacles``
    argument, per product and county). Own size = lost output × price.

One size per product: no rial counted twice
-------------------------------------------
The four facets valued at the product's own price are slices of one
quantity, taken in the order infrastructure (restore lost output), idle
capacity (restart idle units), shortfall (new capacity beyond the idle
units), missing supplier (the rest of the inflow)::

    q_infra = lost,  q_idle = capacity − output,
    q_short = use − capacity,  q_miss = inflow      (0 where not found)
    counted_k = (q_k − max(q_j for j before k))⁺ × price

so they sum to ``max(q_infra, q_idle, q_short, q_miss) × price``: imports
that new capacity would replace, minus what restarting idle units and
restoring lost output already covers. The value added lost on unprocessed
outflow is the customers' money, not the product's, and is counted only on
the part of the processed quantity that the customer's own gap does not
already count: per customer ``u`` the outflow yields ``x_u = outflow·w_u /
a_pu`` units of ``u``; ``Q_u`` (the quantity counted at ``u``'s price, above)
is subtracted::

    counted_unprocessed = Σ_u va_u · (a_pu·price_p / cost_u) · (x_u − Q_u)⁺

A gap's ``size_rials`` is the sum of its facets' ``counted_rials``; the
province total is the sum of the gaps' sizes, each a disjoint part.

Scores (each in [0, 1])
-----------------------
* graph share = share of the product's graph neighbours (suppliers and
  customers, each counted once) with local output > 0 (0 without
  neighbours);
* density = the province's density around ``p``: from an imported region
  × product table where it has the product (it takes precedence), else
  the percentile of the world product-space density among the province's
  products (:mod:`chains.productspace`);
* RCA score = ``RCA / (1 + RCA)`` of Iran in ``p``'s SITC product;
* **relatedness** = weighted mean (``relatedness_*_weight``: 0.4, 0.4,
  0.2) of graph share, density and RCA score, over the terms known for the
  product (a service with no SITC code has the graph share only);
* reliability = 1 − min(1, lost output / output) (0 when output is lost
  but nothing is made; 1 with no losses);
* **viability** = relatedness × reliability (a product losing a third of its
  output to cuts keeps two thirds of its relatedness);
* size score = ``1 + log10(size / largest size) / size_decades`` clipped to
  [0, 1]: the largest gap scores 1 and a gap ``size_decades`` (4) orders of
  magnitude smaller scores 0, so a 0.15-trillion gap scores 0.2 against a
  247-trillion one;
* downstream dependence = value of local output of the product's direct
  customers (``Σ_u output_u·price_u``) as a share of all local output
  value, divided by the largest such share;
* jobs score = log1p(jobs of the product and its direct customers) /
  log1p(largest such figure);
* **attractiveness** = weighted mean of size, dependence and jobs scores;
* **strategic** = the highest priority among the product's chains (chains
  missing from the mapping, or a product in no chain, get
  ``default_chain_priority``);
* **priority** = weighted mean of viability, attractiveness and strategic.

Feasibility screen
------------------
With :class:`~chains.records.PlantFacts` for a product, its gap is
*national-scale* when the plant is marked national (strategic, or a
national energy or feedstock allocation), when one plant of minimum
efficient scale would make more than ``national_demand_multiple`` times
the province's use, or when it needs more than ``national_energy_gj`` of
energy a year. National-scale gaps are listed after every provincial one.

Gaps are ordered provincial first, then by priority (highest first), size
(largest first) and product code, so the same data always gives the same
list. Weights and thresholds come from :class:`chains.settings.GapSettings`.

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
>>> gap.size_rials, gap.kinds
(65000, ('missing_supplier',))
>>> gap.reason_en
"65% of the copper wire used by the province's makers of insulated cable comes from outside the province"
>>> gap.reason_fa
'۶۵٪ سیم مسی مورد نیاز تولیدکنندگان کابل در استان از خارج استان تأمین می\u200cشود'
>>> [(f.kind, f.counted_rials) for f in find_gaps(G)[0].facets]
[('shortfall', 60000), ('missing_supplier', 5000)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import scipy.sparse as sp

from chains.graph import ChainArrays, gc_paused, graph_arrays
from chains.productspace import ProductSpace
from chains.records import STAGES, PlantFacts
from chains.settings import DEFAULT_SETTINGS, GapSettings

__all__ = [
    "KINDS",
    "OBSTACLE_KINDS",
    "Facet",
    "Gap",
    "GapInputs",
    "find_gaps",
    "gap_inputs",
    "fa_digits",
    "format_number",
]

#: The facet kinds, in the order the app lists them.
KINDS = ("missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity", "infrastructure")
#: Infrastructure obstacles that count towards the ``infrastructure`` facet.
OBSTACLE_KINDS = ("water", "power", "gas")
#: The order in which facets valued at the product's own price are counted.
_LAYERS = ("infrastructure", "idle_capacity", "shortfall", "missing_supplier")

_RAW = STAGES.index("raw")
_INTERMEDIATE = STAGES.index("intermediate")
_SERVICE = STAGES.index("service")
_OBSTACLE_FA = {"water": "آب", "power": "برق", "gas": "گاز"}
_UNITS_FA = {
    "tonne": "تن", "ton": "تن", "t": "تن", "kg": "کیلوگرم", "g": "گرم",
    "litre": "لیتر", "liter": "لیتر", "l": "لیتر", "m3": "متر مکعب", "m2": "متر مربع",
    "m": "متر", "km": "کیلومتر", "unit": "دستگاه", "piece": "عدد", "pcs": "عدد", "number": "عدد",
    "pair": "جفت", "head": "رأس", "set": "دستگاه", "kwh": "کیلووات‌ساعت", "mwh": "مگاوات‌ساعت",
    "carat": "قیراط", "thousand_unit": "هزار عدد", "thousand_m2": "هزار متر مربع",
}
_UNITS_EN_PLURAL = {"tonne": "tonnes", "ton": "tons", "litre": "litres", "liter": "liters",
                    "unit": "units", "piece": "pieces", "pair": "pairs", "head": "head",
                    "set": "sets", "carat": "carats", "m2": "square metres", "m3": "cubic metres",
                    "thousand_unit": "thousand units", "thousand_m2": "thousand square metres",
                    "kg": "kilograms", "m": "metres"}
#: A service's "unit" is one order of the service.
_SERVICE_UNIT = ("سفارش خدمت", "service orders")
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




# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Facet:
    """One finding at a product: its kind, own size, the part of it the gap counts, and a reason."""

    kind: str
    size_rials: int
    counted_rials: int
    reason_fa: str
    reason_en: str
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def reason(self, lang: str = "fa") -> str:
        return self.reason_fa if lang == "fa" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "size_rials": self.size_rials, "counted_rials": self.counted_rials,
                "reason": {"fa": self.reason_fa, "en": self.reason_en}, "details": dict(self.details)}


@dataclass(frozen=True)
class Gap:
    """The one gap at one product: its facets, a size that counts no rial twice, scores and a reason.

    ``kind`` is the kind of the largest facet (by counted rials); ``reason_fa``
    and ``reason_en`` join the facets' reasons, largest first, and say why a
    national-scale gap is one. ``parts`` holds each score's terms and weights.
    """

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
    facets: tuple[Facet, ...] = ()
    national_scale: bool = False
    parts: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The facets' kinds, largest facet first."""
        return tuple(f.kind for f in self.facets) or (self.kind,)

    def facet(self, kind: str) -> Facet | None:
        return next((f for f in self.facets if f.kind == kind), None)

    def reason(self, lang: str = "fa") -> str:
        """The reason in ``lang`` (``"fa"`` or ``"en"``)."""
        return self.reason_fa if lang == "fa" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the fields, ``facets``, ``reason`` as ``{"fa", "en"}``, ``parts`` and ``details``.

        >>> Gap("shortfall", "0406", ("dairy",), 10, 0.5, 0.5, 0.5, 0.5, "…", "...").to_dict()["reason"]
        {'fa': '…', 'en': '...'}
        """
        return {
            "product": self.product,
            "kind": self.kind,
            "kinds": list(self.kinds),
            "chains": list(self.chains),
            "size_rials": self.size_rials,
            "national_scale": self.national_scale,
            "viability": self.viability,
            "attractiveness": self.attractiveness,
            "strategic": self.strategic,
            "priority": self.priority,
            "parts": {k: dict(v) for k, v in self.parts.items()},
            "facets": [f.to_dict() for f in self.facets],
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
    graph_share: np.ndarray | None = None
    density: np.ndarray | None = None
    rca_score: np.ndarray | None = None
    lost_by_county: dict[int, dict[str, float]] = field(default_factory=dict)


def _obstacle_losses(
    obstacles: Mapping[str, Any] | None, index: Mapping[str, int], n: int
) -> tuple[np.ndarray, dict[int, dict[str, float]], dict[int, dict[str, float]]]:
    lost = np.zeros(n)
    by_kind: dict[int, dict[str, float]] = {}
    by_county: dict[int, dict[str, float]] = {}
    for code, reports in (obstacles or {}).items():
        if code not in index:
            raise ValueError(f"obstacles name product {code!r}, which is not in the graph")
        items = reports.items() if isinstance(reports, Mapping) else reports
        kinds: dict[str, float] = {}
        counties: dict[str, float] = {}
        for item in items:
            county = ""
            if isinstance(item, Mapping):
                kind, qty, county = item["kind"], item.get("lost_output", 0.0), str(item.get("county") or "")
            else:
                kind, qty = item
            if kind not in OBSTACLE_KINDS:
                raise ValueError(f"obstacle kind {kind!r} is not one of {', '.join(OBSTACLE_KINDS)}")
            qty = float(qty)
            if not math.isfinite(qty) or qty < 0:
                raise ValueError(f"lost output for {code} must be a non-negative number, not {qty}")
            kinds[kind] = kinds.get(kind, 0.0) + qty
            if county:
                counties[county] = counties.get(county, 0.0) + qty
        if kinds:
            i = index[code]
            by_kind[i] = kinds
            by_county[i] = counties
            lost[i] = sum(kinds.values())
    return lost, by_kind, by_county


def _safe_div(num: np.ndarray, den: np.ndarray, fill: float = 0.0) -> np.ndarray:
    out = np.full(np.broadcast(num, den).shape, fill, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _log_score(values: np.ndarray, top: float) -> np.ndarray:
    if top <= 0:
        return np.zeros_like(values, dtype=float)
    return np.clip(np.log1p(values) / math.log1p(top), 0.0, 1.0)





def _nanweighted(pairs: list[tuple[float, np.ndarray]]) -> np.ndarray:
    """Weighted mean over the terms that are not NaN (0 where none is known)."""
    num = sum(w * np.nan_to_num(v, nan=0.0) for w, v in pairs)
    den = sum(w * ~np.isnan(v) for w, v in pairs)
    return np.clip(_safe_div(num, den), 0.0, 1.0)


def gap_inputs(
    G: nx.DiGraph,
    settings: GapSettings = DEFAULT_SETTINGS,
    obstacles: Mapping[str, Any] | None = None,
    density: Mapping[str, float] | None = None,
    product_space: ProductSpace | None = None,
) -> GapInputs:
    """Compute the per-product vectors gap detection works from.

    ``obstacles`` maps a product code to its reported infrastructure losses,
    either ``[("power", 120.0), ("water", 30.0)]``, ``{"power": 120.0}`` or a
    list of ``{"kind": ..., "lost_output": ..., "county": ...}`` dicts; kinds
    are among :data:`OBSTACLE_KINDS`. ``density`` maps codes to the density
    of an imported region × product table in [0, 1] (values are clipped); it
    takes precedence over the ``product_space`` density.
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
    made = a.output > 0
    graph_share = _safe_div(B @ made.astype(float), n_neigh)
    dens = np.full(n, np.nan)
    rca = np.full(n, np.nan)
    if product_space is not None:
        dens = product_space.density_score(a.codes, made)
        rca = product_space.rca_score(a.codes)
    if density:
        idx = np.fromiter((a.index[c] for c in density if c in a.index), dtype=np.int64)
        vals = np.fromiter((float(v) for c, v in density.items() if c in a.index), dtype=float)
        dens[idx] = np.clip(np.nan_to_num(vals, nan=0.0), 0.0, 1.0)
    s = settings
    relatedness = _nanweighted([(s.relatedness_graph_weight, graph_share),
                                (s.relatedness_density_weight, dens),
                                (s.relatedness_rca_weight, rca)])

    lost, by_kind, by_county = _obstacle_losses(obstacles, a.index, n)
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
        relatedness=relatedness,
        reliability=np.clip(reliability, 0.0, 1.0),
        dependence_share=dep_share,
        dependence=np.clip(dependence, 0.0, 1.0),
        jobs_linked=jobs_linked,
        jobs_score=jobs_score,
        n_customers=n_customers,
        graph_share=graph_share,
        density=dens,
        rca_score=rca,
        lost_by_county=by_county,
    )


def _weighted(pairs: Iterable[tuple[float, np.ndarray]]) -> np.ndarray:
    pairs = list(pairs)
    total = sum(w for w, _ in pairs)
    return np.clip(sum(w * v for w, v in pairs) / total, 0.0, 1.0)


class _Found(NamedTuple):
    """Per-product vectors of the facets asked for (full length, code order)."""

    mask: dict[str, np.ndarray]
    own: dict[str, np.ndarray]
    counted: dict[str, np.ndarray]
    extra: dict[str, np.ndarray]


def _candidates(gi: GapInputs, s: GapSettings, kinds: set[str]) -> _Found:
    """Which products show each facet, the facet's own size and the part the gap counts (rials)."""
    a = gi.arrays
    A = a.A
    n = len(a.codes)
    zeros = np.zeros(n)
    mask: dict[str, np.ndarray] = {}
    qty: dict[str, np.ndarray] = {}
    extra: dict[str, np.ndarray] = {}
    if "missing_supplier" in kinds:
        share = _safe_div(a.inflow, gi.local_use)
        mask["missing_supplier"] = ((gi.intermediate_use > 0) & (a.inflow > 0)
                                    & (share >= s.missing_supplier_inflow_share))
        qty["missing_supplier"] = a.inflow
        extra["inflow_share"] = np.minimum(share, 1.0)
    if "shortfall" in kinds:
        excess = gi.local_use - a.capacity
        tol = 1e-9 * np.maximum(1.0, gi.local_use)
        mask["shortfall"] = (excess > tol) & (excess > s.shortfall_min_share * gi.local_use)
        qty["shortfall"] = np.maximum(0.0, excess)
    if "idle_capacity" in kinds:
        util = _safe_div(a.output, a.capacity, fill=1.0)
        mask["idle_capacity"] = (a.capacity > 0) & (util < s.idle_utilisation)
        qty["idle_capacity"] = np.maximum(0.0, a.capacity - a.output)
    if "infrastructure" in kinds:
        mask["infrastructure"] = gi.lost > 0
        qty["infrastructure"] = gi.lost
    own: dict[str, np.ndarray] = {}
    counted: dict[str, np.ndarray] = {}
    covered = zeros.copy()  # the quantity already counted at the product's own price
    for kind in _LAYERS:
        if kind not in mask:
            continue
        q = np.where(mask[kind], qty[kind], 0.0)
        own[kind] = q * a.price
        counted[kind] = np.maximum(0.0, q - covered) * a.price
        covered = np.maximum(covered, q)
    if "unprocessed_outflow" in kinds:
        m = a.output + a.inflow
        cust_local = _safe_div(gi.intermediate_use, A @ m)
        stage_ok = (a.stage == _RAW) | (a.stage == _INTERMEDIATE)
        mask["unprocessed_outflow"] = (stage_ok & (a.outflow > 0) & (gi.n_customers > 0)
                                       & (cust_local < s.unprocessed_customer_local_share))
        full, part = _value_added_lost(a, np.flatnonzero(mask["unprocessed_outflow"]), covered)
        own["unprocessed_outflow"], counted["unprocessed_outflow"] = full, part
        extra["customer_local_share"] = cust_local
        extra["uplift"] = _safe_div(full, a.outflow)
    for kind in own:
        own[kind] = np.maximum(0.0, np.round(np.nan_to_num(own[kind], nan=0.0, posinf=0.0)))
        counted[kind] = np.minimum(own[kind], np.maximum(0.0, np.round(
            np.nan_to_num(counted[kind], nan=0.0, posinf=0.0))))
    return _Found(mask, own, counted, extra)


def _value_added_lost(a: ChainArrays, idx: np.ndarray, covered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value added lost on the outflow of each product in ``idx``: in full, and the part its customers'
    own gaps do not already count (see the module docstring). Full-length vectors."""
    n = len(a.codes)
    full, part = np.zeros(n), np.zeros(n)
    if idx.size == 0:
        return full, part
    sub = sp.coo_matrix(a.A[idx])
    r, c, v = sub.row, sub.col, sub.data
    cost = a.A.T @ a.price
    va = np.maximum(0.0, a.price - cost)
    m = a.output + a.inflow
    am = v * m[c]
    rowsum = np.bincount(r, weights=am, minlength=idx.size)
    count = np.bincount(r, minlength=idx.size).astype(float)
    w = np.where(rowsum[r] > 0, _safe_div(am, rowsum[r]), _safe_div(np.ones_like(v), count[r]))
    p_price = a.price[idx][r]
    outflow = a.outflow[idx][r]
    cost_share = _safe_div(v * p_price, cost[c])
    x = _safe_div(outflow * w, v)  # units of the customer the outflow could make
    entry_full = va[c] * cost_share * x
    entry_part = va[c] * cost_share * np.maximum(0.0, x - covered[c])
    full[idx] = np.bincount(r, weights=entry_full, minlength=idx.size)
    part[idx] = np.bincount(r, weights=entry_part, minlength=idx.size)
    return full, part


def _plant_vectors(a: ChainArrays, plants: Mapping[str, PlantFacts] | None) -> dict[str, np.ndarray]:
    n = len(a.codes)
    out = {"min_output": np.zeros(n), "energy": np.zeros(n), "national": np.zeros(n, dtype=bool),
           "known": np.zeros(n, dtype=bool)}
    for code, facts in (plants or {}).items():
        i = a.index.get(code)
        if i is None:
            continue
        out["known"][i] = True
        out["min_output"][i] = max(0.0, float(facts.min_output))
        out["energy"][i] = max(0.0, float(facts.energy_gj_per_unit)) * out["min_output"][i]
        out["national"][i] = bool(facts.national_plant)
    return out


def find_gaps(
    G: nx.DiGraph,
    settings: GapSettings = DEFAULT_SETTINGS,
    obstacles: Mapping[str, Any] | None = None,
    density: Mapping[str, float] | None = None,
    chain_priority: Mapping[str, float] | None = None,
    kinds: Iterable[str] | None = None,
    limit: int | None = None,
    product_space: ProductSpace | None = None,
    plants: Mapping[str, PlantFacts] | None = None,
) -> list[Gap]:
    """Find, size, score and explain the one gap of every product that has any facet.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`chains.graph.build_graph`.
    settings : GapSettings
        Thresholds and weights.
    obstacles : mapping, optional
        Product code → reported infrastructure losses (see :func:`gap_inputs`).
    density : mapping, optional
        Product code → density from an imported region × product table in
        [0, 1]; takes precedence over ``product_space``.
    chain_priority : mapping, optional
        Chain slug → strategic priority in [0, 1].
    kinds : iterable of str, optional
        Only these facet kinds (default: all of :data:`KINDS`).
    limit : int, optional
        Return only the first ``limit`` gaps of the ordering; scores are the
        same as without a limit (sizes are normalised over all gaps).
    product_space : ProductSpace, optional
        World proximity, the HS → SITC map and Iran's RCA.
    plants : mapping, optional
        Product code → :class:`~chains.records.PlantFacts` for the feasibility screen.

    Returns
    -------
    list of Gap
        One per product; provincial before national-scale, then by
        priority, size (both descending) and product code.
    """
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown gap kinds: {', '.join(sorted(unknown))}")
    s = settings
    gi = gap_inputs(G, s, obstacles, density, product_space)
    a = gi.arrays
    found = _candidates(gi, s, wanted)
    if not found.mask:
        return []
    any_mask = np.logical_or.reduce(list(found.mask.values()))
    prod = np.flatnonzero(any_mask).astype(np.int64)
    if prod.size == 0:
        return []
    size = sum(found.counted[k][prod] for k in found.counted)

    viability = np.clip(gi.relatedness[prod] * gi.reliability[prod], 0.0, 1.0)
    top = float(size.max())
    size_score = np.zeros(prod.size)
    if top > 0:
        pos = size > 0
        size_score[pos] = np.clip(1.0 + np.log10(size[pos] / top) / s.size_decades, 0.0, 1.0)
    attractiveness = _weighted([(s.attractiveness_size_weight, size_score),
                                (s.attractiveness_dependence_weight, gi.dependence[prod]),
                                (s.attractiveness_jobs_weight, gi.jobs_score[prod])])
    strategic = _strategic(a, prod, chain_priority or {}, s.default_chain_priority)
    priority = _weighted([(s.priority_viability_weight, viability),
                          (s.priority_attractiveness_weight, attractiveness),
                          (s.priority_strategic_weight, strategic)])
    # Round scores so that float noise cannot reorder ties between runs.
    priority = np.round(priority, 12)

    pv = _plant_vectors(a, plants)
    use = gi.local_use[prod]
    multiple = _safe_div(pv["min_output"][prod], use)
    by_scale = (use > 0) & (multiple > s.national_demand_multiple)
    by_energy = pv["energy"][prod] > s.national_energy_gj
    by_flag = pv["national"][prod]
    national = by_scale | by_energy | by_flag

    order = np.lexsort((prod, -size, -priority, national))
    if limit is not None:
        order = order[: max(0, limit)]
    scores = {"size": size, "viability": viability, "attractiveness": attractiveness, "strategic": strategic,
              "priority": priority, "size_score": size_score, "national": national, "by_scale": by_scale,
              "by_energy": by_energy, "by_flag": by_flag, "multiple": multiple}
    with gc_paused():
        return _materialise(gi, found, s, order, prod, scores, pv, plants or {})


def _materialise(
    gi: GapInputs,
    found: _Found,
    s: GapSettings,
    order: np.ndarray,
    prod: np.ndarray,
    scores: dict[str, np.ndarray],
    pv: dict[str, np.ndarray],
    plants: Mapping[str, PlantFacts],
) -> list[Gap]:
    """Gap records with their facets and reasons, in ``order`` (score vectors are indexed like ``prod``)."""
    a = gi.arrays
    writer = _ReasonWriter(gi, s, found.extra)
    kinds = [k for k in KINDS if k in found.mask]
    rank = {k: r for r, k in enumerate(KINDS)}
    masks = {k: found.mask[k].tolist() for k in kinds}
    own = {k: found.own[k].tolist() for k in kinds}
    counted = {k: found.counted[k].tolist() for k in kinds}
    # Plain Python lists: indexing NumPy scalars one by one is slower.
    prod_l = prod[order].tolist()
    col = {k: v[order].tolist() for k, v in scores.items()}
    related, reliable = gi.relatedness.tolist(), gi.reliability.tolist()
    graph_share = gi.graph_share.tolist() if gi.graph_share is not None else [0.0] * len(a.codes)
    dens = gi.density.tolist() if gi.density is not None else [math.nan] * len(a.codes)
    rca = gi.rca_score.tolist() if gi.rca_score is not None else [math.nan] * len(a.codes)
    dep_share, dep = gi.dependence_share.tolist(), gi.dependence.tolist()
    jobs_linked, jobs_score = gi.jobs_linked.tolist(), gi.jobs_score.tolist()
    use_l = gi.local_use.tolist()

    def known(x: float) -> float | None:
        return None if math.isnan(x) else x

    gaps = []
    for j, i in enumerate(prod_l):
        facets = []
        details: dict[str, Any] = {}
        for kind in kinds:
            if masks[kind][i]:
                fa, en, fd = writer.write(kind, i)
                for key, value in fd.items():
                    details.setdefault(key, value)
                facets.append(Facet(kind, int(own[kind][i]), int(counted[kind][i]), fa, en, fd))
        facets.sort(key=lambda f: (-f.counted_rials, rank[f.kind]))
        reason_fa = "؛ ".join(f.reason_fa for f in facets)
        reason_en = "; ".join(f.reason_en for f in facets)
        national = bool(col["national"][j])
        code = a.codes[i]
        if national:
            nfa, nen = writer.national(i, use_l[i], col["multiple"][j], bool(col["by_scale"][j]),
                                       bool(col["by_energy"][j]), bool(col["by_flag"][j]), plants[code])
            reason_fa += "؛ " + nfa
            reason_en += "; " + nen
            details["national_reason"] = {"fa": nfa, "en": nen}
        facts = plants.get(code)
        if facts is not None:
            details["plant"] = {"min_output": facts.min_output, "min_capital_rials": facts.min_capital_rials,
                                "energy_gj_per_unit": facts.energy_gj_per_unit,
                                "water_m3_per_unit": facts.water_m3_per_unit, "national_plant": facts.national_plant,
                                "source": facts.source, "estimate": facts.estimate,
                                "plant_to_use_ratio": col["multiple"][j]}
        details["relatedness"] = related[i]
        details["reliability"] = reliable[i]
        details["downstream_dependence"] = dep_share[i]
        details["jobs_linked"] = int(jobs_linked[i])
        parts = {
            "viability": {"relatedness": related[i], "reliability": reliable[i],
                          "graph_share": graph_share[i], "density": known(dens[i]), "rca_score": known(rca[i]),
                          "weights": {"graph_share": s.relatedness_graph_weight,
                                      "density": s.relatedness_density_weight,
                                      "rca_score": s.relatedness_rca_weight}},
            "attractiveness": {"size": col["size_score"][j], "dependence": dep[i], "jobs": jobs_score[i],
                               "weights": {"size": s.attractiveness_size_weight,
                                           "dependence": s.attractiveness_dependence_weight,
                                           "jobs": s.attractiveness_jobs_weight}},
            "priority": {"viability": col["viability"][j], "attractiveness": col["attractiveness"][j],
                         "strategic": col["strategic"][j],
                         "weights": {"viability": s.priority_viability_weight,
                                     "attractiveness": s.priority_attractiveness_weight,
                                     "strategic": s.priority_strategic_weight}},
        }
        gaps.append(
            Gap(
                kind=facets[0].kind,
                product=code,
                chains=tuple(a.products[i].chains),
                size_rials=int(sum(f.counted_rials for f in facets)),
                viability=col["viability"][j],
                attractiveness=col["attractiveness"][j],
                strategic=col["strategic"][j],
                priority=col["priority"][j],
                reason_fa=reason_fa,
                reason_en=reason_en,
                details=details,
                facets=tuple(facets),
                national_scale=national,
                parts=parts,
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
        self.lost, self.lost_by_kind, self.lost_by_county = gi.lost, gi.lost_by_kind, gi.lost_by_county
        self.extra = {k: v.tolist() for k, v in extra.items()}
        self._names: dict[int, _Names] = {}

    def name(self, i: int) -> _Names:
        names = self._names.get(i)
        if names is None:
            p = self.products[i]
            if p.stage == "service" and p.unit.strip().lower() in ("unit", "piece", "number"):
                unit_fa, unit_en = _SERVICE_UNIT
            else:
                unit_fa, unit_en = _unit(p.unit, "fa"), _unit(p.unit, "en")
            names = _Names(p.name_fa.translate(_FA_DIGITS_ONLY), _lower_first(p.name_en), unit_fa, unit_en)
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
        details.update(lost_output=lost, obstacles={k: float(kinds[k]) for k in names},
                       counties=dict(sorted(self.lost_by_county.get(i, {}).items())))
        fa_kinds = _join([_OBSTACLE_FA[k] for k in names], "fa")
        en_kinds = _join(names, "en")
        en_kinds = en_kinds[:1].upper() + en_kinds[1:]
        fa = (f"قطعی {fa_kinds} سالانه {format_number(lost, 'fa')} {n.unit_fa} از تولید {n.fa} "
              f"را از بین می{_ZWNJ}برد")
        en = f"{en_kinds} cuts cost {format_number(lost)} {n.unit_en} of {n.en} output a year"
        return fa, en

    def national(self, i: int, use: float, multiple: float, by_scale: bool, by_energy: bool, by_flag: bool,
                 facts: PlantFacts) -> tuple[str, str]:
        """Why the gap is national-scale rather than a provincial opportunity."""
        n = self.name(i)
        fa_parts, en_parts = [], []
        if by_flag:
            fa_parts.append(f"واحد {n.fa} طرحی ملی و راهبردی است که تخصیص انرژی یا خوراک آن در سطح کشور تصمیم "
                            f"گرفته می{_ZWNJ}شود")
            en_parts.append(f"a {n.en} plant is a national, strategic project whose energy or feedstock is "
                            f"allocated nationally")
        if by_scale:
            fa_parts.append(f"کوچک{_ZWNJ}ترین واحد اقتصادی ({format_number(facts.min_output, 'fa')} {n.unit_fa} "
                            f"در سال) {fa_digits(format_number(multiple))} برابر مصرف استان "
                            f"({format_number(use, 'fa')} {n.unit_fa}) است")
            en_parts.append(f"the smallest economic plant ({format_number(facts.min_output)} {n.unit_en} a year) "
                            f"would make {format_number(multiple)} times what the province uses "
                            f"({format_number(use)} {n.unit_en})")
        if by_energy:
            energy = facts.min_output * facts.energy_gj_per_unit
            fa_parts.append(f"چنین واحدی سالانه حدود {format_number(energy, 'fa')} گیگاژول انرژی می{_ZWNJ}خواهد "
                            f"که تخصیص ملی لازم دارد")
            en_parts.append(f"such a plant needs about {format_number(energy)} gigajoules of energy a year, "
                            f"which takes a national allocation")
        fa = "طرح در مقیاس ملی: " + _join(fa_parts, "fa")
        en = "National-scale: " + _join(en_parts, "en")
        return fa, en
