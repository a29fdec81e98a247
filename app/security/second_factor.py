"""The second factor: TOTP codes (each usable once), one-time recovery codes, and the half-done sign-in.

Staff roles (admin, hq, agency_editor, desk_staff) sign in with a password and then a TOTP code
or a one-time recovery code; investors use a password only."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import datetime, timezone

import pyotp
import segno
from flask import current_app, session
from limits.storage import storage_from_string
from markupsafe import Markup

from app.extensions import db
from app.models import User
from chains.nomenclature import normalize_digits

# The Chamber's working group is staff-like: its accounts are created by an administrator and its demands
# become obstacles and opportunities in the secretariat's records, so it signs in with a second factor too.
STAFF_ROLES = frozenset({"admin", "hq", "agency_editor", "desk_staff", "chamber"})


ISSUER = "Panjereh"


RECOVERY_CODE_COUNT = 10


PENDING_SECONDS = 300  # a half-done sign-in expires after five minutes


_PENDING_KEY = "pending_login"


_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def init_app(app) -> None:
    # Used TOTP steps are remembered here (per application, shared through Redis when configured),
    # so a code can be used only once in its validity period (ASVS 2.8.4).
    app.extensions["panjereh_otp_store"] = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")


def needs_second_factor(user: User) -> bool:
    return user.role in STAFF_ROLES


# ---------------------------------------------------------------- TOTP
def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> Markup:
    """The otpauth URI as inline SVG markup: no XML declaration, no style attributes (CSP allows it)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title=title,
                                                  svgclass="totp-qr", lineclass=None)
    return Markup(svg)


def clean_code(text: str | None) -> str:
    """Codes as typed: Persian or Arabic digits, spaces and dashes are all accepted."""
    return "".join(ch for ch in normalize_digits(text or "") if ch.isalnum()).upper()


def verify_totp(user: User, code: str) -> bool:
    """Check a six-digit code (one step of clock drift either way); each step is accepted once."""
    code = clean_code(code)
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time()
    for drift in (0, -1, 1):
        at = now + drift * totp.interval
        if hmac.compare_digest(totp.at(at), code):
            step = totp.timecode(_as_datetime(at))
            store = current_app.extensions["panjereh_otp_store"]
            # Expire once the step can no longer be valid (three steps with drift).
            if store.incr(f"totp-used:{user.id}:{step}", 4 * totp.interval) > 1:
                return False
            return True
    return False


def _as_datetime(ts: float):

    return datetime.fromtimestamp(ts, tz=timezone.utc)


# ---------------------------------------------------------------- recovery codes
def _hash_recovery(code: str, salt: str) -> str:
    return hashlib.sha256((salt + ":" + code).encode()).hexdigest()


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """Ten codes to show once (``XXXX-XXXX-XXXX-XXXX``, 80 bits each) and their salted hashes to store."""
    shown, stored = [], []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        salt = secrets.token_hex(8)
        shown.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
        stored.append(f"{salt}${_hash_recovery(raw, salt)}")
    return shown, stored


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once: the matching hash is removed (the caller commits)."""
    code = clean_code(code)
    if len(code) != 16:
        return False
    remaining = list(user.recovery_codes or [])
    for entry in remaining:
        salt, _, digest = entry.partition("$")
        if hmac.compare_digest(_hash_recovery(code, salt), digest):
            remaining.remove(entry)
            user.recovery_codes = remaining  # a new list, so the JSON column is seen as changed
            return True
    return False


def enrol(user: User) -> list[str]:
    """Confirm the pending TOTP secret and return fresh recovery codes (shown once)."""
    shown, stored = new_recovery_codes()
    user.totp_confirmed = True
    user.recovery_codes = stored
    return shown


def reset_second_factor(user: User) -> None:
    """Forget the TOTP secret and recovery codes; the user enrols again at the next sign-in."""
    user.totp_secret = None
    user.totp_confirmed = False
    user.recovery_codes = None
    user.session_version += 1


# ---------------------------------------------------------------- the half-done sign-in
def start_pending(user: User, remember: bool, next_url: str | None) -> None:
    session[_PENDING_KEY] = {"uid": user.id, "ver": user.session_version, "exp": int(time.time()) + PENDING_SECONDS,
                             "remember": bool(remember), "next": next_url}


def pending_login() -> tuple[User, dict] | tuple[None, None]:
    """The user whose password was right but who has not yet passed the second step, if still fresh."""
    state = session.get(_PENDING_KEY)
    if not isinstance(state, dict) or state.get("exp", 0) < time.time():
        session.pop(_PENDING_KEY, None)
        return None, None
    user = db.session.get(User, state.get("uid"))
    if user is None or not user.active or user.session_version != state.get("ver"):
        session.pop(_PENDING_KEY, None)
        return None, None
    return user, state


def clear_pending() -> None:
    session.pop(_PENDING_KEY, None)
