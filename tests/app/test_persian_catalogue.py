"""docs/persian-style.md, enforced on the whole Persian catalogue and the domain's Persian messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n import collation_key, sort_by_name
from chains.errors import MESSAGES, problem

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "translations" / "fa" / "LC_MESSAGES" / "messages.po"

# (word never to use, the word to use instead) — the "Words" table of the style guide.
BANNED = [("پالایه", "فیلتر"), ("نویسه", "حرف"), ("رایانامه", "ایمیل"), ("درون‌ریزی", "ورود اطلاعات"),
          ("برون‌بری", "خروجی"), ("تامین", "تأمین"), ("خوانا نیست", "معتبر نیست"), ("اعلام‌های علاقه", "اعلام علاقه‌ها"),
          ("گذرواژهٔ تازه", "گذرواژهٔ جدید"), ("کد HS", "کد تعرفه")]


def persian_messages():
    with CATALOGUE.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield (message.id if isinstance(message.id, str) else message.id[0]), strings, message


def test_every_message_has_a_persian_translation_and_none_is_fuzzy():
    missing = [mid for mid, strings, m in persian_messages() if not all(strings) or m.fuzzy]
    assert missing == []


@pytest.mark.parametrize(("banned", "instead"), BANNED)
def test_the_catalogue_uses_one_word_per_concept(banned, instead):
    found = [(mid, s) for mid, strings, _ in persian_messages() for s in strings if banned in s]
    assert found == [], f"use «{instead}», not «{banned}»: {found}"


def test_a_file_is_never_called_a_case():
    found = [(mid, s) for mid, strings, _ in persian_messages() for s in strings
             if re.search(r"\bfiles?\b", mid, re.I) and "پرونده" in s]
    assert found == []


def test_the_domain_messages_follow_the_same_words():
    found = [(kind, fa) for kind, (fa, _en) in MESSAGES.items() for banned, _ in BANNED if banned in fa]
    assert found == []


def test_quantities_in_one_sentence_share_one_separator_style():
    p = problem("output_above_capacity", record="products.csv row 2", field="output",
                output="1,200,000", capacity="1117647")
    assert p.message_fa == "تولید (۱٬۲۰۰٬۰۰۰) از ظرفیت (۱٬۱۱۷٬۶۴۷) بیشتر است"
    assert p.message_en == "Output (1,200,000) is above capacity (1,117,647)"


def test_the_date_example_in_a_persian_message_is_isolated_and_in_persian_digits():
    p = problem("bad_date", record="links.csv row 3", field="as_of", value="31/06/1403")
    assert "\u2066۲۰۲۴-۰۹-۲۱\u2069" in p.message_fa and "2024" not in p.message_fa


def test_persian_names_sort_in_dictionary_order_not_by_code_point():
    counties = ["مرند", "چاراویماق", "آذرشهر", "ورزقان", "اهر", "بناب", "تبریز", "کلیبر", "پیکان"]
    assert sort_by_name(counties) == ["آذرشهر", "اهر", "بناب", "پیکان", "تبریز", "چاراویماق", "کلیبر", "مرند",
                                      "ورزقان"]
    # Arabic kaf and yeh sort as their Persian letters; ZWNJ is ignored.
    assert collation_key("كليبر") == collation_key("کلیبر")
    assert collation_key("می\u200cدان") == collation_key("میدان")
