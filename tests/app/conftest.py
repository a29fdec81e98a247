"""Web-layer fixtures in the flaskr shape: ``app``, ``client``, ``runner``, plus factories.

The database is real: SQLite in a temporary folder by default, or PostgreSQL when
PANJEREH_TEST_DATABASE_URL is set (CI does this). On PostgreSQL every test session
gets its own schema, dropped at the end, so runs never see each other's rows.
The schema is always built by the Alembic migrations, never by create_all.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db as _db

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/app/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.db)


def _compile_catalogues() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "app" / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


class Database:
    """Hands out fresh, isolated database URLs for the session (SQLite files or PostgreSQL schemas)."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.base = os.environ.get("PANJEREH_TEST_DATABASE_URL", "")
        self.schemas: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return self.base.startswith("postgres")

    def new_url(self) -> str:
        if not self.is_postgres:
            return f"sqlite:///{self.tmp / (uuid.uuid4().hex + '.db')}"
        from app.config import _normalise_db_url

        base = _normalise_db_url(self.base)
        schema = "pj_test_" + uuid.uuid4().hex[:12]
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        self.schemas.append(schema)
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{schema}"

    def drop_all(self) -> None:
        """Close every app's connections, then drop each schema in its own transaction (lock table limits)."""
        for app in _APPS:
            with app.app_context():
                _db.session.remove()
                _db.engine.dispose()
        _APPS.clear()
        if not self.schemas:
            return
        from app.config import _normalise_db_url

        engine = create_engine(_normalise_db_url(self.base))
        for schema in self.schemas:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    _compile_catalogues()
    dbs = Database(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.drop_all()


# Every app a test session builds, kept alive until the end so no pooled connection is garbage-collected open.
_APPS: list = []


def build_app(url: str, seed: bool = True, **extra):
    from flask_migrate import upgrade

    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-" + uuid.uuid4().hex,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        "PANJEREH_SYNC_INDEX": True,
        # Tasks run at once in the caller's thread (Huey's immediate mode); tests deliver mail themselves.
        "PANJEREH_TASKS_IMMEDIATE": True,
        "PANJEREH_MAIL_QUEUE": False,
        "PANJEREH_BASE_URL": "http://localhost",
        # Each app keeps its trained model in its own temporary folder, never in instance/.
        "PANJEREH_MATCH_MODEL": str(Path(tempfile.mkdtemp(prefix="pj-model-")) / "match_model.joblib"),
    }
    config.update(extra)
    app = create_app(config)
    _APPS.append(app)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        if seed:
            from app.services.permits.seed import import_permits
            from app.services.seed import import_bundle
            from chains.io import load_dir

            import_bundle(load_dir(ROOT / "data" / "seed"))
            import_permits(ROOT / "data" / "seed")
            _db.session.commit()
    return app


@pytest.fixture(scope="session")
def seeded_url(databases):
    url = databases.new_url()
    app = build_app(url)
    with app.app_context():
        _db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def app(seeded_url):
    """The seeded application; tests must not leave rows behind in it (use ``fresh_app`` to write)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": seeded_url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test-" + uuid.uuid4().hex, "PANJEREH_SYNC_INDEX": True,
                      "PANJEREH_TASKS_IMMEDIATE": True, "PANJEREH_MAIL_QUEUE": False,
                      "PANJEREH_BASE_URL": "http://localhost",
                      "PANJEREH_MATCH_MODEL": str(Path(tempfile.mkdtemp(prefix="pj-model-")) / "m.joblib")})
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def fresh_app(databases):
    """A newly migrated and seeded database of its own, for tests that write."""
    app = build_app(databases.new_url())
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def empty_app(databases):
    """A migrated database with no rows at all."""
    app = build_app(databases.new_url(), seed=False)
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


STAFF_ROLES = ("admin", "hq", "agency_editor", "desk_staff", "chamber")


@pytest.fixture
def make_user(fresh_app):
    """Factory: ``make_user(role="admin", agency=None, password=…)`` → (user id, email, password).

    Staff accounts are created with a confirmed second factor (``enrolled=False`` leaves it to
    set up at first sign-in); ``sign_in`` below completes the second step for them.
    """
    import pyotp

    from app.models import Agency, User
    from app.security.passwords import hash_password

    def factory(role="admin", agency=None, password="correct horse battery", email=None, enrolled=True,
                email_confirmed=True):
        email = email or f"{role}-{uuid.uuid4().hex[:6]}@example.org"
        with fresh_app.app_context():
            agency_row = _db.session.query(Agency).filter_by(slug=agency).one() if agency else None
            user = User(email=email, role=role, agency=agency_row, password_hash=hash_password(password),
                        email_confirmed=email_confirmed)
            if role in STAFF_ROLES and enrolled:
                user.totp_secret = pyotp.random_base32()
                user.totp_confirmed = True
                user.recovery_codes = []
            _db.session.add(user)
            _db.session.commit()
            return user.id, email, password

    return factory


def totp_secret(app, email):
    from app.models import User

    with app.app_context():
        return _db.session.query(User).filter_by(email=email).one().totp_secret


def sign_in(client, email, password, lang="en", next=None):
    """Sign in through the pages, including the second step for staff; returns the last response.

    A TOTP step is accepted once, so the helper offers the codes of the current, previous and next
    steps in turn (the server allows one step of drift): up to three sign-ins per account per 30 s.
    """
    import time

    import pyotp

    url = f"/{lang}/login" + (f"?next={next}" if next else "")
    resp = client.post(url, data={"email": email, "password": password})
    if resp.status_code != 302 or f"/{lang}/login/2fa" not in resp.headers.get("Location", ""):
        return resp
    totp = pyotp.TOTP(totp_secret(client.application, email))
    now = time.time()
    for drift in (0, -1, 1):
        resp = client.post(f"/{lang}/login/2fa", data={"code": totp.at(now + drift * totp.interval)})
        if resp.status_code == 302:
            return resp
    return resp
