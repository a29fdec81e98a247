"""The Production Leap HQ (secretariat): dashboard and audit trail. Its URL table."""

from __future__ import annotations

from app.web.lang import lang_blueprint

from . import views

bp = lang_blueprint("hq", __name__, "/hq")
bp.add_url_rule("/", "dashboard", views.dashboard)
bp.add_url_rule("/audit", "audit", views.audit)
