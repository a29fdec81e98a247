"""Panjereh web layer. ``create_app`` reads as the table of contents of the application."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import config as config_module

ROOT = Path(__file__).resolve().parent.parent


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
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_template_helpers(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_security_headers(app)
    return app


def register_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale

    db.init_app(app)
    from .services.versions import install as install_data_versions

    install_data_versions()
    from .tasks import init_app as init_tasks

    init_tasks(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    # Tests switch limits on explicitly, so counts never leak from one test into another.
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    limiter.init_app(app)
    from . import auth  # noqa: F401  (registers the user loader)
    from .security import init_app as init_security

    init_security(app)


def register_template_helpers(app: Flask) -> None:
    from .i18n import register_filters
    from .views import inject_page_context

    register_filters(app)
    app.context_processor(inject_page_context)


def register_blueprints(app: Flask) -> None:
    from . import api_write  # noqa: F401  (write endpoints on the api blueprint, before it is registered)
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .public import bp as public_bp
    from .public import root_bp
    from .desk import bp as desk_bp
    from .staff import bp as staff_bp

    app.register_blueprint(root_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(api_bp)
    from .transfer import bp as transfer_bp

    app.register_blueprint(transfer_bp)
    from .hq import bp as hq_bp
    from .portal import bp as portal_bp

    app.register_blueprint(portal_bp)
    app.register_blueprint(hq_bp)


def register_error_handlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from .commands import register
    from .security import register_cli

    register(app)
    register_cli(app)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
