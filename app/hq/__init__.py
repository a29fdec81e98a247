"""The Production Leap HQ (secretariat): dashboard and audit trail. Its URL table."""

from __future__ import annotations

from app.web.lang import lang_blueprint

from . import demands, measures, obstacles, plans, realisation, single_window, views

bp = lang_blueprint("hq", __name__, "/hq")
bp.add_url_rule("/", "dashboard", views.dashboard)
bp.add_url_rule("/audit", "audit", views.audit)
bp.add_url_rule("/single-window", "single_window", single_window.single_window)
bp.add_url_rule("/single-window.csv", "single_window_csv", single_window.single_window_csv)
bp.add_url_rule("/obstacles", "obstacles", obstacles.obstacles)
bp.add_url_rule("/obstacles/<int:obstacle_id>", "obstacle", obstacles.obstacle)
bp.add_url_rule("/obstacles/<int:obstacle_id>/move", "obstacle_move", obstacles.obstacle_move, methods=["POST"])
bp.add_url_rule("/working-group", "meetings", obstacles.meetings, methods=["GET", "POST"])
bp.add_url_rule("/measures/<slug>", "measure", measures.measure)
bp.add_url_rule("/plans", "plans", plans.plans)
bp.add_url_rule("/plans/reminders", "plan_reminders", plans.plan_reminders, methods=["POST"])
bp.add_url_rule("/realisation", "realisation", realisation.realisation)
bp.add_url_rule("/realisation/<int:record_id>/confirm", "realisation_confirm", realisation.realisation_confirm,
                methods=["POST"])
bp.add_url_rule("/investors", "investors", realisation.investors)
bp.add_url_rule("/demands", "demands", demands.demand_queue)
bp.add_url_rule("/demands/<int:demand_id>", "demand", demands.demand, methods=["GET", "POST"])
