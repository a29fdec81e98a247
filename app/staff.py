"""Staff areas under /<lang_code>/admin, /hq, /desk, /portal (login required, by role)."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .auth import role_required
from .extensions import db
from .models import User
from .views import add_lang_code, lang_prefix_guard

bp = Blueprint("staff", __name__, url_prefix="/<lang_code>")
bp.url_value_preprocessor(lang_prefix_guard)
bp.url_defaults(add_lang_code)


@bp.route("/admin/users")
@role_required("admin")
def admin_users():
    users = db.session.scalars(select(User).options(selectinload(User.agency)).order_by(User.email)).all()
    return render_template("staff/users.html", users=users)
