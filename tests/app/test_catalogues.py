"""A missing or stale compiled catalogue is compiled at start-up; a broken one stops start-up clearly."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from app import create_app
from app.catalogues import CatalogueError, ensure_catalogues
from app.extensions import babel
from app.extensions import db as _db

ROOT = Path(__file__).resolve().parents[2]
PERSIAN_LOGIN = "ورود"  # on the Persian sign-in page: the heading and the button


@pytest.fixture
def translations(tmp_path):
    target = tmp_path / "translations"
    shutil.copytree(ROOT / "app" / "translations", target)
    return target


@pytest.fixture
def make_app(seeded_url):
    apps = []

    def factory(translations: Path):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": seeded_url, "WTF_CSRF_ENABLED": False,
                          "SECRET_KEY": "test-" + uuid.uuid4().hex, "PANJEREH_SYNC_INDEX": True,
                          "BABEL_TRANSLATION_DIRECTORIES": str(translations),
                          "PANJEREH_MATCH_MODEL": str(Path(tempfile.mkdtemp(prefix="pj-model-")) / "m.joblib")})
        apps.append(app)
        clear_loaded_catalogues(app)
        return app

    yield factory
    for app in apps:
        clear_loaded_catalogues(app)
        with app.app_context():
            _db.engine.dispose()


def clear_loaded_catalogues(app) -> None:
    """Flask-Babel keeps loaded catalogues in one cache for the whole process: empty it, so that an
    app reads the files of its own translation folder."""
    with app.app_context():
        babel.domain_instance.cache.clear()


def persian_login(app) -> str:
    resp = app.test_client().get("/fa/login")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_without_the_compiled_catalogue_persian_pages_would_be_english(make_app, translations, monkeypatch):
    """The failure being guarded against, shown once: no .mo, no compile, English on /fa/."""
    (translations / "fa" / "LC_MESSAGES" / "messages.mo").unlink()
    monkeypatch.setattr("app.ensure_catalogues", lambda app: [])
    body = persian_login(make_app(translations))
    assert PERSIAN_LOGIN not in body and "Sign in" in body


def test_a_missing_catalogue_is_compiled_at_start_up(make_app, translations):
    mo = translations / "fa" / "LC_MESSAGES" / "messages.mo"
    mo.unlink()
    body = persian_login(make_app(translations))
    assert mo.exists()
    assert PERSIAN_LOGIN in body and "Sign in" not in body


def test_a_stale_catalogue_is_compiled_again_at_start_up(make_app, translations):
    po = translations / "fa" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    mo.write_bytes((translations / "en" / "LC_MESSAGES" / "messages.mo").read_bytes())  # an empty catalogue
    old = po.stat().st_mtime - 3600
    os.utime(mo, (old, old))
    body = persian_login(make_app(translations))
    assert mo.stat().st_mtime >= po.stat().st_mtime
    assert PERSIAN_LOGIN in body and "Sign in" not in body


def test_an_up_to_date_catalogue_is_left_alone(translations):
    class App:
        root_path = str(ROOT / "app")
        config = {"BABEL_TRANSLATION_DIRECTORIES": str(translations)}

    ensure_catalogues(App)  # the copy's .mo files may be older than their .po: bring them up to date
    assert ensure_catalogues(App) == []


def test_a_broken_catalogue_stops_start_up_with_a_clear_message(make_app, translations):
    po = translations / "fa" / "LC_MESSAGES" / "messages.po"
    # A merge left half-done: a conflict marker in the middle of the file.
    po.write_text(po.read_text("utf-8") + '\n<<<<<<< HEAD\nmsgid "Sign in"\nmsgstr "ورود"\n', "utf-8")
    with pytest.raises(CatalogueError) as info:
        make_app(translations)
    message = str(info.value)
    assert str(po) in message and "'fa'" in message and "shown in English" in message
