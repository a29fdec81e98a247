"""Domain errors that services raise and one handler turns into 400, 403 or 409 (HTML or JSON).

Services flush and raise; they never commit, so a raised error leaves nothing written once the
request's single commit point rolls back."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from chains.errors import ChainDataError


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one field, in both languages (the API and the form pick one)."""

    field: str
    code: str
    message_fa: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_fa if lang == "fa" else self.message_en

    def as_json(self, lang: str) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message(lang)}


class Invalid(Exception):
    """The input breaks the import rules or the authorisation rules; nothing was written."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__(", ".join(f"{p.field}:{p.code}" for p in problems))
        self.problems = problems


class Conflict(Exception):
    """Someone else saved the record since the form (or API client) read it; nothing was written.

    ``current`` may carry the stored values (as the API shows them) for the caller to compare."""

    def __init__(self, current: dict | None = None):
        super().__init__("conflict")
        self.current = current


class NotAllowed(Exception):
    """The user may not do this to this record (the access rules of ``app.security.authz``)."""


def both(message, code: str, field: str) -> FieldProblem:
    """A FieldProblem from ``message``, a callable returning a gettext string, run in each language."""
    with force_locale("fa"):
        fa = str(message())
    with force_locale("en"):
        en = str(message())
    return FieldProblem(field=field, code=code, message_fa=fa, message_en=en)


def from_chain_error(error: ChainDataError, rename: dict[str, str] | None = None) -> list[FieldProblem]:
    rename = rename or {}
    return [FieldProblem(rename.get(p.field, p.field), p.code, p.message_fa, p.message_en) for p in error.problems]


def check_version(row, version) -> None:
    """Refuse the write unless ``version`` (from the form or body) is the row's current version."""
    try:
        given = int(str(version).strip())
    except (TypeError, ValueError):
        raise Conflict() from None
    if given != row.version:
        raise Conflict()
