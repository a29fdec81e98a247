"""Administration: user accounts, roles and agencies. Its URL table."""

from __future__ import annotations

from app.web.lang import lang_blueprint

from . import settings, views

bp = lang_blueprint("admin", __name__, "/admin")
bp.add_url_rule("/users", "users", views.admin_users)
bp.add_url_rule("/users/new", "user_new", views.admin_user_new, methods=["GET", "POST"])
bp.add_url_rule("/users/<int:user_id>", "user_edit", views.admin_user_edit, methods=["GET", "POST"])
bp.add_url_rule("/users/<int:user_id>/reset-2fa", "user_reset_2fa", views.admin_user_reset_2fa, methods=["POST"])
bp.add_url_rule("/agencies", "agencies", views.admin_agencies)
bp.add_url_rule("/agencies/new", "agency_new", views.admin_agency_new, methods=["GET", "POST"])
bp.add_url_rule("/agencies/<slug>", "agency_edit", views.admin_agency_edit, methods=["GET", "POST"])
bp.add_url_rule("/office", "office_settings", settings.office_settings, methods=["GET", "POST"])
