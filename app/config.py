"""Configuration from the environment.

``DATABASE_URL`` selects the database (default: ``instance/panjereh.db``, SQLite).
``SECRET_KEY`` is read from the environment; when unset, a random key is generated
once into ``instance/secret_key`` and reused — there is never a hard-coded key.
Other settings are ``PANJEREH_*`` variables.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

LANGUAGES = ("fa", "en")
DEFAULT_LANGUAGE = "fa"


def _instance_secret(instance_path: str) -> str:
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create exclusively so two workers starting together agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _normalise_db_url(url: str) -> str:
    # Heroku-style "postgres://" and plain "postgresql://" both go through psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def from_environment(instance_path: str) -> dict:
    env = os.environ
    db_url = env.get("DATABASE_URL") or "sqlite:///" + str(Path(instance_path) / "panjereh.db")
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(db_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": LANGUAGES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("PANJEREH_HTTPS", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": env.get("PANJEREH_HTTPS", "0") == "1",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Sign-in limits (Flask-Limiter strings; ";" separates several). Shared across workers via REDIS_URL.
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "PANJEREH_LOGIN_LIMIT_ACCOUNT": env.get("PANJEREH_LOGIN_LIMIT_ACCOUNT", "5/minute;20/hour"),
        "PANJEREH_LOGIN_LIMIT_IP": env.get("PANJEREH_LOGIN_LIMIT_IP", "30/minute"),
        # Case look-ups on /track per address (a 16-digit code has ~10^15 values: guessing is hopeless at this rate).
        "PANJEREH_TRACK_LIMIT": env.get("PANJEREH_TRACK_LIMIT", "20/minute;200/hour"),
        # Outgoing mail: "log" (default) or "smtp".
        "PANJEREH_MAIL_SENDER": env.get("PANJEREH_MAIL_SENDER", "log"),
        # Links in e-mail are built on this address (e.g. https://panjereh.example.ir) rather than the Host header.
        "PANJEREH_BASE_URL": env.get("PANJEREH_BASE_URL", ""),
        # The desk's own address and phone, printed on the applicant's sheet.
        "PANJEREH_DESK_ADDRESS": env.get("PANJEREH_DESK_ADDRESS", ""),
        "PANJEREH_SMTP_HOST": env.get("PANJEREH_SMTP_HOST", ""),
        "PANJEREH_SMTP_PORT": int(env.get("PANJEREH_SMTP_PORT", "587")),
        "PANJEREH_SMTP_USER": env.get("PANJEREH_SMTP_USER", ""),
        "PANJEREH_SMTP_PASSWORD": env.get("PANJEREH_SMTP_PASSWORD", ""),
        "PANJEREH_SMTP_FROM": env.get("PANJEREH_SMTP_FROM", ""),
        "WTF_CSRF_TIME_LIMIT": None,
        "PANJEREH_PAGE_SIZE": int(env.get("PANJEREH_PAGE_SIZE", "20")),
        "PANJEREH_STALE_MONTHS": int(env.get("PANJEREH_STALE_MONTHS", "18")),
        "PANJEREH_SEED_DIR": env.get(
            "PANJEREH_SEED_DIR", str(Path(__file__).resolve().parent.parent / "data" / "seed")
        ),
        "PANJEREH_ALERT_THRESHOLD": float(env.get("PANJEREH_ALERT_THRESHOLD", "0.6")),
        "PANJEREH_MATCH_MODEL": env.get("PANJEREH_MATCH_MODEL", ""),
        "PANJEREH_SYNC_INDEX": env.get("PANJEREH_SYNC_INDEX", "0") == "1",
        "PANJEREH_PROVINCE": env.get("PANJEREH_PROVINCE", "east_azerbaijan"),
        "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
        # Gap thresholds and weights (chains.settings.GapSettings) as PANJEREH_GAP_<FIELD>.
        # A shortfall under 20% of local use is ordinary trade, not a missing link.
        "PANJEREH_GAP_SHORTFALL_MIN_SHARE": env.get("PANJEREH_GAP_SHORTFALL_MIN_SHARE", "0.2"),
        **{k: v for k, v in env.items() if k.startswith("PANJEREH_GAP_")},
    }
