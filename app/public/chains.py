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
from app.models import Link, Opportunity, Product, ValueChain, chain_products
from app.public.gaps import gap_rows
from app.services.gaps import chain_drawing, province_gaps
from app.services.graph import per_data_version
from app.services.obstacles import open_obstacles_for
from app.services.queries import active_chain, active_chains
from chains.records import STAGES

#: Above this drawing width the frame scrolls sideways on every screen and the page says so. The drawing is
#: laid out no wider than ``chains.svg.MAX_WIDTH`` (the frame on a desktop of 1200 px and more), so this is a
#: single column of a national-scale chart at most.
PAGE_WIDTH = 1100
#: The frame's inner width below 1200 px (Bootstrap's ``lg`` container): a wider drawing scrolls there, and
#: the hint shows there only (``.scroll-hint-narrow``).
NARROW_FRAME = 900


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


#: How much of a chain one page shows: national-scale chains have thousands of products and links. The gaps
#: page (``/gaps?chain=…``) and the opportunity list (``/opportunities?chain=…``) page through the rest.
SHOWN = {"gaps": 25, "products": 200, "links": 300, "opportunities": 50}


def chain(slug: str):
    chain = active_chain(slug)
    if chain is None:
        abort(404)
    in_chain = select(chain_products.c.product_id).where(chain_products.c.chain_id == chain.id)
    product_q = select(Product).where(Product.id.in_(in_chain), Product.retired.is_(False))
    link_q = select(Link).where(Link.retired.is_(False), Link.user_id.in_(in_chain), Link.supplier_id.in_(in_chain))
    opp_q = select(Opportunity).where(Opportunity.status == "published", Opportunity.product_id.in_(in_chain))
    # Counting a national-scale chain's products, links and opportunities reads thousands of rows: once per
    # data version.
    totals = dict(per_data_version(f"chain_totals:{chain.id}", lambda: {
        name: db.session.scalar(select(func.count()).select_from(q.subquery()))
        for name, q in (("products", product_q), ("links", link_q), ("opportunities", opp_q))}))
    products = db.session.scalars(product_q.order_by(Product.code).limit(SHOWN["products"])).all()
    links = db.session.scalars(
        link_q.options(selectinload(Link.supplier), selectinload(Link.user)).order_by(Link.id)
        .limit(SHOWN["links"])).all()
    opps = db.session.scalars(
        opp_q.options(selectinload(Opportunity.county)).order_by(Opportunity.id).limit(SHOWN["opportunities"])).all()

    lang = current_lang()
    chain_gaps = [g for g in province_gaps() if slug in g.chains]
    totals["gaps"] = len(chain_gaps)
    # A chain longer than the page's list is drawn as the listed part: a whole national-scale chain is a
    # drawing of megabytes that no one can read.
    only = tuple(p.code for p in products) if totals["products"] > len(products) else None
    svg = chain_drawing(slug, lang, chain.name_fa if lang == "fa" else chain.name_en, only) if products else ""
    width = int(svg.split('width="', 1)[1].split('"', 1)[0]) if svg else 0
    # What blocks the chain: open obstacle reports on its products, and the shown supply links they hold back.
    obstacles = open_obstacles_for(in_chain)
    blocked_ids = {o.product_id for o in obstacles}
    blocked = [lk for lk in links if lk.supplier_id in blocked_ids or lk.user_id in blocked_ids]
    return render_template("public/chain.html", chain=chain, products=products, links=links, opps=opps,
                           drawing=Markup(svg), drawing_part=only is not None,
                           drawing_wide="always" if width > PAGE_WIDTH else "narrow" if width > NARROW_FRAME else "",
                           stages=stage_lists(products, links, chain_gaps),
                           gap_rows=gap_rows(chain_gaps[:SHOWN["gaps"]], lang), totals=totals,
                           obstacles=obstacles, blocked=blocked, blocked_ids=blocked_ids)
