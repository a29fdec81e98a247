"""Signed tokens for e-mailed links: address confirmation (three days) and unlocking sign-in (one hour)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import User

CONFIRM_SALT = "confirm-email"


CONFIRM_MAX_AGE = 3 * 24 * 3600

UNLOCK_SALT = "unlock-sign-in"

UNLOCK_MAX_AGE = 3600


# ---------------------------------------------------------------- e-mail confirmation tokens
def _serializer(salt: str = CONFIRM_SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def confirmation_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "email": user.email})


def unlock_token(user: User) -> str:
    return _serializer(UNLOCK_SALT).dumps({"uid": user.id, "email": user.email})


def read_unlock_token(token: str) -> tuple[User | None, str]:
    """Like ``read_confirmation_token``, for the link that lifts a sign-in lock-out (valid one hour)."""
    return read_confirmation_token(token, salt=UNLOCK_SALT, max_age=UNLOCK_MAX_AGE)


def read_confirmation_token(token: str, salt: str = CONFIRM_SALT,
                            max_age: int = CONFIRM_MAX_AGE) -> tuple[User | None, str]:
    """(user, "") when the token is good; (None, "expired" | "invalid") otherwise."""
    if len(token) > 1000:
        return None, "invalid"
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        return None, "invalid"
    return user, ""
