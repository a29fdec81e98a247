"""Outgoing mail: messages wait in the outbox table; a pluggable sender delivers them.

``PANJEREH_MAIL_SENDER`` picks the sender: ``log`` (default; writes to the application log and
marks the message sent) or ``smtp`` (``PANJEREH_SMTP_HOST``/``PORT``/``USER``/``PASSWORD``/``FROM``,
STARTTLS). ``flask mail send`` delivers everything still waiting.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, utcnow
from app.queue import after_commit, huey, task_context


class LogSender:
    """Writes each message to the application log; for development and single-machine installs."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send(self, message: OutboxMessage) -> None:
        current_app.logger.info("mail (%s) to %s: %s\n%s", message.kind, message.to, message.subject, message.body)


class SmtpSender:
    """One STARTTLS connection for a batch of messages."""

    def __init__(self, config):
        self.host = config["PANJEREH_SMTP_HOST"]
        self.port = int(config["PANJEREH_SMTP_PORT"])
        self.user = config["PANJEREH_SMTP_USER"]
        self.password = config["PANJEREH_SMTP_PASSWORD"]
        self.sender = config["PANJEREH_SMTP_FROM"] or self.user
        if not self.host or not self.sender:
            raise RuntimeError("PANJEREH_SMTP_HOST and PANJEREH_SMTP_FROM must be set for the smtp sender")
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        self.smtp = smtplib.SMTP(self.host, self.port, timeout=30)
        self.smtp.starttls(context=ssl.create_default_context())
        if self.user:
            self.smtp.login(self.user, self.password)
        return self

    def __exit__(self, *exc) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except smtplib.SMTPException:
                pass
            self.smtp = None

    def send(self, message: OutboxMessage) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = message.to
        msg["Subject"] = message.subject
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        msg["Content-Language"] = message.lang
        msg.set_content(message.body, charset="utf-8")
        self.smtp.send_message(msg)


SENDERS = {"log": lambda config: LogSender(), "smtp": SmtpSender}


def sender_from_config(config=None):
    config = config if config is not None else current_app.config
    name = config.get("PANJEREH_MAIL_SENDER", "log")
    if name not in SENDERS:
        raise RuntimeError(f"unknown PANJEREH_MAIL_SENDER {name!r}; use one of {sorted(SENDERS)}")
    return SENDERS[name](config)


def send_pending(sender=None, limit: int | None = None) -> int:
    """Deliver unsent outbox rows, oldest first, and mark each one sent; the caller commits.

    A failure stops the batch: what was sent stays marked, the rest waits for the next run.
    """
    query = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    if limit:
        query = query.limit(limit)
    messages = db.session.scalars(query).all()
    if not messages:
        return 0
    sent = 0
    with sender or sender_from_config() as delivery:
        for message in messages:
            try:
                delivery.send(message)
            except (smtplib.SMTPException, OSError) as exc:
                current_app.logger.error("mail to %s failed: %s", message.to, exc)
                break
            message.sent_at = utcnow()
            sent += 1
    db.session.flush()
    return sent


# ---------------------------------------------------------------- delivery as a task
def mail_queue_enabled() -> bool:
    return bool(current_app.config.get("PANJEREH_MAIL_QUEUE", os.environ.get("PANJEREH_MAIL_QUEUE", "1") == "1"))


def deliver_mail_after_commit() -> None:
    """Deliver the outbox once the messages just added are committed (unless PANJEREH_MAIL_QUEUE=0)."""
    if mail_queue_enabled():
        after_commit(deliver_mail)


@huey.task()
def deliver_mail() -> int:
    """Deliver everything waiting in the outbox; a failed message waits for the next run (commits)."""
    with task_context() as app:
        try:
            sent = send_pending()
        except (OSError, RuntimeError) as exc:
            app.logger.error("mail not sent: %s", exc)
            db.session.rollback()
            return 0
        db.session.commit()
        return sent
