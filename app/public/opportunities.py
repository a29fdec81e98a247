"""Opportunities: the list with its filters, and one opportunity."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    render_template,
    request,
)
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import localise_digits
from app.models import Link, Opportunity, Product
from app.services.permits.paths import opportunity_path
from app.services.queries import count_opportunities, opportunity_query
from app.web.errors import UserMessage
from app.web.fragments import county_map_html, filter_options
from app.web.params import parse_int, read_opportunity_filters


def opportunities():
    filters = read_opportunity_filters()
    page = parse_int("page", minimum=1) or 1
    per_page = current_app.config["PANJEREH_PAGE_SIZE"]
    stmt = opportunity_query(filters)
    total = count_opportunities(filters)
    pages = max(1, -(-total // per_page))
    if page > pages:
        abort(404, description=UserMessage(gettext("There is no page %(page)s; the list has %(pages)s pages.",
                                                   page=localise_digits(page), pages=localise_digits(pages))))
    rows = db.session.scalars(
        stmt.options(selectinload(Opportunity.county), selectinload(Opportunity.product).selectinload(Product.chains))
        .order_by(Opportunity.published_at.desc(), Opportunity.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "public/opportunities.html",
        rows=rows, total=total, page=page, pages=pages, filters=filters, args=args,
        **filter_options(),
        county_map=county_map_html(),
    )


def opportunity(opp_id: int):
    opp = db.session.get(Opportunity, opp_id)
    if opp is None or opp.status == "draft":
        abort(404)
    product = opp.product
    suppliers = db.session.scalars(
        select(Link).where(Link.user_id == product.id, Link.retired.is_(False))
        .options(selectinload(Link.supplier)).order_by(Link.id)).all()
    customers = db.session.scalars(
        select(Link).where(Link.supplier_id == product.id, Link.retired.is_(False))
        .options(selectinload(Link.user)).order_by(Link.id)).all()
    return render_template("public/opportunity.html", opp=opp, product=product, suppliers=suppliers,
                           customers=customers, path=opportunity_path(opp))
