"""The tracking-code scheme shared by cases and obstacle reports (app/services/codes.py)."""

import pytest

from app.services import codes


@pytest.fixture(scope="module")
def samples():
    return [codes.new_code() for _ in range(200)] + ["1000000000000000"[:15] + codes.check_digit("100000000000000")]


def test_new_codes_are_sixteen_digits_ending_in_their_check_digit(samples):
    for code in samples:
        assert len(code) == 16 and code.isdigit() and code[0] != "0"
        assert codes.is_valid(code)
    assert len(set(samples)) == len(samples)


def test_every_single_digit_error_is_caught(samples):
    for code in samples:
        for i, ch in enumerate(code):
            for d in "0123456789":
                if d != ch:
                    wrong = code[:i] + d + code[i + 1:]
                    with pytest.raises(codes.CodeError) as err:
                        codes.parse(wrong)
                    assert err.value.reason == "typo"


def test_every_adjacent_transposition_is_caught(samples):
    for code in samples:
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                assert not codes.is_valid(swapped)


def test_parse_accepts_persian_arabic_and_latin_digits_with_or_without_separators():
    code = codes.new_code()
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for typed in (code, codes.grouped(code), persian, arabic, "-".join(codes.grouped(persian).split()),
                  f"  {codes.grouped(arabic)}  "):
        assert codes.parse(typed) == code


@pytest.mark.parametrize("typed", [None, "", "PJ-7K3Q9M", "12345", "1" * 17, "x" * 10_000, "١٢٣٤ abcd 5678 9012",
                                   "\x00" * 16, "12345678901234５６"])
def test_text_that_is_not_a_code_is_a_format_error(typed):
    with pytest.raises(codes.CodeError) as err:
        codes.parse(typed)
    assert err.value.reason == "format"


def test_grouped_reads_in_fours():
    assert codes.grouped("1234567890123456") == "1234 5678 9012 3456"
