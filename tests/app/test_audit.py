"""HQ: the audit trail (filters, Jalali dates, CSV) and the dashboard."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import jdatetime
import pytest

from app.extensions import db
from app.models import AuditEvent

from .conftest import sign_in as sign_in_as


def sign_in(app, make_user, role, agency=None):
    client = app.test_client()
    uid, email, password = make_user(role=role, agency=agency)
    assert sign_in_as(client, email, password, lang="fa").status_code == 302
    return client, uid, email


def add_event(app, uid, days_ago=0, **kw):
    with app.app_context():
        db.session.add(AuditEvent(user_id=uid, at=datetime.now(timezone.utc) - timedelta(days=days_ago),
                                  **{"action": "update", "entity": "product", "entity_key": "0406", **kw}))
        db.session.commit()


def fa_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_hq_browses_the_audit_trail_newest_first_filtered_by_entity_action_user_and_jalali_dates(fresh_app,
                                                                                                make_user):
    hq, uid, email = sign_in(fresh_app, make_user, "hq")
    add_event(fresh_app, uid, days_ago=40, entity_key="OLD-KEY")
    add_event(fresh_app, uid, entity_key="NEW-KEY", before={"capacity": 1.0}, after={"capacity": 2.0})
    add_event(fresh_app, None, action="retire", entity="link", entity_key="LINK-KEY")
    page = hq.get("/fa/hq/audit?entity=product").get_data(as_text=True)
    assert "NEW-KEY" in page and "OLD-KEY" in page and "LINK-KEY" not in page
    assert page.index("NEW-KEY") < page.index("OLD-KEY")  # newest first
    assert "LINK-KEY" in hq.get("/fa/hq/audit?action=retire").get_data(as_text=True)
    assert "NEW-KEY" not in hq.get("/fa/hq/audit?action=retire").get_data(as_text=True)
    by_user = hq.get(f"/fa/hq/audit?user={email.split('@')[0].upper()}").get_data(as_text=True)
    assert "NEW-KEY" in by_user and "LINK-KEY" not in by_user
    week_ago = jdatetime.date.fromgregorian(date=(datetime.now(timezone.utc) - timedelta(days=7)).date())
    jalali = fa_digits(f"{week_ago.year}/{week_ago.month:02d}/{week_ago.day:02d}")
    recent = hq.get(f"/fa/hq/audit?entity=product&from={jalali}").get_data(as_text=True)
    assert "NEW-KEY" in recent and "OLD-KEY" not in recent
    iso = (datetime.now(timezone.utc) - timedelta(days=7)).date().isoformat()
    older = hq.get(f"/fa/hq/audit?entity=product&to={iso}").get_data(as_text=True)
    assert "OLD-KEY" in older and "NEW-KEY" not in older


@pytest.mark.parametrize("bad", ["1403/13/45", "فردا", "2024-02-30"])
def test_a_date_that_cannot_be_read_is_refused_with_a_persian_message(fresh_app, make_user, bad):
    hq, _, _ = sign_in(fresh_app, make_user, "hq")
    resp = hq.get("/fa/hq/audit", query_string={"from": bad})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    # The example is in Persian digits and isolated, so it reads in order inside the sentence.
    assert "تاریخ معتبری نیست" in page and "\u2066۱۴۰۳/۰۶/۳۱\u2069" in page


def test_the_audit_csv_has_a_bom_and_neutralised_formulas(fresh_app, make_user):
    hq, uid, email = sign_in(fresh_app, make_user, "admin")
    add_event(fresh_app, uid, entity_key='=HYPERLINK("http://evil.example","x")', after={"name_fa": "=1+1"})
    resp = hq.get("/en/hq/audit?format=csv&entity=product")
    raw = resp.get_data()
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "When (UTC)"
    row = next(r for r in rows if "HYPERLINK" in r[4])
    assert row[4].startswith("'=") and row[1] == email and row[2] == "update"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_the_audit_trail_and_the_dashboard_are_for_hq_and_admin_only(fresh_app, make_user):
    editor, _, _ = sign_in(fresh_app, make_user, "agency_editor", "agriculture_jihad")
    assert editor.get("/fa/hq/audit").status_code == 403
    assert editor.get("/fa/hq/").status_code == 403
    assert fresh_app.test_client().get("/fa/hq/audit").status_code == 302
    hq, _, _ = sign_in(fresh_app, make_user, "hq")
    assert hq.get("/fa/hq/").status_code == 200 and hq.get("/fa/hq/audit").status_code == 200


def test_the_hq_dashboard_counts_opportunities_gaps_cases_and_waiting_interests(fresh_app, make_user):
    from app.services.gaps import province_gaps

    hq, _, _ = sign_in(fresh_app, make_user, "hq")
    resp = hq.get("/en/hq/")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    with fresh_app.app_context():
        shortfalls = sum(1 for g in province_gaps() if g.kind == "shortfall")
    assert "Capacity shortfall" in page and f">{shortfalls:,}<" in page
    assert "Opportunities by value chain" in page and "Cases by status" in page


def test_audit_actions_and_record_types_read_in_the_pages_language(fresh_app, make_user):
    """HQ's trail and an editor's recent changes name what happened in words, not the stored codes."""
    hq, uid, _email = sign_in(fresh_app, make_user, "hq")
    editor, editor_id, _ = sign_in(fresh_app, make_user, "agency_editor", agency="industry_mine_trade")
    add_event(fresh_app, editor_id, action="retire", entity="link", entity_key="LINK-KEY")
    trail = hq.get("/fa/hq/audit").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr><td[^>]*>.*?</tr>", trail, re.S) if "LINK-KEY" in r)
    assert re.search(r"<td[^>]*>کنارگذاشته</td>", row) and "پیوند نهاده" in row
    assert re.search(r'<option value="retire"[^>]*>کنارگذاشته</option>', trail)
    assert re.search(r'<option value="link"[^>]*>پیوند نهاده</option>', trail)
    assert "LINK-KEY" in hq.get("/fa/hq/audit?action=retire&entity=link").get_data(as_text=True)
    recent = editor.get("/fa/portal/").get_data(as_text=True)
    assert re.search(r"<td[^>]*>ورود به سامانه</td>", recent) and not re.search(r"<td[^>]*>login</td>", recent)
    assert re.search(r"<td[^>]*>Retired</td>", editor.get("/en/portal/").get_data(as_text=True))
