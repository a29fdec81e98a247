"""Parts of public pages that depend only on the data and the page's language, built once per data version.

The county map (its figures, the shading, the links, the table beside it) is the same for every visitor of a
language until the data changes, yet rendering it is a third of the opportunity list's template time at
national scale: it is kept per process, keyed on the data version (``services.versions``, bumped by every
write to counties, sectors, products, links, chains and opportunities) and the language.

Whole page contents that depend on nothing else (the opportunity list for one filter set and page) are kept the
same way by :func:`per_data_version_html`, a bounded number of them per process.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.i18n import by_name, current_lang
from app.models import County, Sector
from app.services.county_map import county_figures
from app.services.graph import per_data_version
from app.services.queries import active_chains


def county_map_html() -> Markup:
    """The rendered county map of ``templates/macros/county_map.html`` for the page's language."""
    lang = current_lang()

    def render() -> str:
        macro = current_app.jinja_env.get_template("macros/county_map.html").module.county_map
        return str(macro(county_figures()))

    return Markup(per_data_version(f"county_map_html:{lang}", render))


#: Rendered contents kept per process and data version, per name (a list page for one filter set, language
#: and page is one entry, tens of kilobytes); cleared when full, like the list's totals.
HTML_CACHE_SIZE = 1024


def per_data_version_html(name: str, key, render) -> Markup:
    """``render()`` (a string of HTML), kept until the data version changes for this ``name`` and ``key``; the
    key must hold everything the HTML depends on besides the data (the language, the filters, the page)."""
    cache = per_data_version(f"html:{name}", dict)
    html = cache.get(key)
    if html is None:
        html = Markup(render())
        if len(cache) >= HTML_CACHE_SIZE:
            cache.clear()
        cache[key] = html
    return html


class Option(NamedTuple):
    """One choice of a filter list: what the page needs of a chain, sector or county (a plain record, not an
    ORM row, so it can outlive the request that read it)."""

    slug: str
    name_fa: str
    name_en: str


def filter_options() -> dict[str, list[Option]]:
    """The opportunity list's chain, sector and county choices in the page's alphabetical order."""
    lang = current_lang()

    def read() -> dict[str, list[Option]]:
        def options(rows) -> list[Option]:
            return [Option(r.slug, r.name_fa, r.name_en) for r in by_name(rows, lang=lang)]

        return {"chains": options(db.session.scalars(active_chains())),
                "sectors": options(db.session.scalars(select(Sector))),
                "counties": options(db.session.scalars(select(County)))}

    return per_data_version(f"filter_options:{lang}", read)
