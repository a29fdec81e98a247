"""The public site under /<lang_code>: home, opportunities, value chains, missing links."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from chains.records import APPLICANT_TYPES

from . import services
from .errors import UserMessage
from .extensions import db
from .models import County, Link, Measure, Opportunity, Product, Sector, ValueChain
from .i18n import current_lang, localise_digits
from .views import add_lang_code, lang_prefix_guard, parse_int

root_bp = Blueprint("root", __name__)
bp = Blueprint("public", __name__, url_prefix="/<lang_code>")
bp.url_value_preprocessor(lang_prefix_guard)
bp.url_defaults(add_lang_code)


@root_bp.before_app_request
def refuse_nul_bytes():
    """A NUL byte is never meaningful input (and PostgreSQL text cannot hold one): a clear 400 up front."""
    if any("\x00" in v for v in request.args.values()) or (
            request.method == "POST" and request.form and any("\x00" in v for v in request.form.values())):
        abort(400, description=UserMessage(gettext("The request contains characters that are not allowed.")))


@root_bp.route("/")
def root():
    saved = request.cookies.get("lang")
    lang = saved if saved in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    return redirect(url_for("public.home", lang_code=lang))


@bp.after_request
def remember_language(response):
    from flask import g

    if getattr(g, "lang_code", None) and request.cookies.get("lang") != g.lang_code:
        response.set_cookie("lang", g.lang_code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def applicant_type_labels() -> dict[str, str]:
    return {
        "individual": gettext("Individual small investor"),
        "cooperative": gettext("Cooperative"),
        "home_business": gettext("Home business"),
        "knowledge_based": gettext("Knowledge-based firm"),
        "company": gettext("Company"),
    }


def stage_labels() -> dict[str, str]:
    return {
        "raw": gettext("Raw material"),
        "intermediate": gettext("Intermediate good"),
        "final": gettext("Final product"),
        "service": gettext("Service"),
    }


def status_labels() -> dict[str, str]:
    return {"draft": gettext("Draft"), "published": gettext("Open for investment"), "closed": gettext("Closed")}


def financing_labels() -> dict[str, str]:
    return {
        "bank": gettext("Bank facility"),
        "capital_market": gettext("Capital market"),
        "leasing": gettext("Leasing"),
        "provincial_fund": gettext("Provincial funds"),
        "crowdfunding": gettext("Crowdfunding"),
    }


def gap_kind_labels() -> dict[str, str]:
    return {
        "missing_supplier": gettext("Missing local supplier"),
        "shortfall": gettext("Capacity shortfall"),
        "unprocessed_outflow": gettext("Raw material leaving unprocessed"),
        "idle_capacity": gettext("Idle capacity"),
        "infrastructure": gettext("Infrastructure bottleneck"),
    }


def unit_labels() -> dict[str, str]:
    return {
        "tonne": gettext("tonnes"),
        "unit": gettext("units"),
        "thousand_unit": gettext("thousand units"),
        "m2": gettext("square metres"),
        "m3": gettext("cubic metres"),
        "pair": gettext("pairs"),
        "service": gettext("service units"),
    }


def case_status_labels() -> dict[str, str]:
    return {
        "open": gettext("Received"),
        "in_progress": gettext("Being handled by the agencies"),
        "approved": gettext("Approved"),
        "rejected": gettext("Not approved"),
        "withdrawn": gettext("Withdrawn"),
        "completed": gettext("Completed"),
    }


def create_opportunity_url(gap) -> str | None:
    """For signed-in editors who may act on the gap's product: the portal form pre-filled from the gap."""
    from flask_login import current_user

    if not (current_user.is_authenticated and current_user.role in ("agency_editor", "hq", "admin")):
        return None
    if current_user.role == "agency_editor":
        from flask import g

        from .authz import scope_products
        from .models import Product

        if "pj_editable_codes" not in g:
            g.pj_editable_codes = set(db.session.scalars(scope_products(select(Product.code), current_user)))
        if gap.product not in g.pj_editable_codes:
            return None
    return url_for("portal.opportunity_new", gap_kind=gap.kind, product=gap.product)


@bp.app_context_processor
def labels():
    return {
        "create_opportunity_url": create_opportunity_url,
        "case_status_labels": case_status_labels,
        "applicant_type_labels": applicant_type_labels,
        "stage_labels": stage_labels,
        "status_labels": status_labels,
        "financing_labels": financing_labels,
        "gap_kind_labels": gap_kind_labels,
        "unit_labels": unit_labels,
    }


@bp.route("/")
def home():
    measures = db.session.scalars(select(Measure).order_by(Measure.position)).all()
    latest = db.session.scalars(
        select(Opportunity)
        .where(Opportunity.status == "published")
        .options(selectinload(Opportunity.county), selectinload(Opportunity.product))
        .order_by(Opportunity.published_at.desc(), Opportunity.id.desc())
        .limit(6)
    ).all()
    chains = db.session.scalars(select(ValueChain).where(ValueChain.retired.is_(False))
                                .order_by(ValueChain.priority.desc(), ValueChain.slug)).all()
    return render_template("public/home.html", measures=measures, counts=services.counts(), latest=latest,
                           chains=chains)


def _filter_value(model, name: str) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    slug = services.resolve_slug(model, raw)
    if slug is None:
        from .views import field_label

        abort(400, description=UserMessage(gettext("“%(value)s” is not a known %(field)s.", value=raw,
                                                   field=field_label(name))))
    return slug


def read_opportunity_filters() -> services.OpportunityFilters:
    kind = request.args.get("type", "").strip() or None
    if kind is not None and kind not in APPLICANT_TYPES:
        by_label = {v: k for k, v in applicant_type_labels().items()}
        if kind not in by_label:
            abort(400, description=UserMessage(gettext("“%(value)s” is not a known applicant type.", value=kind)))
        kind = by_label[kind]
    lo, hi = parse_int("min"), parse_int("max")
    if lo is not None and hi is not None and lo > hi:
        abort(400, description=UserMessage(gettext("The minimum investment is larger than the maximum.")))
    q = request.args.get("q", "").strip()
    if len(q) > 200:
        abort(400, description=UserMessage(gettext("The search text is too long (at most 200 characters).")))
    return services.OpportunityFilters(
        chain=_filter_value(ValueChain, "chain"),
        sector=_filter_value(Sector, "sector"),
        county=_filter_value(County, "county"),
        min_rials=lo,
        max_rials=hi,
        applicant_type=kind,
        q=q,
    )


@bp.route("/opportunities")
def opportunities():
    filters = read_opportunity_filters()
    page = parse_int("page", minimum=1) or 1
    per_page = current_app.config["PANJEREH_PAGE_SIZE"]
    stmt = services.opportunity_query(filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
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
        chains=db.session.scalars(select(ValueChain).where(ValueChain.retired.is_(False)).order_by(ValueChain.slug)).all(),
        sectors=db.session.scalars(select(Sector).order_by(Sector.slug)).all(),
        counties=db.session.scalars(select(County).order_by(County.slug)).all(),
    )


@bp.route("/opportunities/<int:opp_id>")
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
                           customers=customers)


@bp.route("/chains")
def chains():
    rows = db.session.scalars(
        select(ValueChain).where(ValueChain.retired.is_(False)).options(selectinload(ValueChain.products))
        .order_by(ValueChain.priority.desc(), ValueChain.slug)).all()
    opp_counts = dict(db.session.execute(
        select(ValueChain.slug, func.count(Opportunity.id))
        .join(ValueChain.products).join(Opportunity, Opportunity.product_id == Product.id)
        .where(Opportunity.status == "published").group_by(ValueChain.slug)).all())
    return render_template("public/chains.html", rows=rows, opp_counts=opp_counts)


@bp.route("/chains/<slug>")
def chain(slug: str):
    chain = db.session.scalar(select(ValueChain).where(ValueChain.slug == slug))
    if chain is None or chain.retired:
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
    from markupsafe import Markup

    from chains.svg import chain_svg

    lang = current_lang()
    chain_gaps = [g for g in services.province_gaps() if slug in g.chains]
    graph = services.value_chain_graph()
    drawing = Markup(chain_svg(graph, slug, chain_gaps, lang=lang,
                               chain_name=chain.name_fa if lang == "fa" else chain.name_en)) if products else ""
    return render_template("public/chain.html", chain=chain, products=products, links=links, opps=opps,
                           drawing=drawing, gap_rows=gap_rows(chain_gaps, lang))


# ---------------------------------------------------------------- missing links (gaps)
GAP_SORTS = ("priority", "size", "viability", "attractiveness")


def read_gap_filters() -> dict:
    from chains.gaps import KINDS

    kind = request.args.get("kind", "").strip() or None
    if kind is not None and kind not in KINDS:
        by_label = {v: k for k, v in gap_kind_labels().items()}
        if kind not in by_label:
            abort(400, description=UserMessage(gettext("“%(value)s” is not a known kind of missing link.",
                                                       value=kind)))
        kind = by_label[kind]
    sort = request.args.get("sort", "priority")
    if sort not in GAP_SORTS:
        abort(400, description=UserMessage(gettext("The list cannot be sorted by “%(value)s”.", value=sort)))
    return {
        "kind": kind,
        "chain": _filter_value(ValueChain, "chain"),
        "sector": _filter_value(Sector, "sector"),
        "county": _filter_value(County, "county"),
        "sort": sort,
    }


def filtered_gaps(f: dict) -> list:
    graph = services.value_chain_graph()
    gaps = services.province_gaps()
    counties = services.gap_counties() if f.get("county") else {}
    out = []
    for g in gaps:
        product = graph.nodes[g.product]["product"]
        if f.get("kind") and g.kind != f["kind"]:
            continue
        if f.get("chain") and f["chain"] not in g.chains:
            continue
        if f.get("sector") and product.sector != f["sector"]:
            continue
        if f.get("county") and f["county"] not in counties.get(g.product, ()):
            continue
        out.append(g)
    key = {"size": lambda g: -g.size_rials, "viability": lambda g: -g.viability,
           "attractiveness": lambda g: -g.attractiveness}.get(f.get("sort"))
    if key:
        out.sort(key=key)  # stable: ties keep the deterministic priority order
    return out


def gap_rows(gaps, lang: str):
    graph = services.value_chain_graph()
    opps = services.opportunities_by_product()
    rows = []
    for g in gaps:
        product = graph.nodes[g.product]["product"]
        qty = services.fill_quantity(g)
        sim = services.simulate_fill(g.product, qty) if qty and qty > 0 else None
        rows.append({"gap": g, "product": product, "opportunities": gap_opportunities(g, opps),
                     "fill_quantity": qty, "simulation": sim})
    return rows


def gap_opportunities(gap, by_product: dict) -> list[tuple[int, str]]:
    """Published opportunities that answer a gap: on its product, or — for a raw material leaving
    unprocessed — processing opportunities on the products made from it."""
    found = list(by_product.get(gap.product, []))
    if gap.kind == "unprocessed_outflow":
        for code in gap.details.get("customers", []):
            found += [(opp_id, kind) for opp_id, kind in by_product.get(code, []) if kind == "unprocessed_outflow"]
    return list(dict.fromkeys(found))


@bp.route("/gaps")
def gaps():
    f = read_gap_filters()
    found = filtered_gaps(f)
    lang = current_lang()
    if request.args.get("format") == "csv":
        return gaps_csv(found, lang)
    if request.args.get("format") not in (None, "", "html"):
        abort(400, description=UserMessage(gettext("Only the formats html and csv are offered.")))
    page = parse_int("page", minimum=1) or 1
    per_page = 25
    pages = max(1, -(-len(found) // per_page))
    if page > pages:
        abort(404, description=UserMessage(gettext("There is no page %(page)s; the list has %(pages)s pages.",
                                                   page=localise_digits(page), pages=localise_digits(pages))))
    shown = found[(page - 1) * per_page: page * per_page]
    chains_all = db.session.scalars(select(ValueChain).order_by(ValueChain.slug)).all()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "public/gaps.html", rows=gap_rows(shown, lang), all_gaps=found, total=len(found), page=page, pages=pages,
        filters=f, args=args, chains=chains_all, chain_names={c.slug: c for c in chains_all},
        sectors=db.session.scalars(select(Sector).order_by(Sector.slug)).all(),
        counties=db.session.scalars(select(County).order_by(County.slug)).all(),
        chart=gap_chart(found, lang), relatedness=services.active_relatedness_table(),
    )


def gaps_csv(found, lang: str):
    from .exports import csv_response

    graph = services.value_chain_graph()
    header = [gettext("Kind"), gettext("Product code"), gettext("Product"), gettext("Value chains"),
              gettext("Size (rials)"), gettext("Viability"), gettext("Attractiveness"),
              gettext("Strategic weight"), gettext("Priority"), gettext("Reason")]
    kinds = gap_kind_labels()
    rows = []
    for g in found:
        p = graph.nodes[g.product]["product"]
        rows.append([kinds[g.kind], g.product, p.name_fa if lang == "fa" else p.name_en, "|".join(g.chains),
                     g.size_rials, round(g.viability, 4), round(g.attractiveness, 4), round(g.strategic, 4),
                     round(g.priority, 4), g.reason(lang)])
    return csv_response("missing-links.csv", header, rows)


def gap_chart(found, lang: str, width: int = 640, height: int = 420) -> dict:
    """Points of the viability × attractiveness chart; x mirrors for right-to-left pages."""
    pad = 48
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    rtl = lang == "fa"
    points = []
    for g in found[:200]:
        x = g.viability if not rtl else 1 - g.viability
        points.append({"gap": g, "cx": round(pad + x * plot_w, 1), "cy": round(pad + (1 - g.attractiveness) * plot_h, 1)})
    return {"width": width, "height": height, "pad": pad, "plot_w": plot_w, "plot_h": plot_h, "rtl": rtl,
            "points": points}
