"""Portal: opportunities, from draft to published to closed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.i18n import current_lang, isolate
from app.models import Opportunity, Product
from app.portal.common import (
    PER_PAGE,
    PORTAL_ROLES,
    _refresh,
    conflict_message,
    conflict_rows,
    scoped_opportunity,
    show_problems,
)
from app.portal.forms import ActionForm, OpportunityForm
from app.security import authz
from app.security.access import role_required
from app.services.catalogue.opportunities import (
    check_opportunity,
    close_opportunity,
    create_opportunity,
    gap_prefill,
    opportunity_cells,
    publish_opportunity,
    update_opportunity,
)
from app.services.errors import Conflict, Invalid
from app.web.errors import UserMessage
from app.web.params import parse_int
from matching.normalize import fold


# ---------------------------------------------------------------- opportunities
@role_required(*PORTAL_ROLES)
def opportunities():
    status = request.args.get("status", "")
    if status not in ("", "draft", "published", "closed"):
        abort(400, description=UserMessage(gettext("Choose draft, published or closed.")))
    page = parse_int("page", minimum=1) or 1
    stmt = authz.scope_opportunities(select(Opportunity), current_user)
    if status:
        stmt = stmt.where(Opportunity.status == status)
    q = (request.args.get("q") or "").strip()[:100]
    for word in fold(q).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Opportunity.search_text.like(f"%{escaped}%", escape="\\")
                          | Opportunity.ref.ilike(f"%{escaped}%", escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    rows = db.session.scalars(stmt.options(selectinload(Opportunity.product), selectinload(Opportunity.county))
                              .order_by(Opportunity.updated_at.desc(), Opportunity.id.desc())
                              .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    args = {k: v for k, v in (("status", status), ("q", q)) if v}
    return render_template("portal/opportunities.html", rows=rows, total=total, page=page, pages=pages,
                           status=status, q=q, args=args, action=ActionForm())


def _opportunity_form_data(cells: dict) -> dict:
    data = {k: v for k, v in cells.items() if k != "financing"}
    data["suited_for"] = [t for t in cells.get("suited_for", "").split("|") if t] if isinstance(
        cells.get("suited_for"), str) else list(cells.get("suited_for") or ())
    for kind, share in (cells.get("financing") or {}).items():
        data[f"share_{kind}"] = share
    return data


def _opportunity_page(form, opp, status=200, **extra):
    products = db.session.scalars(select(Product).where(Product.retired.is_(False)).order_by(Product.code)).all()
    return render_template("portal/opportunity_form.html", form=form, opp=opp, products=products,
                           action=ActionForm(), **extra), status


@role_required(*PORTAL_ROLES)
def opportunity_new():
    if request.method == "GET":
        data = {}
        kind, code = request.args.get("gap_kind", ""), request.args.get("product", "")
        gap = None
        if kind or code:
            data = gap_prefill(kind, code)
            if data is None:
                abort(404, description=UserMessage(gettext("There is no such missing link now; it may have been "
                                                           "filled or the figures changed.")))
            gap = True
        form = OpportunityForm(current_user, data=data)
        return _opportunity_page(form, None, from_gap=gap)
    form = OpportunityForm(current_user)
    if form.validate_on_submit():
        try:
            record, shares = check_opportunity(form.cells(), current_user)
            row = create_opportunity(record, shares, current_user)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "title_fa")
        else:
            flash(gettext("Draft %(ref)s was saved. Publish it when it is ready.", ref=isolate(row.ref)), "success")
            return redirect(url_for("portal.opportunity_edit", opp_id=row.id))
    return _opportunity_page(form, None, 400)


@role_required(*PORTAL_ROLES)
def opportunity_edit(opp_id: int):
    row = scoped_opportunity(opp_id)
    if request.method == "GET":
        form = OpportunityForm(current_user, data={**_opportunity_form_data(opportunity_cells(row)),
                                                      "version": row.version})
        return _opportunity_page(form, row)
    form = OpportunityForm(current_user)
    if form.validate_on_submit():
        try:
            record, shares = check_opportunity(form.cells(), current_user, existing=row)
            update_opportunity(row, record, shares, current_user, form.version.data)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "title_fa")
        except (Conflict, StaleDataError):
            row = _refresh(row)
            current = opportunity_cells(row)
            typed = form.cells()
            form.version.data = row.version
            return _opportunity_page(form, row, 409, conflict=conflict_rows(form, typed, current),
                                     conflict_message=conflict_message())
        else:
            flash(gettext("Opportunity %(ref)s was saved.", ref=isolate(row.ref)), "success")
            return redirect(url_for("portal.opportunity_edit", opp_id=row.id))
    return _opportunity_page(form, row, 400)


def _transition(opp_id: int, publish: bool):
    row = scoped_opportunity(opp_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if publish:
            publish_opportunity(row, current_user, form.version.data)
        else:
            close_opportunity(row, current_user, form.version.data)
    except (Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    except Invalid as error:
        db.session.rollback()
        abort(400, description=UserMessage(error.problems[0].message(current_lang())))
    if publish:
        flash(gettext("Opportunity %(ref)s is published. Saved profiles that match it will be alerted.",
                      ref=isolate(row.ref)), "success")
    else:
        flash(gettext("Opportunity %(ref)s is closed.", ref=isolate(row.ref)), "success")
    return redirect(url_for("portal.opportunity_edit", opp_id=row.id))


@role_required(*PORTAL_ROLES)
def opportunity_publish(opp_id: int):
    return _transition(opp_id, True)


@role_required(*PORTAL_ROLES)
def opportunity_close(opp_id: int):
    return _transition(opp_id, False)
