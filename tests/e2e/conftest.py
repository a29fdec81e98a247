"""A live server on a free local port with a seeded SQLite database, and Debian's Chromium."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

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
    """The seeded application the live server runs (tests read ids and make accounts in it)."""
    _compile_catalogues()
    return build_app(Database(tmp_path_factory.mktemp("e2e")).new_url())


@pytest.fixture(scope="session")
def live_server(live_app):
    app = live_app
    server = make_server("127.0.0.1", 0, _remember_reply(app), threaded=True, request_handler=_ClosingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


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
