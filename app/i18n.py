"""Language helpers: locale selection, text direction, Persian digits, Jalali dates, money.

Babel formats Persian separators (``1٬234``) but keeps Latin digits and the
Gregorian calendar, so fa pages go through :func:`fa_digits` and jdatetime.
"""

from __future__ import annotations

from datetime import date, datetime

import jdatetime
from babel import Locale
from babel.numbers import format_decimal
from flask import current_app, g, request
from flask_babel import get_locale, gettext

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
FA_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)


def select_locale() -> str:
    """The URL decides (``/fa/…``, ``/en/…``); the API may ask with ``?lang=``; else the saved cookie."""
    languages = current_app.config["LANGUAGES"]
    lang = getattr(g, "lang_code", None)
    if lang in languages:
        return lang
    asked = request.args.get("lang") if request else None
    if asked in languages:
        return asked
    saved = request.cookies.get("lang") if request else None
    if saved in languages:
        return saved
    if request and request.path.startswith("/api/"):
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_lang() -> str:
    return str(get_locale() or "fa")


def text_direction(lang: str) -> str:
    return Locale.parse(lang).text_direction  # "rtl" for fa


def fa_digits(value) -> str:
    return str(value).translate(FA_DIGITS)


def localise_digits(value, lang: str | None = None) -> str:
    lang = lang or current_lang()
    text = "" if value is None else str(value)
    return text.translate(FA_DIGITS) if lang == "fa" else text


def number(value, lang: str | None = None, digits: int = 0) -> str:
    """Group-separated number in the page's language and digits."""
    lang = lang or current_lang()
    if value is None:
        return "—"
    fmt = "#,##0" if digits == 0 else "#,##0." + "#" * digits
    # numbering_system="default" gives Persian separators (٬ and ٫) for fa, Latin ones for en.
    return localise_digits(format_decimal(value, format=fmt, locale=lang, numbering_system="default"), lang)


def percent(value, lang: str | None = None) -> str:
    """A share in [0, 1] as a whole percentage: «۶۵٪» / "65%"."""
    lang = lang or current_lang()
    if value is None:
        return "—"
    whole = number(round(float(value) * 100), lang)
    return whole + ("٪" if lang == "fa" else "%")


def calendar_date(value, lang: str | None = None) -> str:
    """Jalali with Persian month names on fa pages, ISO-like Gregorian on en pages."""
    lang = lang or current_lang()
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    if lang == "fa":
        j = jdatetime.date.fromgregorian(date=value)
        return fa_digits(f"{j.day} {FA_MONTHS[j.month - 1]} {j.year}")
    return value.strftime("%-d %B %Y") if isinstance(value, date) else str(value)


_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def money(rials, lang: str | None = None) -> str:
    """Rials, in words a person reads quickly: «۱۲٫۵ میلیارد ریال» / "12.5 billion rials"."""
    lang = lang or current_lang()
    if rials is None:
        return "—"
    rials = int(rials)
    for size, scale in _SCALES:
        if abs(rials) >= size:
            amount = number(rials / size, lang, digits=1)
            if scale == "trillion":
                return gettext("%(amount)s trillion rials", amount=amount)
            if scale == "billion":
                return gettext("%(amount)s billion rials", amount=amount)
            return gettext("%(amount)s million rials", amount=amount)
    return gettext("%(amount)s rials", amount=number(rials, lang))


def localised(obj, field: str, lang: str | None = None) -> str:
    """``obj.<field>_fa`` or ``obj.<field>_en`` for the page's language, falling back to the other."""
    lang = lang or current_lang()
    other = "en" if lang == "fa" else "fa"
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_{other}", "")
