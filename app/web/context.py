"""What every template sees: the page's language and direction, and small helpers."""

from __future__ import annotations

from datetime import date

from flask import current_app, g, url_for
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.i18n import current_lang, text_direction
from app.models import Product
from app.security.authz import scope_products
from app.services.office import office
from app.services.records import types_from_mask
from app.web.lang import switch_url


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


def create_opportunity_url(gap) -> str | None:
    """For signed-in editors who may act on the gap's product: the portal form pre-filled from the gap."""

    if not (current_user.is_authenticated and current_user.role in ("agency_editor", "hq", "admin")):
        return None
    if current_user.role == "agency_editor":


        if "pj_editable_codes" not in g:
            g.pj_editable_codes = set(db.session.scalars(scope_products(select(Product.code), current_user)))
        if gap.product not in g.pj_editable_codes:
            return None
    return url_for("portal.opportunity_new", gap_kind=gap.kind, product=gap.product)


def inject_page_context() -> dict:

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
        "create_opportunity_url": create_opportunity_url,
        "office": office(),
    }


def lang_join(items) -> str:
    return list_separator().join(str(x) for x in items)


def extract(key, container):
    return container.get(key, key)
