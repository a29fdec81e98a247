"""POST /api/v1/match: ranked opportunities for a profile."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.api.common import _body
from app.extensions import db
from app.models import County, Product, Sector
from app.services import matching as msvc
from app.services.queries import resolve_slug
from chains.records import APPLICANT_TYPES
from chains.records import Applicant as ApplicantRecord


# ---------------------------------------------------------------- matching
def _profile_problems(body: dict) -> tuple[dict, list[dict]]:
    """Validate a match request; field-level errors carry a language-neutral code and a message."""



    problems: list[dict] = []

    def bad(field: str, code: str, message: str) -> None:
        problems.append({"field": field, "code": code, "message": message})

    kind = body.get("applicant_type")
    if kind is None:
        bad("applicant_type", "required", gettext("The type of applicant is required."))
    elif kind not in APPLICANT_TYPES:
        bad("applicant_type", "invalid_choice", gettext("The type of applicant must be one of: %(choices)s.",
                                                        choices=", ".join(APPLICANT_TYPES)))
    capital = body.get("capital_rials")
    if capital is None:
        bad("capital_rials", "required", gettext("The capital in rials is required."))
    elif isinstance(capital, bool) or not isinstance(capital, int):
        bad("capital_rials", "not_integer", gettext("The capital must be a whole number of rials."))
    elif capital <= 0:
        bad("capital_rials", "not_positive", gettext("The capital must be more than zero."))
    elif capital > 10**17:
        bad("capital_rials", "too_large", gettext("The capital is too large; check the unit."))

    def str_list(field: str) -> list[str]:
        value = body.get(field, [])
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value) or len(value) > 200:
            bad(field, "not_a_list", gettext("“%(field)s” must be a list of strings.", field=field))
            return []
        return value

    sectors, products, counties = str_list("sectors"), str_list("products"), str_list("counties")
    known_sectors = set(db.session.scalars(select(Sector.slug)))
    known_counties = set(db.session.scalars(select(County.slug)))
    resolved_sectors = [resolve_slug(Sector, s) or s for s in sectors]
    resolved_counties = [resolve_slug(County, c) or c for c in counties]
    for s in resolved_sectors:
        if s not in known_sectors:
            bad("sectors", "unknown_sector", gettext("“%(value)s” is not a known sector.", value=s[:60]))
    for c in resolved_counties:
        if c not in known_counties:
            bad("counties", "unknown_county", gettext("“%(value)s” is not a known county.", value=c[:60]))
    if products:
        known = set(db.session.scalars(select(Product.code).where(Product.code.in_(products))))
        for code in products:
            if code not in known:
                bad("products", "unknown_product",
                    gettext("“%(value)s” is not in the province's product list.", value=code[:20]))
    skills = body.get("skills", "")
    if not isinstance(skills, str) or len(skills) > 2000:
        bad("skills", "invalid_text", gettext("“skills” must be text of at most 2,000 characters."))
        skills = ""
    lang = body.get("lang", "fa")
    if lang not in ("fa", "en"):
        bad("lang", "invalid_choice", gettext("“lang” must be fa or en."))
    profile = {"applicant_type": kind, "capital_rials": capital, "sectors": resolved_sectors,
               "products": products, "counties": resolved_counties, "skills": skills, "lang": lang}
    return profile, problems


def _invalid(problems: list[dict]):

    return jsonify({"error": {"code": "invalid_profile", "status": 400,
                              "title": gettext("The request could not be understood"),
                              "message": gettext("Some fields of the profile are not valid."),
                              "fields": problems}}), 400


def match():



    body = _body(gettext("Send a JSON object with at least applicant_type and capital_rials."))
    asked = body.get("lang") if body.get("lang") in ("fa", "en") else None
    with force_locale(asked or request.args.get("lang") or "fa"):
        profile, problems = _profile_problems(body)
        if problems:
            return _invalid(problems)
    record = ApplicantRecord(ref="api", applicant_type=profile["applicant_type"],
                             capital_rials=profile["capital_rials"], sectors=tuple(profile["sectors"]),
                             skills=profile["skills"], products=tuple(profile["products"]),
                             counties=tuple(profile["counties"]), lang=profile["lang"])
    found = msvc.match(record, profile["lang"])
    lang = profile["lang"]

    def title(o):
        return o.title_fa if lang == "fa" else o.title_en

    return jsonify({
        "matches": [{"opportunity_id": found.opportunities[m.opportunity_ref].id,
                     "title": title(found.opportunities[m.opportunity_ref]),
                     "chains": [c.slug for c in found.opportunities[m.opportunity_ref].product.chains],
                     "score": round(m.score, 4), "reasons": [r.text for r in m.reasons]}
                    for m in found.result.matches if m.opportunity_ref in found.opportunities],
        "excluded": [{"opportunity_id": found.opportunities[e.opportunity_ref].id, "rule": e.rule,
                      "reason": e.text}
                     for e in found.result.excluded[:20] if e.opportunity_ref in found.opportunities],
    })
