"""Signed e-mail confirmation tokens."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import User

CONFIRM_SALT = "confirm-email"


CONFIRM_MAX_AGE = 3 * 24 * 3600


# ---------------------------------------------------------------- e-mail confirmation tokens
def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def confirmation_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "email": user.email})


def read_confirmation_token(token: str) -> tuple[User | None, str]:
    """(user, "") when the token is good; (None, "expired" | "invalid") otherwise."""
    try:
        data = _serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        return None, "invalid"
    return user, ""
