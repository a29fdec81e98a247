"""JSON API under /api/v1, one module per resource. This file is its URL table.

One envelope: ``{"data": …}`` on success, ``{"error": {…}}`` on failure. Keys and error codes are
language-neutral; human messages follow ``?lang=`` or Accept-Language. Described by /api/v1/openapi.json.
"""

from __future__ import annotations

from flask import Blueprint

from app.extensions import csrf

from . import chains, gaps, match, measures, openapi, opportunities, products, session

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.add_url_rule("/opportunities", "opportunities", opportunities.opportunities, methods=["GET"])
bp.add_url_rule("/opportunities/<int:opp_id>", "opportunity", opportunities.opportunity, methods=["GET"])
bp.add_url_rule("/opportunities/<int:opp_id>", "opportunity_update", opportunities.opportunity_update,
                methods=["PATCH"])
bp.add_url_rule("/opportunities/<int:opp_id>/applicants", "opportunity_applicants",
                opportunities.opportunity_applicants, methods=["GET"])
bp.add_url_rule("/products", "product_create", products.product_create, methods=["POST"])
bp.add_url_rule("/products/<code>", "product", products.product, methods=["GET"])
bp.add_url_rule("/products/<code>", "product_update", products.product_update, methods=["PATCH"])
bp.add_url_rule("/chains", "chains", chains.chains, methods=["GET"])
bp.add_url_rule("/chains/<slug>", "chain", chains.chain, methods=["GET"])
bp.add_url_rule("/gaps", "gaps", gaps.gaps, methods=["GET"])
bp.add_url_rule("/simulate", "simulate", gaps.simulate, methods=["POST"])
bp.add_url_rule("/match", "match", match.match, methods=["POST"])
bp.add_url_rule("/session/csrf", "session_csrf", session.session_csrf, methods=["GET"])
bp.add_url_rule("/measures", "measures", measures.measures, methods=["GET"])
bp.add_url_rule("/openapi.json", "openapi", openapi.openapi_json, methods=["GET"])
