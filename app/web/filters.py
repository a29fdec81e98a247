"""Template filters: numbers, money, dates and names in the page's language."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from app.i18n import calendar_date, current_lang, localise_digits, localised, money, number, percent
from app.web.context import extract, lang_join

# What a sentence may carry in Latin letters and digits: e-mail addresses, references (OPP-1403-002,
# APP-KXLTB2), codes and tracking codes of digits. In Persian sentences each is marked left to right.
_LATIN_CODE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
                         r"|[A-Z]{2,}(?:-[A-Z0-9]+)+|[0-9](?:[0-9-]*[0-9])?)(?![A-Za-z0-9])")


def mark_codes(text) -> Markup:
    """Escape a sentence (a flashed message) and, on a Persian page, wrap the codes in it in
    ``<bdi dir="ltr" class="code">``, as the ``code`` macro does in templates."""
    if isinstance(text, Markup) or current_lang() != "fa":
        return escape(text)
    text, out, start = str(text), [], 0
    for match in _LATIN_CODE.finditer(text):
        out += [escape(text[start:match.start()]), Markup('<bdi dir="ltr" class="code">{}</bdi>').format(match[0])]
        start = match.end()
    return Markup("").join([*out, escape(text[start:])])


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        digits=localise_digits,
        number=number,
        percent=percent,
        jdate=calendar_date,
        money=money,
        loc=localised,
        lang_join=lang_join,
        extract=extract,
        mark_codes=mark_codes,
    )
