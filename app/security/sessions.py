"""Server-side sign-in sessions: signing out ends a session even where its cookies were copied.

Each sign-in creates a ``UserSession`` row and puts a random token into the user id Flask-Login keeps in
the session cookie and the remember-me cookie (``User.get_id``). The loader (``app.security.access``)
accepts a cookie only while its row exists and has not expired; signing out deletes the row. A session
lasts ``PANJEREH_SESSION_HOURS`` (12 h) or, with "keep me signed in", ``PANJEREH_REMEMBER_DAYS`` (30 days),
and the remember-me cookie is given the same lifetime."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, select

from app.extensions import db
from app.models import User, UserSession, utcnow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime(remember: bool) -> timedelta:
    if remember:
        return timedelta(days=current_app.config["PANJEREH_REMEMBER_DAYS"])
    return timedelta(hours=current_app.config["PANJEREH_SESSION_HOURS"])


def start_session(user: User, remember: bool = False) -> None:
    """Sign ``user`` in on a new server-side session (and forget this account's expired ones)."""
    now = utcnow()
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token), remember=bool(remember), created_at=now,
                               expires_at=now + _lifetime(remember)))
    user.session_token = token
    login_user(user, remember=remember, duration=_lifetime(remember) if remember else None)


def end_session() -> None:
    """Sign out: this session's row is deleted, so its cookies (wherever copied) stop working now."""
    token = getattr(current_user, "session_token", None) if current_user.is_authenticated else None
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _hash(token)))
    logout_user()


def session_is_live(user: User, token: str) -> bool:
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    if row is None or row.user_id != user.id:
        return False
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
    return expires > datetime.now(timezone.utc)
