"""The public site under /<lang_code>: home, opportunities, value chains, missing links, self-service
matching and case tracking. This file is its URL table."""

from __future__ import annotations

from flask import Blueprint

from app.web.lang import lang_blueprint, remember_language, root

from . import about, cases, chains, gaps, home, match, obstacles, opportunities, track

root_bp = Blueprint("root", __name__)
root_bp.add_url_rule("/", "root", root)
root_bp.add_url_rule("/healthz", "health", home.health)

bp = lang_blueprint("public", __name__)
bp.after_request(remember_language)
bp.add_url_rule("/", "home", home.home)
bp.add_url_rule("/opportunities", "opportunities", opportunities.opportunities)
bp.add_url_rule("/opportunities/<int:opp_id>", "opportunity", opportunities.opportunity)
bp.add_url_rule("/opportunities/<int:opp_id>/interest", "interest", match.interest, methods=["POST"])
bp.add_url_rule("/chains", "chains", chains.chains)
bp.add_url_rule("/chains/<slug>", "chain", chains.chain)
bp.add_url_rule("/gaps", "gaps", gaps.gaps)
bp.add_url_rule("/match", "self_service", match.self_service, methods=["GET", "POST"])
bp.add_url_rule("/opportunities/<int:opp_id>/apply", "apply", cases.apply, methods=["POST"])
bp.add_url_rule("/my", "my_cases", cases.my_cases)
bp.add_url_rule("/track", "track", track.track)

bp.register_error_handler(429, track.too_many_requests)
bp.add_url_rule("/obstacles/new", "obstacle_report", obstacles.report, methods=["GET", "POST"])
bp.add_url_rule("/obstacles/track", "obstacle_track", obstacles.track)
bp.add_url_rule("/about", "about", about.about)
