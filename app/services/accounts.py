"""Account mail: confirmation links and the already-registered notice, queued in the outbox."""

from __future__ import annotations

import time

from email_validator import EmailNotValidError, validate_email
from flask import (
    current_app,
    has_request_context,
    url_for,
)
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, User
from app.security.tokens import UNLOCK_MAX_AGE, confirmation_token, unlock_token
from app.services.mail import deliver_mail_after_commit


# ---------------------------------------------------------------- addresses
def email_problem(email: str) -> str | None:
    """Why the sign-in and registration forms would refuse ``email`` (their ``Email()`` and ``Length(max=254)``
    checks, the same library and options), or None. The CLI asks here so it never makes an account nobody
    can sign in to."""
    if len(email) > 254:
        return "longer than 254 characters"
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


# ---------------------------------------------------------------- investor registration
def mail_link(endpoint: str, lang: str, **values) -> str:
    """An address for an e-mail: always on PANJEREH_BASE_URL (app.config.check), never on the Host header.

    Also outside a request (a scheduled task): the path is built in a request context of its own."""
    base = current_app.config["PANJEREH_BASE_URL"]
    if has_request_context():
        return base + url_for(endpoint, lang_code=lang, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, lang_code=lang, **values)


def _queue_mail(kind: str, user: User, lang: str, subject: str, body: str, window: int = 60) -> None:
    # One message of a kind per account per ``window`` seconds: double clicks and reloads send nothing twice.
    key = f"{kind}:{user.id}:{int(time.time()) // window}"
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return
    db.session.add(OutboxMessage(kind=kind, to=user.email, lang=lang, subject=subject, body=body, dedupe_key=key))
    deliver_mail_after_commit()


def queue_confirmation(user: User, lang: str) -> None:
    link = mail_link("auth.confirm_email", lang, token=confirmation_token(user))
    with force_locale(lang):
        subject = gettext("Confirm your email address for Panjereh")
        body = gettext("Hello %(name)s,\n\nTo finish registering with Panjereh, the investment single window of "
                       "East Azerbaijan, open this link within three days:\n\n%(link)s\n\nIf you did not register, "
                       "you can ignore this message.", name=user.name or user.email, link=link)
    _queue_mail("confirm_email", user, lang, subject, body)


def _queue_already_registered(user: User, lang: str) -> None:
    link = mail_link("auth.login", lang)
    with force_locale(lang):
        subject = gettext("You already have a Panjereh account")
        body = gettext("Hello,\n\nSomeone tried to register again with this email address. You already have an "
                       "account; sign in here:\n\n%(link)s\n\nIf this was not you, you can ignore this message.",
                       link=link)
    _queue_mail("account_exists", user, lang, subject, body)


def queue_unlock(user: User, lang: str) -> None:
    """The link that lifts a sign-in lock-out, to the account's own address (one per quarter hour)."""
    link = mail_link("auth.unlock", lang, token=unlock_token(user))
    with force_locale(lang):
        subject = gettext("Unlock signing in to your Panjereh account")
        body = gettext("Hello,\n\nSomeone typed wrong passwords for your Panjereh account several times, so signing "
                       "in is locked for a while. If it was you, open this link within an hour to unlock it:"
                       "\n\n%(link)s\n\nIf it was not you, nobody has signed in; you can ignore this message, "
                       "or change your password after signing in.", link=link)
    _queue_mail("unlock", user, lang, subject, body, window=UNLOCK_MAX_AGE // 4)
