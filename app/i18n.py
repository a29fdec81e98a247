"""Language helpers: locale selection, text direction, Persian digits, Jalali dates, money.

Babel formats Persian separators (``1٬234``) but keeps Latin digits and the
Gregorian calendar, so fa pages go through :func:`fa_digits` and jdatetime.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

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


def isolate(value, lang: str | None = None) -> str:
    """Plain-text isolation for places that take no markup (a flash message, a <title>, an attribute):
    the value's digits in the page's language between LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE,
    so a code or a date keeps its order inside a Persian sentence."""
    return "\u2066" + localise_digits(value, lang) + "\u2069"


def number(value, lang: str | None = None, digits: int = 0) -> str:
    """Group-separated number in the page's language and digits."""
    lang = lang or current_lang()
    if value is None:
        return "—"
    return _number(value, lang, digits)


@lru_cache(maxsize=8192)  # a list page formats the same few hundred counts and amounts on every request
def _number(value, lang: str, digits: int) -> str:
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


TEHRAN = ZoneInfo("Asia/Tehran")


def tehran(value: datetime) -> datetime:
    """A stored moment (naive values are UTC) as Tehran wall-clock time, the time every page shows."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(TEHRAN)


def clock_time(value, lang: str | None = None) -> str:
    """Tehran time of day, ``۱۴:۰۵`` / ``14:05``."""
    if value is None:
        return "—"
    return localise_digits(tehran(value).strftime("%H:%M"), lang)


def calendar_date(value, lang: str | None = None) -> str:
    """Jalali with Persian month names on fa pages, Gregorian on en pages; moments are taken in Tehran time."""
    lang = lang or current_lang()
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = tehran(value).date()
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


# Persian alphabetical order (docs/persian-style.md, "Lists"): the 32 letters in dictionary order, with
# Arabic forms (ي ك ة أ إ ؤ ئ) read as their Persian letters and ZWNJ, tatweel and diacritics ignored.
# Letters outside the table (Latin, digits) sort after Persian by code point; case is folded.
FA_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا",
                       "ؤ": "و", "\u200c": None, "\u0640": None, **{chr(c): None for c in range(0x064B, 0x0653)}})
_RANK = {ch: i for i, ch in enumerate(FA_ALPHABET)}


def collation_key(text) -> tuple:
    """Sort key for names in Persian dictionary order (English names: case-insensitive).

    >>> sorted(["مرند", "آذرشهر", "تبریز", "اهر", "بناب"], key=collation_key)
    ['آذرشهر', 'اهر', 'بناب', 'تبریز', 'مرند']
    """
    folded = str(text or "").translate(_FOLD).casefold()
    return tuple((0, _RANK[ch]) if ch in _RANK else (1, ord(ch)) for ch in folded)


def sort_by_name(items, name=lambda item: item) -> list:
    """Items in the page's alphabetical order of ``name(item)`` — every list a person picks from."""
    return sorted(items, key=lambda item: collation_key(name(item)))


def by_name(rows, field: str = "name", lang: str | None = None) -> list:
    """ORM rows (counties, sectors, chains, agencies, products) in alphabetical order of their name in
    the page's language: Persian dictionary order on fa pages."""
    lang = lang or current_lang()
    return sort_by_name(rows, lambda row: localised(row, field, lang))


def jalali_text(iso: str) -> str:
    """An ISO date cell as the Jalali date a Persian page shows in the form (1403/06/31)."""
    if not iso or current_lang() != "fa":
        return iso
    try:
        j = jdatetime.date.fromgregorian(date=date.fromisoformat(iso))
    except ValueError:
        return iso
    return localise_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")
