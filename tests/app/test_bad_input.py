"""Bad input never gets a 500 or a stack trace: a 400/404 page in the page's language."""

from __future__ import annotations

import re

import pytest

PERSIAN_LETTERS = set("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")


def looks_persian(text: str) -> bool:
    return sum(ch in PERSIAN_LETTERS for ch in text) > 20


@pytest.mark.parametrize(
    "path,status",
    [
        ("/de/", 404),
        ("/xx/opportunities", 404),
        ("/fa/opportunities/999999", 404),
        ("/fa/opportunities/abc", 404),
        ("/fa/chains/no-such-chain", 404),
        ("/fa/opportunities?page=9999", 404),
        ("/fa/opportunities?page=0", 400),
        ("/fa/opportunities?page=abc", 400),
        ("/fa/opportunities?min=abc", 400),
        ("/fa/opportunities?min=-5", 400),
        ("/fa/opportunities?max=99999999999999999999999", 400),
        ("/fa/opportunities?min=900&max=100", 400),
        ("/fa/opportunities?chain=nonsense", 400),
        ("/fa/opportunities?county=atlantis", 400),
        ("/fa/opportunities?sector=%00%01", 400),
        ("/fa/opportunities?type=astronaut", 400),
        ("/fa/opportunities?q=" + "x" * 500, 400),
    ],
)
def test_bad_addresses_and_filters_get_a_clear_persian_page(client, path, status):
    resp = client.get(path)
    body = resp.get_data(as_text=True)
    assert resp.status_code == status
    assert "Traceback" not in body and "werkzeug" not in body.lower()
    assert '<html lang="fa" dir="rtl">' in body
    assert looks_persian(body)


def test_a_bad_filter_names_the_field_in_persian(client):
    body = client.get("/fa/opportunities?min=abc").get_data(as_text=True)
    assert "حداقل سرمایه‌گذاری" in body


def test_a_bad_filter_names_the_field_in_english(client):
    resp = client.get("/en/opportunities?min=abc")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "“Minimum investment” must be a whole number." in body
    assert '<html lang="en" dir="ltr">' in body


def listed_ids(client, query: str) -> list[str]:
    """The opportunity ids the list shows for a query, in order, over every page."""
    ids, page = [], 1
    while True:
        resp = client.get(f"/fa/opportunities?{query}&page={page}")
        if resp.status_code == 404:  # past the last page
            return ids
        assert resp.status_code == 200, (query, resp.status_code)
        ids += re.findall(r'href="/fa/opportunities/(\d+)"', resp.get_data(as_text=True))
        page += 1


@pytest.mark.parametrize("written,latin", [
    ("min=۱٬۰۰۰&max=۵۰۰۰۰۰۰۰۰۰۰۰۰", "min=1000&max=5000000000000"),  # Persian digits, Persian separator
    ("min=۱۵۰٬۰۰۰٬۰۰۰٬۰۰۰", "min=150000000000"),
    ("min=١٥٠,٠٠٠,٠٠٠,٠٠٠", "min=150000000000"),  # Arabic-Indic digits, Latin commas
    ("max=۲۰٬۰۰۰٬۰۰۰٬۰۰۰", "max=20000000000"),
])
def test_persian_digits_and_separators_in_a_filter_are_understood(client, written, latin):
    expected = listed_ids(client, latin)
    assert expected  # the filter keeps some opportunities …
    assert listed_ids(client, written) == expected
    if "min=1000&" not in latin:
        assert len(expected) < len(listed_ids(client, ""))  # … and drops others: it was read, not ignored


def test_an_unknown_page_number_says_how_many_pages_there_are(client):
    body = client.get("/en/opportunities?page=9999").get_data(as_text=True)
    assert "There is no page 9999" in body


def test_api_errors_are_json_with_a_message_in_the_asked_language(client):
    resp = client.get("/api/v1/opportunities?min=abc&lang=fa")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"]["code"] == "bad_request"
    assert "حداقل سرمایه‌گذاری" in body["error"]["message"]
    resp = client.get("/api/v1/opportunities/999999", headers={"Accept-Language": "en"})
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_a_server_error_shows_no_stack_trace(empty_app):
    app = empty_app
    app.config["TESTING"] = False  # let the error handler run instead of propagating

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    resp = app.test_client().get("/boom-for-test")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    assert looks_persian(body)
