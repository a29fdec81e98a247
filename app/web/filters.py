"""Template filters: numbers, money, dates, codes and names in the page's language (docs/persian-style.md).

``code`` is the one way to show an identifier a person may read out or type — an HS code, an
opportunity or applicant ref, a tracking code, a slug: Persian digits on fa pages, isolated left to
right (``<bdi dir="ltr">``) so its order survives inside a Persian sentence. ``latin`` marks text that
stays in Latin script on every page (an e-mail address, a file name, a format name such as CSV) with
``lang="en"`` and the same isolation.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.i18n import calendar_date, clock_time, localise_digits, localised, money, number, percent
from app.web.context import extract, lang_join


def code(value, lang: str | None = None) -> Markup:
    if value is None or value == "":
        return Markup("—")
    return Markup('<bdi dir="ltr" class="code" translate="no">{}</bdi>').format(localise_digits(value, lang))


def latin(value) -> Markup:
    if value is None or value == "":
        return Markup("—")
    return Markup('<bdi dir="ltr" lang="en" translate="no">{}</bdi>').format(escape(value))


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        digits=localise_digits,
        number=number,
        percent=percent,
        jdate=calendar_date,
        clock=clock_time,
        money=money,
        loc=localised,
        lang_join=lang_join,
        extract=extract,
        code=code,
        latin=latin,
    )
    app.jinja_env.globals.update(latin=latin)
