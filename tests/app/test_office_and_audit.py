"""The office's details (header, footer, about page), the audit trail as labelled fields, and the
page-text checker's own regression cases (docs/persian-style.md)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OfficeSettings

from .conftest import sign_in as sign_in_as
from .test_persian_text import problems_on


def signed_in(app, make_user, role):
    client = app.test_client()
    uid, email, password = make_user(role=role)
    assert sign_in_as(client, email, password, lang="fa").status_code == 302
    return client, uid


def office_form(**changes):
    data = {"version": "0", "office_name_fa": "پنجره واحد سرمایه‌گذاری تبریز",
            "office_name_en": "Tabriz investment single window", "address_fa": "تبریز، خیابان امام",
            "address_en": "Imam Street, Tabriz", "phone": "۰۴۱-۳۳۳۳ ۴۴۴۴", "hours_fa": "شنبه تا چهارشنبه",
            "hours_en": "Saturday to Wednesday", "privacy_fa": "حریم", "privacy_en": "Privacy",
            "accessibility_fa": "دسترس‌پذیری", "accessibility_en": "Accessibility"}
    return {**data, **changes}


def test_every_page_shows_the_office_and_its_footer_before_anything_is_saved(client):
    html = client.get("/fa/").get_data(as_text=True)
    assert "پنجره واحد سرمایه‌گذاری استان آذربایجان شرقی" in html  # the office in the header and footer
    assert 'class="brand-mark"' in html and "<svg" in html  # the emblem is drawn, not fetched
    assert "/fa/about#privacy" in html and "/fa/about#accessibility" in html
    assert "Bootstrap" not in html  # the licences moved to the about page
    about = client.get("/en/about").get_data(as_text=True)
    assert "Bootstrap" in about and "Vazirmatn" in about and 'id="privacy"' in about


def test_the_admin_edits_the_office_and_every_page_shows_it(fresh_app, make_user):
    admin, _ = signed_in(fresh_app, make_user, "admin")
    resp = admin.post("/fa/admin/office", data=office_form())
    assert resp.status_code == 302
    page = fresh_app.test_client().get("/fa/opportunities").get_data(as_text=True)
    assert "پنجره واحد سرمایه‌گذاری تبریز" in page and "تبریز، خیابان امام" in page
    assert "۰۴۱-۳۳۳۳ ۴۴۴۴" in page and 'href="tel:041-33334444"' in page  # stored with Latin digits
    en = fresh_app.test_client().get("/en/").get_data(as_text=True)
    assert "Tabriz investment single window" in en and "041-3333 4444" in en
    with fresh_app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "settings")).one()
        assert event.action == "create" and event.after["phone"] == "041-3333 4444"


def test_a_stale_office_form_is_refused_and_nothing_is_overwritten(fresh_app, make_user):
    admin, _ = signed_in(fresh_app, make_user, "admin")
    assert admin.post("/fa/admin/office", data=office_form()).status_code == 302
    assert admin.post("/fa/admin/office", data=office_form(address_fa="دوم")).status_code == 409  # version 0 again
    with fresh_app.app_context():
        row = db.session.scalars(select(OfficeSettings)).one()
        assert row.address_fa == "تبریز، خیابان امام" and row.version == 1


@pytest.mark.parametrize(("field", "value"), [("phone", "call us"), ("office_name_fa", ""),
                                               ("address_en", "x" * 501), ("hours_fa", "y" * 10_000)])
def test_bad_office_details_get_a_persian_message_on_their_field_and_nothing_is_saved(fresh_app, make_user,
                                                                                      field, value):
    admin, _ = signed_in(fresh_app, make_user, "admin")
    resp = admin.post("/fa/admin/office", data=office_form(**{field: value}))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'class="field-error"' in html and f'href="#{field}"' in html
    with fresh_app.app_context():
        assert db.session.scalars(select(OfficeSettings)).all() == []


def test_only_the_admin_edits_the_office(fresh_app, make_user):
    hq, _ = signed_in(fresh_app, make_user, "hq")
    assert hq.get("/fa/admin/office").status_code in (403, 404)
    assert hq.post("/fa/admin/office", data=office_form()).status_code in (403, 404)


def test_the_audit_trail_shows_labelled_localised_fields_never_raw_json(fresh_app, make_user):
    hq, uid = signed_in(fresh_app, make_user, "hq")
    with fresh_app.app_context():
        db.session.add(AuditEvent(user_id=uid, at=datetime(2024, 9, 21, 20, 45, tzinfo=timezone.utc),
                                  action="update", entity="product", entity_key="0406",
                                  before={"as_of": "2024-09-21", "capacity": 1200000, "stage": "raw"},
                                  after={"as_of": "2024-11-22", "capacity": 1117647, "stage": "final"}))
        db.session.commit()
    html = hq.get("/fa/hq/audit?entity=product").get_data(as_text=True)
    assert '{"' not in html and "as_of" not in html
    assert "تاریخ آمار" in html and "۳۱ شهریور ۱۴۰۳" in html and "۲ آذر ۱۴۰۳" in html  # Jalali, labelled
    assert "۱٬۲۰۰٬۰۰۰" in html and "۱٬۱۱۷٬۶۴۷" in html and "ماده خام" in html and "محصول نهایی" in html
    assert "۱ مهر ۱۴۰۳" in html and "۰۰:۱۵" in html  # 20:45 UTC is 00:15 the next day in Tehran
    assert ">تغییر<" in html and ">محصول " in html  # action and record type by their Persian labels
    assert problems_on(html, "fa") == []
    en = hq.get("/en/hq/audit?entity=product").get_data(as_text=True)
    assert "Figures as of" in en and "21 September 2024" in en and "Changed" in en


def test_the_checker_catches_an_iso_date_left_unisolated_in_a_persian_label():
    before = '<html lang="fa"><body><label>تاریخ آمار (1403/06/31 یا 2024-09-21)</label></body></html>'
    assert any("ordered value not isolated" in p for p in problems_on(before, "fa"))
    assert any("ASCII digits" in p for p in problems_on(before, "fa"))
    after = ('<html lang="fa"><body><label>تاریخ آمار</label><div>مثلاً <bdi dir="ltr" class="code">۱۴۰۳/۰۶/۳۱</bdi>'
             ' یا <bdi dir="ltr" class="code">۲۰۲۴-۰۹-۲۱</bdi></div></body></html>')
    assert problems_on(after, "fa") == []


def test_the_checker_catches_a_tracking_code_in_a_sentence_and_accepts_it_isolated():
    before = '<html lang="fa"><body><p>پرونده ۴۴۱۷ ۲۰۹۳ ۵۵۸۱ ۰۲۶۴ باز شد.</p></body></html>'
    assert any("ordered value not isolated" in p for p in problems_on(before, "fa"))
    flashed = '<html lang="fa"><body><p>پرونده \u2066۴۴۱۷ ۲۰۹۳ ۵۵۸۱ ۰۲۶۴\u2069 باز شد.</p></body></html>'
    assert problems_on(flashed, "fa") == []
    assert problems_on('<html lang="en"><body><p>At least ۱۰ characters</p></body></html>', "en") != []
    assert problems_on('<html lang="fa"><body><td>update</td></body></html>', "fa") != []


def test_the_desk_flash_isolates_the_tracking_code(fresh_app, make_user):
    from app.i18n import isolate

    with fresh_app.test_request_context("/fa/"):
        assert isolate("4417 2093") == "\u2066۴۴۱۷ ۲۰۹۳\u2069"
