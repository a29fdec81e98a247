"""One page per measure: its indicators with source and date, each breakdown as a bar chart, a table and CSV."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext

from app.i18n import current_lang
from app.security.access import role_required
from app.services.measures import measure_figures
from app.web.errors import UserMessage
from app.web.exports import csv_response

HQ_ROLES = ("hq", "admin")


@role_required(*HQ_ROLES)
def measure(slug: str):
    figures = measure_figures(slug[:64])
    if figures is None:
        abort(404)
    lang = current_lang()
    if request.args.get("format") == "csv":
        key = request.args.get("table", "")
        table = next((b for b in figures.breakdowns if b.key == key), None)
        if table is None:
            abort(404, description=UserMessage(gettext("This page has no such table.")))
        header = [gettext("Row")] + [c[lang] for c in table.columns]
        return csv_response(f"{slug}-{table.key}.csv", header, ([r[0][lang], *r[1:]] for r in table.rows))
    if request.args.get("format") not in (None, "", "html"):
        abort(400, description=UserMessage(gettext("Only the formats html and csv are offered.")))
    return render_template("hq/measure.html", m=figures)
