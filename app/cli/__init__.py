"""The ``flask`` command groups, one module per group; ``register`` adds them all."""

from __future__ import annotations

from app.cli.cases import cases_cli
from app.cli.chains import chains_cli
from app.cli.data import data_cli
from app.cli.mail import mail_cli
from app.cli.matching import matching_cli
from app.cli.seed import seed_command
from app.cli.translate import translate_cli
from app.cli.users import users_cli


def register(app) -> None:
    for command in (seed_command, users_cli, translate_cli, chains_cli, matching_cli, data_cli, mail_cli,
                    cases_cli):
        app.cli.add_command(command)
