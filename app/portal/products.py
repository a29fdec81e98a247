"""Portal: the agency's products."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.i18n import isolate
from app.models import Product
from app.portal.common import (
    PER_PAGE,
    PORTAL_ROLES,
    _refresh,
    conflict_message,
    conflict_rows,
    jalali_text,
    scoped_product,
    show_problems,
)
from app.portal.forms import ActionForm, ProductForm
from app.security import authz
from app.security.access import role_required
from app.services.catalogue.products import (
    check_product,
    create_product,
    product_cells,
    set_product_retired,
    update_product,
)
from app.services.errors import Conflict, Invalid
from app.web.errors import UserMessage
from app.web.params import parse_int
from matching.normalize import fold


# ---------------------------------------------------------------- products
@role_required(*PORTAL_ROLES)
def products():
    q = (request.args.get("q") or "").strip()[:100]
    show = request.args.get("show", "active")
    if show not in ("active", "retired", "all"):
        abort(400, description=UserMessage(gettext("Show active, retired or all products.")))
    page = parse_int("page", minimum=1) or 1
    stmt = authz.scope_products(select(Product.id, Product.code, Product.name_fa, Product.name_en), current_user)
    if show != "all":
        stmt = stmt.where(Product.retired.is_(show == "retired"))
    rows = db.session.execute(stmt.order_by(Product.code)).all()
    if q:
        # Persian-aware search (ی/ي, ک/ك, ZWNJ, any digits) on the code and both names.
        words = fold(q).split()
        rows = [r for r in rows if all(w in fold(f"{r.code} {r.name_fa} {r.name_en}") for w in words)]
    total = len(rows)
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        abort(404)
    ids = [r.id for r in rows[(page - 1) * PER_PAGE: page * PER_PAGE]]
    shown = db.session.scalars(select(Product).where(Product.id.in_(ids)).options(selectinload(Product.sector))
                               .order_by(Product.code)).all() if ids else []
    args = {k: v for k, v in (("q", q), ("show", show)) if v}
    return render_template("portal/products.html", rows=shown, total=total, page=page, pages=pages, q=q,
                           show=show, args=args, action=ActionForm())


def _product_form_data(cells: dict) -> dict:
    data = dict(cells)
    data["suited_for"] = [t for t in cells.get("suited_for", "").split("|") if t]
    data["as_of"] = jalali_text(cells.get("as_of", ""))
    data["aliases"] = "\n".join(a for a in cells.get("aliases", "").split("|") if a)
    return data


@role_required(*PORTAL_ROLES)
def product_new():
    form = ProductForm(current_user)
    if form.validate_on_submit():
        try:
            record = check_product(form.cells(), current_user)
            row = create_product(record, current_user)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "code")
        else:
            flash(gettext("Product %(code)s was added.", code=isolate(row.code)), "success")
            return redirect(url_for("portal.products", q=row.code))
    return render_template("portal/product_form.html", form=form, product=None), (400 if form.errors else 200)


@role_required(*PORTAL_ROLES)
def product_edit(code: str):
    row = scoped_product(code)
    if request.method == "GET":
        form = ProductForm(current_user, data={**_product_form_data(product_cells(row)),
                                                  "version": row.version})
        return render_template("portal/product_form.html", form=form, product=row)
    form = ProductForm(current_user)
    form.code.data = row.code
    if form.validate_on_submit():
        try:
            record = check_product(form.cells(), current_user, existing=row)
            update_product(row, record, current_user, form.version.data)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "code")
        except (Conflict, StaleDataError):
            row = _refresh(row)
            current = _product_form_data(product_cells(row))
            current["suited_for"] = "|".join(current["suited_for"])
            typed = {**form.cells(), "as_of": form.as_of.data or ""}
            rows = conflict_rows(form, typed, {k: v for k, v in current.items() if k != "code"})
            form.version.data = row.version
            return render_template("portal/product_form.html", form=form, product=row, conflict=rows,
                                   conflict_message=conflict_message()), 409
        else:
            flash(gettext("Product %(code)s was saved.", code=isolate(row.code)), "success")
            return redirect(url_for("portal.product_edit", code=row.code))
    return render_template("portal/product_form.html", form=form, product=row), 400


def _retire_product(code: str, retired: bool):
    row = scoped_product(code)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        set_product_retired(row, retired, current_user, form.version.data)
    except (Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    if retired:
        flash(gettext("Product %(code)s was retired: it no longer shows on the site, and its figures are kept.",
                      code=isolate(row.code)), "success")
    else:
        flash(gettext("Product %(code)s is active again.", code=isolate(row.code)), "success")
    return redirect(url_for("portal.products", show="all", q=row.code))


@role_required(*PORTAL_ROLES)
def product_retire(code: str):
    return _retire_product(code, True)


@role_required(*PORTAL_ROLES)
def product_unretire(code: str):
    return _retire_product(code, False)
