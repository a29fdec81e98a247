"""A live server on a free local port with a seeded SQLite database, and Debian's Chromium."""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pyotp
import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from app.extensions import db
from app.models import Agency, User
from app.security.passwords import hash_password
from tests.app.conftest import Database, _compile_catalogues, build_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


class _ClosingHandler(WSGIRequestHandler):
    """Closes the reply when the browser drops the connection mid-send (it cancels a stylesheet or
    font it no longer needs). Werkzeug's development server leaves the open static file to the
    garbage collector then, and the ResourceWarning fails an unrelated test."""

    def connection_dropped(self, error, environ=None):
        reply = (environ or {}).get("panjereh.e2e.reply")
        if reply is not None and hasattr(reply, "close"):
            reply.close()


def _remember_reply(app):
    def wsgi(environ, start_response):
        reply = app(environ, start_response)
        environ["panjereh.e2e.reply"] = reply
        return reply

    return wsgi


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The application the live server runs, with CSRF on as in production (journeys read its outbox)."""
    _compile_catalogues()
    return build_app(Database(tmp_path_factory.mktemp("e2e")).new_url(), WTF_CSRF_ENABLED=True)


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, _remember_reply(live_app), threaded=True, request_handler=_ClosingHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PANJEREH_BASE_URL"] = url  # e-mailed links point here, as they would in production
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()


@pytest.fixture
def staff(live_app):
    """Factory: ``staff(role, agency=None)`` → (email, password, TOTP secret) of a new account in the
    live server's database, its second factor set up; each journey signs in with its own, since a
    code is accepted only once per account."""
    def factory(role: str, agency: str | None = None):
        email, password, secret = f"{role}-{uuid.uuid4().hex[:8]}@example.org", "correct horse battery", \
            pyotp.random_base32()
        with live_app.app_context():
            row = db.session.query(Agency).filter_by(slug=agency).one() if agency else None
            db.session.add(User(email=email, role=role, agency=row, password_hash=hash_password(password),
                                email_confirmed=True, totp_secret=secret, totp_confirmed=True, recovery_codes=[]))
            db.session.commit()
        return email, password, secret

    return factory


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = ROOT / "artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
