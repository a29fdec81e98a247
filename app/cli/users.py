"""flask users ...: create accounts, reset a second factor, disable and enable."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, User
from app.security.passwords import hash_password
from app.security.second_factor import reset_second_factor
from app.services.accounts import email_problem
from app.services.audit import audit

users_cli = AppGroup("users", help="Manage staff and investor accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True,
              type=click.Choice(["admin", "hq", "agency_editor", "desk_staff", "investor", "chamber"]))
@click.option("--agency", default=None, help="Agency slug (required for agency_editor).")
@click.option("--name", default="")
@click.option("--password", default=None, help="Prompted for when not given.")
def create_user(email: str, role: str, agency: str | None, name: str, password: str | None) -> None:
    """Create an account."""

    email = email.strip().lower()
    problem = email_problem(email)
    if problem:
        raise click.BadParameter(f"not an address the sign-in form accepts: {problem}", param_hint="--email")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise click.ClickException(f"an account for {email} already exists")
    agency_row = None
    if agency:
        agency_row = db.session.scalar(select(Agency).where(Agency.slug == agency))
        if agency_row is None:
            raise click.BadParameter(f"unknown agency {agency!r}", param_hint="--agency")
    if role == "agency_editor" and agency_row is None:
        raise click.BadParameter("an agency editor needs --agency", param_hint="--agency")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    db.session.add(User(email=email, name=name, role=role, agency=agency_row, password_hash=hash_password(password)))
    db.session.commit()
    click.echo(f"created {role} {email}")
def _user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


@users_cli.command("reset-2fa")
@with_appcontext
@click.option("--email", required=True)
def reset_2fa_command(email: str) -> None:
    """Clear an account's second factor; it enrols again at the next sign-in (for a locked-out admin)."""

    user = _user_by_email(email)
    reset_second_factor(user)
    audit("update", "user", user.email, before={"totp_confirmed": True}, after={"totp_confirmed": False})
    db.session.commit()
    click.echo(f"second factor reset for {user.email}; every session of it has ended")


@users_cli.command("disable")
@with_appcontext
@click.option("--email", required=True)
def disable_command(email: str) -> None:
    """Disable an account and end all its sessions at once."""

    user = _user_by_email(email)
    if user.active:
        user.active = False
        user.session_version += 1
        audit("update", "user", user.email, before={"active": True}, after={"active": False})
        db.session.commit()
    click.echo(f"disabled {user.email}")


@users_cli.command("enable")
@with_appcontext
@click.option("--email", required=True)
def enable_command(email: str) -> None:
    """Enable a disabled account again."""

    user = _user_by_email(email)
    if not user.active:
        user.active = True
        audit("update", "user", user.email, before={"active": False}, after={"active": True})
        db.session.commit()
    click.echo(f"enabled {user.email}")
