"""The holes found by probing as an outsider would (issue 14), each reproduced against the real app.

Open redirects, sessions that outlive sign-out, e-mailed links that follow the Host header, registration
that tells by its work which addresses have accounts, a lock-out that keeps the owner out, 429s without
Retry-After and 405s without Allow.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app import create_app
from app.config import ConfigError
from app.extensions import db
from app.models import Applicant, Opportunity, OutboxMessage, User, UserSession
from app.security.passwords import hash_password
from tests.app.conftest import build_app, sign_in
from tests.app.test_matching_web import DAIRY_PROFILE

PASSWORD = "correct horse battery"


def add_user(app, email, role="investor"):
    with app.app_context():
        user = User(email=email, role=role, password_hash=hash_password(PASSWORD), email_confirmed=True)
        if role != "investor":
            user.totp_secret, user.totp_confirmed, user.recovery_codes = pyotp.random_base32(), True, []
        db.session.add(user)
        db.session.commit()
        return user.totp_secret


def outbox(app, kind):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


@pytest.fixture
def bare_app(databases):
    app = build_app(databases.new_url(), seed=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def limited_app(databases):
    app = build_app(databases.new_url(), seed=False, RATELIMIT_ENABLED=True,
                    PANJEREH_LOGIN_LIMIT_ACCOUNT="3/minute;10/hour", PANJEREH_LOGIN_LIMIT_IP="6/minute")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- open redirect after sign-in
# Each becomes another site (or a different path than shown) once a browser normalises it.
HOSTILE_NEXT = ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "/.//evil.example",
                "/a/..//evil.example", "/%2F/evil.example", "/%252F/evil.example", "https://evil.example/",
                "/%0d%0aSet-Cookie:x=1", "/" + "a" * 2001]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_redirects_off_the_site(bare_app, target):
    add_user(bare_app, "inv@example.org")
    resp = bare_app.test_client().post(f"/en/login?next={target}", data={"email": "inv@example.org",
                                                                        "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/"


@pytest.mark.parametrize("target", ["/.//evil.example", "/%09/evil.example"])
def test_the_second_factor_step_never_redirects_off_the_site(bare_app, target):
    add_user(bare_app, "hq@example.org", role="hq")
    resp = sign_in(bare_app.test_client(), "hq@example.org", PASSWORD, next=target)
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/"


def test_a_plain_path_on_the_site_is_still_followed(bare_app):
    add_user(bare_app, "inv@example.org")
    resp = bare_app.test_client().post("/en/login?next=/en/opportunities%3Fpage%3D2",
                                       data={"email": "inv@example.org", "password": PASSWORD})
    assert resp.headers["Location"] == "/en/opportunities?page=2"


# ---------------------------------------------------------------- sign-out ends the session
def test_a_copied_session_cookie_stops_working_after_sign_out(bare_app):
    add_user(bare_app, "inv@example.org")
    client = bare_app.test_client()
    sign_in(client, "inv@example.org", PASSWORD)
    copied = client.get_cookie("session").value
    assert client.get("/en/account/password").status_code == 200
    client.post("/en/logout")

    thief = bare_app.test_client()
    thief.set_cookie("session", copied)
    resp = thief.get("/en/account/password")
    assert resp.status_code == 302 and "/en/login" in resp.headers["Location"]


def test_a_copied_remember_me_cookie_stops_working_after_sign_out(bare_app):
    add_user(bare_app, "inv@example.org")
    client = bare_app.test_client()
    client.post("/en/login", data={"email": "inv@example.org", "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    # Thirty days at most (not a year), on the cookie and on the server.
    assert remember.expires.timestamp() - time.time() <= 30 * 24 * 3600 + 60
    with bare_app.app_context():
        (row,) = db.session.scalars(select(UserSession)).all()
        assert row.remember

    alone = bare_app.test_client()
    alone.set_cookie("remember_token", remember.value)
    assert alone.get("/en/account/password").status_code == 200  # the cookie alone signs in ...
    client.post("/en/logout")
    later = bare_app.test_client()
    later.set_cookie("remember_token", remember.value)
    assert later.get("/en/account/password").status_code == 302  # ... until its owner signs out
    with bare_app.app_context():
        assert db.session.scalars(select(UserSession)).all() == []


def test_an_expired_session_is_refused_by_the_server_whatever_the_cookie_says(bare_app):
    add_user(bare_app, "inv@example.org")
    client = bare_app.test_client()
    sign_in(client, "inv@example.org", PASSWORD)
    with bare_app.app_context():
        row = db.session.scalars(select(UserSession)).one()
        row.expires_at = row.created_at.replace(year=row.created_at.year - 1)
        db.session.commit()
    assert client.get("/en/account/password").status_code == 302


def test_signing_out_one_browser_leaves_the_others_signed_in(bare_app):
    add_user(bare_app, "inv@example.org")
    first, second = bare_app.test_client(), bare_app.test_client()
    sign_in(first, "inv@example.org", PASSWORD)
    sign_in(second, "inv@example.org", PASSWORD)
    first.post("/en/logout")
    assert first.get("/en/account/password").status_code == 302
    assert second.get("/en/account/password").status_code == 200


# ---------------------------------------------------------------- e-mailed links and the Host header
def test_a_forged_host_header_never_reaches_an_emailed_link(bare_app):
    client = bare_app.test_client()
    client.post("/en/register", headers={"Host": "evil.example"},
                data={"email": "new@example.org", "name": "N", "password": "a long password",
                      "password_again": "a long password"})
    (mail,) = outbox(bare_app, "confirm_email")
    assert "evil.example" not in mail.body
    assert re.search(r"http://localhost/en/register/confirm/\S+", mail.body)


def test_production_refuses_to_start_without_its_public_address(seeded_url):
    base = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": seeded_url, "SECRET_KEY": "x", "PANJEREH_ENV": "production"}
    with pytest.raises(ConfigError, match="PANJEREH_BASE_URL"):
        create_app({**base, "PANJEREH_BASE_URL": ""})
    with pytest.raises(ConfigError, match="scheme and host only"):
        create_app({**base, "PANJEREH_BASE_URL": "panjereh.example.ir/path"})
    with pytest.raises(ConfigError, match="https"):
        create_app({**base, "PANJEREH_BASE_URL": "http://panjereh.example.ir", "SESSION_COOKIE_SECURE": True})
    app = create_app({**base, "PANJEREH_BASE_URL": "https://panjereh.example.ir/"})
    assert app.config["PANJEREH_BASE_URL"] == "https://panjereh.example.ir"
    with app.app_context():
        db.engine.dispose()


# ---------------------------------------------------------------- registration does the same work either way
def test_registration_does_the_same_work_for_a_taken_and_a_new_address(bare_app, monkeypatch):
    from app.auth import views

    add_user(bare_app, "taken@example.org")
    hashed = []

    def counting(password):
        hashed.append(password)
        return hash_password(password)

    monkeypatch.setattr(views, "hash_password", counting)
    client = bare_app.test_client()
    for email in ("taken@example.org", "fresh@example.org"):
        hashed.clear()
        resp = client.post("/en/register", data={"email": email, "name": "N", "password": "a long password",
                                                 "password_again": "a long password"})
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/en/register/sent")
        assert hashed == ["a long password"], email


# ---------------------------------------------------------------- lock-out the owner can lift
def attempt(client, email, password="not the password", ip="10.0.0.1", lang="en"):
    return client.post(f"/{lang}/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def lock(client, email):
    for i in range(3):
        assert attempt(client, email, ip=f"10.0.1.{i}").status_code == 400
    resp = attempt(client, email, ip="10.0.2.1")
    assert resp.status_code == 429
    return resp


def test_a_locked_account_says_when_to_try_again(limited_app):
    resp = lock(limited_app.test_client(), "nobody@example.org")
    assert 1 <= int(resp.headers["Retry-After"]) <= 60


def test_a_staff_member_lifts_a_lock_out_with_the_right_password_and_second_factor(limited_app):
    secret = add_user(limited_app, "hq@example.org", role="hq")
    client = limited_app.test_client()
    lock(client, "hq@example.org")
    resp = attempt(client, "hq@example.org", PASSWORD, ip="10.0.3.1")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/en/login/2fa")
    resp = client.post("/en/login/2fa", data={"code": pyotp.TOTP(secret).now()},
                       environ_base={"REMOTE_ADDR": "10.0.3.1"})
    assert resp.status_code == 302 and client.get("/en/hq/").status_code == 200
    # The count is cleared: a typo afterwards is an ordinary wrong password, not a lock-out.
    assert attempt(limited_app.test_client(), "hq@example.org", ip="10.0.3.2").status_code == 400


def test_a_locked_investor_unlocks_by_the_emailed_link(limited_app):
    add_user(limited_app, "inv@example.org")
    client = limited_app.test_client()
    lock(client, "inv@example.org")
    # The right password alone does not tell the attacker anything: the same 429 as a wrong one.
    right = attempt(client, "inv@example.org", PASSWORD, ip="10.0.4.1")
    assert right.status_code == 429 and right.headers["Retry-After"]
    (mail,) = outbox(limited_app, "unlock")  # one mail, however often the locked account is tried
    assert mail.to == "inv@example.org"
    link = re.search(r"http://localhost(/en/login/unlock/\S+)", mail.body).group(1)
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/en/login")
    resp = attempt(client, "inv@example.org", PASSWORD, ip="10.0.4.2")
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/"


def test_a_forged_unlock_link_is_a_clear_400(limited_app):
    resp = limited_app.test_client().get("/fa/login/unlock/" + "x" * 5000)
    assert resp.status_code == 400 and "پیوند" in resp.get_data(as_text=True)


def test_every_429_carries_retry_after(limited_app):
    client = limited_app.test_client()
    codes = [attempt(client, f"u{i}@example.org", ip="192.0.2.9").status_code for i in range(7)]
    assert codes[-1] == 429
    assert int(attempt(client, "u9@example.org", ip="192.0.2.9").headers["Retry-After"]) >= 1
    resend = [client.post("/en/register/resend", data={"email": "r@example.org"},
                          environ_base={"REMOTE_ADDR": "192.0.2.10"}) for _ in range(4)]
    assert resend[-1].status_code == 429 and int(resend[-1].headers["Retry-After"]) >= 1


# ---------------------------------------------------------------- 405 names what is allowed
@pytest.mark.parametrize("method,path,allowed", [
    ("put", "/en/login", {"GET", "HEAD", "OPTIONS", "POST"}),
    ("delete", "/api/v1/products", {"OPTIONS", "POST"}),
    ("post", "/fa/opportunities", {"GET", "HEAD", "OPTIONS"}),
])
def test_a_405_names_the_allowed_methods(client, method, path, allowed):
    resp = getattr(client, method)(path)
    assert resp.status_code == 405
    assert {m.strip() for m in resp.headers["Allow"].split(",")} == allowed


# ---------------------------------------------------------------- the reverse look-up shows only who may be contacted
def test_the_reverse_look_up_leaves_out_walk_ins_of_other_desks(fresh_app, make_user):
    with fresh_app.app_context():
        opp = db.session.scalar(select(Opportunity).where(Opportunity.status == "published",
                                                          Opportunity.title_en.like("%cheese%")))
        opp_id, agency = opp.id, opp.agency.slug
        other = db.session.scalar(select(Opportunity).where(Opportunity.agency_id != opp.agency_id)).agency.slug
    refs = {}
    for desk_agency in (None, other, agency):  # a desk of no agency, of another agency, of the opportunity's
        _, email, password = make_user(role="desk_staff", agency=desk_agency)
        desk = fresh_app.test_client()
        sign_in(desk, email, password)
        resp = desk.post("/fa/desk/", data=DAIRY_PROFILE)
        assert resp.status_code == 302
        refs[desk_agency] = resp.headers["Location"].rstrip("/").split("/")[-1]
    with fresh_app.app_context():
        assert db.session.scalar(select(Applicant).where(Applicant.ref == refs[None])) is not None
    _, email, password = make_user(role="agency_editor", agency=agency)
    editor = fresh_app.test_client()
    sign_in(editor, email, password)
    listed = {row["applicant"] for row in editor.get(f"/api/v1/opportunities/{opp_id}/applicants").get_json()["data"]}
    assert refs[agency] in listed
    assert refs[None] not in listed and refs[other] not in listed
