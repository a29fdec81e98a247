"""GET /api/v1/session/csrf: the token a signed-in page's script sends back on writes."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.web.errors import render_error


# ---------------------------------------------------------------- session
def session_csrf():
    if not current_user.is_authenticated:
        return render_error(401)
    return jsonify({"data": {"csrf_token": generate_csrf()}})
