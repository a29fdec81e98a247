"""Portal: value chains, their definition and membership."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.i18n import isolate
from app.models import Product, ValueChain
from app.portal.common import (
    PORTAL_ROLES,
    _refresh,
    conflict_message,
    conflict_rows,
    scoped_chain,
    scoped_product,
    show_problems,
)
from app.portal.forms import ActionForm, ChainForm, ChainProductForm
from app.security import authz
from app.security.access import role_required
from app.services.catalogue.chains import (
    CHAIN_FIELDS,
    add_chain_product,
    chain_cells,
    check_chain,
    remove_chain_product,
    set_chain_retired,
    update_chain,
)
from app.services.catalogue.common import cell
from app.services.errors import Conflict, Invalid
from app.web.errors import UserMessage
from chains.nomenclature import normalize_code


# ---------------------------------------------------------------- value chains
@role_required(*PORTAL_ROLES)
def chains():
    rows = db.session.scalars(authz.scope_chains(select(ValueChain), current_user)
                              .options(selectinload(ValueChain.products)).order_by(ValueChain.slug)).all()
    return render_template("portal/chains.html", rows=rows)


def _chain_page(chain: ValueChain, form, status: int = 200, **extra):
    addable = db.session.scalars(authz.scope_products(select(Product), current_user)
                                 .where(Product.retired.is_(False)).order_by(Product.code)).all()
    mine = {p.id for p in addable}
    return render_template("portal/chain_form.html", chain=chain, form=form, add_form=extra.pop("add_form", None)
                           or ChainProductForm(formdata=None), addable=addable, mine=mine,
                           action=ActionForm(), **extra), status


@role_required(*PORTAL_ROLES)
def chain_edit(slug: str):
    row = scoped_chain(slug)
    if request.method == "GET":
        return _chain_page(row, ChainForm(data={**chain_cells(row), "version": row.version}))
    form = ChainForm()
    if form.validate_on_submit():
        cells = {k: cell(form[k].data) for k in CHAIN_FIELDS}
        try:
            record = check_chain(cells, row)
            update_chain(row, record, current_user, form.version.data)
        except Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "name_fa")
        except (Conflict, StaleDataError):
            row = _refresh(row)
            typed = {k: form[k].data or "" for k in CHAIN_FIELDS}
            form.version.data = row.version
            return _chain_page(row, form, 409, conflict=conflict_rows(form, typed, chain_cells(row)),
                               conflict_message=conflict_message())
        else:
            flash(gettext("The value chain was saved."), "success")
            return redirect(url_for("portal.chain_edit", slug=row.slug))
    return _chain_page(row, form, 400)


@role_required(*PORTAL_ROLES)
def chain_add_product(slug: str):
    chain = scoped_chain(slug)
    form = ChainProductForm()
    code = (form.code.data or "").strip() if form.validate_on_submit() else ""

    code = normalize_code(code) if code else ""
    product = db.session.scalar(authz.scope_products(select(Product), current_user)
                                .where(Product.code == code, Product.retired.is_(False))) if code else None
    if product is None:
        form.code.errors = [gettext("Choose one of your agency's active products.")]
        return _chain_page(chain, ChainForm(data={**chain_cells(chain), "version": chain.version}), 400,
                           add_form=form)
    if add_chain_product(chain, product, current_user, form.version.data):
        flash(gettext("%(code)s was added to the chain.", code=isolate(product.code)), "success")
    return redirect(url_for("portal.chain_edit", slug=chain.slug))


@role_required(*PORTAL_ROLES)
def chain_remove_product(slug: str, code: str):
    chain = scoped_chain(slug)
    product = scoped_product(code)  # an editor takes out only products of their own sectors
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if remove_chain_product(chain, product, current_user, form.version.data):
        flash(gettext("%(code)s was taken out of the chain.", code=isolate(product.code)), "success")
    return redirect(url_for("portal.chain_edit", slug=chain.slug))


def _retire_chain(slug: str, retired: bool):
    chain = scoped_chain(slug)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        set_chain_retired(chain, retired, current_user, form.version.data)
    except (Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    flash(gettext("The value chain was retired.") if retired else gettext("The value chain is active again."),
          "success")
    return redirect(url_for("portal.chain_edit", slug=chain.slug))


@role_required(*PORTAL_ROLES)
def chain_retire(slug: str):
    return _retire_chain(slug, True)


@role_required(*PORTAL_ROLES)
def chain_unretire(slug: str):
    return _retire_chain(slug, False)
