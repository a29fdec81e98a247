"""The opportunity list's content is rendered once per data version, language, filter set and page
(app/web/fragments.py: per_data_version_html): a repeat reads no opportunity rows, a change to the data shows
on the next request, and nothing of one visitor (who is signed in, stray query arguments) reaches another."""

from __future__ import annotations

import html as markup
import re

from sqlalchemy import event, select

from app.extensions import db
from app.models import Opportunity

from .conftest import sign_in


def _statements(app, client, path) -> tuple[str, list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.lower())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        resp = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert resp.status_code == 200
    return resp.get_data(as_text=True), seen


def _first_title(html: str) -> str:
    return re.search(r'<li class="opp-card">\s*<h2[^>]*><a href="[^"]+">([^<]+)</a>', html).group(1).strip()


def test_a_repeated_list_reads_no_opportunity_rows_and_shows_the_same_content(fresh_app):
    client = fresh_app.test_client()
    first, read = _statements(fresh_app, client, "/en/opportunities?county=tabriz")
    assert [s for s in read if "from opportunities" in s]  # the first one reads them
    again, read = _statements(fresh_app, client, "/en/opportunities?county=tabriz")
    assert again == first
    assert not [s for s in read if "from opportunities" in s], read
    assert [s for s in read if "data_versions" in s]  # … but still asks whether the data changed


def test_a_change_to_an_opportunity_shows_on_the_next_list(fresh_app):
    client = fresh_app.test_client()
    html = client.get("/en/opportunities").get_data(as_text=True)
    title = _first_title(html)
    with fresh_app.app_context():
        opp = db.session.scalars(select(Opportunity).where(Opportunity.title_en == markup.unescape(title))).first()
        opp.title_en = "Renamed while the list was cached"
        db.session.commit()
    html = client.get("/en/opportunities").get_data(as_text=True)
    assert _first_title(html) == "Renamed while the list was cached"
    assert title not in html


def test_each_language_and_page_has_its_own_content(fresh_app):
    client = fresh_app.test_client()
    en = client.get("/en/opportunities").get_data(as_text=True)
    fa = client.get("/fa/opportunities").get_data(as_text=True)
    assert "opportunities found" in en and "opportunities found" not in fa
    assert re.search(r"[۰-۹]+ فرصت", fa)
    page2 = client.get("/en/opportunities?page=2").get_data(as_text=True)
    assert _first_title(page2) != _first_title(en)


def test_who_is_signed_in_is_never_part_of_the_kept_content(fresh_app, make_user):
    _, email, password = make_user("investor")
    anonymous = fresh_app.test_client()
    signed_in = fresh_app.test_client()
    assert sign_in(signed_in, email, password).status_code == 302
    mine = signed_in.get("/en/opportunities").get_data(as_text=True)
    assert email in mine and "Sign out" in mine
    theirs = anonymous.get("/en/opportunities").get_data(as_text=True)  # the content now comes from the cache
    assert email not in theirs and "Sign out" not in theirs and "Sign in" in theirs
    assert _first_title(theirs) == _first_title(mine)


def test_stray_query_arguments_do_not_reach_another_visitors_pager(fresh_app):
    client = fresh_app.test_client()
    stray = client.get("/en/opportunities?utm_source=evil").get_data(as_text=True)
    assert "utm_source=evil" in stray  # the pager keeps the visitor's own arguments …
    plain = client.get("/en/opportunities").get_data(as_text=True)
    assert "utm_source" not in plain  # … and only the visitor's


def test_the_pager_shows_the_ends_and_the_pages_around_this_one():
    from app.web.filters import page_window

    assert page_window(1, 1) == [1]
    assert page_window(1, 4) == [1, 2, 3, 4]
    assert page_window(1, 10) == [1, 2, 3, None, 9, 10]
    assert page_window(6, 10) == [1, 2, None, 4, 5, 6, 7, 8, 9, 10]
    assert page_window(5, 10) == [1, 2, 3, 4, 5, 6, 7, None, 9, 10]
    assert page_window(7, 4504) == [1, 2, None, 5, 6, 7, 8, 9, None, 4503, 4504]
    assert page_window(4504, 4504) == [1, 2, None, 4502, 4503, 4504]
