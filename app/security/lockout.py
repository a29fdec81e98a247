"""Sign-in lock-out per account, that its owner can always lift.

Failed passwords for one address are counted against ``PANJEREH_LOGIN_LIMIT_ACCOUNT`` in the rate-limit
storage (memory, or Redis shared by every worker). Once the count is reached the account is locked: a wrong
password gets 429 with ``Retry-After`` without being counted further. A lock-out can never keep the owner
out: the right password still opens the second step for staff (its code is limited on its own), and for an
investor it sends an e-mailed unlock link (``app.services.accounts.queue_unlock``). Any completed sign-in
or a used unlock link clears the count.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse_many

from app.extensions import limiter

NAMESPACE = "login-failures"


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED"))


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _limits():
    return parse_many(current_app.config["PANJEREH_LOGIN_LIMIT_ACCOUNT"])


def locked_for(email: str) -> int:
    """Seconds until the account of ``email`` may try a password again (0: it is not locked)."""
    if not _enabled():
        return 0
    wait = 0.0
    for item in _limits():
        if not limiter.limiter.test(item, NAMESPACE, _key(email)):
            reset_at, _ = limiter.limiter.get_window_stats(item, NAMESPACE, _key(email))
            wait = max(wait, reset_at - time.time())
    return max(1, math.ceil(wait)) if wait > 0 else 0


def record_failure(email: str) -> None:
    if _enabled():
        for item in _limits():
            limiter.limiter.hit(item, NAMESPACE, _key(email))


def lift(email: str) -> None:
    """Forget the failures of ``email`` (a completed sign-in, or the owner's unlock link)."""
    if _enabled():
        for item in _limits():
            limiter.limiter.clear(item, NAMESPACE, _key(email))
