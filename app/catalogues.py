"""Compiled message catalogues at start-up: Persian pages are never shown in English silently.

Flask-Babel reads only the compiled ``messages.mo``. When it is missing, gettext
falls back to the English msgids without a word; when it is older than its
``messages.po``, the newest translations are missing. :func:`ensure_catalogues`
compiles every such catalogue with Babel's own API before the app serves
anything, and stops start-up with :class:`CatalogueError` (which names the file
and the reason) when a catalogue cannot be read or written.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


class CatalogueError(RuntimeError):
    """A message catalogue that cannot be compiled: the app must not start without it."""


def translation_directories(app) -> list[Path]:
    """The folders Flask-Babel reads, resolved as it resolves them (``;``-separated, relative to the app)."""
    value = app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations")
    dirs = []
    for entry in str(value).split(";"):
        if entry:
            path = Path(entry)
            dirs.append(path if path.is_absolute() else Path(app.root_path) / path)
    return dirs


def is_stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogue(po: Path, mo: Path) -> list[str]:
    """Write ``mo`` from ``po`` (atomically); returns the checker's complaints (placeholders…) as text."""
    locale = po.parent.parent.name
    try:
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale, domain=po.stem, abort_invalid=True)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        tmp = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        tmp.write_bytes(buffer.getvalue())
        os.replace(tmp, mo)  # concurrent workers each write a whole file; the last one wins
    except Exception as exc:  # noqa: BLE001 - any failure means the language would silently be English
        raise CatalogueError(
            f"The {locale!r} message catalogue {po} cannot be compiled ({type(exc).__name__}: {exc}); "
            f"without it {locale!r} pages would be shown in English. Fix the file, or run `make translations` "
            f"to see the errors."
        ) from exc
    return [f"{po}:{message.lineno}: {error}" for message, errors in catalog.check() for error in errors]


def ensure_catalogues(app) -> list[Path]:
    """Compile each missing or stale ``.mo`` under the app's translation folders; returns those compiled."""
    compiled = []
    for directory in translation_directories(app):
        for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not is_stale(po, mo):
                continue
            for problem in compile_catalogue(po, mo):
                app.logger.warning("message catalogue: %s", problem)
            compiled.append(mo)
    return compiled
