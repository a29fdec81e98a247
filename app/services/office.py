"""The office's own details (name, address, phone, hours, privacy and accessibility statements).

One row, edited by the administrator; until it is first saved the site shows the defaults below.
The header and the footer of every page and the about page read it through :func:`office`.
"""

from __future__ import annotations

import re

from flask import g
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import OfficeSettings
from app.services.audit import audit
from app.services.errors import Conflict, Invalid, both, check_version
from app.services.graph import per_data_version
from chains.nomenclature import normalize_digits

FIELDS = ("office_name_fa", "office_name_en", "address_fa", "address_en", "phone", "hours_fa", "hours_en",
          "privacy_fa", "privacy_en", "accessibility_fa", "accessibility_en")
LIMITS = {"office_name_fa": 200, "office_name_en": 200, "address_fa": 500, "address_en": 500, "phone": 40,
          "hours_fa": 300, "hours_en": 300, "privacy_fa": 5000, "privacy_en": 5000,
          "accessibility_fa": 5000, "accessibility_en": 5000}
REQUIRED = ("office_name_fa", "office_name_en")
PHONE = re.compile(r"\+?[0-9][0-9 \-]{4,38}")

DEFAULTS = {
    "office_name_fa": "پنجره واحد سرمایه‌گذاری استان آذربایجان شرقی",
    "office_name_en": "East Azerbaijan Investment Single Window",
    "address_fa": "تبریز، استانداری آذربایجان شرقی، معاونت هماهنگی امور اقتصادی (دبیرخانهٔ قرارگاه جهش تولید)",
    "address_en": ("Tabriz, East Azerbaijan Governorate, Economic Affairs Deputy "
                   "(secretariat of the Production Leap HQ)"),
    "phone": "",
    "hours_fa": "",
    "hours_en": "",
    "privacy_fa": (
        "این سامانه فقط چیزی را نگه می‌دارد که برای کار پنجره واحد لازم است: نشانی ایمیل و نام حساب‌ها، و "
        "مشخصاتی که خودتان یا کارشناس میز خدمت برای پیدا کردن فرصت‌های مناسب وارد می‌کنید. وقتی برای "
        "فرصتی اعلام علاقه می‌کنید، مشخصات شما فقط برای دستگاه مسئول همان فرصت فرستاده می‌شود. سامانه جز "
        "کوکی ورود و کوکی زبان، کوکی دیگری نمی‌گذارد و هیچ فایلی از سرویس‌های بیرونی بارگیری نمی‌کند."),
    "privacy_en": (
        "This service keeps only what the single window needs: the e-mail address and name of each account, "
        "and the profile you or a desk officer enter to find suitable opportunities. When you express interest "
        "in an opportunity, your profile is sent only to the agency responsible for it. Apart from the sign-in "
        "cookie and the language cookie the site sets no cookies, and it loads nothing from outside services."),
    "accessibility_fa": (
        "هدف ما این است که همهٔ صفحه‌ها با صفحه‌کلید، صفحه‌خوان و گوشی همراه قابل استفاده باشند (مطابق "
        "رهنمود دسترس‌پذیری محتوای وب، نسخهٔ ۲٫۱). هر صفحه به هر دو زبان با ابزار خودکار آزموده می‌شود. اگر جایی از "
        "سامانه برایتان قابل استفاده نیست، با دفتر تماس بگیرید تا کار شما را از راه دیگری انجام دهیم."),
    "accessibility_en": (
        "We aim for every page to work with a keyboard, a screen reader and a phone (WCAG 2.1, level AA). "
        "Every page is tested automatically in both languages. If part of the service does not work for you, "
        "contact the office and we will help you another way."),
}


def office() -> OfficeSettings:
    """The saved settings, or the defaults, as an unsaved row (read once per data version: saving the settings
    bumps it, ``services.versions``; every page shows them in its header and footer)."""
    if "pj_office" not in g:
        g.pj_office = per_data_version("office", _read_office)
    return g.pj_office


def _read_office() -> OfficeSettings:
    row = db.session.scalar(select(OfficeSettings).order_by(OfficeSettings.id).limit(1))
    if row is None:
        return OfficeSettings(**DEFAULTS, version=0)
    # A copy outside any session, shared read-only by the process's threads until the data version changes.
    return OfficeSettings(**{name: getattr(row, name) for name in FIELDS}, version=row.version)


def office_values(row: OfficeSettings) -> dict[str, str]:
    return {name: getattr(row, name) or "" for name in FIELDS}


def _problems(values: dict[str, str]) -> list:
    problems = []
    for name in FIELDS:
        value = values.get(name, "")
        if name in REQUIRED and not value:
            problems.append(both(lambda: gettext("Fill this in."), "required", name))
        elif len(value) > LIMITS[name]:
            problems.append(both(lambda n=name: gettext("Keep this under %(n)s characters.", n=LIMITS[n]),
                                 "too_long", name))
    if values.get("phone") and not PHONE.fullmatch(values["phone"]):
        problems.append(both(lambda: gettext("Write the phone number with digits, spaces or dashes only."),
                             "bad_phone", "phone"))
    return problems


MULTILINE = {"privacy_fa", "privacy_en", "accessibility_fa", "accessibility_en"}


def _clean(name: str, value) -> str:
    text = str(value or "")
    return text.strip() if name in MULTILINE else " ".join(text.split())


def save_office(values: dict, version, user) -> OfficeSettings:
    """Validate and store the settings; raises Invalid (nothing written) or Conflict (stale form)."""
    cleaned = {name: _clean(name, values.get(name)) for name in FIELDS}
    cleaned["phone"] = normalize_digits(cleaned["phone"])
    problems = _problems(cleaned)
    if problems:
        raise Invalid(problems)
    row = db.session.scalar(select(OfficeSettings).order_by(OfficeSettings.id).limit(1))
    if row is None:
        if str(version).strip() != "0":
            raise Conflict()
        row = OfficeSettings(id=1, **cleaned)
        try:
            with db.session.begin_nested():  # two first saves at once: the second finds the row taken
                db.session.add(row)
        except IntegrityError:
            raise Conflict() from None
        audit("create", "settings", "office", after=cleaned, user=user)
    else:
        check_version(row, version)
        before = office_values(row)
        changed = {k: v for k, v in cleaned.items() if before[k] != v}
        if changed:
            for key, value in changed.items():
                setattr(row, key, value)
            db.session.flush()
            audit("update", "settings", "office", before={k: before[k] for k in changed}, after=changed, user=user)
    g.pop("pj_office", None)
    return row
