"""Reading query parameters: whole numbers in any digits, names or slugs, the opportunity and gap filters."""

from __future__ import annotations

import re

from flask import abort, request
from flask_babel import gettext

from app.i18n import localise_digits
from app.models import County, Sector, ValueChain
from app.services.gaps import GAP_SORTS
from app.services.queries import OpportunityFilters, resolve_slug
from app.services.records import APPLICANT_TYPES
from app.web.errors import UserMessage
from app.web.labels import applicant_type_labels, gap_kind_labels
from chains.gaps import KINDS
from chains.nomenclature import normalize_digits


def parse_int(name: str, minimum: int | None = 0) -> int | None:
    """Read an integer query parameter; Persian/Arabic digits and thousands separators are accepted.

    Anything else is a 400 with a message that names the field, in the page's language.
    """
    raw = request.args.get(name, "").strip()
    if raw == "":
        return None
    cleaned = re.sub(r"[,\u066c\u060c\s_]", "", normalize_digits(raw))
    if not re.fullmatch(r"-?\d{1,19}", cleaned):
        abort(400, description=UserMessage(gettext("“%(field)s” must be a whole number.", field=field_label(name))))
    value = int(cleaned)
    if minimum is not None and value < minimum:
        abort(400, description=UserMessage(gettext("“%(field)s” cannot be less than %(min)s.", field=field_label(name),
                                       min=localise_digits(minimum))))
    if value > 10**18:
        abort(400, description=UserMessage(gettext("“%(field)s” is too large.", field=field_label(name))))
    return value


def field_label(name: str) -> str:
    labels = {
        "min": gettext("Minimum investment"),
        "max": gettext("Maximum investment"),
        "page": gettext("Page"),
        "chain": gettext("Value chain"),
        "sector": gettext("Sector"),
        "county": gettext("County"),
        "type": gettext("Applicant type"),
        "kind": gettext("Kind"),
        "q": gettext("Search"),
    }
    return labels.get(name, name)


def filter_value(model, name: str) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    slug = resolve_slug(model, raw)
    if slug is None:

        abort(400, description=UserMessage(gettext("“%(value)s” is not a known %(field)s.", value=raw,
                                                   field=field_label(name))))
    return slug


def read_opportunity_filters() -> OpportunityFilters:
    kind = request.args.get("type", "").strip() or None
    if kind is not None and kind not in APPLICANT_TYPES:
        by_label = {v: k for k, v in applicant_type_labels().items()}
        if kind not in by_label:
            abort(400, description=UserMessage(gettext("“%(value)s” is not a known applicant type.", value=kind)))
        kind = by_label[kind]
    lo, hi = parse_int("min"), parse_int("max")
    if lo is not None and hi is not None and lo > hi:
        abort(400, description=UserMessage(gettext("The minimum investment is larger than the maximum.")))
    q = request.args.get("q", "").strip()
    if len(q) > 200:
        abort(400, description=UserMessage(gettext("The search text is too long (at most 200 characters).")))
    return OpportunityFilters(
        chain=filter_value(ValueChain, "chain"),
        sector=filter_value(Sector, "sector"),
        county=filter_value(County, "county"),
        min_rials=lo,
        max_rials=hi,
        applicant_type=kind,
        q=q,
    )


def read_gap_filters() -> dict:

    kind = request.args.get("kind", "").strip() or None
    if kind is not None and kind not in KINDS:
        by_label = {v: k for k, v in gap_kind_labels().items()}
        if kind not in by_label:
            abort(400, description=UserMessage(gettext("“%(value)s” is not a known kind of missing link.",
                                                       value=kind)))
        kind = by_label[kind]
    sort = request.args.get("sort", "priority")
    if sort not in GAP_SORTS:
        abort(400, description=UserMessage(gettext("The list cannot be sorted by “%(value)s”.", value=sort)))
    scale = request.args.get("scale", "").strip() or None
    if scale not in (None, "provincial", "national"):
        abort(400, description=UserMessage(gettext("“%(value)s” is not a scale: use provincial or national.",
                                                   value=scale)))
    return {
        "scale": scale,
        "kind": kind,
        "chain": filter_value(ValueChain, "chain"),
        "sector": filter_value(Sector, "sector"),
        "county": filter_value(County, "county"),
        "sort": sort,
    }

