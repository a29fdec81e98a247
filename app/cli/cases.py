"""flask cases …: the single window's scheduled work, by hand."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from app.services.cases.escalation import escalate_and_mail

cases_cli = AppGroup("cases", help="Single-window cases.")


@cases_cli.command("escalate")
@click.option("--today", "on", default=None, help="Run as of this date (YYYY-MM-DD); default today.")
def escalate_command(on: str | None) -> None:
    """Escalate overdue steps to HQ, deem approved where the template says so, and send the mail."""
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from exc
    counts = escalate_and_mail(day)
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
