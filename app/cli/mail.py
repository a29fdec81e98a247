"""flask mail send: deliver the outbox."""

from __future__ import annotations

import smtplib

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services.mail import send_pending

mail_cli = AppGroup("mail", help="Deliver queued e-mail.")


@mail_cli.command("send")
@click.option("--limit", default=None, type=int, help="Send at most this many messages.")
def mail_send(limit: int | None) -> None:
    """Deliver the outbox through the configured sender."""
    try:
        sent = send_pending(limit=limit)
    except (smtplib.SMTPException, OSError, RuntimeError) as exc:
        raise click.ClickException(f"mail not sent: {exc}") from exc
    db.session.commit()
    waiting = db.session.scalar(select(db.func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None)))
    click.echo(f"sent {sent} messages; {waiting} waiting")
