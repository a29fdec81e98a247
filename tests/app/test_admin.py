"""The admin pages: accounts and agencies, for administrators only, every change in the audit log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Agency, AuditEvent, Sector, User
from tests.app.conftest import sign_in

ADMIN_PAGES = ["/fa/admin/users", "/fa/admin/users/new", "/fa/admin/users/1", "/fa/admin/agencies",
               "/fa/admin/agencies/new", "/fa/admin/agencies/agriculture_jihad"]


@pytest.fixture
def admin(fresh_app, make_user):
    uid, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    assert sign_in(client, email, password, lang="fa").status_code == 302
    client.uid = uid
    return client


def audit_rows(app, entity, key):
    with app.app_context():
        return [(e.action, e.before, e.after, e.user_id) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_key == key,
                                     AuditEvent.action != "login").order_by(AuditEvent.id))]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(fresh_app, path):
    resp = fresh_app.test_client().get(path)
    assert resp.status_code == 302 and "/fa/login" in resp.headers["Location"]


@pytest.mark.parametrize("role", ["investor", "desk_staff", "agency_editor", "hq"])
def test_other_roles_are_refused_every_admin_page(fresh_app, make_user, role):
    _, email, password = make_user(role=role, agency="agriculture_jihad" if role == "agency_editor" else None)
    client = fresh_app.test_client()
    sign_in(client, email, password, lang="fa")
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    assert client.post("/fa/admin/users/1/reset-2fa").status_code == 403
    assert client.post("/fa/admin/agencies/new", data={"slug": "x_agency", "name_fa": "x", "name_en": "x",
                                                       "category": "driver"}).status_code == 403
    with fresh_app.app_context():
        assert db.session.scalar(select(Agency).where(Agency.slug == "x_agency")) is None


def test_an_admin_creates_a_staff_account_with_a_password_shown_once(fresh_app, admin):
    resp = admin.post("/fa/admin/users/new", data={"email": "Clerk@Example.org", "name": "کارمند میز",
                                                   "role": "desk_staff", "agency": ""})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    password = re.search(r'<strong>([a-z2-9]{5}(?:-[a-z2-9]{5}){3})</strong>', resp.get_data(as_text=True)).group(1)
    assert password not in admin.get("/fa/admin/users").get_data(as_text=True)
    with fresh_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "clerk@example.org"))
        assert user.role == "desk_staff" and user.email_confirmed and not user.totp_confirmed
    (action, before, after, by), = audit_rows(fresh_app, "user", "clerk@example.org")
    assert action == "create" and after["role"] == "desk_staff" and by == admin.uid
    assert "password" not in str(after) and "argon2" not in str(after) and "totp_secret" not in str(after)
    # At the first sign-in the new clerk must set up the second factor.
    resp = fresh_app.test_client().post("/fa/login", data={"email": "clerk@example.org", "password": password})
    assert resp.headers["Location"].endswith("/fa/account/2fa/setup")


def test_an_admin_can_set_the_initial_password(fresh_app, admin):
    resp = admin.post("/en/admin/users/new", data={"email": "hq2@example.org", "role": "hq",
                                                   "password": "chosen by the admin"})
    assert resp.status_code == 200 and "chosen by the admin" not in resp.get_data(as_text=True)
    resp = fresh_app.test_client().post("/en/login", data={"email": "hq2@example.org",
                                                           "password": "chosen by the admin"})
    assert resp.headers["Location"].endswith("/en/account/2fa/setup")


@pytest.mark.parametrize("data,message", [
    ({"email": "ed@example.org", "role": "agency_editor", "agency": ""},
     "برای ویراستار دستگاه باید دستگاه را انتخاب کنید."),
    ({"email": "ed@example.org", "role": "superuser"}, "نقش را از فهرست انتخاب کنید."),
    ({"email": "ed@example.org", "role": "desk_staff", "agency": "atlantis"}, "دستگاه را از فهرست انتخاب کنید."),
    ({"email": "not an address", "role": "desk_staff"}, "نشانی ایمیل"),
    ({"email": "ed@example.org", "role": "desk_staff", "password": "short"}, "گذرواژه باید بین ۱۰ تا ۲۰۰ حرف باشد."),
    ({"email": "ed@example.org", "role": "investor"}, "نقش را از فهرست انتخاب کنید."),
])
def test_a_bad_new_account_gets_a_persian_field_error_and_nothing_is_stored(fresh_app, admin, data, message):
    resp = admin.post("/fa/admin/users/new", data=data)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    with fresh_app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ed@example.org")) is None


def test_an_address_already_in_use_is_refused(fresh_app, admin, make_user):
    _, email, _ = make_user(role="investor")
    resp = admin.post("/fa/admin/users/new", data={"email": email.upper(), "role": "hq"})
    assert resp.status_code == 400 and "با این نشانی ایمیل از پیش حسابی وجود دارد." in resp.get_data(as_text=True)


def test_disabling_an_account_ends_its_sessions_at_once_and_is_audited(fresh_app, admin, make_user):
    uid, email, password = make_user(role="desk_staff")
    clerk = fresh_app.test_client()
    sign_in(clerk, email, password)
    assert clerk.get("/en/desk/").status_code == 200
    resp = admin.post(f"/fa/admin/users/{uid}", data={"name": "", "role": "desk_staff", "agency": ""})
    assert resp.status_code == 302
    assert clerk.get("/en/desk/").status_code == 302
    with fresh_app.app_context():
        user = db.session.get(User, uid)
        assert not user.active and user.session_version == 2
    (action, before, after, by), = audit_rows(fresh_app, "user", email)
    assert (action, before["active"], after["active"], by) == ("update", True, False, admin.uid)
    # Enabled again, the account can sign in afresh.
    admin.post(f"/fa/admin/users/{uid}", data={"role": "desk_staff", "agency": "", "active": "y"})
    assert sign_in(fresh_app.test_client(), email, password).status_code == 302


def test_an_admin_changes_a_role_and_agency(fresh_app, admin, make_user):
    uid, email, _ = make_user(role="desk_staff")
    page = admin.get(f"/fa/admin/users/{uid}").get_data(as_text=True)
    assert email in page and re.search(r'<option (selected )?value="desk_staff"( selected)?>', page)
    resp = admin.post(f"/fa/admin/users/{uid}", data={"role": "agency_editor", "agency": "agriculture_jihad",
                                                      "active": "y"})
    assert resp.status_code == 302
    with fresh_app.app_context():
        user = db.session.get(User, uid)
        assert user.role == "agency_editor" and user.agency.slug == "agriculture_jihad"
    (_, before, after, _), = audit_rows(fresh_app, "user", email)
    assert before["role"] == "desk_staff" and after["agency"] == "agriculture_jihad"


def test_an_admin_cannot_lock_themselves_out(fresh_app, admin):
    for data in ({"role": "admin", "agency": ""}, {"role": "hq", "agency": "", "active": "y"}):
        resp = admin.post(f"/fa/admin/users/{admin.uid}", data=data)
        assert resp.status_code == 400
        assert "نمی‌توانید دسترسی مدیریت خودتان را بگیرید" in resp.get_data(as_text=True)
    assert admin.get("/fa/admin/users").status_code == 200


def test_an_admin_resets_a_lost_second_factor(fresh_app, admin, make_user):
    uid, email, password = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, email, password)
    resp = admin.post(f"/fa/admin/users/{uid}/reset-2fa")
    assert resp.status_code == 302
    assert hq.get("/en/admin/users").status_code == 302  # the old session has ended
    with fresh_app.app_context():
        user = db.session.get(User, uid)
        assert user.totp_secret is None and not user.totp_confirmed
    resp = fresh_app.test_client().post("/en/login", data={"email": email, "password": password})
    assert resp.headers["Location"].endswith("/en/account/2fa/setup")
    (_, before, after, _), = audit_rows(fresh_app, "user", email)
    assert before["totp_confirmed"] and after["second_factor"] == "reset"
    assert "totp_secret" not in str(before) + str(after)


def test_the_account_list_filters_by_role_and_shows_second_factor_state(fresh_app, admin, make_user):
    make_user(role="investor", email="someone@example.org")
    make_user(role="desk_staff", email="clerk@example.org", enrolled=False)
    body = admin.get("/fa/admin/users?role=desk_staff").get_data(as_text=True)
    assert "clerk@example.org" in body and "someone@example.org" not in body and "هنوز راه‌اندازی نشده" in body


# ---------------------------------------------------------------- agencies
def test_an_admin_creates_and_edits_an_agency(fresh_app, admin):
    resp = admin.post("/fa/admin/agencies/new", data={
        "slug": "mining_org", "name_fa": "سازمان صنعت، معدن و تجارت", "name_en": "Industry, Mining and Trade",
        "category": "driver"})
    assert resp.status_code == 302
    with fresh_app.app_context():
        sector_slugs = list(db.session.scalars(select(Sector.slug).order_by(Sector.slug).limit(2)))
    resp = admin.post("/fa/admin/agencies/mining_org", data={
        "name_fa": "سازمان صمت", "name_en": "Industry, Mining and Trade", "category": "support",
        "sectors": sector_slugs, "slug": "renamed"})
    assert resp.status_code == 302
    with fresh_app.app_context():
        agency = db.session.scalar(select(Agency).where(Agency.slug == "mining_org"))
        assert agency.name_fa == "سازمان صمت" and agency.category == "support"
        assert sorted(s.slug for s in agency.sectors) == sorted(sector_slugs)
    page = admin.get("/fa/admin/agencies").get_data(as_text=True)
    assert "سازمان صمت" in page and "پشتیبان" in page
    (created, updated) = audit_rows(fresh_app, "agency", "mining_org")
    assert created[0] == "create" and created[2]["category"] == "driver"
    assert updated[0] == "update" and updated[1]["name_fa"] == "سازمان صنعت، معدن و تجارت"
    assert updated[2]["sectors"] == sorted(sector_slugs)


@pytest.mark.parametrize("change,message", [
    ({"slug": "Bad Slug"}, "شناسه باید ۲ تا ۶۴ حرف"),
    ({"slug": "agriculture_jihad"}, "دستگاه دیگری این شناسه را دارد."),
    ({"name_fa": ""}, "نام را به فارسی وارد کنید."),
    ({"name_en": ""}, "نام را به انگلیسی وارد کنید."),
    ({"category": "ministry"}, "دسته را از فهرست انتخاب کنید."),
    ({"category": ""}, "دسته را انتخاب کنید."),
    ({"sectors": ["atlantis"]}, "بخش‌ها را از فهرست انتخاب کنید."),
])
def test_a_bad_agency_gets_persian_field_errors_and_is_not_saved(fresh_app, admin, change, message):
    data = {"slug": "new_agency", "name_fa": "دستگاه تازه", "name_en": "New agency", "category": "service", **change}
    resp = admin.post("/fa/admin/agencies/new", data=data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and message in body
    assert 'lang="fa" dir="rtl"' in body
    with fresh_app.app_context():
        assert db.session.scalar(select(Agency).where(Agency.slug == "new_agency")) is None


def test_editing_an_agency_with_an_empty_name_shows_the_error_and_keeps_the_old_name(fresh_app, admin):
    with fresh_app.app_context():
        old = db.session.scalar(select(Agency.name_fa).where(Agency.slug == "agriculture_jihad"))
    resp = admin.post("/fa/admin/agencies/agriculture_jihad", data={"name_fa": "", "name_en": "x",
                                                                     "category": "driver"})
    assert resp.status_code == 400 and "نام را به فارسی وارد کنید." in resp.get_data(as_text=True)
    with fresh_app.app_context():
        assert db.session.scalar(select(Agency.name_fa).where(Agency.slug == "agriculture_jihad")) == old


def test_an_unknown_agency_or_account_is_a_404(fresh_app, admin):
    assert admin.get("/fa/admin/agencies/atlantis").status_code == 404
    assert admin.get("/fa/admin/users/99999").status_code == 404
