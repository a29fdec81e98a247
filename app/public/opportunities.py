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
from app.i18n import current_lang, localise_digits
from app.models import Link, Opportunity
from app.services.permits.paths import opportunity_path
from app.services.queries import count_opportunities, opportunity_cards
from app.web.errors import UserMessage
from app.web.fragments import county_map_html, filter_options, per_data_version_html
from app.web.params import parse_int, read_opportunity_filters


def opportunities():
    filters = read_opportunity_filters()
    page = parse_int("page", minimum=1) or 1
    per_page = current_app.config["PANJEREH_PAGE_SIZE"]
    total = count_opportunities(filters)
    pages = max(1, -(-total // per_page))
    if page > pages:
        abort(404, description=UserMessage(gettext("There is no page %(page)s; the list has %(pages)s pages.",
                                                   page=localise_digits(page), pages=localise_digits(pages))))
    args = {k: v for k, v in request.args.items() if k != "page" and v}

    def render() -> str:
        rows = opportunity_cards(filters, (page - 1) * per_page, per_page)
        return render_template(
            "public/_opportunity_list.html",
            rows=rows, total=total, page=page, pages=pages, filters=filters, args=args,
            **filter_options(),
            county_map=county_map_html(),
        )

    # The list's content is the same for everyone who asks for this page of these filters in this language
    # (nothing in it depends on who is signed in): rendered once per data version. The key holds the query's
    # own arguments, which the pager's links repeat, as well as the filters read from them.
    key = (current_lang(), page, filters, tuple(sorted(args.items())))
    return render_template("public/opportunities.html",
                           content=per_data_version_html("opportunity_list", key, render))


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
