"""The /<lang_code> prefix, set up once for every HTML blueprint, and the language switch."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, request, url_for

from app.i18n import current_lang


def switch_url(lang: str) -> str:
    """The current page in another language (same endpoint, arguments and query)."""
    if request.endpoint and request.url_rule and "lang_code" in request.url_rule.arguments:
        args = dict(request.view_args or {})
        args["lang_code"] = lang
        args.update({k: v for k, v in request.args.items() if k not in args})
        try:
            return url_for(request.endpoint, **args)
        except Exception:  # noqa: BLE001 - a switch link must never break a page
            pass
    return url_for("public.home", lang_code=lang)


def lang_prefix_guard(endpoint, values) -> None:
    """url_value_preprocessor for the /<lang_code> blueprints."""
    if values is None:
        return
    lang = values.pop("lang_code", None)
    if lang not in current_app.config["LANGUAGES"]:
        g.lang_code = None
        abort(404)
    g.lang_code = lang


def add_lang_code(endpoint, values) -> None:
    if "lang_code" in values:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        values["lang_code"] = getattr(g, "lang_code", None) or current_lang()


def root():
    saved = request.cookies.get("lang")
    lang = saved if saved in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    return redirect(url_for("public.home", lang_code=lang))


def remember_language(response):

    if getattr(g, "lang_code", None) and request.cookies.get("lang") != g.lang_code:
        response.set_cookie("lang", g.lang_code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response



def lang_blueprint(name: str, import_name: str, prefix: str = "") -> Blueprint:
    """A blueprint under ``/<lang_code>{prefix}``: the language is taken from the URL once, for every route."""
    bp = Blueprint(name, import_name, url_prefix="/<lang_code>" + prefix)
    bp.url_value_preprocessor(lang_prefix_guard)
    bp.url_defaults(add_lang_code)
    return bp
