"""The agency portal: an editor keeps their agency's products, links, value chains and opportunities.

Every look-up goes through ``app.authz``'s scoping, so an id or code outside the editor's agency is a
404, never the record. Checks and writes live in ``app.portal_forms`` (shared with the JSON API):
the import's validation, the authorisation rules, optimistic versions and the audit trail.
One request, one commit; a refused form writes nothing.
"""

from __future__ import annotations

from datetime import date

import jdatetime
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from matching.normalize import fold

from . import authz
from . import portal_forms as pf
from .auth import role_required
from .errors import UserMessage
from .extensions import db
from .i18n import current_lang, localise_digits
from .models import AuditEvent, Interest, Link, Opportunity, Product, ValueChain
from .views import add_lang_code, lang_prefix_guard, parse_int

bp = Blueprint("portal", __name__, url_prefix="/<lang_code>/portal")
bp.url_value_preprocessor(lang_prefix_guard)
bp.url_defaults(add_lang_code)

PORTAL_ROLES = ("agency_editor", "hq", "admin")
PER_PAGE = 25


# ---------------------------------------------------------------- helpers
def _one_or_404(stmt):
    row = db.session.scalar(stmt)
    if row is None:
        abort(404)
    return row


def scoped_product(code: str) -> Product:
    return _one_or_404(authz.scope_products(select(Product).where(Product.code == code), current_user))


def scoped_link(link_id: int) -> Link:
    return _one_or_404(authz.scope_links(select(Link).where(Link.id == link_id), current_user))


def scoped_chain(slug: str) -> ValueChain:
    return _one_or_404(authz.scope_chains(select(ValueChain).where(ValueChain.slug == slug), current_user))


def scoped_opportunity(opp_id: int) -> Opportunity:
    return _one_or_404(authz.scope_opportunities(select(Opportunity).where(Opportunity.id == opp_id), current_user))


def show_problems(form, problems, fallback: str) -> None:
    """Put each problem's message, in the page's language, on its form field (or ``fallback``)."""
    lang = current_lang()
    for p in problems:
        field = form._fields.get(p.field) or form._fields.get(fallback)
        errors = field.errors if isinstance(field.errors, list) else list(field.errors)
        if p.message(lang) not in errors:
            errors.append(p.message(lang))
        field.errors = errors


def jalali_text(iso: str) -> str:
    """An ISO date cell as the Jalali date a Persian page shows in the form (1403/06/31)."""
    if not iso or current_lang() != "fa":
        return iso
    try:
        j = jdatetime.date.fromgregorian(date=date.fromisoformat(iso))
    except ValueError:
        return iso
    return localise_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")


def conflict_rows(form, typed: dict, current: dict) -> list[tuple[str, str, str]]:
    """(label, what they typed, what is stored now) for each field where the two differ."""
    rows = []
    for name, now in current.items():
        mine = typed.get(name, "")
        if isinstance(now, dict):  # financing shares
            for kind, share in now.items():
                if str(mine.get(kind, "") if isinstance(mine, dict) else "") != str(share):
                    label = form[f"share_{kind}"].label.text
                    rows.append((label, (mine or {}).get(kind, ""), share))
            continue
        if str(mine).strip() != str(now).strip() and name in form:
            rows.append((form[name].label.text, mine, now))
    return rows


def conflict_message() -> str:
    return gettext("Someone else changed this record in the meantime. Nothing you typed was saved: compare "
                   "your values with the stored ones below, then save again if yours should replace them.")


def _refresh(row):
    """After a refused save: forget everything this request changed and read the row as stored now."""
    model, ident = type(row), row.id
    db.session.rollback()
    return db.session.get(model, ident)


# ---------------------------------------------------------------- dashboard
@bp.route("/")
@role_required(*PORTAL_ROLES)
def dashboard():
    def count(stmt):
        return db.session.scalar(select(func.count()).select_from(stmt.subquery()))

    user = current_user
    products = authz.scope_products(select(Product.id), user)
    opps = authz.scope_opportunities(select(Opportunity.id), user)
    counts = {
        "products": count(products.where(Product.retired.is_(False))),
        "retired": count(products.where(Product.retired.is_(True))),
        "links": count(authz.scope_links(select(Link.id), user).where(Link.retired.is_(False))),
        "chains": count(authz.scope_chains(select(ValueChain.id), user)),
        "drafts": count(opps.where(Opportunity.status == "draft")),
        "published": count(opps.where(Opportunity.status == "published")),
        "closed": count(opps.where(Opportunity.status == "closed")),
    }
    interests = select(Interest.id).where(Interest.handled.is_(False))
    if user.role == "agency_editor":
        interests = interests.where(Interest.agency_id == user.agency_id)
    counts["interests"] = count(interests)
    drafts = db.session.scalars(authz.scope_opportunities(select(Opportunity), user)
                                .where(Opportunity.status == "draft").order_by(Opportunity.updated_at.desc())
                                .limit(10)).all()
    recent = select(AuditEvent).options(selectinload(AuditEvent.user)).order_by(AuditEvent.at.desc(),
                                                                                AuditEvent.id.desc()).limit(15)
    if user.role == "agency_editor":
        from .models import User

        recent = recent.where(AuditEvent.user_id.in_(select(User.id).where(User.agency_id == user.agency_id)))
    return render_template("portal/dashboard.html", counts=counts, drafts=drafts,
                           recent=db.session.scalars(recent).all())


# ---------------------------------------------------------------- products
@bp.route("/products")
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
                           show=show, args=args, action=pf.ActionForm())


def _product_form_data(cells: dict) -> dict:
    data = dict(cells)
    data["suited_for"] = [t for t in cells.get("suited_for", "").split("|") if t]
    data["as_of"] = jalali_text(cells.get("as_of", ""))
    return data


@bp.route("/products/new", methods=["GET", "POST"])
@role_required(*PORTAL_ROLES)
def product_new():
    form = pf.ProductForm(current_user)
    if form.validate_on_submit():
        try:
            record = pf.check_product(form.cells(), current_user)
            row = pf.create_product(record, current_user)
            db.session.commit()
        except pf.Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "code")
        else:
            flash(gettext("Product %(code)s was added.", code=row.code), "success")
            return redirect(url_for("portal.products", q=row.code))
    return render_template("portal/product_form.html", form=form, product=None), (400 if form.errors else 200)


@bp.route("/products/<code>/edit", methods=["GET", "POST"])
@role_required(*PORTAL_ROLES)
def product_edit(code: str):
    row = scoped_product(code)
    if request.method == "GET":
        form = pf.ProductForm(current_user, data={**_product_form_data(pf.product_cells(row)),
                                                  "version": row.version})
        return render_template("portal/product_form.html", form=form, product=row)
    form = pf.ProductForm(current_user)
    form.code.data = row.code
    if form.validate_on_submit():
        try:
            record = pf.check_product(form.cells(), current_user, existing=row)
            pf.update_product(row, record, current_user, form.version.data)
            db.session.commit()
        except pf.Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "code")
        except (pf.Conflict, StaleDataError):
            row = _refresh(row)
            current = _product_form_data(pf.product_cells(row))
            current["suited_for"] = "|".join(current["suited_for"])
            typed = {**form.cells(), "as_of": form.as_of.data or ""}
            rows = conflict_rows(form, typed, {k: v for k, v in current.items() if k != "code"})
            form.version.data = row.version
            return render_template("portal/product_form.html", form=form, product=row, conflict=rows,
                                   conflict_message=conflict_message()), 409
        else:
            flash(gettext("Product %(code)s was saved.", code=row.code), "success")
            return redirect(url_for("portal.product_edit", code=row.code))
    return render_template("portal/product_form.html", form=form, product=row), 400


def _retire_product(code: str, retired: bool):
    row = scoped_product(code)
    form = pf.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        pf.set_product_retired(row, retired, current_user, form.version.data)
        db.session.commit()
    except (pf.Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    if retired:
        flash(gettext("Product %(code)s was retired: it no longer shows on the site, and its figures are kept.",
                      code=row.code), "success")
    else:
        flash(gettext("Product %(code)s is active again.", code=row.code), "success")
    return redirect(url_for("portal.products", show="all", q=row.code))


@bp.route("/products/<code>/retire", methods=["POST"])
@role_required(*PORTAL_ROLES)
def product_retire(code: str):
    return _retire_product(code, True)


@bp.route("/products/<code>/unretire", methods=["POST"])
@role_required(*PORTAL_ROLES)
def product_unretire(code: str):
    return _retire_product(code, False)


# ---------------------------------------------------------------- links
def _links_page(product: Product, form, status: int = 200, **extra):
    inputs = db.session.scalars(select(Link).where(Link.user_id == product.id)
                                .options(selectinload(Link.supplier)).order_by(Link.retired, Link.id)).all()
    uses = db.session.scalars(select(Link).where(Link.supplier_id == product.id, Link.retired.is_(False))
                              .options(selectinload(Link.user)).order_by(Link.id)).all()
    suppliers = db.session.scalars(select(Product).where(Product.retired.is_(False), Product.id != product.id)
                                   .order_by(Product.code)).all()
    return render_template("portal/links.html", product=product, inputs=inputs, uses=uses, form=form,
                           suppliers=suppliers, action=pf.ActionForm(), **extra), status


@bp.route("/products/<code>/links", methods=["GET", "POST"])
@role_required(*PORTAL_ROLES)
def links(code: str):
    product = scoped_product(code)
    form = pf.LinkForm()
    if request.method == "GET":
        return _links_page(product, form)
    if form.validate_on_submit():
        cells = {k: pf.cell(form[k].data) for k in ("supplier", "coefficient", "source", "as_of")}
        try:
            record = pf.check_link(cells, product)
            pf.create_link(record, product, current_user)
            db.session.commit()
        except pf.Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "supplier")
        else:
            flash(gettext("%(supplier)s was added as an input of %(user)s.", supplier=record.supplier,
                          user=product.code), "success")
            return redirect(url_for("portal.links", code=product.code))
    return _links_page(product, form, 400)


@bp.route("/links/<int:link_id>/edit", methods=["GET", "POST"])
@role_required(*PORTAL_ROLES)
def link_edit(link_id: int):
    row = scoped_link(link_id)
    current = {"coefficient": repr(row.coefficient), "source": row.source or "",
               "as_of": jalali_text(row.as_of.isoformat() if row.as_of else "")}
    if request.method == "GET":
        form = pf.LinkForm(data={**current, "supplier": row.supplier.code, "version": row.version})
        return render_template("portal/link_form.html", form=form, link=row)
    form = pf.LinkForm()
    form.supplier.data = row.supplier.code
    if form.validate_on_submit():
        cells = {k: pf.cell(form[k].data) for k in ("coefficient", "source", "as_of")}
        try:
            record = pf.check_link(cells, row.user, existing=row)
            pf.update_link(row, record, current_user, form.version.data)
            db.session.commit()
        except pf.Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "coefficient")
        except (pf.Conflict, StaleDataError):
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


@bp.route("/links/<int:link_id>/retire", methods=["POST"])
@role_required(*PORTAL_ROLES)
def link_retire(link_id: int):
    row = scoped_link(link_id)
    form = pf.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        pf.retire_link(row, current_user, form.version.data)
        db.session.commit()
    except (pf.Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    flash(gettext("The link was retired."), "success")
    return redirect(url_for("portal.links", code=row.user.code))


# ---------------------------------------------------------------- value chains
@bp.route("/chains")
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
                           or pf.ChainProductForm(formdata=None), addable=addable, mine=mine,
                           action=pf.ActionForm(), **extra), status


@bp.route("/chains/<slug>", methods=["GET", "POST"])
@role_required(*PORTAL_ROLES)
def chain_edit(slug: str):
    row = scoped_chain(slug)
    if request.method == "GET":
        return _chain_page(row, pf.ChainForm(data={**pf.chain_cells(row), "version": row.version}))
    form = pf.ChainForm()
    if form.validate_on_submit():
        cells = {k: pf.cell(form[k].data) for k in pf.CHAIN_FIELDS}
        try:
            record = pf.check_chain(cells, row)
            pf.update_chain(row, record, current_user, form.version.data)
            db.session.commit()
        except pf.Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "name_fa")
        except (pf.Conflict, StaleDataError):
            row = _refresh(row)
            typed = {k: form[k].data or "" for k in pf.CHAIN_FIELDS}
            form.version.data = row.version
            return _chain_page(row, form, 409, conflict=conflict_rows(form, typed, pf.chain_cells(row)),
                               conflict_message=conflict_message())
        else:
            flash(gettext("The value chain was saved."), "success")
            return redirect(url_for("portal.chain_edit", slug=row.slug))
    return _chain_page(row, form, 400)


@bp.route("/chains/<slug>/products", methods=["POST"])
@role_required(*PORTAL_ROLES)
def chain_add_product(slug: str):
    chain = scoped_chain(slug)
    form = pf.ChainProductForm()
    code = (form.code.data or "").strip() if form.validate_on_submit() else ""
    from chains.nomenclature import normalize_code

    code = normalize_code(code) if code else ""
    product = db.session.scalar(authz.scope_products(select(Product), current_user)
                                .where(Product.code == code, Product.retired.is_(False))) if code else None
    if product is None:
        form.code.errors = [gettext("Choose one of your agency's active products.")]
        return _chain_page(chain, pf.ChainForm(data={**pf.chain_cells(chain), "version": chain.version}), 400,
                           add_form=form)
    if pf.add_chain_product(chain, product, current_user):
        db.session.commit()
        flash(gettext("%(code)s was added to the chain.", code=product.code), "success")
    return redirect(url_for("portal.chain_edit", slug=chain.slug))


@bp.route("/chains/<slug>/products/<code>/remove", methods=["POST"])
@role_required(*PORTAL_ROLES)
def chain_remove_product(slug: str, code: str):
    chain = scoped_chain(slug)
    product = scoped_product(code)  # an editor takes out only products of their own sectors
    if not pf.ActionForm().validate_on_submit():
        abort(400)
    if pf.remove_chain_product(chain, product, current_user):
        db.session.commit()
        flash(gettext("%(code)s was taken out of the chain.", code=product.code), "success")
    return redirect(url_for("portal.chain_edit", slug=chain.slug))


def _retire_chain(slug: str, retired: bool):
    chain = scoped_chain(slug)
    form = pf.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        pf.set_chain_retired(chain, retired, current_user, form.version.data)
        db.session.commit()
    except (pf.Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    flash(gettext("The value chain was retired.") if retired else gettext("The value chain is active again."),
          "success")
    return redirect(url_for("portal.chain_edit", slug=chain.slug))


@bp.route("/chains/<slug>/retire", methods=["POST"])
@role_required(*PORTAL_ROLES)
def chain_retire(slug: str):
    return _retire_chain(slug, True)


@bp.route("/chains/<slug>/unretire", methods=["POST"])
@role_required(*PORTAL_ROLES)
def chain_unretire(slug: str):
    return _retire_chain(slug, False)


# ---------------------------------------------------------------- opportunities
@bp.route("/opportunities")
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
                           status=status, q=q, args=args, action=pf.ActionForm())


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
                           action=pf.ActionForm(), **extra), status


@bp.route("/opportunities/new", methods=["GET", "POST"])
@role_required(*PORTAL_ROLES)
def opportunity_new():
    if request.method == "GET":
        data = {}
        kind, code = request.args.get("gap_kind", ""), request.args.get("product", "")
        gap = None
        if kind or code:
            data = pf.gap_prefill(kind, code)
            if data is None:
                abort(404, description=UserMessage(gettext("There is no such missing link now; it may have been "
                                                           "filled or the figures changed.")))
            gap = True
        form = pf.OpportunityForm(current_user, data=data)
        return _opportunity_page(form, None, from_gap=gap)
    form = pf.OpportunityForm(current_user)
    if form.validate_on_submit():
        try:
            record, shares = pf.check_opportunity(form.cells(), current_user)
            row = pf.create_opportunity(record, shares, current_user)
            db.session.commit()
        except pf.Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "title_fa")
        else:
            flash(gettext("Draft %(ref)s was saved. Publish it when it is ready.", ref=row.ref), "success")
            return redirect(url_for("portal.opportunity_edit", opp_id=row.id))
    return _opportunity_page(form, None, 400)


@bp.route("/opportunities/<int:opp_id>/edit", methods=["GET", "POST"])
@role_required(*PORTAL_ROLES)
def opportunity_edit(opp_id: int):
    row = scoped_opportunity(opp_id)
    if request.method == "GET":
        form = pf.OpportunityForm(current_user, data={**_opportunity_form_data(pf.opportunity_cells(row)),
                                                      "version": row.version})
        return _opportunity_page(form, row)
    form = pf.OpportunityForm(current_user)
    if form.validate_on_submit():
        try:
            record, shares = pf.check_opportunity(form.cells(), current_user, existing=row)
            pf.update_opportunity(row, record, shares, current_user, form.version.data)
            db.session.commit()
        except pf.Invalid as error:
            db.session.rollback()
            show_problems(form, error.problems, "title_fa")
        except (pf.Conflict, StaleDataError):
            row = _refresh(row)
            current = pf.opportunity_cells(row)
            typed = form.cells()
            form.version.data = row.version
            return _opportunity_page(form, row, 409, conflict=conflict_rows(form, typed, current),
                                     conflict_message=conflict_message())
        else:
            flash(gettext("Opportunity %(ref)s was saved.", ref=row.ref), "success")
            return redirect(url_for("portal.opportunity_edit", opp_id=row.id))
    return _opportunity_page(form, row, 400)


def _transition(opp_id: int, publish: bool):
    row = scoped_opportunity(opp_id)
    form = pf.ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if publish:
            pf.publish_opportunity(row, current_user, form.version.data)
        else:
            pf.close_opportunity(row, current_user, form.version.data)
        db.session.commit()
    except (pf.Conflict, StaleDataError):
        db.session.rollback()
        abort(409, description=UserMessage(conflict_message()))
    except pf.Invalid as error:
        db.session.rollback()
        abort(400, description=UserMessage(error.problems[0].message(current_lang())))
    if publish:
        flash(gettext("Opportunity %(ref)s is published. Saved profiles that match it will be alerted.",
                      ref=row.ref), "success")
    else:
        flash(gettext("Opportunity %(ref)s is closed.", ref=row.ref), "success")
    return redirect(url_for("portal.opportunity_edit", opp_id=row.id))


@bp.route("/opportunities/<int:opp_id>/publish", methods=["POST"])
@role_required(*PORTAL_ROLES)
def opportunity_publish(opp_id: int):
    return _transition(opp_id, True)


@bp.route("/opportunities/<int:opp_id>/close", methods=["POST"])
@role_required(*PORTAL_ROLES)
def opportunity_close(opp_id: int):
    return _transition(opp_id, False)
