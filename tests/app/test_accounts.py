"""Sign-in, sign-out, roles and CSRF."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.app.conftest import sign_in


def test_a_staff_member_signs_in_and_out(fresh_app, make_user):
    _, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    resp = sign_in(client, email, password)
    assert resp.status_code == 302
    assert client.get("/en/admin/users").status_code == 200
    client.post("/en/logout")
    assert client.get("/en/admin/users").status_code == 302


@pytest.mark.parametrize("lang,message", [("en", "The email address or password is not correct."),
                                          ("fa", "نشانی ایمیل یا گذرواژه درست نیست.")])
def test_a_wrong_password_and_an_unknown_account_get_the_same_message(fresh_app, make_user, lang, message):
    _, email, _ = make_user(role="desk_staff")
    client = fresh_app.test_client()
    wrong = sign_in(client, email, "not the password", lang).get_data(as_text=True)
    unknown = sign_in(client, "nobody@example.org", "whatever it is", lang).get_data(as_text=True)
    assert message in wrong and message in unknown
    def strip(body):
        return re.sub(r'name="csrf_token"[^>]*', "", body).replace(email, "").replace(
            "nobody@example.org", "")
    assert strip(wrong) == strip(unknown)


def test_passwords_are_stored_as_argon2_hashes(fresh_app, make_user):
    uid, _, password = make_user()
    with fresh_app.app_context():
        stored = db.session.get(User, uid).password_hash
    assert stored.startswith("$argon2") and password not in stored


def test_anonymous_visitors_are_sent_to_sign_in_and_other_roles_refused(fresh_app, make_user):
    client = fresh_app.test_client()
    resp = client.get("/fa/admin/users")
    assert resp.status_code == 302 and "/fa/login" in resp.headers["Location"]
    _, email, password = make_user(role="investor")
    sign_in(client, email, password)
    resp = client.get("/fa/admin/users")
    assert resp.status_code == 403
    assert '<html lang="fa" dir="rtl">' in resp.get_data(as_text=True)


def test_a_disabled_account_loses_its_session_at_once(fresh_app, make_user):
    uid, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    assert client.get("/en/admin/users").status_code == 200
    with fresh_app.app_context():
        user = db.session.get(User, uid)
        user.active = False
        user.session_version += 1
        db.session.commit()
    assert client.get("/en/admin/users").status_code == 302


def test_sign_in_without_a_csrf_token_is_refused(databases):
    from tests.app.conftest import build_app

    app = build_app(databases.new_url(), seed=False, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    resp = client.post("/fa/login", data={"email": "a@example.org", "password": "x" * 12})
    assert resp.status_code == 400
    assert "این فرم" in resp.get_data(as_text=True)
    resp = client.post("/fa/logout")
    assert resp.status_code == 400


def test_signing_out_by_a_plain_link_does_not_sign_out(fresh_app, make_user):
    _, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    assert client.get("/en/logout").status_code == 200
    assert client.get("/en/admin/users").status_code == 200


def test_a_sign_in_redirect_never_leaves_the_site(fresh_app, make_user):
    _, email, password = make_user()
    client = fresh_app.test_client()
    resp = sign_in(client, email, password, next="//evil.example/x")
    assert resp.headers["Location"] == "/en/"


def test_the_users_command_creates_an_agency_editor(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "Editor@Example.org", "--role", "agency_editor",
                                 "--agency", "agriculture_jihad", "--password", "a long password"])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "editor@example.org"))
        assert user.role == "agency_editor" and user.agency.slug == "agriculture_jihad"


def test_the_users_command_refuses_an_editor_without_an_agency(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "e@example.org", "--role", "agency_editor",
                                 "--password", "a long password"])
    assert result.exit_code != 0
    assert "needs --agency" in result.output


def test_every_response_carries_the_security_headers(client):
    resp = client.get("/fa/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "base-uri" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]


def test_the_password_hint_has_the_pages_digits_whichever_language_renders_first(fresh_app):
    client = fresh_app.test_client()
    assert "At least ۱۰ characters" not in client.get("/fa/register").get_data(as_text=True)
    assert "At least 10 characters" in client.get("/en/register").get_data(as_text=True)
    assert "۱۰" in client.get("/fa/register").get_data(as_text=True)
