"""Value chains: the list, and one chain drawn as a graph with its missing links."""

from __future__ import annotations

from flask import (
    abort,
    render_template,
)
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import current_lang
from app.models import Link, Opportunity, Product, ValueChain
from app.public.gaps import gap_rows
from app.services.gaps import province_gaps
from app.services.graph import value_chain_graph
from app.services.obstacles import open_obstacles_for
from app.services.queries import active_chain, active_chains
from chains.svg import chain_svg


def chains():
    rows = db.session.scalars(
        active_chains().options(selectinload(ValueChain.products))
        .order_by(ValueChain.priority.desc(), ValueChain.slug)).all()
    opp_counts = dict(db.session.execute(
        select(ValueChain.slug, func.count(Opportunity.id))
        .join(ValueChain.products).join(Opportunity, Opportunity.product_id == Product.id)
        .where(Opportunity.status == "published").group_by(ValueChain.slug)).all())
    return render_template("public/chains.html", rows=rows, opp_counts=opp_counts)


def chain(slug: str):
    chain = active_chain(slug)
    if chain is None:
        abort(404)
    products = [p for p in chain.products if not p.retired]
    ids = {p.id for p in products}
    links = db.session.scalars(
        select(Link).where(Link.retired.is_(False), Link.user_id.in_(ids) | Link.supplier_id.in_(ids))
        .options(selectinload(Link.supplier), selectinload(Link.user)).order_by(Link.id)).all()
    links = [lk for lk in links if lk.user_id in ids and lk.supplier_id in ids]
    opps = db.session.scalars(
        select(Opportunity).where(Opportunity.status == "published", Opportunity.product_id.in_(ids))
        .options(selectinload(Opportunity.county)).order_by(Opportunity.id)).all()


    lang = current_lang()
    chain_gaps = [g for g in province_gaps() if slug in g.chains]
    graph = value_chain_graph()
    drawing = Markup(chain_svg(graph, slug, chain_gaps, lang=lang,
                               chain_name=chain.name_fa if lang == "fa" else chain.name_en)) if products else ""
    # What blocks the chain: open obstacle reports on its products, and the supply links they hold back.
    obstacles = open_obstacles_for(ids)
    blocked_ids = {o.product_id for o in obstacles}
    blocked = [lk for lk in links if lk.supplier_id in blocked_ids or lk.user_id in blocked_ids]
    return render_template("public/chain.html", chain=chain, products=products, links=links, opps=opps,
                           drawing=drawing, gap_rows=gap_rows(chain_gaps, lang), obstacles=obstacles,
                           blocked=blocked, blocked_ids=blocked_ids)
