"""Configuration from the environment.

``DATABASE_URL`` selects the database (default: ``instance/panjereh.db``, SQLite).
``SECRET_KEY`` is read from the environment; when unset, a random key is generated
once into ``instance/secret_key`` and reused — there is never a hard-coded key.
Other settings are ``PANJEREH_*`` variables.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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


DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """A setting a deployment needs is missing or malformed: the application refuses to start."""


def is_production(config) -> bool:
    return config.get("PANJEREH_ENV") == "production" or bool(config.get("SESSION_COOKIE_SECURE"))


def check(config) -> None:
    """Refuse to start a production deployment without a public base URL; give development its default.

    E-mailed links (registration, unlock) are built on ``PANJEREH_BASE_URL`` only, so a forged ``Host``
    header can never put another site's address into someone's mail."""
    base = (config.get("PANJEREH_BASE_URL") or "").strip().rstrip("/")
    if not base:
        if is_production(config):
            raise ConfigError("PANJEREH_BASE_URL must be set in production (e.g. https://panjereh.example.ir): "
                              "e-mailed links are built on it, never on the request's Host header")
        base = DEVELOPMENT_BASE_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
        raise ConfigError(f"PANJEREH_BASE_URL must be a scheme and host only, like https://panjereh.example.ir "
                          f"(got {base!r})")
    if is_production(config) and parts.scheme != "https" and config.get("SESSION_COOKIE_SECURE"):
        raise ConfigError("PANJEREH_BASE_URL must start with https:// when PANJEREH_HTTPS=1")
    config["PANJEREH_BASE_URL"] = base
def engine_options(url: str, env=os.environ) -> dict:
    """Connection pool settings. Every checkout is pinged first (a database restarted under the app costs
    the requests in flight, not the rest of the process's life). On PostgreSQL each process holds
    ``PANJEREH_DB_POOL_SIZE`` connections (default 10: one per gunicorn thread, gunicorn.conf.py) plus
    ``PANJEREH_DB_MAX_OVERFLOW`` (default 5), waits at most ``PANJEREH_DB_POOL_TIMEOUT`` seconds for one,
    and gives up connecting after ``PANJEREH_DB_CONNECT_TIMEOUT`` seconds instead of hanging a worker."""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options.update(
            pool_size=int(env.get("PANJEREH_DB_POOL_SIZE", "10")),
            max_overflow=int(env.get("PANJEREH_DB_MAX_OVERFLOW", "5")),
            pool_timeout=float(env.get("PANJEREH_DB_POOL_TIMEOUT", "10")),
            pool_recycle=int(env.get("PANJEREH_DB_POOL_RECYCLE", "1800")),
            connect_args={"connect_timeout": int(env.get("PANJEREH_DB_CONNECT_TIMEOUT", "5"))},
        )
    return options


def from_environment(instance_path: str) -> dict:
    env = os.environ
    db_url = _normalise_db_url(env.get("DATABASE_URL") or "sqlite:///" + str(Path(instance_path) / "panjereh.db"))
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(db_url, env),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LANGUAGE,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": LANGUAGES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("PANJEREH_HTTPS", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": env.get("PANJEREH_HTTPS", "0") == "1",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Server-side session lifetimes (app/security/sessions.py); the remember-me cookie lives as long.
        "PANJEREH_SESSION_HOURS": int(env.get("PANJEREH_SESSION_HOURS", "12")),
        "PANJEREH_REMEMBER_DAYS": int(env.get("PANJEREH_REMEMBER_DAYS", "30")),
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(env.get("PANJEREH_REMEMBER_DAYS", "30"))),
        # Sign-in limits (Flask-Limiter strings; ";" separates several). Shared across workers via REDIS_URL.
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "PANJEREH_LOGIN_LIMIT_ACCOUNT": env.get("PANJEREH_LOGIN_LIMIT_ACCOUNT", "5/minute;20/hour"),
        "PANJEREH_LOGIN_LIMIT_IP": env.get("PANJEREH_LOGIN_LIMIT_IP", "30/minute"),
        # Public obstacle reports per address (the form has a honeypot field besides).
        "PANJEREH_OBSTACLE_LIMIT": env.get("PANJEREH_OBSTACLE_LIMIT", "5/hour;20/day"),
        # Case look-ups on /track per address (a 16-digit code has ~10^15 values: guessing is hopeless at this rate).
        "PANJEREH_TRACK_LIMIT": env.get("PANJEREH_TRACK_LIMIT", "20/minute;200/hour"),
        # Outgoing mail: "log" (default) or "smtp".
        "PANJEREH_MAIL_SENDER": env.get("PANJEREH_MAIL_SENDER", "log"),
        # Links in e-mail are built on this address (e.g. https://panjereh.example.ir), never on the Host header.
        # Required in production; elsewhere it defaults to the address `make run` serves on.
        "PANJEREH_BASE_URL": env.get("PANJEREH_BASE_URL", ""),
        # The desk's own address and phone, printed on the applicant's sheet.
        "PANJEREH_DESK_ADDRESS": env.get("PANJEREH_DESK_ADDRESS", ""),
        # "production" (or PANJEREH_HTTPS=1) makes the settings a public deployment needs compulsory.
        "PANJEREH_ENV": env.get("PANJEREH_ENV", "development"),
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
        # Where the task consumer saves the match index for the web workers (default: the instance folder).
        "PANJEREH_INDEX_DIR": env.get("PANJEREH_INDEX_DIR", ""),
        "PANJEREH_PROVINCE": env.get("PANJEREH_PROVINCE", "east_azerbaijan"),
        "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
        # Gap thresholds and weights (chains.settings.GapSettings) as PANJEREH_GAP_<FIELD>.
        # A shortfall under 20% of local use is ordinary trade, not a missing link.
        "PANJEREH_GAP_SHORTFALL_MIN_SHARE": env.get("PANJEREH_GAP_SHORTFALL_MIN_SHARE", "0.2"),
        **{k: v for k, v in env.items() if k.startswith("PANJEREH_GAP_")},
    }
