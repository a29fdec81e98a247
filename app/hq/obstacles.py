"""HQ's obstacle queue, one report's workflow (assign, working group, resolve, reject) and the facilitation
working group's meetings, with CSV exports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import StringField, TextAreaField

from app.extensions import db
from app.i18n import current_lang
from app.models import Meeting, MeetingDecision, Obstacle
from app.security.access import role_required
from app.services.errors import Invalid
from app.services.obstacles import OPEN, check_meeting, record_meeting
from app.web.obstacles import agency_choices, apply_move, obstacle_list, obstacle_page

HQ_ROLES = ("hq", "admin")
DECISION_ROWS = 5


@role_required(*HQ_ROLES)
def obstacles():
    return obstacle_list(select(Obstacle), "hq/obstacles.html", "hq.obstacles")


@role_required(*HQ_ROLES)
def obstacle(obstacle_id: int):
    row = db.session.get(Obstacle, obstacle_id) if obstacle_id < 2**31 else None
    if row is None:
        abort(404)
    return obstacle_page(row, url_for("hq.obstacles"), "hq.obstacle_move")


@role_required(*HQ_ROLES)
def obstacle_move(obstacle_id: int):
    row = db.session.get(Obstacle, obstacle_id) if obstacle_id < 2**31 else None
    if row is None:
        abort(404)
    return apply_move(row, "hq.obstacle")


class MeetingForm(FlaskForm):
    held_on = StringField(_l("Date of the meeting"), render_kw={"data-kind": "date", "autocomplete": "off"})
    attendees = TextAreaField(_l("Who attended"))
    notes = TextAreaField(_l("Notes (optional)"))


def _decision_cells() -> list[dict]:
    return [{k: (request.form.get(f"decisions-{i}-{k}") or "")[:4100] for k in ("obstacle", "decision", "owner",
                                                                               "due_on")}
            for i in range(DECISION_ROWS)]


@role_required(*HQ_ROLES)
def meetings():
    """The working group's page: open reports waiting for it, its past meetings, and the form for a new one."""
    form = MeetingForm()
    decisions = [{} for _ in range(DECISION_ROWS)]
    problems: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        decisions = _decision_cells()
        if not form.validate_on_submit():
            abort(400)
        try:
            values = check_meeting({"held_on": form.held_on.data, "attendees": form.attendees.data,
                                    "notes": form.notes.data}, decisions)
            record_meeting(values, current_user)
        except Invalid as error:
            lang = current_lang()
            for p in error.problems:
                if p.field in form._fields:
                    form[p.field].errors = [*form[p.field].errors, p.message(lang)]
                else:
                    problems.setdefault(p.field, []).append(p.message(lang))
            status = 400
        else:
            flash(gettext("The meeting and its decisions were recorded."), "success")
            return redirect(url_for("hq.meetings"))
    waiting = db.session.scalars(select(Obstacle).where(Obstacle.status.in_(OPEN))
                                 .options(selectinload(Obstacle.product), selectinload(Obstacle.agency))
                                 .order_by(Obstacle.created_at)).all()
    past = db.session.scalars(select(Meeting).options(
        selectinload(Meeting.decisions).selectinload(MeetingDecision.obstacle),
        selectinload(Meeting.decisions).selectinload(MeetingDecision.owner))
        .order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(20)).all()
    return render_template("hq/meetings.html", form=form, decisions=decisions, problems=problems, waiting=waiting,
                           past=past, agencies=agency_choices()), status
