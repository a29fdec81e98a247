"""What the HQ's and an agency's obstacle pages share: the queue with its filters and CSV, one report's page
and the workflow step a MoveForm posts (the rules are ``services.obstacles`` and ``security.authz``')."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField

from app.extensions import db
from app.i18n import by_name, current_lang
from app.models import OBSTACLE_CATEGORIES, OBSTACLE_STATUSES, Agency, Obstacle
from app.services import codes
from app.services.obstacles import OPEN, move
from app.web.errors import UserMessage
from app.web.exports import csv_response
from app.web.labels import obstacle_category_labels, obstacle_status_labels, period_labels
from app.web.params import parse_int

PER_PAGE = 50


def agency_choices() -> list[SelectChoice]:
    lang = current_lang()
    return [SelectChoice("", gettext("Choose…"))] + [
        SelectChoice(a.slug, a.name_fa if lang == "fa" else a.name_en)
        for a in by_name(db.session.scalars(select(Agency)), lang=lang)]


class MoveForm(FlaskForm):
    """One step of an obstacle's workflow: the status it moves to, the version it acts on, agency and note."""

    status = HiddenField()
    version = HiddenField()
    agency = SelectField(_l("Agency"), validate_choice=False)
    note = TextAreaField(_l("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency.choices = agency_choices()


def _filters() -> dict:
    status = (request.args.get("status") or "").strip()
    category = (request.args.get("category") or "").strip()
    if status and status not in (*OBSTACLE_STATUSES, "open"):
        abort(400, description=UserMessage(gettext("There is no such status.")))
    if category and category not in OBSTACLE_CATEGORIES:
        abort(400, description=UserMessage(gettext("There is no such kind of obstacle.")))
    return {"status": status, "category": category}


def obstacle_query(stmt, f: dict):
    if f["status"] == "open":
        stmt = stmt.where(Obstacle.status.in_(OPEN))
    elif f["status"]:
        stmt = stmt.where(Obstacle.status == f["status"])
    if f["category"]:
        stmt = stmt.where(Obstacle.category == f["category"])
    return stmt


def obstacle_list(stmt, template: str, endpoint: str):
    """The queue (HQ's or an agency's): filters, a page of reports, or all of them as CSV."""
    f = _filters()
    stmt = obstacle_query(stmt, f).options(selectinload(Obstacle.product), selectinload(Obstacle.county),
                                           selectinload(Obstacle.agency))
    ordered = stmt.order_by(Obstacle.created_at.desc(), Obstacle.id.desc())
    if request.args.get("format") == "csv":
        return obstacles_csv(db.session.scalars(ordered.limit(100_000)))
    page = parse_int("page", minimum=1) or 1
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    rows = db.session.scalars(ordered.offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    args = {k: v for k, v in f.items() if v}
    return render_template(template, rows=rows, total=total, page=page, pages=pages, filters=f, args=args,
                           endpoint=endpoint)


def obstacles_csv(rows):
    cats, statuses, periods = obstacle_category_labels(), obstacle_status_labels(), period_labels()
    lang = current_lang()
    header = [gettext("Tracking code"), gettext("Received"), gettext("Obstacle"), gettext("Product code"),
              gettext("Product"), gettext("County"), gettext("Output lost"), gettext("Unit"), gettext("Period"),
              gettext("Output lost a year"), gettext("Status"), gettext("Agency"), gettext("Outcome")]
    out = ([r.code, r.created_at.date().isoformat(), cats[r.category], r.product.code,
            r.product.name_fa if lang == "fa" else r.product.name_en,
            r.county.name_fa if lang == "fa" else r.county.name_en, r.lost_quantity, r.lost_unit,
            periods.get(r.lost_period, r.lost_period), r.lost_per_year, statuses[r.status],
            (r.agency.name_fa if lang == "fa" else r.agency.name_en) if r.agency else "", r.resolution]
           for r in rows)
    return csv_response("obstacles.csv", header, out)


def obstacle_page(row: Obstacle, back: str, move_endpoint: str, status: int = 200):
    return render_template("hq/obstacle.html", row=row, grouped=codes.grouped(row.code), form=MoveForm(),
                           back=back, move_endpoint=move_endpoint), status


def apply_move(row: Obstacle, done_endpoint: str):
    """POST of a MoveForm on ``row``; ``Invalid``/``Conflict``/``NotAllowed`` go to the one error handler."""
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    move(row, current_user, form.status.data or "", form.version.data, agency_slug=form.agency.data or "",
         note=form.note.data or "")
    flash(gettext("Report %(code)s: %(status)s.", code=codes.grouped(row.code),
                  status=obstacle_status_labels()[row.status]), "success")
    return redirect(url_for(done_endpoint, obstacle_id=row.id))
