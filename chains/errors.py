"""Exceptions of the value-chain domain, with bilingual problem reports.

A reader never stops at the first bad cell: it collects every :class:`Problem`
and raises one :class:`ChainDataError` carrying them all, so an agency editor
can fix a whole spreadsheet in one pass. Each problem names the record (file
and row, or a product code), the column, a machine ``code`` that APIs and tests
rely on, and a message in Persian and in English.

>>> p = problem("unknown_hs_code", record="products.csv row 12", row=12,
...             field="code", code_value="7499")
>>> p.message_fa
'کد ۷۴۹۹ در فهرست نظام هماهنگ (HS) نیست'
>>> p.message_en
'Code 7499 is not in the Harmonized System (HS) list'
>>> str(ChainDataError([p]))
'products.csv row 12, column code: Code 7499 is not in the Harmonized System (HS) list'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Problem", "ChainDataError", "problem", "to_fa_digits", "MESSAGES", "FIELD_LABELS_FA"]

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def to_fa_digits(text: object) -> str:
    """Write ``text`` with Persian digits and the Persian decimal separator.

    >>> to_fa_digits(7409)
    '۷۴۰۹'
    >>> to_fa_digits("0.25")
    '۰٫۲۵'
    """
    return _DECIMAL_POINT.sub("٫", str(text)).translate(_FA_DIGITS)


#: The Persian column header of each field, as spreadsheets for agency editors
#: print it. Persian messages name columns by these labels.
FIELD_LABELS_FA: dict[str, str] = {
    "code": "کد",
    "nomenclature": "نظام کدگذاری",
    "name_fa": "نام فارسی",
    "name_en": "نام انگلیسی",
    "sector": "بخش",
    "stage": "مرحله",
    "unit": "واحد",
    "unit_price_rials": "قیمت واحد (ریال)",
    "capacity": "ظرفیت",
    "output": "تولید",
    "demand": "تقاضا",
    "inflow": "ورودی از خارج استان",
    "outflow": "خروجی به خارج استان",
    "active_units": "واحدهای فعال",
    "idle_units": "واحدهای راکد",
    "jobs": "اشتغال",
    "suited_for": "مناسب برای",
    "chains": "زنجیره‌ها",
    "aliases": "نام‌های دیگر",
    "source": "منبع",
    "agency": "دستگاه",
    "as_of": "تاریخ",
    "supplier": "تأمین‌کننده",
    "user": "مصرف‌کننده",
    "coefficient": "ضریب",
    "slug": "شناسه",
    "position": "ترتیب",
    "priority": "اولویت",
    "description_fa": "شرح فارسی",
    "description_en": "شرح انگلیسی",
    "category": "رده",
    "sectors": "بخش‌ها",
    "ref": "شماره",
    "title_fa": "عنوان فارسی",
    "title_en": "عنوان انگلیسی",
    "product": "محصول",
    "county": "شهرستان",
    "investment_min_rials": "کمینهٔ سرمایه‌گذاری (ریال)",
    "investment_max_rials": "بیشینهٔ سرمایه‌گذاری (ریال)",
    "incentives_fa": "مشوق‌ها (فارسی)",
    "incentives_en": "مشوق‌ها (انگلیسی)",
    "financing": "تأمین مالی",
    "status": "وضعیت",
    "gap_kind": "نوع شکاف",
    "applicant_type": "نوع متقاضی",
    "name": "نام",
    "capital_rials": "سرمایه (ریال)",
    "skills": "مهارت‌ها",
    "products": "محصولات",
    "counties": "شهرستان‌ها",
    "lang": "زبان",
}

#: Message templates by problem code: (Persian, English). Placeholders are
#: filled from the keyword arguments of :func:`problem`.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("ستون «{field}» خالی است", "Column {field} is empty"),
    "missing_column": (
        "ستون «{field}» در سطر عنوان جدول نیست",
        "Column {field} is missing from the header row",
    ),
    "missing_file": ("فایل {file} پیدا نشد", "File {file} was not found"),
    "unknown_hs_code": (
        "کد {code_value} در فهرست نظام هماهنگ (HS) نیست",
        "Code {code_value} is not in the Harmonized System (HS) list",
    ),
    "unknown_isic_code": (
        "کد {code_value} در فهرست طبقه‌بندی فعالیت‌ها (ISIC ویرایش ۴) نیست",
        "Code {code_value} is not an ISIC rev.4 class",
    ),
    "duplicate_code": (
        "کد {code_value} تکراری است و پیش‌تر در ردیف {first} آمده",
        "Code {code_value} is a duplicate of row {first}",
    ),
    "self_link": (
        "محصول {code_value} نمی‌تواند تأمین‌کنندهٔ خودش باشد",
        "Product {code_value} cannot be its own supplier",
    ),
    "duplicate_link": (
        "پیوند از {supplier} به {user} تکراری است و پیش‌تر در ردیف {first} آمده",
        "Link {supplier} → {user} is a duplicate of row {first}",
    ),
    "non_numeric": (
        "مقدار «{value}» در ستون «{field}» عدد نیست",
        'Value "{value}" in column {field} is not a number',
    ),
    "not_integer": (
        "مقدار «{value}» در ستون «{field}» باید عدد صحیح باشد",
        'Value "{value}" in column {field} must be a whole number',
    ),
    "negative": (
        "مقدار «{field}» نمی‌تواند منفی باشد ({value})",
        "Column {field} cannot be negative ({value})",
    ),
    "coefficient_not_positive": (
        "ضریب باید بزرگ‌تر از صفر باشد، ولی {value} است",
        "The coefficient must be greater than zero, not {value}",
    ),
    "out_of_range": (
        "مقدار «{field}» باید میان {low} و {high} باشد، ولی {value} است",
        "Column {field} must lie between {low} and {high}, not {value}",
    ),
    "output_above_capacity": (
        "تولید ({output}) از ظرفیت ({capacity}) بیشتر است",
        "Output ({output}) is above capacity ({capacity})",
    ),
    "min_above_max": (
        "کمینهٔ سرمایه‌گذاری ({low}) از بیشینهٔ آن ({high}) بیشتر است",
        "The minimum investment ({low}) is above the maximum ({high})",
    ),
    "bad_choice": (
        "مقدار «{value}» برای «{field}» مجاز نیست؛ مقدارهای مجاز: {choices}",
        'Value "{value}" is not allowed in column {field}; allowed: {choices}',
    ),
    "bad_slug": (
        "شناسهٔ «{value}» باید فقط حروف کوچک لاتین، رقم، خط تیره یا زیرخط داشته باشد",
        'Identifier "{value}" may only hold lower-case Latin letters, digits, "-" and "_"',
    ),
    "bad_date": (
        "تاریخ «{value}» معتبر نیست؛ آن را به شکل \u2066۱۴۰۳/۰۶/۳۱\u2069 یا \u2066۲۰۲۴-۰۹-۲۱\u2069 بنویسید",
        'Date "{value}" cannot be read; write it as 2024-09-21 or 1403/06/31',
    ),
    "bad_financing": (
        "مسیر تأمین مالی «{value}» نادرست است؛ به شکل bank:0.6|leasing:0.2 بنویسید",
        'Financing route "{value}" is malformed; write it as bank:0.6|leasing:0.2',
    ),
    "financing_sum_above_one": (
        "جمع سهم‌های تأمین مالی ({value}) از ۱ بیشتر است",
        "The financing shares add up to {value}, more than 1",
    ),
    "unknown_product": (
        "محصول {code_value} در فهرست محصولات نیست",
        "Product {code_value} is not in the product list",
    ),
    "unknown_county": (
        "شهرستان «{value}» تعریف نشده است",
        'County "{value}" is not defined',
    ),
    "unknown_agency": (
        "دستگاه «{value}» تعریف نشده است",
        'Agency "{value}" is not defined',
    ),
    "unknown_sector": (
        "بخش «{value}» تعریف نشده است",
        'Sector "{value}" is not defined',
    ),
    "alias_too_long": (
        "نام دیگر «{value}» بلندتر از {limit} حرف است",
        'Alias "{value}" is longer than {limit} characters',
    ),
    "too_many_aliases": (
        "«{field}» {count} نام دارد؛ حداکثر {limit} نام مجاز است",
        "Column {field} lists {count} names; at most {limit} are allowed",
    ),
    "unknown_chain": (
        "زنجیرهٔ ارزش «{value}» تعریف نشده است",
        'Value chain "{value}" is not defined',
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input data.

    Parameters
    ----------
    record : str
        What the problem is about, as a person would look for it:
        ``"links.csv row 7"`` or a product code.
    row : int or None
        Spreadsheet row number (the header is row 1), when there is one.
    field : str
        The column name (English, as in the seed files).
    message_fa, message_en : str
        The explanation in Persian (Persian digits) and in English.
    code : str
        Language-neutral machine key, such as ``"self_link"``.
    details : dict
        The values the messages were built from (for ``bad_choice``: ``value`` and the ``allowed``
        codes), so a page can word the problem itself, with its own labels for the codes.
    """

    record: str
    row: int | None
    field: str
    message_fa: str
    message_en: str
    code: str
    details: dict = field(default_factory=dict, compare=False)

    def message(self, lang: str = "fa") -> str:
        """Return the message in ``lang`` (``"fa"`` or ``"en"``)."""
        return self.message_fa if lang == "fa" else self.message_en

    def __str__(self) -> str:
        where = self.record + (f", column {self.field}" if self.field else "")
        return f"{where}: {self.message_en}"


#: Parameters that are quantities (never codes): shown with thousands separators in both languages,
#: however the cell was typed, so one sentence never mixes «۱٬۲۰۰٬۰۰۰» and «۱۱۱۷۶۴۷».
QUANTITY_PARAMS = frozenset({"output", "capacity", "low", "high", "limit", "count"})
_PLAIN_NUMBER = re.compile(r"-?[0-9][0-9,٬]*([.٫][0-9]+)?")
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٬٫", "01234567890123456789,.")


def _grouped(value: object) -> str | None:
    """``"1117647"`` → ``"1,117,647"``; None when the value is not a plain number."""
    text = str(value).strip().translate(_TO_ASCII)
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    whole, _, fraction = text.replace(",", "").partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def _fa_value(value: object, key: str = "") -> str:
    """Persian rendering of a message parameter.

    Numbers and codes get Persian digits (quantities also the Persian thousands separator); text
    holding Latin letters (a slug, a mistyped cell) is left as the user wrote it.
    """
    grouped = _grouped(value) if key in QUANTITY_PARAMS else None
    if grouped is not None:
        return to_fa_digits(grouped.replace(",", "٬"))
    text = str(value)
    return text if _LATIN_LETTER.search(text) else to_fa_digits(text)


def _en_value(value: object, key: str = "") -> str:
    grouped = _grouped(value) if key in QUANTITY_PARAMS else None
    return grouped if grouped is not None else str(value)


def problem(
    kind: str,
    *,
    record: str,
    row: int | None = None,
    field: str = "",
    **params: object,
) -> Problem:
    """Build a :class:`Problem` of ``kind`` from the bilingual templates in :data:`MESSAGES`.

    ``field`` is also available to the templates; any other placeholder comes
    from ``params``.
    """
    template_fa, template_en = MESSAGES[kind]
    values = {"field": field, **params}
    fa = {key: _fa_value(value, key) for key, value in values.items()}
    fa["field"] = FIELD_LABELS_FA.get(field, field)
    en = {key: _en_value(value, key) for key, value in values.items()}
    return Problem(
        record=record,
        row=row,
        field=field,
        message_fa=template_fa.format(**fa),
        message_en=template_en.format(**en),
        code=kind,
        details=dict(params),
    )


class ChainDataError(ValueError):
    """Input data for the value-chain domain is wrong; ``problems`` lists every fault found.

    The string form lists the problems in English, one a line (the first 20);
    use :attr:`problems` for the bilingual messages.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        shown = [str(p) for p in self.problems[:20]]
        if len(self.problems) > 20:
            shown.append(f"… and {len(self.problems) - 20} more problems")
        super().__init__("\n".join(shown))

    @property
    def codes(self) -> list[str]:
        """The machine codes of the problems, in order."""
        return [p.code for p in self.problems]
