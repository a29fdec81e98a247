"""Checking canonical rows: the chains.io readers, then authorisation (app.security.authz) per row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import select

from app.extensions import db
from app.models import Agency, County, Opportunity, Product, Sector, ValueChain, chain_products
from app.security import authz
from app.services.catalogue.limits import limit_problems
from app.services.catalogue.opportunities import move_problem
from app.services.transfer.read import PROGRESS_EVERY, Table
from chains import io as chains_io
from chains.errors import ChainDataError, Problem, to_fa_digits


# ---------------------------------------------------------------- references and permissions
class Ids:
    """Slug → id maps of the reference tables and code → id of products, loaded once per import."""

    def __init__(self) -> None:
        self.sectors = dict(db.session.execute(select(Sector.slug, Sector.id)).all())
        self.agencies = dict(db.session.execute(select(Agency.slug, Agency.id)).all())
        self.chains = dict(db.session.execute(select(ValueChain.slug, ValueChain.id)).all())
        self.counties = dict(db.session.execute(select(County.slug, County.id)).all())
        self.load_products()
        self._opportunity_refs: set[str] | None = None

    @property
    def opportunity_refs(self) -> set[str]:
        if self._opportunity_refs is None:
            self._opportunity_refs = set(db.session.scalars(select(Opportunity.ref)))
        return self._opportunity_refs

    def load_products(self) -> None:
        rows = db.session.execute(select(Product.code, Product.id, Product.sector_id)).all()
        self.products = {code: pid for code, pid, _ in rows}
        self.product_sector = {code: sid for code, _, sid in rows}


def _fa(text: str) -> str:
    """Persian digits in a reference, unless it holds Latin letters (as chains.errors does)."""
    return text if any("a" <= ch.lower() <= "z" for ch in text) else to_fa_digits(text)


def _not_allowed(row: int | None, field_name: str, fa: str, en: str) -> Problem:
    return Problem(record=f"row {row}", row=row, field=field_name, message_fa=fa, message_en=en, code="not_allowed")


class Permissions:
    """``app.authz`` asked once per distinct case instead of once per row."""

    def __init__(self, user, kind: str):
        self.user = user
        self._sector: dict = {}
        self._opportunity: dict = {}
        self.products = set(db.session.scalars(authz.scope_products(select(Product.code), user)))
        self.opportunities = (set(db.session.scalars(authz.scope_opportunities(select(Opportunity.ref), user)))
                              if kind == "opportunities" else set())
        self._chain_owner: dict | None = None
        self._stored: dict | None = None

    def stored_products(self) -> dict:
        """code → (agency id, chain ids) of the products as stored."""
        if self._stored is None:
            chains: dict[int, set[int]] = {}
            for pid, cid in db.session.execute(select(chain_products.c.product_id, chain_products.c.chain_id)):
                chains.setdefault(pid, set()).add(cid)
            self._stored = {code: (agency_id, chains.get(pid, set())) for code, pid, agency_id in
                            db.session.execute(select(Product.code, Product.id, Product.agency_id))}
        return self._stored

    def stored_opportunities(self) -> dict:
        """ref → (status, product code) of the opportunities as stored."""
        if self._stored is None:
            self._stored = {ref: (status, code) for ref, status, code in db.session.execute(
                select(Opportunity.ref, Opportunity.status, Product.code)
                .join(Product, Product.id == Opportunity.product_id))}
        return self._stored

    def membership(self, chain_id) -> bool:
        if self._chain_owner is None:
            self._chain_owner = dict(db.session.execute(select(ValueChain.id, ValueChain.agency_id)).all())
        return authz.can_change_membership(self.user, SimpleNamespace(agency_id=self._chain_owner.get(chain_id)))

    def agency(self, agency_id, current) -> bool:
        return agency_id == current or authz.can_name_agency(self.user, agency_id)

    def product_for_opportunity(self, code, sector_id, current_code) -> bool:
        return authz.can_point_opportunity_at(self.user, SimpleNamespace(code=code, sector_id=sector_id),
                                              SimpleNamespace(code=current_code) if current_code else None)

    def sector(self, sector_id) -> bool:
        if sector_id not in self._sector:
            self._sector[sector_id] = authz.can_edit_product(self.user, SimpleNamespace(sector_id=sector_id))
        return self._sector[sector_id]

    def opportunity(self, agency_id, product_sector_id) -> bool:
        key = (agency_id, product_sector_id)
        if key not in self._opportunity:
            self._opportunity[key] = authz.can_edit_opportunity(self.user, SimpleNamespace(
                agency_id=agency_id, product=SimpleNamespace(sector_id=product_sector_id)))
        return self._opportunity[key]


def authorise(kind: str, records: list, numbers: list[int | None], user, ids: Ids,
              fields: set[str] | None = None) -> list[Problem]:
    """Rows the user may not change, as problems (never silently skipped or written).

    ``fields``: the columns the file has (None: all); a column the file leaves out changes nothing."""
    perm = Permissions(user, kind)
    out = []
    for record, n in zip(records, numbers, strict=True):
        if kind == "products":
            sector_id = ids.sectors.get(record.sector)
            if record.code in ids.products and record.code not in perm.products:
                out.append(_not_allowed(
                    n, "code",
                    f"محصول {to_fa_digits(record.code)} به بخشِ دستگاه دیگری تعلق دارد و شما نمی‌توانید آن را تغییر دهید",
                    f"Product {record.code} belongs to another agency's sector; you may not change it"))
            elif not perm.sector(sector_id):
                out.append(_not_allowed(
                    n, "sector",
                    f"بخش «{record.sector}» از بخش‌های دستگاه شما نیست",
                    f"Sector {record.sector} is not one of your agency's sectors"))
            out.extend(_product_membership_and_source(record, n, perm, ids, fields))
        elif kind == "links":
            if record.user not in perm.products:
                out.append(_not_allowed(
                    n, "user",
                    f"محصول {to_fa_digits(record.user)} به بخشِ دستگاه دیگری تعلق دارد؛ "
                    "شما فقط نهاده‌های محصولات خودتان را تغییر می‌دهید",
                    f"Product {record.user} belongs to another agency's sector; you may only change the inputs "
                    "of your own products"))
        else:
            if record.ref in ids.opportunity_refs and record.ref not in perm.opportunities:
                out.append(_not_allowed(
                    n, "ref",
                    f"فرصت {_fa(record.ref)} از آنِ دستگاه دیگری است و شما نمی‌توانید آن را تغییر دهید",
                    f"Opportunity {record.ref} belongs to another agency; you may not change it"))
            elif not perm.opportunity(ids.agencies.get(record.agency), ids.product_sector.get(record.product)):
                out.append(_not_allowed(
                    n, "agency",
                    f"دستگاه مسئول ({record.agency}) و محصول ({to_fa_digits(record.product)}) این فرصت هیچ‌کدام در حوزهٔ "
                    "دستگاه شما نیستند",
                    f"Neither the agency ({record.agency}) nor the product ({record.product}) of this "
                    "opportunity is your agency's"))
            else:
                out.extend(_opportunity_product_and_status(record, n, perm, ids, fields))
    return out


def _product_membership_and_source(record, n, perm: Permissions, ids: Ids, fields) -> list[Problem]:
    """A product row may change the membership of chains the user maintains only, and name only their agency."""
    out = []
    agency_id, chains = perm.stored_products().get(record.code, (None, set()))
    wanted = {ids.chains[c] for c in record.chains if c in ids.chains} if fields is None or "chains" in fields \
        else chains
    slugs = {cid: slug for slug, cid in ids.chains.items()}
    refused = sorted(slugs[c] for c in wanted ^ chains if not perm.membership(c))
    if refused:
        names = "، ".join(refused)
        out.append(_not_allowed(
            n, "chains",
            f"زنجیرهٔ ارزش {names} را دستگاه دیگری نگه می‌دارد؛ فقط دستگاه مسئول آن می‌تواند محصولی به آن "
            "بیفزاید یا از آن بردارد",
            f"Value chain {', '.join(refused)} is maintained by another agency; only that agency may add "
            "products to it or take them out"))
    source = record.provenance.agency if fields is None or "agency" in fields else None
    if source and not perm.agency(ids.agencies.get(source), agency_id):
        out.append(_not_allowed(
            n, "agency",
            f"دستگاه «{source}» دستگاه شما نیست؛ منبع ارقام را فقط به نام دستگاه خودتان ثبت کنید",
            f"{source} is not your agency; name only your own agency as the source of the figures"))
    return out


def _opportunity_product_and_status(record, n, perm: Permissions, ids: Ids, fields) -> list[Problem]:
    """An opportunity row: the product rule of ``authz`` and the lifecycle of ``catalogue.opportunities``."""
    out = []
    status, product = perm.stored_opportunities().get(record.ref, (None, None))
    given = fields is None or "product" in fields
    if given and not perm.product_for_opportunity(record.product, ids.product_sector.get(record.product), product):
        out.append(_not_allowed(
            n, "product",
            f"محصول {to_fa_digits(record.product)} در بخش‌های دستگاه شما نیست؛ یکی از محصولات دستگاه خودتان "
            "را انتخاب کنید",
            f"Product {record.product} is outside your agency's sectors; choose one of your agency's products"))
    given = fields is None or "status" in fields
    moved = move_problem(status, record.status) if status is not None and given else None
    if moved is not None:
        out.append(Problem(record=f"row {n}", row=n, field="status", message_fa=moved.message_fa,
                           message_en=moved.message_en, code=moved.code))
    return out


# ---------------------------------------------------------------- checking
@dataclass
class Checked:
    kind: str
    records: list
    problems: list[Problem]
    total_rows: int
    fields: set[str]
    ignored_columns: list[str]


def _counting(rows: list, progress: Callable[[int], None] | None):
    for i, row in enumerate(rows, start=1):
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(i)
        yield row


def _read(kind: str, rows, ids: Ids, source: str) -> list:
    if kind == "products":
        return chains_io.read_products(rows, known_sectors=ids.sectors, known_chains=ids.chains,
                                       known_agencies=ids.agencies, source=source)
    if kind == "links":
        return chains_io.read_links(rows, ids.products, known_agencies=ids.agencies, source=source)
    return chains_io.read_opportunities(rows, known_products=ids.products, known_counties=ids.counties,
                                        known_agencies=ids.agencies, source=source)


def _limit_problems(kind: str, rows: list[dict], source: str) -> list[Problem]:
    """The cells that do not fit in their columns (app.services.catalogue.limits), as import problems."""
    out = []
    for number, row in enumerate(rows, start=2):
        for p in limit_problems(kind, row):
            out.append(Problem(record=f"{source} row {number}", row=number, field=p.field, message_fa=p.message_fa,
                               message_en=p.message_en, code=p.code))
    return out


def _blanked(rows: list[dict], bad: set[int]) -> list[dict]:
    """``rows`` with the ``bad`` ones (by spreadsheet row number) blanked, so the readers skip them."""
    if not bad:
        return rows
    return [dict.fromkeys(r, "") if i in bad else r for i, r in enumerate(rows, start=2)]


def check(kind: str, table: Table, user, ids: Ids | None = None, source: str = "",
          progress: Callable[[int], None] | None = None) -> Checked:
    """Validate every row (chains.io) and every permission (app.authz); nothing is written."""
    ids = ids or Ids()
    source = source or f"{kind}.csv"
    rows = table.rows
    # What does not fit in the columns first (the portal's and the API's check), then the readers' rules.
    problems: list[Problem] = _limit_problems(kind, rows, source)
    bad: set[int] = {p.row for p in problems}
    try:
        records = _read(kind, _counting(_blanked(rows, bad), progress), ids, source)
    except ChainDataError as exc:
        if any(p.row in (None, 1) for p in exc.problems):  # missing columns: the rows mean nothing
            return Checked(kind, [], list(exc.problems), len(rows), table.fields, table.ignored_columns)
        problems += exc.problems
        bad |= {p.row for p in exc.problems}
        # Read the good rows again (bad ones blanked, so numbering stays) to check their permissions too.
        try:
            records = _read(kind, _blanked(rows, bad), ids, source)
        except ChainDataError:
            records = []
    if progress is not None:
        progress(len(rows))
    numbers = [i for i, r in enumerate(rows, start=2) if i not in bad and any(r.values())]
    if len(numbers) != len(records):  # cannot happen while chains.io skips exactly the blank rows
        numbers = [None] * len(records)
    problems.extend(authorise(kind, records, numbers, user, ids, table.fields))
    problems.sort(key=lambda p: (p.row or 0))
    if problems:
        records = []
    return Checked(kind, records, problems, len(rows), table.fields, table.ignored_columns)
