"""Panjereh web layer. ``create_app`` reads as the table of contents of the application."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from . import config as config_module
from .admin import bp as admin_bp
from .api import bp as api_bp
from .auth import bp as auth_bp
from .catalogues import ensure_catalogues
from .cli import register as register_cli
from .desk import bp as desk_bp
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .hq import bp as hq_bp
from .i18n import select_locale
from .portal import bp as portal_bp
from .portal import transfer_bp
from .public import bp as public_bp
from .public import root_bp
from .queue import init_app as init_queue
from .security.access import load_user
from .security.second_factor import init_app as init_second_factor
from .services.versions import install as install_data_versions
from .web import errors, transaction
from .web.audit_view import audit_fields
from .web.context import inject_page_context
from .web.converters import CONVERTERS
from .web.filters import register_filters
from .web.guards import refuse_nul_bytes
from .web.headers import security_headers
from .web.labels import labels

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = (root_bp, public_bp, auth_bp, admin_bp, desk_bp, api_bp, transfer_bp, portal_bp, hq_bp)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(config_module.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    config_module.check(app.config)  # a production deployment without its public base URL stops here
    ensure_catalogues(app)  # a missing or stale messages.mo is compiled now, or start-up stops
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_template_helpers(app)
    register_request_handling(app)
    app.url_map.converters.update(CONVERTERS)  # before the blueprints: every <int:…> route is bounded
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.register(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    install_data_versions()  # every write to the graph or the opportunities bumps the data version
    init_queue(app)  # Huey; tasks queued after the request commits
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # Tests switch limits on explicitly, so counts never leak from one test into another.
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    limiter.init_app(app)
    init_second_factor(app)


def register_template_helpers(app: Flask) -> None:
    register_filters(app)
    app.jinja_env.globals.update(audit_fields=audit_fields)
    app.context_processor(inject_page_context)
    app.context_processor(labels)


def register_request_handling(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)
    app.after_request(security_headers)
    transaction.init_app(app)  # one commit per request, when the view succeeds (runs before the headers)
