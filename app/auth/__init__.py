"""Sign-in, the second factor, registration, password change and sign-out. Its URL table."""

from __future__ import annotations

from app.web.lang import lang_blueprint

from . import views

bp = lang_blueprint("auth", __name__)
bp.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/login/unlock/<token>", "unlock", views.unlock)
bp.add_url_rule("/login/2fa", "second_step", views.second_step, methods=["GET", "POST"])
bp.add_url_rule("/account/2fa/setup", "setup_second_factor", views.setup_second_factor, methods=["GET", "POST"])
bp.add_url_rule("/account/password", "change_password", views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/register", "register", views.register, methods=["GET", "POST"])
bp.add_url_rule("/register/sent", "register_sent", views.register_sent)
bp.add_url_rule("/register/confirm/<token>", "confirm_email", views.confirm_email)
bp.add_url_rule("/register/resend", "resend_confirmation", views.resend_confirmation, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", views.logout, methods=["GET", "POST"])
