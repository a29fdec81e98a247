"""Thresholds and weights of gap detection, scoring and simulation.

Every number that decides whether something is a gap, or how much a score
counts, lives in :class:`GapSettings`; the analysis code holds no such
literals. The app builds one from its configuration and passes it in.

>>> s = GapSettings()
>>> s.missing_supplier_inflow_share, s.idle_utilisation, s.stale_months
(0.5, 0.5, 18)
>>> GapSettings(idle_utilisation=1.5)
Traceback (most recent call last):
...
ValueError: idle_utilisation must lie in [0, 1], not 1.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

__all__ = ["GapSettings", "DEFAULT_SETTINGS"]

_SHARES = (
    "missing_supplier_inflow_share",
    "shortfall_min_share",
    "unprocessed_customer_local_share",
    "idle_utilisation",
    "local_supply_threshold",
    "density_blend",
    "default_chain_priority",
)
_POSITIVE = ("size_decades", "national_demand_multiple", "national_energy_gj")
_WEIGHT_GROUPS = (
    ("viability_relatedness_weight", "viability_reliability_weight"),
    ("relatedness_graph_weight", "relatedness_density_weight", "relatedness_rca_weight"),
    (
        "attractiveness_size_weight",
        "attractiveness_dependence_weight",
        "attractiveness_jobs_weight",
    ),
    ("priority_viability_weight", "priority_attractiveness_weight", "priority_strategic_weight"),
)


@dataclass(frozen=True)
class GapSettings:
    """Every threshold and weight of :mod:`chains.gaps` and :mod:`chains.simulate`.

    Thresholds (shares in [0, 1])
    -----------------------------
    missing_supplier_inflow_share : 0.5
        A product that local users need is a *missing supplier* gap when the
        inflow from outside the province is at least this share of its local
        use (final demand plus intermediate use).
    shortfall_min_share : 0.0
        A *shortfall* is reported when local demand exceeds local capacity by
        more than this share of the demand (0 reports every excess).
    unprocessed_customer_local_share : 0.5
        A raw or intermediate product leaving the province is *unprocessed
        outflow* when the locally made share of its customers' supply is
        below this.
    idle_utilisation : 0.5
        *Idle capacity* when output / capacity is below this.
    local_supply_threshold : 0.5
        Default threshold of :func:`chains.graph.local_supply_break`.

    Score weights (non-negative; each group is normalised by its sum)
    ------------------------------------------------------------------
    viability_relatedness_weight, viability_reliability_weight : 0.6, 0.4
        Kept for old configurations; viability is now relatedness × reliability.
    attractiveness_size_weight, attractiveness_dependence_weight,
    attractiveness_jobs_weight : 0.5, 0.3, 0.2
    priority_viability_weight, priority_attractiveness_weight,
    priority_strategic_weight : 0.35, 0.40, 0.25
    relatedness_graph_weight, relatedness_density_weight,
    relatedness_rca_weight : 0.25, 0.5, 0.25
        Relatedness = weighted mean of the graph share, the density of the
        province's products around the product (an imported region table
        first, else the world product space) and Iran's RCA score, over the
        terms known for the product.
    density_blend : 0.5
        Kept for old configurations; not used since the product space.
    size_decades : 4
        The size score falls linearly from 1 (the largest gap) to 0 over
        this many orders of magnitude below it.
    national_demand_multiple : 5
        A gap is *national-scale* when one plant of minimum efficient scale
        would make more than this many times the province's use.
    national_energy_gj : 1,000,000
        ... or when one such plant needs more energy a year than this (GJ),
        which takes a national allocation.
    default_chain_priority : 0.5
        Strategic weight of a chain missing from the priorities mapping.

    Other
    -----
    stale_months : 18
        Figures whose provenance date is older than this are stale.
    path_limit : 200
        Default cap on the number of paths :func:`raw_to_final_paths` lists.
    reason_customers : 2
        How many customer names a reason sentence mentions.
    """

    missing_supplier_inflow_share: float = 0.5
    shortfall_min_share: float = 0.0
    unprocessed_customer_local_share: float = 0.5
    idle_utilisation: float = 0.5
    local_supply_threshold: float = 0.5

    viability_relatedness_weight: float = 0.6
    viability_reliability_weight: float = 0.4
    relatedness_graph_weight: float = 0.25
    relatedness_density_weight: float = 0.5
    relatedness_rca_weight: float = 0.25
    density_blend: float = 0.5
    size_decades: float = 4.0
    national_demand_multiple: float = 5.0
    national_energy_gj: float = 1_000_000.0

    attractiveness_size_weight: float = 0.5
    attractiveness_dependence_weight: float = 0.3
    attractiveness_jobs_weight: float = 0.2

    priority_viability_weight: float = 0.35
    priority_attractiveness_weight: float = 0.40
    priority_strategic_weight: float = 0.25
    default_chain_priority: float = 0.5

    stale_months: int = 18
    path_limit: int = 200
    reason_customers: int = 2

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{f.name} must be a number, not {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{f.name} must be finite, not {value}")
        for name in _SHARES:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], not {value}")
        for name in _POSITIVE:
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")
        for group in _WEIGHT_GROUPS:
            values = [getattr(self, name) for name in group]
            if any(v < 0 for v in values) or sum(values) <= 0:
                raise ValueError(f"weights {', '.join(group)} must be >= 0 with a positive sum")
        for name in ("stale_months", "path_limit", "reason_customers"):
            if int(getattr(self, name)) != getattr(self, name) or getattr(self, name) < 0:
                raise ValueError(f"{name} must be a non-negative whole number")


#: The defaults, shared so callers need not build their own.
DEFAULT_SETTINGS = GapSettings()
