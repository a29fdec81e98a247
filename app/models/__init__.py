"""Typed SQLAlchemy 2 models for the domain in DESIGN.md, one module per family of records.

Business rules live in ``app/services`` and the domain packages, not here.
Money is stored as integer rials (BigInteger); physical quantities as floats.
Every figure an agency owns carries provenance (source, agency, as-of date) and
an ``illustrative`` flag that stays true until an agency replaces the figure.
"""

from .activity import (
    CASE_STATUSES,
    AuditEvent,
    Case,
    ImportJob,
    Interest,
    MatchFeedback,
    OutboxMessage,
)
from .catalogue import (
    OPPORTUNITY_STATUSES,
    FinancingRoute,
    Link,
    Opportunity,
    Product,
    ValueChain,
)
from .hq import (
    DEMAND_STATUSES,
    LOSS_PERIODS,
    OBSTACLE_CATEGORIES,
    OBSTACLE_STATUSES,
    REALISATION_STAGES,
    Demand,
    Meeting,
    MeetingDecision,
    Obstacle,
    Plan,
    PlanAction,
    ProgressUpdate,
    RealisationRecord,
)
from .office import OfficeSettings
from .people import ROLES, Applicant, User, UserSession
from .permits import (
    INTEREST_STATUSES,
    OPEN_STEP_STATUSES,
    STEP_STATUSES,
    CaseStep,
    PathStep,
    PermitPath,
    StepTemplate,
)
from .reference import (
    Agency,
    County,
    Measure,
    Sector,
    agency_sectors,
    chain_products,
    utcnow,
)
from .relatedness import RelatednessTable, RelatednessValue
from .versions import DATA, DataVersion

__all__ = [
    "CASE_STATUSES", "DATA", "DataVersion", "OPPORTUNITY_STATUSES", "ROLES", "Agency", "Applicant",
    "AuditEvent", "Case", "County", "FinancingRoute", "ImportJob", "Interest", "Link", "MatchFeedback",

    "Measure", "OfficeSettings", "Opportunity", "OutboxMessage", "Product", "RelatednessTable",
    "RelatednessValue", "Sector", "User", "UserSession", "ValueChain", "agency_sectors", "chain_products", "utcnow",
    "INTEREST_STATUSES", "OPEN_STEP_STATUSES", "STEP_STATUSES", "CaseStep", "PathStep", "PermitPath", "StepTemplate",
    "DEMAND_STATUSES", "Demand", "LOSS_PERIODS", "OBSTACLE_CATEGORIES", "OBSTACLE_STATUSES", "REALISATION_STAGES",
    "Meeting", "MeetingDecision", "Obstacle", "Plan", "PlanAction", "ProgressUpdate", "RealisationRecord",
]
