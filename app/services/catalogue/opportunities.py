"""Opportunities: one validator, the draft -> published -> closed lifecycle, financing, and a draft from a gap."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.i18n import localise_digits
from app.models import Agency, County, FinancingRoute, Opportunity, Product, utcnow
from app.queue import after_commit
from app.security import authz
from app.services.audit import audit
from app.services.catalogue.common import (
    _only_row,
    active_codes,
    apply,
    cell,
    diff,
    jsonable,
)
from app.services.catalogue.limits import checked
from app.services.errors import (
    FieldProblem,
    Invalid,
    both,
    check_version,
    from_chain_error,
)
from app.services.gaps import fill_quantity, province_gaps
from app.services.matching import next_ref, send_alerts
from app.services.records import opportunity_search_text, suited_mask, types_from_mask
from chains import io as chain_io
from chains.errors import ChainDataError
from chains.records import FINANCING_KINDS

OPPORTUNITY_FIELDS = ("title_fa", "title_en", "product", "county", "agency", "investment_min_rials",
                      "investment_max_rials", "jobs", "description_fa", "description_en", "incentives_fa",
                      "incentives_en", "suited_for", "gap_kind")


def opportunity_cells(o: Opportunity) -> dict:
    out = {
        "title_fa": o.title_fa, "title_en": o.title_en, "product": o.product.code, "county": o.county.slug,
        "agency": o.agency.slug, "investment_min_rials": str(o.investment_min_rials),
        "investment_max_rials": str(o.investment_max_rials), "jobs": str(o.jobs),
        "description_fa": o.description_fa, "description_en": o.description_en,
        "incentives_fa": o.incentives_fa, "incentives_en": o.incentives_en,
        "suited_for": "|".join(types_from_mask(o.suited_mask)), "gap_kind": o.gap_kind or "",
    }
    shares = {f.kind: f.share_bp for f in o.financing}
    out["financing"] = {kind: _percent_text(shares[kind]) if kind in shares else "" for kind in FINANCING_KINDS}
    return out


def _percent_text(bp: int) -> str:
    return str(bp // 100) if bp % 100 == 0 else str(bp / 100)


def _read_shares(shares: dict) -> tuple[dict[str, int], list[FieldProblem]]:
    """Financing shares in whole percent (1..100 each, 100 at most in total) → basis points per kind."""

    out: dict[str, int] = {}
    problems: list[FieldProblem] = []
    for kind, raw in (shares or {}).items():
        raw = cell(raw)
        if kind not in FINANCING_KINDS:
            problems.append(both(lambda k=kind: gettext("“%(kind)s” is not a known financing route.", kind=k),
                                 "bad_choice", "financing"))
            continue
        if not raw:
            continue
        try:
            value = chain_io.parse_number(raw)
        except ValueError:
            value = None
        if value is None or value != int(value) or not 1 <= value <= 100:
            problems.append(both(lambda: gettext("Enter a whole percentage from 1 to 100."), "out_of_range",
                                 f"share_{kind}"))
            continue
        out[kind] = int(value) * 100
    total = sum(out.values())
    if total > 10000:
        problems.append(both(lambda: gettext("The financing shares add up to %(total)s%%, more than 100%%.",
                                             total=localise_digits(total // 100)), "financing_sum_above_one",
                             "financing"))
    return out, problems


def check_opportunity(cells: dict, user, existing: Opportunity | None = None):
    """(record, shares in basis points) from the cells, or ``Invalid`` with every problem."""
    cells = dict(cells)
    if authz._role(user) == "agency_editor":
        # An editor publishes for their own agency; an opportunity in their scope keeps its agency.
        own = db.session.get(Agency, user.agency_id) if user.agency_id else None
        cells["agency"] = existing.agency.slug if existing is not None else (own.slug if own else "")
    shares, problems = _read_shares(cells.get("financing") or {})
    row = {k: cell(cells.get(k, "")) for k in OPPORTUNITY_FIELDS}
    row["ref"] = existing.ref if existing is not None else "NEW"
    row["status"] = existing.status if existing is not None else "draft"
    row["financing"] = "|".join(f"{k}:{v / 10000}" for k, v in shares.items()) if not problems else ""
    record = None
    try:
        record = _only_row(chain_io.read_opportunities(
            [row], known_products=active_codes(),
            known_counties=set(db.session.scalars(select(County.slug))),
            known_agencies=set(db.session.scalars(select(Agency.slug))), source="form"))
    except ChainDataError as error:
        problems += from_chain_error(error)
    problems = checked("opportunities", row, problems)
    if record is not None:
        product = db.session.scalar(select(Product).where(Product.code == record.product))
        if not authz.can_point_opportunity_at(user, product, existing.product if existing is not None else None):
            problems.append(both(lambda: gettext("This product is outside your agency's sectors; choose one of "
                                                 "your agency's products."), "forbidden_product", "product"))
    if problems:
        raise Invalid(problems)
    return record, shares


def _opportunity_values(record) -> dict:
    product = db.session.scalar(select(Product).where(Product.code == record.product))
    return {
        "title_fa": record.title_fa, "title_en": record.title_en,
        "description_fa": record.description_fa, "description_en": record.description_en,
        "incentives_fa": record.incentives_fa, "incentives_en": record.incentives_en,
        "product_id": product.id,
        "county_id": db.session.scalar(select(County.id).where(County.slug == record.county)),
        "agency_id": db.session.scalar(select(Agency.id).where(Agency.slug == record.agency)),
        "investment_min_rials": int(record.investment_min_rials),
        "investment_max_rials": int(record.investment_max_rials), "jobs": int(record.jobs),
        "suited_mask": suited_mask(record.suited_for), "gap_kind": record.gap_kind or "",
        "search_text": opportunity_search_text(record.title_fa, record.title_en, record.description_fa,
                                               record.description_en, product.name_fa, product.name_en,
                                               product.code, product.aliases),
        "illustrative": False,
    }


def _set_financing(row: Opportunity, shares: dict[str, int]) -> tuple[dict, dict]:
    have = {f.kind: f for f in row.financing}
    before = {k: f.share_bp for k, f in have.items()}
    if before == shares:
        return {}, {}
    for kind, route in have.items():
        if kind not in shares:
            row.financing.remove(route)
        elif route.share_bp != shares[kind]:
            route.share_bp = shares[kind]
    for kind, bp in sorted(shares.items()):
        if kind not in have:
            row.financing.append(FinancingRoute(kind=kind, share_bp=bp))
    return {"financing_bp": before}, {"financing_bp": dict(shares)}


def create_opportunity(record, shares: dict[str, int], user) -> Opportunity:

    values = _opportunity_values(record)
    row = Opportunity(ref=next_ref("OPP", Opportunity.ref), status="draft",
                      created_by_id=getattr(user, "id", None), **values)
    row.financing = [FinancingRoute(kind=k, share_bp=v) for k, v in sorted(shares.items())]
    db.session.add(row)
    db.session.flush()
    after = {k: jsonable(v) for k, v in values.items() if k != "search_text"}
    audit("create", "opportunity", row.ref, after={**after, "status": "draft", "financing_bp": dict(shares)},
          user=user)
    return row


def update_opportunity(row: Opportunity, record, shares: dict[str, int], user, version) -> Opportunity:
    check_version(row, version)
    values = _opportunity_values(record)
    before, after = diff(row, values)
    before.pop("search_text", None), after.pop("search_text", None)
    fb, fa = _set_financing(row, shares)
    before.update(fb), after.update(fa)
    apply(row, values)
    row.updated_at = utcnow()
    db.session.flush()
    audit("update", "opportunity", row.ref, before=before, after=after, user=user)
    return row


# ---------------------------------------------------------------- the lifecycle, for the portal, the API and the import
# The moves an opportunity's status may make: draft → published → closed, and no other.
LIFECYCLE = {"draft": ("published",), "published": ("closed",), "closed": ()}


def move_problem(was: str, want: str) -> FieldProblem | None:
    """None when ``was`` → ``want`` is allowed (staying put is), else the problem on ``status``."""
    if want == was or want in LIFECYCLE.get(was, ()):
        return None
    if want == "published":
        return both(lambda: gettext("Only a draft can be published."), "bad_status", "status")
    if want == "closed":
        return both(lambda: gettext("Only a published opportunity can be closed."), "bad_status", "status")
    return both(lambda: gettext("An opportunity goes from draft to published, and from published to closed; "
                                "its status cannot change in any other way."), "bad_status", "status")


def check_move(was: str, want: str) -> None:
    problem = move_problem(was, want)
    if problem is not None:
        raise Invalid([problem])


def alert_after_publishing() -> None:
    """Once the publishing commits, the task queue alerts the saved profiles the new opportunities match."""
    after_commit(send_alerts)


def publish_opportunity(row: Opportunity, user, version) -> None:
    """Draft → published; once committed, the task queue alerts the saved profiles it matches."""
    check_version(row, version)
    check_move(row.status, "published")
    row.status, row.published_at = "published", utcnow()
    db.session.flush()
    audit("publish", "opportunity", row.ref, before={"status": "draft"},
          after={"status": "published", "published_at": row.published_at.isoformat()}, user=user)
    alert_after_publishing()


def close_opportunity(row: Opportunity, user, version) -> None:
    check_version(row, version)
    check_move(row.status, "closed")
    row.status = "closed"
    db.session.flush()
    audit("close", "opportunity", row.ref, before={"status": "published"}, after={"status": "closed"}, user=user)


_GAP_TITLES = {
    "missing_supplier": ("تولید {fa} در استان", "Making {en} in the province"),
    "shortfall": ("افزایش ظرفیت تولید {fa}", "More capacity for {en}"),
    "unprocessed_outflow": ("فرآوری {fa} در استان به جای خروج خام", "Processing {en} in the province instead of "
                                                                    "sending it out raw"),
    "idle_capacity": ("راه‌اندازی دوبارهٔ واحدهای راکد {fa}", "Restarting idle {en} plants"),
    "infrastructure": ("رفع تنگنای زیرساختی تولید {fa}", "Removing the infrastructure bottleneck of {en}"),
}


def _round_billion(rials: float) -> int:
    return max(10**9, int(round(rials / 10**9)) * 10**9)


def gap_prefill(kind: str, code: str) -> dict | None:
    """Form data for a new opportunity built from the gap ``kind`` of product ``code`` (None if no such gap).

    The suggested investment range is a rule of thumb: half to one year's value of the capacity that
    would close the gap (capital-to-output ratio 0.5–1), or 5–15% of the gap's yearly size in rials
    when the gap is not closed by more of the same product.
    """

    gap = next((g for g in province_gaps() if g.product == code and kind in g.kinds), None)
    product = db.session.scalar(select(Product).where(Product.code == code, Product.retired.is_(False)))
    if gap is None or product is None:
        return None
    qty = fill_quantity(gap, kind)
    yearly = (qty or 0) * (product.unit_price_rials or 0)
    if yearly > 0:
        low, high = _round_billion(0.5 * yearly), _round_billion(yearly)
    else:
        low, high = _round_billion(0.05 * gap.size_rials), _round_billion(0.15 * gap.size_rials)
    title_fa, title_en = _GAP_TITLES[kind]
    return {
        "title_fa": title_fa.format(fa=product.name_fa), "title_en": title_en.format(en=product.name_en),
        "description_fa": gap.facet(kind).reason_fa, "description_en": gap.facet(kind).reason_en,
        "product": product.code,
        "gap_kind": kind, "investment_min_rials": str(low), "investment_max_rials": str(high),
        "suited_for": list(types_from_mask(product.suited_mask)),
    }
