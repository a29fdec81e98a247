"""POST /api/v1/match: ranked opportunities for a profile (validated by ``services.profiles``, like the form)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import force_locale, gettext

from app.api.common import _body, _invalid, _unknown_fields
from app.api.schemas import exclusion_json, match_json
from app.services import matching as msvc
from app.services.errors import Invalid
from app.services.profiles import check_profile

MATCH_KEYS = ("applicant_type", "capital_rials", "sectors", "products", "counties", "skills", "lang",
              "strict_counties")


def match():
    """Ranked matches with levels and reasons, others within the applicant's means, near misses and exclusions."""
    body = _body(gettext("Send a JSON object with at least applicant_type and capital_rials."))
    asked = body.get("lang") if body.get("lang") in ("fa", "en") else None
    with force_locale(asked or request.args.get("lang") or "fa"):
        problems = _unknown_fields(body, MATCH_KEYS)
        profile = None
        try:
            profile = check_profile({"capital_rials": None, **{k: v for k, v in body.items() if k in MATCH_KEYS}})
        except Invalid as error:
            problems += error.problems
        if problems:
            return _invalid(problems)
    lang = profile["lang"] or "fa"
    result = msvc.rank(msvc.profile_record(profile, "api", lang), lang, strict_counties=profile["strict_counties"])
    shown = msvc.listed(msvc.listed_refs(result))
    return jsonify({"data": {
        "matches": [match_json(m, shown[m.opportunity_ref], lang) for m in result.matches
                    if m.opportunity_ref in shown],
        "others": [match_json(m, shown[m.opportunity_ref], lang) for m in result.others
                   if m.opportunity_ref in shown],
        "excluded": [exclusion_json(e, shown[e.opportunity_ref]) for e in result.excluded[:20]
                     if e.opportunity_ref in shown],
        "linked": [{"code": x.code, "score": round(x.score, 4), "words": list(x.words)}
                   for x in result.linked],
        "strict_counties": profile["strict_counties"],
    }})
