"""Plain records that cross the boundary between ``app/`` and the domain.

These frozen dataclasses are the only shapes ``chains/`` and ``matching/``
accept from the outside world. ``app/services.py`` turns ORM rows into them;
``chains.io`` turns CSV/XLSX rows into them. Nothing here knows about Flask,
SQLAlchemy or a request.

Quantities (capacity, output, demand, inflow, outflow) are physical amounts
per year in the product's ``unit`` and may be fractional, so they are floats.
Money is always an ``int`` number of rials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "APPLICANT_TYPES",
    "FINANCING_KINDS",
    "MAX_ALIASES",
    "MAX_ALIAS_LENGTH",
    "STAGES",
    "NOMENCLATURES",
    "AGENCY_CATEGORIES",
    "Provenance",
    "Product",
    "Link",
    "Chain",
    "County",
    "Sector",
    "Agency",
    "Measure",
    "FinancingRoute",
    "Opportunity",
    "Applicant",
    "PlantFacts",
]

#: Applicant types, in the order forms list them.
APPLICANT_TYPES = ("individual", "cooperative", "home_business", "knowledge_based", "company")
#: Stages of a product in a chain.
STAGES = ("raw", "intermediate", "final", "service")
#: Code lists a product code may belong to: HS for goods, ISIC rev.4 for services/activities.
NOMENCLATURES = ("hs", "isic")
#: Agency categories from the governor's article.
AGENCY_CATEGORIES = ("driver", "support", "service", "infrastructure")
#: Financing route kinds an opportunity may list.
FINANCING_KINDS = ("bank", "capital_market", "leasing", "provincial_fund", "crowdfunding")
#: Bounds of a product's aliases (other names and keywords).
MAX_ALIASES = 30
MAX_ALIAS_LENGTH = 100


@dataclass(frozen=True)
class Provenance:
    """Where a figure came from: a source text, the owning agency's slug and an as-of date."""

    source: str = ""
    agency: str = ""
    as_of: date | None = None


@dataclass(frozen=True)
class Product:
    """A node of the value-chain graph.

    ``code`` is an HS code (4 or 6 digits, as a string) when ``nomenclature`` is
    ``"hs"``, or an ISIC rev.4 class (4 digits) for services and activities.
    """

    code: str
    name_fa: str
    name_en: str
    sector: str
    stage: str
    unit: str = "tonne"
    nomenclature: str = "hs"
    unit_price_rials: int = 0
    capacity: float = 0.0
    output: float = 0.0
    demand: float = 0.0  # local final demand (households, government, investment)
    inflow: float = 0.0  # brought in from outside the province
    outflow: float = 0.0  # sent out of the province, exports included
    active_units: int = 0
    idle_units: int = 0
    jobs: int = 0
    suited_for: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)
    #: Other names and keywords in either language (قالی for فرش دستباف, trade names), at most
    #: :data:`MAX_ALIASES` of at most :data:`MAX_ALIAS_LENGTH` characters each.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """An edge: ``supplier`` is an input of ``user``; ``coefficient`` units of supplier per unit of user."""

    supplier: str
    user: str
    coefficient: float
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True)
class Chain:
    """A named value chain. ``priority`` is the agency-set strategic weight in [0, 1]."""

    slug: str
    name_fa: str
    name_en: str
    priority: float = 0.5
    description_fa: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class County:
    slug: str
    name_fa: str
    name_en: str


@dataclass(frozen=True)
class Sector:
    """An economic sector (agriculture, food industry, mining, …) that agencies look after."""

    slug: str
    name_fa: str
    name_en: str


@dataclass(frozen=True)
class Agency:
    slug: str
    name_fa: str
    name_en: str
    category: str
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    slug: str
    name_fa: str
    name_en: str
    position: int


@dataclass(frozen=True)
class FinancingRoute:
    """A way to finance an opportunity and the share (0..1) of the investment it can cover."""

    kind: str
    share: float


@dataclass(frozen=True)
class Opportunity:
    ref: str
    title_fa: str
    title_en: str
    product: str
    county: str
    agency: str
    investment_min_rials: int
    investment_max_rials: int
    jobs: int = 0
    description_fa: str = ""
    description_en: str = ""
    incentives_fa: str = ""
    incentives_en: str = ""
    suited_for: tuple[str, ...] = ()
    financing: tuple[FinancingRoute, ...] = ()
    status: str = "published"
    gap_kind: str = ""


@dataclass(frozen=True)
class Applicant:
    ref: str
    applicant_type: str
    capital_rials: int
    name: str = ""
    sectors: tuple[str, ...] = ()
    skills: str = ""
    products: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    lang: str = "fa"


@dataclass(frozen=True)
class PlantFacts:
    """What a planner checks before calling a product a provincial opportunity.

    ``min_output`` is the minimum efficient scale of one plant (product units
    a year) and ``min_capital_rials`` its investment; ``energy_gj_per_unit``
    and ``water_m3_per_unit`` are the intensities per unit of output;
    ``national_plant`` marks plants that need a national allocation (energy,
    feedstock) or are strategic by law. ``estimate`` is True when the figures
    are the agency's estimate rather than from ``source``.
    """

    code: str
    min_output: float = 0.0
    min_capital_rials: int = 0
    energy_gj_per_unit: float = 0.0
    water_m3_per_unit: float = 0.0
    national_plant: bool = False
    source: str = ""
    estimate: bool = True
