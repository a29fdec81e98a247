"""Portal: the links (inputs) of a product."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import Link, Product
from app.portal.common import (
    PORTAL_ROLES,
    _refresh,
    conflict_message,
    conflict_rows,
    jalali_text,
    scoped_link,
    scoped_product,
    show_problems,
)
from app.portal.forms import ActionForm, LinkForm
from app.security.access import role_required
from app.services.catalogue.common import cell
from app.services.catalogue.links import (
    check_link,
    create_link,
    retire_link,
    update_link,
)
from app.services.errors import Conflict, Invalid
from app.web.errors import UserMessage


# ---------------------------------------------------------------- links
def _links_page(product: Product, form, status: int = 200, **extra):
    inputs = db.session.scalars(select(Link).where(Link.user_id == product.id)
                                .options(selectinload(Link.supplier)).order_by(Link.retired, Link.id)).all()
    uses = db.session.scalars(select(Link).where(Link.supplier_id == product.id, Link.retired.is_(False))
                              .options(selectinload(Link.user)).order_by(Link.id)).all()
    suppliers = db.session.scalars(select(Product).where(Product.retired.is_(False), Product.id != product.id)
                                   .order_by(Product.code)).all()
    return render_template("portal/links.html", product=product, inputs=inputs, uses=uses, form=form,
                           suppliers=suppliers, action=ActionForm(), **extra), status


@role_required(*PORTAL_ROLES)
def links(code: str):
    product = scoped_product(code)
    form = LinkForm()
    if request.method == "GET":
        return _links_page(product, form)
    if form.validate_on_submit():
        cells = {k: cell(form[k].data) for k in ("supplier", "coefficient", "source", "as_of")}
        try:
            record = check_link(cells, product)
            create_link(record, product, current_user)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "supplier")
        else:
            flash(gettext("%(supplier)s was added as an input of %(user)s.", supplier=record.supplier,
                          user=product.code), "success")
            return redirect(url_for("portal.links", code=product.code))
    return _links_page(product, form, 400)


@role_required(*PORTAL_ROLES)
def link_edit(link_id: int):
    row = scoped_link(link_id)
    current = {"coefficient": repr(row.coefficient), "source": row.source or "",
               "as_of": jalali_text(row.as_of.isoformat() if row.as_of else "")}
    if request.method == "GET":
        form = LinkForm(data={**current, "supplier": row.supplier.code, "version": row.version})
        return render_template("portal/link_form.html", form=form, link=row)
    form = LinkForm()
    form.supplier.data = row.supplier.code
    if form.validate_on_submit():
        cells = {k: cell(form[k].data) for k in ("coefficient", "source", "as_of")}
        try:
            record = check_link(cells, row.user, existing=row)
            update_link(row, record, current_user, form.version.data)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "coefficient")
        except (Conflict, StaleDataError):
            row = _refresh(row)
            current = {"coefficient": repr(row.coefficient), "source": row.source or "",
                       "as_of": jalali_text(row.as_of.isoformat() if row.as_of else "")}
            typed = {k: form[k].data or "" for k in current}
            form.version.data = row.version
            return render_template("portal/link_form.html", form=form, link=row,
                                   conflict=conflict_rows(form, typed, current),
                                   conflict_message=conflict_message()), 409
        else:
            flash(gettext("The link was saved."), "success")
            return redirect(url_for("portal.links", code=row.user.code))
    return render_template("portal/link_form.html", form=form, link=row), 400


@role_required(*PORTAL_ROLES)
def link_retire(link_id: int):
    row = scoped_link(link_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        retire_link(row, current_user, form.version.data)
    except (Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    flash(gettext("The link was retired."), "success")
    return redirect(url_for("portal.links", code=row.user.code))
