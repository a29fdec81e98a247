"""The single-window desk (desk staff): walk-in intake, ranked matches, print sheet, cases. Its URL table."""

from __future__ import annotations

from app.web.lang import lang_blueprint

from . import views

bp = lang_blueprint("desk", __name__, "/desk")
bp.add_url_rule("/", "intake", views.intake, methods=["GET", "POST"])
bp.add_url_rule("/applicants/<ref>", "matches", views.matches)
bp.add_url_rule("/applicants/<ref>/print", "print_sheet", views.print_sheet)
bp.add_url_rule("/applicants/<ref>/feedback", "feedback", views.feedback, methods=["POST"])
bp.add_url_rule("/applicants/<ref>/cases", "open_case", views.open_case, methods=["POST"])
bp.add_url_rule("/cases/<code>", "case", views.case)
