"""POST /api/v1/match: ranked opportunities for a profile (validated by ``services.profiles``, like the form)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import force_locale, gettext

from app.api.common import _body, _invalid, _unknown_fields
from app.services import matching as msvc
from app.services.errors import Invalid
from app.services.profiles import check_profile
from chains.records import Applicant as ApplicantRecord

MATCH_KEYS = ("applicant_type", "capital_rials", "sectors", "products", "counties", "skills", "lang")


def match():
    """Ranked opportunities for an applicant profile, with reasons, and the ones excluded and why."""
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
    record = ApplicantRecord(ref="api", applicant_type=profile["applicant_type"],
                             capital_rials=profile["capital_rials"], sectors=tuple(profile["sectors"]),
                             skills=profile["skills"], products=tuple(profile["products"]),
                             counties=tuple(profile["counties"]), lang=lang)
    found = msvc.match(record, lang)

    def title(o):
        return o.title_fa if lang == "fa" else o.title_en

    shown = found.opportunities
    return jsonify({"data": {
        "matches": [{"opportunity_id": shown[m.opportunity_ref].id, "title": title(shown[m.opportunity_ref]),
                     "chains": [c.slug for c in shown[m.opportunity_ref].product.chains],
                     "score": round(m.score, 4), "reasons": [r.text for r in m.reasons]}
                    for m in found.result.matches if m.opportunity_ref in shown],
        "excluded": [{"opportunity_id": shown[e.opportunity_ref].id, "rule": e.rule, "reason": e.text}
                     for e in found.result.excluded[:20] if e.opportunity_ref in shown],
    }})
