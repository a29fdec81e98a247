"""Spreadsheet rows become domain records, and every mistake is reported by row and column."""

import csv
from datetime import date

import pytest

from chains.errors import ChainDataError, to_fa_digits
from chains.io import (
    COLUMNS,
    PERSIAN_HEADERS,
    SeedBundle,
    link_rows,
    load_dir,
    opportunity_rows,
    product_rows,
    read_agencies,
    read_applicants,
    read_chains,
    read_counties,
    read_links,
    read_measures,
    read_opportunities,
    read_products,
    write_csv,
)
from chains.records import FinancingRoute, Link, Opportunity, Product, Provenance


def product_row(**cells):
    row = {
        "code": "7409", "nomenclature": "hs", "name_fa": "ورق مس", "name_en": "Copper sheet",
        "sector": "mining", "stage": "intermediate", "unit": "tonne",
        "unit_price_rials": "2,500,000,000", "capacity": "12000", "output": "9500",
        "demand": "3000", "inflow": "100", "outflow": "6000", "active_units": "4",
        "idle_units": "1", "jobs": "850", "suited_for": "cooperative|company",
        "chains": "copper", "source": "Industry org. yearbook", "agency": "smt",
        "as_of": "2024-03-19",
    }
    row.update(cells)
    return row


def link_row(**cells):
    row = {"supplier": "7403", "user": "7409", "coefficient": "1.02", "source": "", "agency": "", "as_of": ""}
    row.update(cells)
    return row


def opportunity_row(**cells):
    row = {
        "ref": "OPP-1", "title_fa": "کارخانهٔ ورق مس", "title_en": "Copper sheet mill",
        "product": "7409", "county": "ahar", "agency": "smt",
        "investment_min_rials": "100000000000", "investment_max_rials": "400000000000",
        "jobs": "60", "description_fa": "", "description_en": "", "incentives_fa": "",
        "incentives_en": "", "suited_for": "company", "financing": "bank:0.6|leasing:0.2",
        "status": "published", "gap_kind": "unprocessed_outflow",
    }
    row.update(cells)
    return row


def problems_of(reader, rows, *args, **kwargs):
    with pytest.raises(ChainDataError) as caught:
        reader(rows, *args, **kwargs)
    return caught.value.problems


def only_problem(reader, rows, *args, **kwargs):
    [found] = problems_of(reader, rows, *args, **kwargs)
    return found


# --- products -------------------------------------------------------------


def test_a_clean_product_row_becomes_a_product_with_its_provenance():
    [product] = read_products([product_row()])
    assert product == Product(
        code="7409", name_fa="ورق مس", name_en="Copper sheet", sector="mining",
        stage="intermediate", unit="tonne", nomenclature="hs", unit_price_rials=2_500_000_000,
        capacity=12000.0, output=9500.0, demand=3000.0, inflow=100.0, outflow=6000.0,
        active_units=4, idle_units=1, jobs=850, suited_for=("cooperative", "company"),
        chains=("copper",),
        provenance=Provenance("Industry org. yearbook", "smt", date(2024, 3, 19)),
    )


def test_aliases_are_read_trimmed_with_persian_letters_and_without_repeats():
    [product] = read_products([product_row(aliases=" قالي | فرش  دستباف|Persian rug|قالی ")])
    assert product.aliases == ("قالی", "فرش دستباف", "Persian rug")
    [plain] = read_products([product_row()])
    assert plain.aliases == ()


def test_an_alias_over_a_hundred_characters_or_over_thirty_aliases_is_a_problem():
    found = only_problem(read_products, [product_row(aliases="ورنی|" + "ب" * 101)])
    assert (found.code, found.field, found.row) == ("alias_too_long", "aliases", 2)
    assert to_fa_digits("100") in found.message_fa and "100" in found.message_en
    assert read_products([product_row(aliases="ب" * 100)])[0].aliases == ("ب" * 100,)
    found = only_problem(read_products, [product_row(aliases="|".join(f"name {i}" for i in range(31)))])
    assert found.code == "too_many_aliases" and "31" in found.message_en and "30" in found.message_en
    assert len(read_products([product_row(aliases="|".join(f"name {i}" for i in range(30)))])[0].aliases) == 30


def test_an_unknown_hs_code_is_reported_with_row_field_and_both_languages():
    found = only_problem(read_products, [product_row(), product_row(code="7499")])
    assert found.code == "unknown_hs_code"
    assert (found.row, found.field, found.record) == (3, "code", "products.csv row 3")
    assert found.message_fa == "کد ۷۴۹۹ در فهرست نظام هماهنگ (HS) نیست"
    assert found.message_en == "Code 7499 is not in the Harmonized System (HS) list"


def test_an_isic_product_is_checked_against_isic_classes():
    [service] = read_products([product_row(code="5210", nomenclature="isic", stage="service")])
    assert service.nomenclature == "isic"
    found = only_problem(read_products, [product_row(code="5299", nomenclature="isic", stage="service")])
    assert found.code == "unknown_isic_code"
    assert "ISIC" in found.message_fa and "ISIC" in found.message_en


def test_a_duplicate_product_code_names_the_row_it_repeats():
    found = only_problem(read_products, [product_row(), product_row(name_en="again")])
    assert (found.code, found.row, found.field) == ("duplicate_code", 3, "code")
    assert "row 2" in found.message_en
    assert "ردیف ۲" in found.message_fa


def test_output_above_capacity_is_a_problem_but_rounding_is_forgiven():
    read_products([product_row(capacity="10000", output="10000.5")])
    found = only_problem(read_products, [product_row(capacity="10000", output="10100")])
    assert (found.code, found.field) == ("output_above_capacity", "output")
    assert "۱۰٬۱۰۰" in found.message_fa and "10,100" in found.message_en


@pytest.mark.parametrize(
    ("cells", "code", "field"),
    [
        ({"capacity": "lots"}, "non_numeric", "capacity"),
        ({"demand": "-5"}, "negative", "demand"),
        ({"unit_price_rials": "-1"}, "negative", "unit_price_rials"),
        ({"unit_price_rials": "12.5"}, "not_integer", "unit_price_rials"),
        ({"jobs": "many"}, "non_numeric", "jobs"),
        ({"stage": "semi"}, "bad_choice", "stage"),
        ({"nomenclature": "cpc"}, "bad_choice", "nomenclature"),
        ({"suited_for": "cooperative|pension_fund"}, "bad_choice", "suited_for"),
        ({"as_of": "2024-13-40"}, "bad_date", "as_of"),
        ({"as_of": "yesterday"}, "bad_date", "as_of"),
        ({"name_fa": ""}, "missing", "name_fa"),
        ({"sector": "Mining Sector"}, "bad_slug", "sector"),
    ],
)
def test_each_bad_product_cell_is_reported_with_row_field_and_both_languages(cells, code, field):
    found = only_problem(read_products, [product_row(), product_row(code="7403", **cells)])
    assert (found.code, found.row, found.field) == (code, 3, field)
    assert found.message_fa and found.message_en
    assert found.message_fa != found.message_en
    assert "ي" not in found.message_fa and "ك" not in found.message_fa


@pytest.mark.parametrize("code", ["\u200c", " \u200c\u200c ", "\u200e."])
def test_a_code_of_only_invisible_characters_is_a_missing_code(code):
    found = only_problem(read_products, [product_row(), product_row(code=code)])
    assert (found.code, found.row, found.field) == ("missing", 3, "code")


def test_all_problems_of_all_rows_are_collected_before_raising():
    rows = [
        product_row(code="7499", capacity="x"),
        product_row(code="7403", stage="semi", jobs="-3"),
        product_row(code="7403"),
    ]
    found = problems_of(read_products, rows)
    assert [(p.row, p.code) for p in found] == [
        (2, "unknown_hs_code"), (2, "non_numeric"),
        (3, "bad_choice"), (3, "negative"),
        (4, "duplicate_code"),
    ]


def test_references_to_unknown_sectors_chains_and_agencies_are_reported():
    found = problems_of(
        read_products, [product_row()],
        known_sectors={"agriculture"}, known_chains={"dairy"}, known_agencies={"jihad"},
    )
    assert [p.code for p in found] == ["unknown_sector", "unknown_chain", "unknown_agency"]
    assert found[0].message_fa == "بخش «mining» تعریف نشده است"


def test_a_missing_required_column_is_reported_once_on_the_header_row():
    rows = [{k: v for k, v in product_row(code=code).items() if k != "stage"} for code in ("7409", "7403", "7408")]
    found = only_problem(read_products, rows)
    assert (found.code, found.row, found.field) == ("missing_column", 1, "stage")
    assert "مرحله" in found.message_fa


def test_optional_product_cells_may_be_left_blank():
    [product] = read_products([{
        "code": "0406", "name_fa": "پنیر", "name_en": "Cheese", "sector": "food", "stage": "final",
    }])
    assert (product.nomenclature, product.unit, product.capacity, product.provenance) == (
        "hs", "tonne", 0.0, Provenance(),
    )


def test_persian_headers_a_bom_and_odd_spacing_are_accepted():
    row = {
        "\ufeffکد": "7409", " نام فارسی ": "ورق مس", "نام انگليسي": "Copper sheet",
        "بخش": "mining", "مرحله": "intermediate", "ظرفیت": "100", "تولید": "50",
        "تقاضا": "10", "ورودی از خارج استان": "5", "خروجی به خارج استان": "40",
        "تامین کننده": "ignored in products",
    }
    [product] = read_products([row])
    assert (product.code, product.name_en, product.capacity, product.inflow, product.outflow) == (
        "7409", "Copper sheet", 100.0, 5.0, 40.0,
    )


def test_english_headers_ignore_case_and_surrounding_whitespace():
    row = {f" {key.upper()} ": value for key, value in product_row().items()}
    assert read_products([row]) == read_products([product_row()])


def test_every_field_has_a_persian_header():
    fields = {name for columns in COLUMNS.values() for name in columns}
    assert fields <= set(PERSIAN_HEADERS.values())
    assert PERSIAN_HEADERS["تأمین‌کننده"] == "supplier"
    assert PERSIAN_HEADERS["ضریب"] == "coefficient"


def test_persian_and_arabic_digits_separators_and_jalali_dates_are_read():
    [product] = read_products([product_row(
        code="۷۴۰۹", capacity="۱۲٬۰۰۰", output="٩٥٠٠", demand="۳۰۰۰٫۵",
        unit_price_rials="۲٬۵۰۰٬۰۰۰", as_of="۱۴۰۳/۰۶/۳۱",
    )])
    assert (product.code, product.capacity, product.output, product.demand) == (
        "7409", 12000.0, 9500.0, 3000.5,
    )
    assert product.unit_price_rials == 2_500_000
    assert product.provenance.as_of == date(2024, 9, 21)


def test_arabic_letters_in_persian_names_are_stored_as_persian_letters():
    [product] = read_products([product_row(name_fa="كيك")])
    assert product.name_fa == "کیک"


def test_blank_lines_at_the_end_of_a_sheet_are_skipped():
    rows = [product_row(), {key: "" for key in product_row()}]
    assert len(read_products(rows)) == 1


# --- links ----------------------------------------------------------------

CODES = {"7403", "7409", "7408"}


def test_clean_links_carry_their_coefficient_and_provenance():
    [link] = read_links([link_row(agency="SMT", as_of="1403/01/01")], CODES)
    assert link == Link("7403", "7409", 1.02, Provenance("", "smt", date(2024, 3, 20)))


@pytest.mark.parametrize(
    ("cells", "code", "field"),
    [
        ({"supplier": "2603"}, "unknown_product", "supplier"),
        ({"user": "7499"}, "unknown_product", "user"),
        ({"user": "7403"}, "self_link", "user"),
        ({"coefficient": "0"}, "coefficient_not_positive", "coefficient"),
        ({"coefficient": "-0.5"}, "coefficient_not_positive", "coefficient"),
        ({"coefficient": "a lot"}, "non_numeric", "coefficient"),
        ({"coefficient": "nan"}, "non_numeric", "coefficient"),
        ({"coefficient": ""}, "missing", "coefficient"),
        ({"as_of": "1403/13/01"}, "bad_date", "as_of"),
        ({"supplier": "\u200c"}, "missing", "supplier"),
    ],
)
def test_each_bad_link_is_reported_with_row_field_and_both_languages(cells, code, field):
    rows = [link_row(user="7408"), link_row(**cells)]
    found = only_problem(read_links, rows, CODES)
    assert (found.code, found.row, found.field, found.record) == (code, 3, field, "links.csv row 3")
    assert found.message_fa and found.message_en and found.message_fa != found.message_en


def test_a_duplicate_link_names_the_first_row_in_both_languages():
    found = only_problem(read_links, [link_row(), link_row(user="7408"), link_row(coefficient="2")], CODES)
    assert (found.code, found.row) == ("duplicate_link", 4)
    assert found.message_en == "Link 7403 → 7409 is a duplicate of row 2"
    assert found.message_fa == "پیوند از ۷۴۰۳ به ۷۴۰۹ تکراری است و پیش‌تر در ردیف ۲ آمده"


def test_a_self_link_message_reads_naturally_in_persian():
    found = only_problem(read_links, [link_row(user="7403")], CODES)
    assert found.message_fa == "محصول ۷۴۰۳ نمی‌تواند تأمین‌کنندهٔ خودش باشد"


def test_link_headers_may_be_persian():
    rows = [{"تأمین‌کننده": "7403", "مصرف‌کننده": "7409", "ضریب": "۱٫۰۲"}]
    assert read_links(rows, CODES)[0].coefficient == 1.02


def test_the_error_message_lists_problems_in_english_for_logs():
    with pytest.raises(ChainDataError) as caught:
        read_links([link_row(user="7403"), link_row(coefficient="0")], CODES)
    assert str(caught.value).splitlines() == [
        "links.csv row 2, column user: Product 7403 cannot be its own supplier",
        "links.csv row 3, column coefficient: The coefficient must be greater than zero, not 0",
    ]
    assert caught.value.codes == ["self_link", "coefficient_not_positive"]
    assert isinstance(caught.value, ValueError)


# --- opportunities --------------------------------------------------------


def test_an_opportunity_row_becomes_an_opportunity_with_financing_routes():
    [opp] = read_opportunities([opportunity_row()], {"7409"}, {"ahar"}, {"smt"})
    assert opp.financing == (FinancingRoute("bank", 0.6), FinancingRoute("leasing", 0.2))
    assert (opp.investment_min_rials, opp.investment_max_rials) == (100_000_000_000, 400_000_000_000)
    assert opp.gap_kind == "unprocessed_outflow"


@pytest.mark.parametrize(
    ("cells", "code", "field"),
    [
        ({"product": "7408"}, "unknown_product", "product"),
        ({"county": "tehran"}, "unknown_county", "county"),
        ({"agency": "nobody"}, "unknown_agency", "agency"),
        ({"status": "archived"}, "bad_choice", "status"),
        ({"gap_kind": "vibes"}, "bad_choice", "gap_kind"),
        ({"financing": "bank:0.8|leasing:0.4"}, "financing_sum_above_one", "financing"),
        ({"financing": "bank:1.5"}, "out_of_range", "financing"),
        ({"financing": "bank:0"}, "out_of_range", "financing"),
        ({"financing": "loan_shark:0.5"}, "bad_choice", "financing"),
        ({"financing": "bank"}, "bad_financing", "financing"),
        ({"financing": "bank:lots"}, "bad_financing", "financing"),
        ({"investment_min_rials": "500000000000"}, "min_above_max", "investment_max_rials"),
        ({"investment_min_rials": "-1"}, "negative", "investment_min_rials"),
        ({"investment_max_rials": ""}, "missing", "investment_max_rials"),
        ({"title_en": ""}, "missing", "title_en"),
        ({"product": "\u200c\u200e"}, "missing", "product"),
    ],
)
def test_each_bad_opportunity_cell_is_reported_with_row_and_field(cells, code, field):
    rows = [opportunity_row(), opportunity_row(ref="OPP-2", **cells)]
    found = only_problem(read_opportunities, rows, {"7409"}, {"ahar"}, {"smt"})
    assert (found.code, found.row, found.field) == (code, 3, field)
    assert found.message_fa and found.message_en and found.message_fa != found.message_en


def test_a_duplicate_opportunity_ref_is_reported():
    found = only_problem(read_opportunities, [opportunity_row(), opportunity_row()])
    assert (found.code, found.row, found.field) == ("duplicate_code", 3, "ref")


def test_opportunity_status_defaults_to_published():
    [opp] = read_opportunities([opportunity_row(status="", gap_kind="", financing="")])
    assert (opp.status, opp.gap_kind, opp.financing) == ("published", "", ())


# --- the small tables -----------------------------------------------------


def test_counties_must_have_unique_lower_case_slugs_and_both_names():
    rows = [
        {"slug": "tabriz", "name_fa": "تبریز", "name_en": "Tabriz"},
        {"slug": "tabriz", "name_fa": "تبریز", "name_en": "Tabriz"},
        {"slug": "Ahar Town", "name_fa": "اهر", "name_en": ""},
    ]
    found = problems_of(read_counties, rows)
    assert [(p.row, p.code, p.field) for p in found] == [
        (3, "duplicate_code", "slug"), (4, "bad_slug", "slug"), (4, "missing", "name_en"),
    ]
    assert read_counties(rows[:1])[0].name_en == "Tabriz"


def test_measures_keep_their_position():
    rows = [{"slug": "value_chains", "position": "۷", "name_fa": "ایجاد زنجیره‌های ارزش", "name_en": "Value chains"}]
    assert read_measures(rows)[0].position == 7


def test_chain_priority_must_lie_between_zero_and_one():
    rows = [{"slug": "copper", "name_fa": "مس", "name_en": "Copper", "priority": "1.5"}]
    found = only_problem(read_chains, rows)
    assert (found.code, found.field) == ("out_of_range", "priority")
    assert read_chains([{**rows[0], "priority": ""}])[0].priority == 0.5


def test_agency_categories_and_sectors_are_checked():
    rows = [{"slug": "smt", "name_fa": "صمت", "name_en": "Industry", "category": "leader",
             "sectors": "mining|space"}]
    found = problems_of(read_agencies, rows, known_sectors={"mining"})
    assert [(p.code, p.field) for p in found] == [("bad_choice", "category"), ("unknown_sector", "sectors")]


def test_applicants_are_read_and_their_products_must_be_real_codes():
    row = {"ref": "A1", "applicant_type": "cooperative", "name": "تعاونی مس اهر",
           "capital_rials": "۵۰٬۰۰۰٬۰۰۰٬۰۰۰", "sectors": "mining", "skills": "welding",
           "products": "7403|5210", "counties": "ahar", "lang": ""}
    [applicant] = read_applicants([row])
    assert (applicant.capital_rials, applicant.products, applicant.lang) == (
        50_000_000_000, ("7403", "5210"), "fa",
    )
    found = problems_of(read_applicants, [{**row, "products": "7499", "applicant_type": "bank"}])
    assert [p.code for p in found] == ["unknown_product", "bad_choice"]


# --- writers and round trips ----------------------------------------------


def test_products_survive_a_round_trip_through_rows():
    products = read_products([
        product_row(),
        product_row(code="5210", nomenclature="isic", stage="service", capacity="0.1",
                    output="0.05", as_of="", suited_for="", chains="", agency="", aliases="انبارداری|warehousing"),
    ])
    assert products[1].aliases == ("انبارداری", "warehousing")
    rows = product_rows(products)
    assert list(rows[0]) == list(COLUMNS["products"])
    assert read_products(rows) == products


def test_links_and_opportunities_survive_a_round_trip_through_rows():
    links = [Link("7403", "7409", 1.0 / 3.0, Provenance("IO table", "smt", date(2024, 1, 1)))]
    assert read_links(link_rows(links), CODES) == links
    opps = [Opportunity(
        ref="OPP-7", title_fa="شیر خشک", title_en="Milk powder", product="0402", county="marand",
        agency="jihad", investment_min_rials=10**12, investment_max_rials=3 * 10**12, jobs=40,
        suited_for=("cooperative",), financing=(FinancingRoute("provincial_fund", 0.25),),
        status="draft", gap_kind="shortfall",
    )]
    rows = opportunity_rows(opps)
    assert list(rows[0]) == list(COLUMNS["opportunities"])
    assert read_opportunities(rows) == opps


def test_to_fa_digits_writes_persian_digits():
    assert to_fa_digits("row 12, 0.5") == "row ۱۲, ۰٫۵"


# --- a seed folder --------------------------------------------------------


def write_seed(folder, **overrides):
    tables = {
        "counties": [{"slug": "ahar", "name_fa": "اهر", "name_en": "Ahar"}],
        "measures": [{"slug": "value_chains", "position": "7", "name_fa": "زنجیره‌های ارزش", "name_en": "Value chains"}],
        "sectors": [{"slug": "mining", "name_fa": "معدن", "name_en": "Mining"}],
        "agencies": [{"slug": "smt", "name_fa": "صمت", "name_en": "Industry", "category": "driver",
                      "sectors": "mining"}],
        "chains": [{"slug": "copper", "name_fa": "مس", "name_en": "Copper", "priority": "0.9",
                    "description_fa": "", "description_en": ""}],
        "products": [product_row(), product_row(code="7403", capacity="20000", output="15000")],
        "links": [link_row()],
        "opportunities": [opportunity_row()],
        "applicants": [{"ref": "A1", "applicant_type": "company", "name": "", "capital_rials": "1000",
                        "sectors": "mining", "skills": "", "products": "7409", "counties": "ahar", "lang": "en"}],
    }
    tables.update(overrides)
    for name, rows in tables.items():
        if rows is None:
            continue
        write_csv(folder / f"{name}.csv", rows, COLUMNS[name])


def test_a_consistent_seed_folder_loads_into_a_bundle(tmp_path):
    write_seed(tmp_path)
    bundle = load_dir(tmp_path)
    assert isinstance(bundle, SeedBundle)
    assert [p.code for p in bundle.products] == ["7409", "7403"]
    assert bundle.links[0].user == "7409"
    assert bundle.sectors[0].name_en == "Mining"
    assert bundle.opportunities[0].financing[0].kind == "bank"
    assert isinstance(bundle.applicants, tuple)


def test_seed_files_are_written_with_a_bom_and_read_back(tmp_path):
    write_seed(tmp_path)
    raw = (tmp_path / "products.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfcode,")
    with open(tmp_path / "products.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[0] == "\ufeffcode"
    assert len(load_dir(tmp_path).products) == 2


def test_a_seed_folder_reports_problems_of_every_file_together(tmp_path):
    write_seed(
        tmp_path,
        links=[link_row(), link_row(supplier="2603")],
        opportunities=[opportunity_row(county="tehran")],
        chains=None,
    )
    with pytest.raises(ChainDataError) as caught:
        load_dir(tmp_path)
    found = [(p.record, p.code) for p in caught.value.problems]
    assert found == [
        ("chains.csv", "missing_file"),
        ("links.csv row 3", "unknown_product"),
        ("opportunities.csv row 2", "unknown_county"),
    ]
