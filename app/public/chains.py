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
from app.i18n import by_name, current_lang
from app.models import Link, Opportunity, Product, ValueChain
from app.public.gaps import gap_rows
from app.services.gaps import province_gaps
from app.services.graph import value_chain_graph
from app.services.queries import active_chain, active_chains
from chains.records import STAGES
from chains.svg import chain_svg

#: Above this drawing width the frame scrolls sideways and the page says so.
PAGE_WIDTH = 1100


def stage_lists(products, links, gaps) -> list[dict]:
    """The chain stage by stage, as the phone's list view reads it: each product with the kinds of its
    gaps, what it is made from and what it goes into (the same facts as the drawing)."""
    kinds: dict[str, list[str]] = {}
    for g in gaps:
        for f in g.facets:
            if f.kind not in kinds.setdefault(g.product, []):
                kinds[g.product].append(f.kind)
    suppliers: dict[int, list] = {}
    users: dict[int, list] = {}
    for lk in links:
        suppliers.setdefault(lk.user_id, []).append(lk.supplier)
        users.setdefault(lk.supplier_id, []).append(lk.user)
    out = []
    for stage in STAGES:
        members = by_name([p for p in products if p.stage == stage])
        if members:
            out.append({"stage": stage, "products": [
                {"product": p, "kinds": kinds.get(p.code, []), "inputs": by_name(suppliers.get(p.id, [])),
                 "outputs": by_name(users.get(p.id, []))} for p in members]})
    return out


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
    svg = chain_svg(graph, slug, chain_gaps, lang=lang,
                    chain_name=chain.name_fa if lang == "fa" else chain.name_en) if products else ""
    width = int(svg.split('width="', 1)[1].split('"', 1)[0]) if svg else 0
    return render_template("public/chain.html", chain=chain, products=products, links=links, opps=opps,
                           drawing=Markup(svg), drawing_wide=width > PAGE_WIDTH,
                           stages=stage_lists(products, links, chain_gaps), gap_rows=gap_rows(chain_gaps, lang))
