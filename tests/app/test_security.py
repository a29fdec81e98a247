"""Second factor for staff, sign-in limits, sessions, registration by e-mail, mail delivery, headers."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OutboxMessage, User
from tests.app.conftest import build_app, sign_in, totp_secret

SIGNED_IN_ONLY = "/en/admin/users"


def is_signed_in_as_admin(client) -> bool:
    return client.get(SIGNED_IN_ONLY).status_code == 200


def wrong_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    now = time.time()
    valid = {totp.at(now + d * 30) for d in (-1, 0, 1)}
    return next(c for c in ("123456", "654321", "000000", "999999") if c not in valid)


# ---------------------------------------------------------------- second factor
def test_a_password_alone_does_not_sign_a_staff_member_in(fresh_app, make_user):
    _, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    resp = client.post("/en/login", data={"email": email, "password": password})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/en/login/2fa")
    assert not is_signed_in_as_admin(client)
    assert client.get("/en/desk/").status_code == 302


def test_investors_sign_in_with_a_password_only(fresh_app, make_user):
    _, email, password = make_user(role="investor")
    client = fresh_app.test_client()
    resp = client.post("/en/login", data={"email": email, "password": password})
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/"
    assert email in client.get("/en/").get_data(as_text=True)


def test_a_wrong_code_is_refused_in_the_page_language(fresh_app, make_user):
    _, email, password = make_user(role="hq")
    client = fresh_app.test_client()
    client.post("/fa/login", data={"email": email, "password": password})
    resp = client.post("/fa/login/2fa", data={"code": wrong_code(totp_secret(fresh_app, email))})
    assert resp.status_code == 400
    assert "این کد درست نیست" in resp.get_data(as_text=True)
    assert client.get("/fa/hq/").status_code != 200
    assert not is_signed_in_as_admin(client)


def test_the_right_code_signs_in_and_is_accepted_only_once(fresh_app, make_user):
    _, email, password = make_user(role="admin")
    code = pyotp.TOTP(totp_secret(fresh_app, email)).now()
    client = fresh_app.test_client()
    client.post("/en/login?next=/en/admin/users", data={"email": email, "password": password})
    resp = client.post("/en/login/2fa", data={"code": " ".join([code[:3], code[3:]])})  # spaces are fine
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/admin/users"
    assert is_signed_in_as_admin(client)

    replay = fresh_app.test_client()
    replay.post("/en/login", data={"email": email, "password": password})
    assert replay.post("/en/login/2fa", data={"code": code}).status_code == 400
    assert not is_signed_in_as_admin(replay)


def test_persian_digits_are_accepted_in_the_code(fresh_app, make_user):
    _, email, password = make_user(role="desk_staff")
    code = pyotp.TOTP(totp_secret(fresh_app, email)).now()
    client = fresh_app.test_client()
    client.post("/fa/login", data={"email": email, "password": password})
    resp = client.post("/fa/login/2fa", data={"code": code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))})
    assert resp.status_code == 302
    assert client.get("/fa/desk/").status_code == 200


def test_a_half_done_sign_in_expires_after_five_minutes(fresh_app, make_user):
    _, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    client.post("/en/login", data={"email": email, "password": password})
    with client.session_transaction() as sess:
        sess["pending_login"] = {**sess["pending_login"], "exp": int(time.time()) - 1}
    resp = client.post("/en/login/2fa", data={"code": pyotp.TOTP(totp_secret(fresh_app, email)).now()})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/en/login")
    assert not is_signed_in_as_admin(client)


def test_the_second_step_without_a_password_first_goes_back_to_sign_in(fresh_app):
    client = fresh_app.test_client()
    for path in ("/en/login/2fa", "/en/account/2fa/setup"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/en/login")


def enrol(client, app, email, password, lang="en"):
    resp = client.post(f"/{lang}/login", data={"email": email, "password": password})
    assert resp.headers["Location"].endswith(f"/{lang}/account/2fa/setup")
    page = client.get(f"/{lang}/account/2fa/setup")
    secret = totp_secret(app, email)
    resp = client.post(f"/{lang}/account/2fa/setup", data={"code": pyotp.TOTP(secret).now()})
    assert resp.status_code == 200
    codes = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", resp.get_data(as_text=True))
    return page, resp, secret, codes


def test_a_new_staff_member_enrols_with_a_qr_code_and_gets_ten_recovery_codes_once(fresh_app, make_user):
    uid, email, password = make_user(role="agency_editor", agency="agriculture_jihad", enrolled=False)
    client = fresh_app.test_client()
    page, resp, secret, codes = enrol(client, fresh_app, email, password, lang="fa")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    svg = re.search(r'<svg[^>]*class="totp-qr".*?</svg>', body, re.S).group(0)  # not the header's emblem
    assert "style" not in svg and "<script" not in svg and "<?xml" not in body
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in body
    assert len(set(codes)) == 10 and resp.headers["Cache-Control"] == "no-store"
    assert client.get("/fa/portal/interests").status_code == 200  # signed in now
    with fresh_app.app_context():
        user = db.session.get(User, uid)
        assert user.totp_confirmed and len(user.recovery_codes) == 10
        assert not any(code.replace("-", "") in str(user.recovery_codes) for code in codes)
    # The codes are not shown again: going back to the setup page leads to the second step.
    assert client.get("/fa/account/2fa/setup").status_code == 302


def test_a_recovery_code_signs_in_once_and_is_then_used_up(fresh_app, make_user):
    uid, email, password = make_user(role="admin", enrolled=False)
    _, _, _, codes = enrol(fresh_app.test_client(), fresh_app, email, password)
    client = fresh_app.test_client()
    client.post("/en/login", data={"email": email, "password": password})
    resp = client.post("/en/login/2fa", data={"code": codes[3].lower()})
    assert resp.status_code == 302 and is_signed_in_as_admin(client)
    with fresh_app.app_context():
        assert len(db.session.get(User, uid).recovery_codes) == 9

    again = fresh_app.test_client()
    again.post("/en/login", data={"email": email, "password": password})
    assert again.post("/en/login/2fa", data={"code": codes[3]}).status_code == 400
    assert not is_signed_in_as_admin(again)


def test_a_staff_session_without_a_second_factor_stops_working(fresh_app, make_user):
    uid, email, password = make_user(role="investor")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    with fresh_app.app_context():
        db.session.get(User, uid).role = "admin"  # promoted, but not yet enrolled
        db.session.commit()
    assert client.get(SIGNED_IN_ONLY).status_code == 302


def test_the_reset_2fa_command_makes_the_account_enrol_again(fresh_app, make_user):
    uid, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    result = fresh_app.test_cli_runner().invoke(args=["users", "reset-2fa", "--email", email.upper()])
    assert result.exit_code == 0, result.output
    assert not is_signed_in_as_admin(client)
    resp = fresh_app.test_client().post("/en/login", data={"email": email, "password": password})
    assert resp.headers["Location"].endswith("/en/account/2fa/setup")
    with fresh_app.app_context():
        user = db.session.get(User, uid)
        assert user.totp_secret is None and not user.recovery_codes


# ---------------------------------------------------------------- rate limits
@pytest.fixture
def limited_app(databases):
    app = build_app(databases.new_url(), seed=False, RATELIMIT_ENABLED=True,
                    PANJEREH_LOGIN_LIMIT_ACCOUNT="3/minute;10/hour", PANJEREH_LOGIN_LIMIT_IP="5/minute")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def attempt(client, email, ip, lang="fa"):
    return client.post(f"/{lang}/login", data={"email": email, "password": "not the password"},
                       environ_base={"REMOTE_ADDR": ip})


def test_too_many_attempts_on_one_account_get_a_persian_429_page(limited_app):
    client = limited_app.test_client()
    for i in range(3):
        assert attempt(client, "victim@example.org", f"10.0.0.{i}").status_code == 400
    # From yet another address, and written differently: still the same account.
    resp = attempt(client, " Victim@Example.org ", "10.0.0.99")
    assert resp.status_code == 429
    body = resp.get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in body and "تلاش‌ها بیش از حد مجاز بود" in body
    # Another account is not held up.
    assert attempt(client, "someone-else@example.org", "10.0.0.98").status_code == 400


def test_too_many_attempts_from_one_address_get_429(limited_app):
    client = limited_app.test_client()
    for i in range(5):
        assert attempt(client, f"user{i}@example.org", "192.0.2.7", lang="en").status_code == 400
    resp = attempt(client, "user9@example.org", "192.0.2.7", lang="en")
    assert resp.status_code == 429 and "Too many attempts" in resp.get_data(as_text=True)
    assert attempt(client, "user9@example.org", "192.0.2.8", lang="en").status_code == 400


def test_reading_the_sign_in_page_does_not_count_as_an_attempt(limited_app):
    client = limited_app.test_client()
    for _ in range(8):
        assert client.get("/fa/login").status_code == 200


def test_limits_are_off_unless_a_test_switches_them_on(fresh_app):
    client = fresh_app.test_client()
    assert all(attempt(client, "a@example.org", "10.1.1.1").status_code == 400 for _ in range(8))


# ---------------------------------------------------------------- sessions and passwords
def test_changing_the_password_keeps_this_session_and_ends_the_others(fresh_app, make_user):
    uid, email, password = make_user(role="investor")
    here, elsewhere = fresh_app.test_client(), fresh_app.test_client()
    sign_in(here, email, password)
    sign_in(elsewhere, email, password)
    resp = here.post("/en/account/password", data={"current": password, "password": "a brand new passphrase",
                                                   "password_again": "a brand new passphrase"})
    assert resp.status_code == 302
    assert here.get("/en/account/password").status_code == 200
    assert elsewhere.get("/en/account/password").status_code == 302
    assert sign_in(fresh_app.test_client(), email, password).status_code == 400
    assert sign_in(fresh_app.test_client(), email, "a brand new passphrase").status_code == 302
    with fresh_app.app_context():
        row = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_key == email,
                                                          AuditEvent.action == "update")).one()
        assert "argon2" not in str(row.after) and "passphrase" not in str(row.after)


@pytest.mark.parametrize("data,message", [
    ({"current": "wrong password!", "password": "a brand new passphrase", "password_again": "a brand new passphrase"},
     "گذرواژهٔ کنونی شما درست نیست."),
    ({"current": "correct horse battery", "password": "short", "password_again": "short"},
     "گذرواژه باید بین ۱۰ تا ۲۰۰ حرف باشد."),
    ({"current": "correct horse battery", "password": "a brand new passphrase", "password_again": "another one!!"},
     "دو گذرواژه یکسان نیستند."),
])
def test_a_bad_password_change_is_refused_with_a_persian_message(fresh_app, make_user, data, message):
    uid, email, password = make_user(role="desk_staff")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    resp = client.post("/fa/account/password", data=data)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    with fresh_app.app_context():
        assert db.session.get(User, uid).session_version == 1


def test_the_password_page_needs_a_signed_in_user(fresh_app):
    resp = fresh_app.test_client().get("/fa/account/password")
    assert resp.status_code == 302 and "/fa/login" in resp.headers["Location"]


def test_the_disable_command_ends_every_session(fresh_app, make_user):
    _, email, password = make_user(role="admin")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    result = fresh_app.test_cli_runner().invoke(args=["users", "disable", "--email", email])
    assert result.exit_code == 0, result.output
    assert not is_signed_in_as_admin(client)
    assert sign_in(fresh_app.test_client(), email, password).status_code == 400


# ---------------------------------------------------------------- registration
def register(client, email="new.investor@example.org", lang="fa", **change):
    data = {"email": email, "name": "سرمایه‌گذار نمونه", "password": "a long enough password",
            "password_again": "a long enough password", **change}
    return client.post(f"/{lang}/register", data=data)


def outbox(app, kind):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                  .order_by(OutboxMessage.id)).all()


def test_an_investor_registers_confirms_by_email_and_then_signs_in(fresh_app):
    client = fresh_app.test_client()
    resp = register(client, email="New.Investor@Example.org")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/fa/register/sent")
    with fresh_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.investor@example.org"))
        assert user.role == "investor" and not user.email_confirmed
    (mail,) = outbox(fresh_app, "confirm_email")
    assert mail.to == "new.investor@example.org" and mail.lang == "fa" and "پنجره" in mail.subject
    link = re.search(r"http://localhost(/fa/register/confirm/\S+)", mail.body).group(1)

    refused = sign_in(client, "new.investor@example.org", "a long enough password", lang="fa")
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "نخست نشانی ایمیل خود را تأیید کنید" in body and "/fa/register/resend" in body

    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/fa/login")
    assert sign_in(client, "new.investor@example.org", "a long enough password", lang="fa").status_code == 302


def test_registration_never_tells_whether_an_address_has_an_account(fresh_app, make_user):
    _, email, _ = make_user(role="investor")
    client = fresh_app.test_client()
    taken, fresh = register(client, email=email), register(client, email="nobody.yet@example.org")
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert [m.to for m in outbox(fresh_app, "account_exists")] == [email]
    with fresh_app.app_context():
        assert db.session.scalar(select(User).where(User.email == email)).role == "investor"


def test_registration_always_creates_an_investor(fresh_app):
    register(fresh_app.test_client(), role="admin")
    with fresh_app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "new.investor@example.org")) == "investor"


@pytest.mark.parametrize("change,message", [
    ({"password": "short", "password_again": "short"}, "گذرواژه باید بین ۱۰ تا ۲۰۰ حرف باشد."),
    ({"password_again": "something else"}, "دو گذرواژه یکسان نیستند."),
    ({"email": "not-an-address"}, "نشانی ایمیل"),
    ({"name": ""}, "نام خود را وارد کنید."),
])
def test_a_bad_registration_gets_persian_field_errors_and_creates_nothing(fresh_app, change, message):
    resp = register(fresh_app.test_client(), **change)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    assert outbox(fresh_app, "confirm_email") == []


def test_an_expired_or_forged_confirmation_link_offers_a_new_one(fresh_app):
    client = fresh_app.test_client()
    register(client)
    with fresh_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.investor@example.org"))
        class FourDaysAgo(TimestampSigner):
            def get_timestamp(self):
                return int(time.time()) - 4 * 24 * 3600

        old = URLSafeTimedSerializer(fresh_app.config["SECRET_KEY"], salt="confirm-email", signer=FourDaysAgo)
        expired = old.dumps({"uid": user.id, "email": user.email})
        forged = URLSafeTimedSerializer("not the key", salt="confirm-email").dumps({"uid": user.id,
                                                                                     "email": user.email})
    for token, text in ((expired, "مهلت پیوند تأیید به پایان رسیده است"), (forged, "پیوند تأیید معتبر نیست")):
        resp = client.get(f"/fa/register/confirm/{token}")
        assert resp.status_code == 400
        assert text in resp.get_data(as_text=True) and "/fa/register/resend" in resp.get_data(as_text=True)
    with fresh_app.app_context():
        assert not db.session.scalar(select(User.email_confirmed).where(User.email == "new.investor@example.org"))


def test_the_confirmation_link_can_be_sent_again_in_english(fresh_app):
    client = fresh_app.test_client()
    register(client)
    with fresh_app.app_context():
        db.session.execute(OutboxMessage.__table__.delete())
        db.session.commit()
    resp = client.post("/en/register/resend", data={"email": "NEW.investor@example.org"})
    assert resp.status_code == 302
    (mail,) = outbox(fresh_app, "confirm_email")
    assert mail.lang == "en" and "/en/register/confirm/" in mail.body and "Confirm your email" in mail.subject
    # An unknown address gets the same answer and no mail.
    assert client.post("/en/register/resend", data={"email": "ghost@example.org"}).status_code == 302
    assert len(outbox(fresh_app, "confirm_email")) == 1


# ---------------------------------------------------------------- mail delivery
def test_the_mail_command_delivers_the_outbox_through_the_log_sender(fresh_app):
    register(fresh_app.test_client())
    result = fresh_app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "sent 1 messages; 0 waiting" in result.output
    assert all(m.sent_at for m in outbox(fresh_app, "confirm_email"))


def test_the_smtp_sender_uses_starttls_and_sends_utf8_persian_mail(fresh_app, monkeypatch):
    import app.services.mail as mail

    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def starttls(self, context):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, msg):
            sent.append(("send", msg))

        def quit(self):
            sent.append(("quit",))

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    register(fresh_app.test_client())
    fresh_app.config.update(PANJEREH_MAIL_SENDER="smtp", PANJEREH_SMTP_HOST="smtp.example.org",
                            PANJEREH_SMTP_PORT=587, PANJEREH_SMTP_USER="mailer", PANJEREH_SMTP_PASSWORD="pw",
                            PANJEREH_SMTP_FROM="noreply@example.org")
    with fresh_app.app_context():
        assert mail.send_pending() == 1
        db.session.commit()
    assert [s[0] for s in sent] == ["connect", "starttls", "login", "send", "quit"]
    msg = sent[3][1]
    assert msg["To"] == "new.investor@example.org" and msg["From"] == "noreply@example.org"
    assert "پنجره" in msg["Subject"] and "/fa/register/confirm/" in msg.get_content()


# ---------------------------------------------------------------- CSRF
def test_the_new_forms_refuse_a_post_without_a_csrf_token(databases, make_user):
    app = build_app(databases.new_url(), seed=False, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for path, data in (("/fa/register", {"email": "x@example.org", "name": "x", "password": "x" * 12,
                                         "password_again": "x" * 12}),
                       ("/fa/register/resend", {"email": "x@example.org"}),
                       ("/fa/login/2fa", {"code": "123456"}),
                       ("/fa/account/2fa/setup", {"code": "123456"}),
                       ("/fa/account/password", {"current": "x", "password": "y" * 12, "password_again": "y" * 12}),
                       ("/fa/admin/users/new", {"email": "x@example.org", "role": "hq"}),
                       ("/fa/admin/agencies/new", {"slug": "x_agency", "name_fa": "x", "name_en": "x",
                                                   "category": "driver"})):
        resp = client.post(path, data=data)
        assert resp.status_code == 400, path
        assert "این فرم" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- headers and cookies
@pytest.mark.parametrize("path", ["/fa/", "/en/login", "/fa/register", "/fa/opportunities", "/fa/chains",
                                  "/fa/no-such-page", "/api/v1/chains", "/api/v1/openapi.json",
                                  "/static/css/site.css", "/fa/admin/users"])
def test_every_kind_of_response_carries_the_security_headers(client, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'self'" in csp and "object-src 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in resp.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in resp.headers
    resp.close()


def test_over_https_cookies_are_secure_and_hsts_is_sent(databases, make_user):
    app = build_app(databases.new_url(), seed=False, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True,
                    PANJEREH_BASE_URL="https://localhost")
    with app.app_context():
        from app.security.passwords import hash_password

        db.session.add(User(email="inv@example.org", role="investor", password_hash=hash_password("a long password")))
        db.session.commit()
    client = app.test_client()
    resp = client.post("/en/login", data={"email": "inv@example.org", "password": "a long password", "remember": "y"},
                       base_url="https://localhost")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = resp.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert any(c.startswith("remember_token=") for c in cookies)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_sign_in_limits_are_shared_through_redis_when_it_is_configured(databases):
    """Several workers share one count when REDIS_URL is set (CI starts Redis at 127.0.0.1:6379)."""
    import uuid

    import redis

    url = "redis://127.0.0.1:6379/15"
    store = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379 (.ci/run starts it)")
    store.flushdb()  # database 15 belongs to this test
    apps = [build_app(databases.new_url(), seed=False, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=url,
                      PANJEREH_LOGIN_LIMIT_ACCOUNT="3/minute", PANJEREH_LOGIN_LIMIT_IP="100/minute")
            for _ in range(2)]
    email = f"shared-{uuid.uuid4().hex[:8]}@example.org"
    # Two "workers" (separate apps, one Redis): the fourth attempt is refused whichever worker gets it.
    codes = [attempt(apps[i % 2].test_client(), email, "10.1.0.1").status_code for i in range(4)]
    assert codes == [400, 400, 400, 429]
    assert store.dbsize() > 0, "the counts must live in Redis, not in one worker's memory"
