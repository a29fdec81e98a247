"""Writing checked records in bulk: plans of inserts and updates against maps loaded once, one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, insert, select, update

from app.extensions import db
from app.models import (
    FinancingRoute,
    Link,
    Opportunity,
    Product,
    ValueChain,
    chain_products,
    utcnow,
)
from app.services.audit import audit
from app.services.catalogue.opportunities import alert_after_publishing
from app.services.records import aliases_cell, opportunity_search_text, suited_mask
from app.services.transfer.check import Ids, check
from app.services.transfer.read import Table
from app.services.versions import bump
from chains.errors import Problem

_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit


# ---------------------------------------------------------------- write plans (shared with the seed)
@dataclass
class Plan:
    kind: str
    created: int = 0
    updated: int = 0
    kept: int = 0
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    # product/opportunity code → wanted set of chain ids / financing routes, where they change
    members: dict = field(default_factory=dict)
    # products: codes of rows inserted whose chains must be added after their ids exist
    after_insert: dict = field(default_factory=dict)
    # opportunities: how many rows the write publishes (the saved profiles are alerted once it commits)
    published: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "kept": self.kept}


def _suited(types) -> int:

    return suited_mask(types)


PRODUCT_FIELDS = {
    "nomenclature": ("nomenclature",), "name_fa": ("name_fa",), "name_en": ("name_en",),
    "sector": ("sector_id",), "stage": ("stage",), "unit": ("unit",), "unit_price_rials": ("unit_price_rials",),
    "capacity": ("capacity",), "output": ("output",), "demand": ("demand",), "inflow": ("inflow",),
    "outflow": ("outflow",), "active_units": ("active_units",), "idle_units": ("idle_units",), "jobs": ("jobs",),
    "suited_for": ("suited_mask",), "source": ("source",), "agency": ("agency_id",), "as_of": ("as_of",),
    "aliases": ("aliases",),
}


LINK_FIELDS = {"coefficient": ("coefficient",), "source": ("source",), "agency": ("agency_id",),
               "as_of": ("as_of",)}


OPPORTUNITY_FIELDS = {
    "title_fa": ("title_fa",), "title_en": ("title_en",), "description_fa": ("description_fa",),
    "description_en": ("description_en",), "incentives_fa": ("incentives_fa",),
    "incentives_en": ("incentives_en",), "product": ("product_id",), "county": ("county_id",),
    "agency": ("agency_id",), "investment_min_rials": ("investment_min_rials",),
    "investment_max_rials": ("investment_max_rials",), "jobs": ("jobs",), "suited_for": ("suited_mask",),
    "status": ("status",), "gap_kind": ("gap_kind",),
}


def _columns(field_map: dict, fields: set[str] | None, retired: bool = True) -> list[str]:
    """The columns a file with ``fields`` may change (None: all of them)."""
    chosen = field_map if fields is None else {f: c for f, c in field_map.items() if f in fields}
    return [c for cols in chosen.values() for c in cols] + (["retired"] if retired else [])


def _existing(model, key_cols, cols: list[str]) -> dict:
    t = model.__table__
    wanted = ["id", "illustrative", *key_cols, *[c for c in cols if c not in key_cols]]
    rows = db.session.execute(select(*[t.c[c] for c in dict.fromkeys(wanted)])).mappings().all()
    if len(key_cols) == 1:
        return {r[key_cols[0]]: r for r in rows}
    return {tuple(r[k] for k in key_cols): r for r in rows}


def _plan_rows(plan: Plan, existing: dict, key, values: dict, columns: list[str], illustrative: bool,
               extra_changed: bool = False) -> tuple[str, object]:
    """Classify one record: ('insert', None) | ('update', id) | ('kept', id) | ('protected', id)."""
    old = existing.get(key)
    if old is None:
        plan.inserts.append({**values, "illustrative": illustrative})
        plan.created += 1
        return "insert", None
    if illustrative and old["illustrative"] is False:
        # An agency has replaced the illustrative figures: the demo seed never overwrites them.
        plan.kept += 1
        return "protected", old["id"]
    sub = {c: values[c] for c in columns}
    changed = any(old[c] != v for c, v in sub.items())
    if changed or extra_changed or old["illustrative"] != illustrative:
        plan.updates.append({"_id": old["id"], **sub, "illustrative": illustrative})
    if changed or extra_changed:
        plan.updated += 1
    else:
        plan.kept += 1
    return ("update" if changed else "kept"), old["id"]


def plan_products(records, ids: Ids, illustrative: bool, fields: set[str] | None = None) -> Plan:
    plan = Plan("products")
    columns = _columns(PRODUCT_FIELDS, fields)
    existing = _existing(Product, ["code"], columns)
    memberships: dict[int, set[int]] = {}
    with_chains = fields is None or "chains" in fields
    if with_chains:
        for pid, cid in db.session.execute(select(chain_products.c.product_id, chain_products.c.chain_id)):
            memberships.setdefault(pid, set()).add(cid)
    for p in records:
        values = {
            "code": p.code, "nomenclature": p.nomenclature, "name_fa": p.name_fa, "name_en": p.name_en,
            "sector_id": ids.sectors[p.sector], "stage": p.stage, "unit": p.unit,
            "unit_price_rials": int(p.unit_price_rials), "capacity": float(p.capacity), "output": float(p.output),
            "demand": float(p.demand), "inflow": float(p.inflow), "outflow": float(p.outflow),
            "active_units": int(p.active_units), "idle_units": int(p.idle_units), "jobs": int(p.jobs),
            "suited_mask": _suited(p.suited_for), "source": p.provenance.source, "as_of": p.provenance.as_of,
            "aliases": aliases_cell(p.aliases),
            "agency_id": ids.agencies[p.provenance.agency] if p.provenance.agency else None, "retired": False,
        }
        wanted = {ids.chains[c] for c in p.chains}
        old = existing.get(p.code)
        chains_differ = with_chains and old is not None and memberships.get(old["id"], set()) != wanted
        outcome, pid = _plan_rows(plan, existing, p.code, values, columns, illustrative, chains_differ)
        if outcome == "insert" and wanted:
            plan.after_insert[p.code] = wanted
        elif chains_differ and outcome != "protected":
            plan.members[pid] = wanted
    return plan


def plan_links(records, ids: Ids, illustrative: bool, fields: set[str] | None = None) -> Plan:
    plan = Plan("links")
    columns = _columns(LINK_FIELDS, fields)
    existing = _existing(Link, ["supplier_id", "user_id"], columns)
    for lk in records:
        sup, use = ids.products[lk.supplier], ids.products[lk.user]
        values = {
            "supplier_id": sup, "user_id": use, "coefficient": float(lk.coefficient),
            "source": lk.provenance.source, "as_of": lk.provenance.as_of,
            "agency_id": ids.agencies[lk.provenance.agency] if lk.provenance.agency else None, "retired": False,
        }
        _plan_rows(plan, existing, (sup, use), values, columns, illustrative)
    return plan


def plan_opportunities(records, ids: Ids, illustrative: bool, fields: set[str] | None = None,
                       user_id: int | None = None) -> Plan:
    plan = Plan("opportunities")
    columns = [*_columns(OPPORTUNITY_FIELDS, fields, retired=False), "search_text"]
    search_parts = ("title_fa", "title_en", "description_fa", "description_en", "product_id")
    existing = _existing(Opportunity, ["ref"], [*columns, *search_parts, "published_at"])
    names = {pid: (fa, en, code, aliases) for pid, fa, en, code, aliases in
             db.session.execute(select(Product.id, Product.name_fa, Product.name_en, Product.code,
                                       Product.aliases))}
    routes: dict[int, dict[str, int]] = {}
    with_financing = fields is None or "financing" in fields
    if with_financing:
        for oid, kind, bp in db.session.execute(select(FinancingRoute.opportunity_id, FinancingRoute.kind,
                                                       FinancingRoute.share_bp)):
            routes.setdefault(oid, {})[kind] = bp
    now = utcnow()
    for o in records:
        values = {
            "ref": o.ref, "title_fa": o.title_fa, "title_en": o.title_en,
            "description_fa": o.description_fa, "description_en": o.description_en,
            "incentives_fa": o.incentives_fa, "incentives_en": o.incentives_en,
            "product_id": ids.products[o.product], "county_id": ids.counties[o.county],
            "agency_id": ids.agencies[o.agency], "investment_min_rials": int(o.investment_min_rials),
            "investment_max_rials": int(o.investment_max_rials), "jobs": int(o.jobs),
            "suited_mask": _suited(o.suited_for), "status": o.status, "gap_kind": o.gap_kind or "",
        }
        old = existing.get(o.ref)
        # Search text folds the row as it will be: the file's columns over what the row already has.
        merged = values if old is None else {**old, **{c: values[c] for c in columns if c in values}}
        fa, en, code, aliases = names[merged["product_id"]]
        values["search_text"] = opportunity_search_text(merged["title_fa"], merged["title_en"],
                                                        merged["description_fa"], merged["description_en"],
                                                        fa, en, code, aliases)
        cols = columns
        status = merged["status"]
        if status == "published" and (old is None or old["published_at"] is None):
            values["published_at"] = now
            cols = [*columns, "published_at"]
            plan.published += 1
        if old is None:
            values.setdefault("published_at", None)
            values["created_by_id"] = user_id
        wanted = {f.kind: round(f.share * 10000) for f in o.financing}
        differ = with_financing and old is not None and routes.get(old["id"], {}) != wanted
        outcome, oid = _plan_rows(plan, existing, o.ref, values, cols, illustrative, differ)
        if outcome == "insert" and wanted:
            plan.after_insert[o.ref] = wanted
        elif differ and outcome != "protected":
            plan.members[oid] = wanted
    return plan


PLANNERS = {"products": plan_products, "links": plan_links, "opportunities": plan_opportunities}


MODELS = {"products": Product, "links": Link, "opportunities": Opportunity}


def _chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _execute_updates(table, updates: list[dict], progress=None) -> None:
    """Bulk UPDATE by id; rows with the same set of columns go in one executemany. Bumps ``version``."""
    groups: dict[tuple, list[dict]] = {}
    for u in updates:
        groups.setdefault(tuple(sorted(u)), []).append(u)
    for keys, rows in groups.items():
        cols = [k for k in keys if k != "_id"]
        stmt = (update(table).where(table.c.id == bindparam("_id"))
                .values({c: bindparam("v_" + c) for c in cols}))
        if "version" in table.c:
            stmt = stmt.values(version=table.c.version + 1)
        params = [{"_id": r["_id"], **{"v_" + c: r[c] for c in cols}} for r in rows]
        db.session.execute(stmt, params, execution_options={"synchronize_session": False})


def apply(plan: Plan, ids: Ids) -> None:
    """Write a plan with bulk statements (flushes the session first; never commits)."""
    db.session.flush()
    model = MODELS[plan.kind]
    table = model.__table__
    if plan.inserts:
        db.session.execute(insert(table), plan.inserts)
    if plan.updates:
        _execute_updates(table, plan.updates)
    if plan.kind == "products":
        if plan.inserts:
            ids.load_products()
        members = dict(plan.members)
        members.update({ids.products[code]: wanted for code, wanted in plan.after_insert.items()})
        changed = [pid for pid in members if pid in plan.members]
        for chunk in _chunks(changed):
            db.session.execute(delete(chain_products).where(chain_products.c.product_id.in_(chunk)))
        pairs = [{"product_id": pid, "chain_id": cid} for pid, wanted in members.items() for cid in sorted(wanted)]
        if pairs:
            db.session.execute(insert(chain_products), pairs)
    elif plan.kind == "opportunities":
        members = dict(plan.members)
        if plan.after_insert:
            refs = dict(db.session.execute(select(Opportunity.ref, Opportunity.id)).all())
            members.update({refs[ref]: wanted for ref, wanted in plan.after_insert.items()})
        fr = FinancingRoute.__table__
        for chunk in _chunks(list(plan.members)):
            db.session.execute(delete(fr).where(fr.c.opportunity_id.in_(chunk)))
        routes = [{"opportunity_id": oid, "kind": k, "share_bp": v}
                  for oid, wanted in members.items() for k, v in sorted(wanted.items())]
        if routes:
            db.session.execute(insert(fr), routes)
    if plan.inserts or plan.updates or plan.members or plan.after_insert:
        bump()  # bulk statements bypass the session's before_flush hook
    # ORM objects of these tables loaded earlier in the session are now stale.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, (Product, Link, Opportunity, FinancingRoute, ValueChain)):
            db.session.expire(obj)


# ---------------------------------------------------------------- a whole import
@dataclass
class Outcome:
    kind: str
    dry_run: bool
    total_rows: int
    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def import_table(kind: str, table: Table, user, *, dry_run: bool, source: str = "",
                 progress: Callable[[int], None] | None = None,
                 before_write: Callable[[], None] | None = None) -> Outcome:
    """Check every row, then (unless a dry run or any problem) write them all; flushes, never commits."""
    ids = Ids()
    checked = check(kind, table, user, ids, source=source, progress=progress)
    outcome = Outcome(kind, dry_run, checked.total_rows, checked.problems, ignored_columns=checked.ignored_columns)
    if checked.problems:
        return outcome
    fields = checked.fields
    if kind == "opportunities":
        plan = plan_opportunities(checked.records, ids, False, fields, user_id=getattr(user, "id", None))
    else:
        plan = PLANNERS[kind](checked.records, ids, False, fields)
    outcome.counts = plan.counts
    if dry_run:
        return outcome
    if before_write is not None:
        before_write()
    apply(plan, ids)
    if kind == "products":
        assign_chain_owners()
        if fields is None or fields & {"name_fa", "name_en", "aliases"}:
            refresh_search_texts([u["_id"] for u in plan.updates])
    if plan.published:
        alert_after_publishing()  # as the portal's and the API's publish do

    audit("import", kind, source, after={**plan.counts, "rows": checked.total_rows}, user=user)
    db.session.flush()
    return outcome


def assign_chain_owners() -> None:
    """A chain without an owner is maintained by the agency that owns most of its products."""
    rows = db.session.execute(
        select(ValueChain.id, Product.agency_id)
        .join(chain_products, chain_products.c.chain_id == ValueChain.id)
        .join(Product, Product.id == chain_products.c.product_id)
        .where(ValueChain.agency_id.is_(None), Product.agency_id.is_not(None))).all()
    owners: dict[int, list[int]] = {}
    for chain_id, agency_id in rows:
        owners.setdefault(chain_id, []).append(agency_id)
    for chain_id, agency_ids in owners.items():
        chain = db.session.get(ValueChain, chain_id)
        chain.agency_id = max(sorted(set(agency_ids)), key=agency_ids.count)


def refresh_search_texts(product_ids: list[int]) -> None:
    """Re-fold the search text of these products' opportunities (their names or aliases may have changed)."""
    o, p = Opportunity.__table__, Product.__table__
    updates = []
    for chunk in _chunks(sorted(set(product_ids))):
        rows = db.session.execute(
            select(o.c.id, o.c.title_fa, o.c.title_en, o.c.description_fa, o.c.description_en,
                   p.c.name_fa, p.c.name_en, p.c.code, p.c.aliases, o.c.search_text)
            .join(p, p.c.id == o.c.product_id).where(o.c.product_id.in_(chunk)))
        for r in rows:
            text = opportunity_search_text(*r[1:9])
            if text != r[9]:
                updates.append({"_id": r[0], "search_text": text})
    if updates:
        db.session.execute(update(o).where(o.c.id == bindparam("_id")).values(search_text=bindparam("v_text")),
                           [{"_id": u["_id"], "v_text": u["search_text"]} for u in updates],
                           execution_options={"synchronize_session": False})
