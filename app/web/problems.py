"""Import problems as a page reads them (docs/persian-style.md).

A job keeps each problem's messages in both languages (``app.services.transfer.jobs.problem_dicts``). A
value not allowed in a coded column is worded again here, in the page's language, with each allowed
value's label from the one label table (``app.web.labels.choice_labels``) and its code isolated beside it:
the file must hold the code, so the reader needs both. Isolated codes are marked as codes by the
``mark_codes`` filter.
"""

from __future__ import annotations

import re

from flask_babel import gettext

from app.i18n import current_lang, isolate
from app.web.context import list_separator
from app.web.labels import choice_labels
from chains.errors import FIELD_LABELS_FA

_LATIN = re.compile(r"[A-Za-z0-9]")


def problem_text(problem: dict, lang: str | None = None) -> str:
    """The reason of one stored import problem in ``lang`` (the page's language by default)."""
    lang = lang or current_lang()
    allowed = problem.get("allowed")
    if problem.get("code") != "bad_choice" or not allowed:
        return problem.get("message_fa" if lang == "fa" else "message_en") or ""
    column = problem.get("column") or ""
    labels = choice_labels(column) or {}
    choices = list_separator().join(f"{labels[c]} ({isolate(c, lang)})" if c in labels else isolate(c, lang)
                                    for c in allowed)
    value = str(problem.get("value", ""))
    return gettext("The value “%(value)s” is not allowed in the column “%(column)s”; allowed values: %(choices)s",
                   value=isolate(value, lang) if _LATIN.search(value) else value,
                   column=FIELD_LABELS_FA.get(column, column) if lang == "fa" else column, choices=choices)
