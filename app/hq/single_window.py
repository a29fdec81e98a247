"""HQ: the single window in figures — funnel, days per step and per agency, delay ratios, overdue steps;
CSV export. The figures come from ``services.cases.stats.single_window_figures``."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import gettext

from app.extensions import db
from app.i18n import jalali_text
from app.security.access import role_required
from app.services.cases.stats import single_window_figures
from app.web.errors import UserMessage
from app.web.exports import csv_response
from chains.io import parse_date

HQ_ROLES = ("hq", "admin")


def funnel_labels() -> dict[str, str]:
    return {"published": gettext("Opportunities published"), "matched": gettext("Matched (marked relevant)"),
            "interest": gettext("Expressions of interest"), "applied": gettext("Applied (cases opened)"),
            "approved": gettext("Approved"), "started": gettext("Started")}


def _as_of() -> date:
    raw = (request.args.get("as_of") or "").strip()[:10]
    if not raw:
        return date.today()
    try:
        return parse_date(raw)  # ISO or Jalali, Latin or Persian digits
    except (ValueError, OverflowError):
        abort(400, description=UserMessage(gettext("Write the date as 1404/02/15 or 2025-05-05.")))


@role_required(*HQ_ROLES)
def single_window():
    figures = single_window_figures(db.session, _as_of())
    top = max([n for _, n in figures.funnel] or [1]) or 1
    return render_template("hq/single_window.html", f=figures, top=top, funnel_labels=funnel_labels(),
                           as_of_text=jalali_text(figures.as_of.isoformat()))


@role_required(*HQ_ROLES)
def single_window_csv():
    f = single_window_figures(db.session, _as_of())
    rows = [["funnel", key, "", n, "", "", "", "", ""] for key, n in f.funnel]
    for kind, groups in (("agency", f.agencies), ("step", f.steps)):
        rows += [[kind, g.key, g.name_en, g.decided, g.median_days, g.p90_days, g.decided_late, g.open_overdue,
                  "" if g.delay_ratio is None else round(g.delay_ratio, 4)] for g in groups]
    return csv_response(f"single-window-{f.as_of.isoformat()}.csv",
                        ["kind", "key", "name", "count_or_decided", "median_days", "p90_days", "decided_late",
                         "open_overdue", "delay_ratio"], rows)
