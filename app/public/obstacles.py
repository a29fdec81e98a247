"""A production unit reports an obstacle without signing in, and follows it by its tracking code.

Bots are kept out without outside services: a per-address rate limit (Flask-Limiter, the project's
limiter) on the POST and a honeypot field that people never see; CSRF as on every form."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from app.extensions import db, limiter
from app.i18n import by_name, current_lang
from app.models import LOSS_PERIODS, OBSTACLE_CATEGORIES, County
from app.services import codes
from app.services.errors import Invalid
from app.services.obstacles import check_report, find_by_code, report_obstacle
from app.services.queries import product_options
from app.web.labels import obstacle_category_labels, period_labels


def _limits_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED")


def _report_limit() -> str:
    return current_app.config["PANJEREH_OBSTACLE_LIMIT"]


class ObstacleForm(FlaskForm):
    """The public report; ``app.services.obstacles.check_report`` decides, its problems land on the fields."""

    category = SelectField(_l("What holds your production back"), validate_choice=False)
    product = StringField(_l("Product it holds back"))
    county = SelectField(_l("County"), validate_choice=False)
    lost_quantity = StringField(_l("Output lost"))
    lost_period = SelectField(_l("Period"), validate_choice=False, default="month")
    since = StringField(_l("Since when (optional)"))
    description = TextAreaField(_l("What is happening"))
    unit_name = StringField(_l("Name of the production unit (optional)"))
    reporter_name = StringField(_l("Your name (optional)"))
    reporter_contact = StringField(_l("Phone or e-mail to reach you"))
    # The honeypot: hidden from people by CSS and aria-hidden; a bot filling every field gives itself away.
    website = StringField(_l("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cats = obstacle_category_labels()
        self.category.choices = [SelectChoice("", gettext("Choose…"))] + [SelectChoice(c, cats[c])
                                                                           for c in OBSTACLE_CATEGORIES]
        lang = current_lang()
        self.county.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(c.slug, c.name_fa if lang == "fa" else c.name_en)
            for c in by_name(db.session.scalars(select(County)), lang=lang)]
        periods = period_labels()
        self.lost_period.choices = [SelectChoice(p, periods[p]) for p in LOSS_PERIODS]

    def cells(self) -> dict:
        return {name: (self[name].data or "") for name in (
            "category", "product", "county", "lost_quantity", "lost_period", "since", "description", "unit_name",
            "reporter_name", "reporter_contact")}


def _page(form, status=200, **extra):
    return render_template("public/obstacle_form.html", form=form, product_options=product_options(),
                           **extra), status


@limiter.limit(_report_limit, methods=["POST"], exempt_when=_limits_off, scope="obstacle-report")
def report():
    form = ObstacleForm()
    if request.method == "GET":
        return _page(form)
    if not form.validate_on_submit():  # a missing or stale CSRF token
        return _page(form, 400)
    if (form.website.data or "").strip():
        current_app.logger.info("obstacle report refused: honeypot filled from %s", request.remote_addr)
        return _page(form, 400, refused=True)
    try:
        values = check_report(form.cells())
    except Invalid as error:
        lang = current_lang()
        for p in error.problems:
            field = form._fields.get(p.field) or form.description
            field.errors = [*field.errors, p.message(lang)]
        return _page(form, 400)
    row = report_obstacle(values, current_lang())
    # Post/redirect/get: reloading the next page never files the report twice.
    return redirect(url_for("public.obstacle_track", code=row.code, sent=1))


def track():
    raw = (request.args.get("code") or "").strip()[:64]
    row, error, status = None, None, 200
    if raw:
        try:
            row = find_by_code(raw)
        except codes.CodeError as exc:
            status = 400
            error = (gettext("One digit of this code is wrong or two are swapped; check it against the code you "
                             "were given.") if exc.reason == "typo" else
                     gettext("A tracking code has 16 digits, such as 1234 5678 9012 3452."))
        else:
            if row is None:
                status = 404
                error = gettext("No report has this tracking code. Check the code and try again.")
    return render_template("public/obstacle_track.html", code=raw, row=row, error=error,
                           sent=bool(row) and request.args.get("sent") == "1",
                           grouped=codes.grouped(row.code) if row else ""), status
