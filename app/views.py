"""Helpers shared by the HTML blueprints: page context, language switch, query-parameter parsing."""

from __future__ import annotations

import re
from datetime import date

from flask import abort, current_app, g, request, url_for
from flask_babel import gettext

from chains.nomenclature import normalize_digits

from .errors import UserMessage
from .i18n import current_lang, localise_digits, text_direction



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


def is_stale(as_of) -> bool:
    """True when a figure's as-of date is older than PANJEREH_STALE_MONTHS (default 18)."""
    if as_of is None:
        return True
    months = current_app.config["PANJEREH_STALE_MONTHS"]
    today = date.today()
    return (today.year - as_of.year) * 12 + (today.month - as_of.month) - (today.day < as_of.day) >= months


def local_share(product) -> float:
    """Share of the province's supply of a product that is made locally."""
    supply = (product.output or 0) + (product.inflow or 0)
    return (product.output or 0) / supply if supply > 0 else 0.0


def list_separator() -> str:
    return "، " if current_lang() == "fa" else ", "


def role_labels() -> dict[str, str]:
    return {
        "admin": gettext("Administrator"),
        "hq": gettext("Headquarters / secretariat"),
        "agency_editor": gettext("Agency editor"),
        "desk_staff": gettext("Desk staff"),
        "investor": gettext("Investor"),
    }


def inject_page_context() -> dict:
    from .services import types_from_mask

    lang = current_lang()
    other = "en" if lang == "fa" else "fa"
    return {
        "lang": lang,
        "text_dir": text_direction(lang),
        "other_lang": other,
        "other_lang_name": "English" if other == "en" else "فارسی",
        "switch_url": switch_url(other),
        "is_stale": is_stale,
        "local_share": local_share,
        "list_separator": list_separator,
        "suited_types": types_from_mask,
        "role_labels": role_labels,
    }


def lang_join(items) -> str:
    return list_separator().join(str(x) for x in items)


def extract(key, container):
    return container.get(key, key)


def parse_int(name: str, minimum: int | None = 0) -> int | None:
    """Read an integer query parameter; Persian/Arabic digits and thousands separators are accepted.

    Anything else is a 400 with a message that names the field, in the page's language.
    """
    raw = request.args.get(name, "").strip()
    if raw == "":
        return None
    cleaned = re.sub(r"[,\u066c\u060c\s_]", "", normalize_digits(raw))
    if not re.fullmatch(r"-?\d{1,19}", cleaned):
        abort(400, description=UserMessage(gettext("“%(field)s” must be a whole number.", field=field_label(name))))
    value = int(cleaned)
    if minimum is not None and value < minimum:
        abort(400, description=UserMessage(gettext("“%(field)s” cannot be less than %(min)s.", field=field_label(name),
                                       min=localise_digits(minimum))))
    if value > 10**18:
        abort(400, description=UserMessage(gettext("“%(field)s” is too large.", field=field_label(name))))
    return value


def field_label(name: str) -> str:
    labels = {
        "min": gettext("Minimum investment"),
        "max": gettext("Maximum investment"),
        "page": gettext("Page"),
        "chain": gettext("Value chain"),
        "sector": gettext("Sector"),
        "county": gettext("County"),
        "type": gettext("Applicant type"),
        "kind": gettext("Kind"),
        "q": gettext("Search"),
    }
    return labels.get(name, name)


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
