"""The Production Leap HQ (secretariat): dashboard and audit trail. Its URL table."""

from __future__ import annotations

from app.web.lang import lang_blueprint

from . import single_window, views

bp = lang_blueprint("hq", __name__, "/hq")
bp.add_url_rule("/", "dashboard", views.dashboard)
bp.add_url_rule("/audit", "audit", views.audit)
bp.add_url_rule("/single-window", "single_window", single_window.single_window)
bp.add_url_rule("/single-window.csv", "single_window_csv", single_window.single_window_csv)
