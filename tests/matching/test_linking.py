"""Linking free text to products, and HS-prefix expansion."""

from __future__ import annotations

import pytest

from chains.records import Product
from matching.linking import ProductLinker


@pytest.fixture(scope="module")
def linker():
    return ProductLinker().fit([
        Product("5701", "فرش دستباف", "Hand-knotted carpets", "textiles", "final"),
        Product("570210", "گلیم، جاجیم و ورنی دستباف", "Kilims and verneh", "textiles", "final"),
        Product("0406", "پنیر", "Cheese", "food", "intermediate"),
        Product("080211", "بادام با پوست", "Almonds in shell", "agriculture", "raw"),
        Product("080212", "مغز بادام", "Almond kernels", "food", "intermediate"),
        Product("6403", "کفش با رویه چرمی", "Leather shoes", "leather", "final"),
    ])


def test_persian_and_english_names_link_in_any_spelling(linker):
    assert linker.link("پنير")[0].code == "0406"
    assert linker.link("cheeses")[0].code == "0406"
    assert linker.link("كفش چرمي")[0].code == "6403"


def test_the_thesaurus_knows_the_craft_behind_the_product(linker):
    top = linker.link("قالی‌بافی در خانه")[0]
    assert top.code == "5701" and top.words == ("قالی\u200cبافی",)


def test_stop_words_never_link(linker):
    assert linker.link("تولید و توسعه محصولات در کارگاه شرکت تعاونی") == ()


def test_a_qualifier_such_as_raw_links_nothing_on_its_own():
    linker = ProductLinker(hs_descriptions=False).fit([
        Product("0401", "شیر خام و خامه", "Raw milk and cream", "agriculture", "raw"),
        Product("4101", "پوست خام گاوی", "Raw hides of bovine animals", "agriculture", "raw"),
        Product("5101", "پشم خام", "Raw wool", "agriculture", "raw"),
        Product("5002", "ابریشم خام", "Raw silk", "textiles", "raw"),
    ])
    for text in ("دامداران شیر خام", "dairy farmers, raw milk collection and cooling"):
        assert [x.code for x in linker.link(text)] == ["0401"], text
    assert linker.link("خام") == () and linker.link("raw, crude or processed") == ()
    assert [x.code for x in linker.link("پوست خام")] == ["4101"]


def test_the_matched_words_are_the_applicants_own(linker):
    [first, *_] = linker.link("مغز بادام و گردو")
    assert first.code == "080212" and first.score == 1.0 and set(first.words) == {"مغز", "بادام"}


def test_aliases_are_used_when_the_record_has_them():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class WithAliases(Product):
        aliases: tuple[str, ...] = ()

    linker = ProductLinker().fit([WithAliases("1211", "گیاهان دارویی", "Medicinal plants", "agriculture", "raw",
                                              aliases=("زعفران", "saffron"))])
    assert linker.link("زعفران")[0].code == "1211"


def test_an_hs_prefix_expands_to_its_known_children(linker):
    assert linker.expand("0802") == ("080211", "080212")
    assert linker.expand("۰۸۰۲") == ("080211", "080212")
    assert linker.expand("5701") == ("5701",)
    assert linker.expand("9999") == ()


def test_resolve_accepts_a_code_a_prefix_or_a_name(linker):
    assert linker.resolve("0802") == ("080211", "080212")
    assert linker.resolve("مغز بادام") == ("080212",)
    assert linker.resolve("Almond") == ("080211", "080212")
