"""flask translate ...: extract and compile the message catalogues."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parents[2]  # the repository (app/cli/translate.py)


translate_cli = AppGroup("translate", help="Extract, update and compile the message catalogues.")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate_cli.command("extract")
def translate_extract() -> None:
    """Extract messages into app/translations/messages.pot and update the .po files."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--add-comments=TRANSLATORS:", "--sort-by-file",
             "--no-wrap", "-o", "app/translations/messages.pot", ".")
    _pybabel("update", "-i", "app/translations/messages.pot", "-d", "app/translations", "--no-wrap",
             "--ignore-obsolete", "--no-fuzzy-matching")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the .po catalogues to .mo (done by make and by the test session)."""
    _pybabel("compile", "-d", "app/translations", "--statistics")
