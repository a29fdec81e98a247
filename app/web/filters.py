"""Template filters: numbers, money, dates, codes and names in the page's language (docs/persian-style.md).

``code`` is the one way to show an identifier a person may read out or type — an HS code, an
opportunity or applicant ref, a tracking code, a slug: Persian digits on fa pages, isolated left to
right (``<bdi dir="ltr">``) so its order survives inside a Persian sentence. ``latin`` marks text that
stays in Latin script on every page (an e-mail address, a file name, a format name such as CSV) with
``lang="en"`` and the same isolation.
"""

from __future__ import annotations

import inspect
import re

from flask_babel import gettext
from jinja2 import pass_context
from markupsafe import Markup, escape

from app.i18n import (
    calendar_date,
    clock_time,
    current_lang,
    isolate,
    localise_digits,
    localised,
    money,
    number,
    percent,
)
from app.services.codes import grouped
from app.web.context import extract, lang_join

# What a sentence may carry in Latin letters and digits: e-mail addresses, references (OPP-1403-002,
# APP-KXLTB2), codes and tracking codes of digits. In Persian sentences each is marked left to right.
# A value already isolated by ``isolate`` (LRI … PDI) is marked the same way, its isolate marks dropped.
_LATIN_CODE = re.compile(r"\u2066[^\u2066\u2069]*\u2069"
                         r"|(?<![A-Za-z0-9])(?:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
                         r"|[A-Z]{2,}(?:-[A-Z0-9]+)+|[0-9](?:[0-9-]*[0-9])?)(?![A-Za-z0-9])")


def mark_codes(text) -> Markup:
    """Escape a sentence (a flashed message) and, on a Persian page, wrap the codes in it in
    ``<bdi dir="ltr" class="code">``, as the ``code`` macro does in templates."""
    if isinstance(text, Markup) or current_lang() != "fa":
        return escape(text)
    text, out, start = str(text), [], 0
    for match in _LATIN_CODE.finditer(text):
        token = match[0].strip("\u2066\u2069")
        token = token if "@" in token else localise_digits(token)  # codes in Persian digits, as `code`
        out += [escape(text[start:match.start()]), Markup('<bdi dir="ltr" class="code">{}</bdi>').format(token)]
        start = match.end()
    return Markup("").join([*out, escape(text[start:])])


def code(value, lang: str | None = None) -> Markup:
    if value is None or value == "":
        return Markup("—")
    return Markup('<bdi dir="ltr" class="code" translate="no">{}</bdi>').format(localise_digits(value, lang))


def latin(value) -> Markup:
    if value is None or value == "":
        return Markup("—")
    return Markup('<bdi dir="ltr" lang="en" translate="no">{}</bdi>').format(escape(value))


def _per_request(function):
    """The filter as Jinja must call it on every render. Jinja folds a filter applied to a literal
    (``10|number``) once, when the template compiles, in whatever language that request had;
    a context-taking filter is never folded."""

    # The page's language is in the render's context (``lang``, app/web/context.py): handed to the filter when the
    # template names none, it saves a look-up through Flask-Babel's proxies per call (a list page makes hundreds).
    # A template rendered without that context (an imported macro's module) leaves the filter to look it up.
    params = list(inspect.signature(function).parameters)
    at = params.index("lang") if "lang" in params else None

    @pass_context
    def call(_context, *args, **kwargs):
        if at is not None and len(args) <= at and "lang" not in kwargs:
            lang = _context.get("lang")
            if lang:
                kwargs["lang"] = lang
        return function(*args, **kwargs)

    call.__name__ = call.__qualname__ = function.__name__
    call.__doc__ = function.__doc__
    return call


def date_hint() -> Markup:
    """The example under every date field: both calendars, each isolated so it reads in order."""
    return Markup(gettext("For example %(jalali)s or %(iso)s", jalali=code("1403/06/31"), iso=code("2024-09-21")))


def as_typed(value) -> Markup:
    """Free text shown as it was typed (a source, other names): no language claimed, direction from its letters."""
    if value is None or value == "":
        return Markup("—")
    return Markup('<bdi lang="" dir="auto">{}</bdi>').format(value)


def page_window(page: int, pages: int, edge: int = 2, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first and last ``edge``, and ``around`` either side of ``page``, with
    None where numbers are left out (shown as "…"). Work in proportion to what is shown, not to ``pages``.

    >>> page_window(7, 4504)
    [1, 2, None, 5, 6, 7, 8, 9, None, 4503, 4504]
    >>> page_window(1, 4)
    [1, 2, 3, 4]
    """
    shown = sorted({p for p in (*range(1, edge + 1), *range(page - around, page + around + 1),
                                *range(pages - edge + 1, pages + 1)) if 1 <= p <= pages})
    out: list[int | None] = []
    for p in shown:
        if out and p != out[-1] + 1:
            out.append(None)
        out.append(p)
    return out


def register_filters(app) -> None:
    language_dependent = {
        "digits": localise_digits, "number": number, "percent": percent, "jdate": calendar_date,
        "clock": clock_time, "money": money, "loc": localised, "lang_join": lang_join, "code": code,
        "isolate": isolate,
    }
    app.jinja_env.filters.update({name: _per_request(f) for name, f in language_dependent.items()})
    app.jinja_env.filters.update(extract=extract, latin=latin, as_typed=as_typed, mark_codes=mark_codes)
    # ``grouped``: a tracking code in four groups of four, as every page shows it (templates pass a string of the
    # same name where they show one code).
    app.jinja_env.globals.update(latin=latin, date_hint=date_hint, grouped=grouped, page_window=page_window)
