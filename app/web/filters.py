"""Template filters: numbers, money, dates and names in the page's language."""

from __future__ import annotations

from app.i18n import calendar_date, localise_digits, localised, money, number, percent
from app.web.context import extract, lang_join


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
    )
