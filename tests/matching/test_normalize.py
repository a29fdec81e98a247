"""Search and matching treat Arabic and Persian spellings, ZWNJ and digit families as equal."""

from hypothesis import given
from hypothesis import strategies as st

from matching.normalize import fold, latin_digits, normalize_text, persian_digits


def test_arabic_yeh_and_kaf_fold_to_persian_letters():
    assert normalize_text("كيك") == normalize_text("کیک") == "کیک"
    assert normalize_text("مصطفى") == normalize_text("مصطفی")


def test_teh_marbuta_and_hamza_alefs_fold():
    assert normalize_text("مدرسة") == normalize_text("مدرسه")
    assert normalize_text("أحمد إسلام") == normalize_text("احمد اسلام")


def test_alef_madda_folds_to_plain_alef_so_either_spelling_finds_the_province():
    assert normalize_text("آذربایجان") == normalize_text("اذربایجان")


def test_zwnj_is_removed_so_joined_and_separated_forms_are_equal():
    assert normalize_text("می\u200cشود") == normalize_text("میشود") == "میشود"
    assert normalize_text("بسته\u200cبندی") == normalize_text("بستهبندی")


def test_diacritics_and_tatweel_are_removed():
    assert normalize_text("مُحَمَّد") == normalize_text("محمد")
    assert normalize_text("تبريـــز") == normalize_text("تبریز")


def test_persian_and_arabic_indic_digits_become_ascii():
    assert normalize_text("۱۲۳۴ ٥٦٧٨ 90") == "1234 5678 90"
    assert normalize_text("۱٬۲۳۴٫۵") == "1,234.5"


def test_case_and_whitespace_are_folded():
    assert normalize_text("  Cheese \t PACKAGING\n") == "cheese packaging"
    assert normalize_text(None) == "" and normalize_text("") == ""


def test_fold_is_the_same_as_normalize_text():
    assert fold("پنير ك ۱") == normalize_text("پنير ك ۱")


def test_persian_digits_round_trip():
    assert persian_digits("80") == "۸۰"
    assert latin_digits(persian_digits("1,234.5")) == "1,234.5"


@given(st.text())
def test_normalize_is_idempotent(s):
    once = normalize_text(s)
    assert normalize_text(once) == once


@given(st.text(alphabet="يكىةأإآيک ی\u200c۰۱۲٣٤abcABC "))
def test_normalized_text_has_no_arabic_forms_zwnj_or_eastern_digits(s):
    out = normalize_text(s)
    assert not set(out) & set("يكىةأإآ\u200c۰۱۲٣٤")


# ---------------------------------------------------------------- stop words and stemming
import pytest  # noqa: E402

from matching.normalize import STOP_WORDS, is_stop_word, stem, term_key, terms  # noqa: E402


@pytest.mark.parametrize("word", ["تولید", "توسعه", "واحد", "کارگاه", "صنایع", "محصولات", "خدمات", "شرکت",
                                  "تعاونی", "توليد", "کارگاه‌ها", "production", "Development", "unit",
                                  "workshops", "products", "services", "company"])
def test_generic_words_of_the_trade_are_stop_words(word):
    assert is_stop_word(word)
    assert term_key(word) == ""
    assert terms(word) == []


def test_content_words_are_not_stop_words():
    for word in ("فرش", "پنیر", "چرم", "carpet", "cheese", "عسل", "software"):
        assert not is_stop_word(word) and term_key(word)


@pytest.mark.parametrize("word", ["خام", "نیمه‌خام", "فرآوری‌شده", "فراوري", "تازه", "طبیعی", "مصنوعات",
                                  "raw", "Crude", "semi", "processed", "processing", "prepared", "articles",
                                  "primary", "fresh", "natural"])
def test_qualifiers_of_the_nomenclature_are_stop_words(word):
    assert is_stop_word(word) and terms(word) == []


def test_the_product_word_beside_a_qualifier_stays():
    assert terms("شیر خام و خامه") == ["شیر", "خامه"]
    assert terms("پوست خام گاوی") == ["پوست", stem("گاوی")]
    assert terms("raw milk, fresh fruit") == ["milk", "fruit"]
    for word in ("خامه", "پشم", "شیر", "پوست", "milk", "hides", "wool", "silk", "ابریشم"):
        assert not is_stop_word(word)


def test_persian_plurals_and_suffixes_share_a_stem():
    assert stem("فرشها") == stem("فرش")
    assert term_key("فرش‌های") == term_key("فرش")
    assert term_key("محصولات") == term_key("محصول") == ""
    assert term_key("چرم‌ها") == term_key("چرم")
    assert term_key("بزرگترین") == term_key("بزرگ")
    assert term_key("پارچه‌ای") == term_key("پارچه")
    assert term_key("خانگی") == term_key("خانه")


def test_a_suffix_is_kept_when_fewer_than_three_letters_would_remain():
    assert term_key("نان") == "نان"
    assert term_key("شان") == "شان"


def test_english_plurals_and_ing_share_a_stem():
    assert term_key("carpets") == term_key("carpet")
    assert term_key("cheeses") == term_key("cheese")
    assert term_key("batteries") == term_key("battery")
    assert term_key("weaving") == term_key("weave")
    assert term_key("cutting") == term_key("cut")


def test_terms_fold_spellings_and_drop_stop_words_and_digits():
    assert terms("توليد فرش‌هاي دستباف ۲ واحد") == terms("تولید فرشهای دستباف") == [stem("فرش"), "دستباف"]
    assert terms("the carpet-weaving unit 12") == ["carpet", "weav"]


def test_every_stop_word_is_folded():
    from matching.normalize import normalize_text
    assert all(normalize_text(w) == w for w in STOP_WORDS)
