"""Who is signed in (the session loader) and the role check every staff route uses."""

from __future__ import annotations

from functools import wraps

from flask import (
    abort,
)
from flask_login import current_user

from app.extensions import db, login_manager
from app.models import ROLES, User
from app.security.second_factor import needs_second_factor
from app.security.sessions import session_is_live


def load_user(user_id: str) -> User | None:
    """The user of a session cookie or remember-me cookie: ``<id>:<session version>:<session token>``."""
    parts = user_id.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or len(parts[0]) > 18:
        return None  # malformed, or a cookie from before server-side sessions: sign in again
    uid, version, token = int(parts[0]), int(parts[1]), parts[2]
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None  # password changed or account disabled: every older session ends
    if not session_is_live(user, token):
        return None  # signed out (the row is gone) or expired
    user.session_token = token
    if needs_second_factor(user) and not user.totp_confirmed:
        return None  # a staff account without a second factor (e.g. just promoted) signs in again
    return user


def role_required(*roles: str):
    """Allow only signed-in users with one of ``roles``; others go to sign-in (anonymous) or get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator
