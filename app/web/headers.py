"""Security headers on every response, and ``Cache-Control: no-store`` on every private one."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

#: Blueprints whose pages are for signed-in staff only (and sign-in itself): never kept by any cache.
PRIVATE_BLUEPRINTS = frozenset({"auth", "admin", "desk", "portal", "transfer", "hq"})


def is_private(response) -> bool:
    """By rule, not per view: a staff blueprint, a file download (exports), or anything a signed-in user sees."""
    if request.blueprint in PRIVATE_BLUEPRINTS:
        return True
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return True
    return bool(current_user and current_user.is_authenticated)


def security_headers(response):
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if is_private(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
        response.vary.add("Cookie")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
