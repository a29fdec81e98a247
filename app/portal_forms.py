"""Agency portal forms, and the checks and writes shared by the portal and the JSON API.

Validation is the import's: each form (or API body) becomes a one-row dict that goes through
``chains.io.read_products`` / ``read_links`` / ``read_opportunities`` / ``read_chains``, so a
product typed into a form obeys exactly the rules of a product in a spreadsheet. Each
``chains.errors.Problem`` names its field, so the message lands on the right form field.
Authorisation is ``app.authz``'s. The ``save_*`` functions flush and never commit: the request
commits once. Every change writes an ``AuditEvent`` with the changed fields before and after.

Lost updates are refused twice over: the form's ``version`` must equal the row's (``Conflict``),
and the ORM's ``version_id_col`` makes a concurrent write between our read and our flush raise
``StaleDataError``, which callers turn into the same ``Conflict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import false, select
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from chains import io as chain_io
from chains.errors import ChainDataError, problem
from chains.records import APPLICANT_TYPES, FINANCING_KINDS
from matching.normalize import fold

from . import authz
from .extensions import db
from .forms import MultiCheckboxField
from .models import Agency, County, FinancingRoute, Link, Opportunity, Product, Sector, ValueChain, utcnow
from .services import audit, product_record, suited_mask, types_from_mask

# ================================================================ problems and conflicts


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one field, in both languages (the API and the form pick one)."""

    field: str
    code: str
    message_fa: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_fa if lang == "fa" else self.message_en

    def as_json(self, lang: str) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message(lang)}


class Invalid(Exception):
    """The input breaks the import rules or the authorisation rules; nothing was written."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__(", ".join(f"{p.field}:{p.code}" for p in problems))
        self.problems = problems


class Conflict(Exception):
    """Someone else saved the record since the form (or API client) read it; nothing was written."""


def both(message, code: str, field: str) -> FieldProblem:
    """A FieldProblem from ``message``, a callable returning a gettext string, run in each language."""
    with force_locale("fa"):
        fa = str(message())
    with force_locale("en"):
        en = str(message())
    return FieldProblem(field=field, code=code, message_fa=fa, message_en=en)


def from_chain_error(error: ChainDataError, rename: dict[str, str] | None = None) -> list[FieldProblem]:
    rename = rename or {}
    return [FieldProblem(rename.get(p.field, p.field), p.code, p.message_fa, p.message_en) for p in error.problems]


def check_version(row, version) -> None:
    """Refuse the write unless ``version`` (from the form or body) is the row's current version."""
    try:
        given = int(str(version).strip())
    except (TypeError, ValueError):
        raise Conflict() from None
    if given != row.version:
        raise Conflict()


def jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def diff(row, values: dict) -> tuple[dict, dict]:
    """The fields of ``values`` that differ from ``row``: (before, after) as plain JSON dicts."""
    before, after = {}, {}
    for key, value in values.items():
        old = getattr(row, key)
        if old != value:
            before[key], after[key] = jsonable(old), jsonable(value)
    return before, after


def apply(row, values: dict) -> None:
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def cell(value) -> str:
    """A JSON value or form datum as the text cell the chains.io readers expect."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return str(value).strip()


# ================================================================ choices


def _label(row) -> str:
    from .i18n import current_lang

    return row.name_fa if current_lang() == "fa" else row.name_en


def editable_sectors(user) -> list[Sector]:
    stmt = select(Sector).order_by(Sector.slug)
    if authz._role(user) not in authz.EDIT_ALL:
        stmt = stmt.where(Sector.id.in_(authz.agency_sector_ids(user))) if user.agency_id else stmt.where(false())
    return db.session.scalars(stmt).all()


def active_codes() -> set[str]:
    return set(db.session.scalars(select(Product.code).where(Product.retired.is_(False))))


# ================================================================ forms


class VersionedForm(FlaskForm):
    version = HiddenField()


class ActionForm(VersionedForm):
    """A button that posts (retire, publish, close…): CSRF and the version it acts on."""


_MAX300 = Length(max=300, message=_l("Keep this under 300 characters."))
_MAX400 = Length(max=400, message=_l("Keep this under 400 characters."))
_MAX4000 = Length(max=4000, message=_l("Keep this under 4,000 characters."))

PRODUCT_FIELDS = ("nomenclature", "name_fa", "name_en", "sector", "stage", "unit", "unit_price_rials", "capacity",
                  "output", "demand", "inflow", "outflow", "active_units", "idle_units", "jobs", "suited_for",
                  "source", "as_of")


class ProductForm(VersionedForm):
    code = StringField(_l("HS or ISIC code"), validators=[Length(max=16, message=_l("A code has at most 16 characters."))])
    nomenclature = SelectField(_l("Code list"), validate_choice=False, default="hs")
    name_fa = StringField(_l("Name in Persian"), validators=[_MAX300])
    name_en = StringField(_l("Name in English"), validators=[_MAX300])
    sector = SelectField(_l("Sector"), validate_choice=False)
    stage = SelectField(_l("Stage in the chain"), validate_choice=False)
    unit = SelectField(_l("Unit"), validate_choice=False, default="tonne")
    unit_price_rials = StringField(_l("Unit price (rials)"))
    capacity = StringField(_l("Capacity in the province (a year)"))
    output = StringField(_l("Output in the province (a year)"))
    demand = StringField(_l("Local final demand (a year)"))
    inflow = StringField(_l("Brought in from outside the province (a year)"))
    outflow = StringField(_l("Sent out of the province (a year)"))
    active_units = StringField(_l("Active units"))
    idle_units = StringField(_l("Idle units"))
    jobs = StringField(_l("Jobs"))
    suited_for = MultiCheckboxField(_l("Suited to"), validate_choice=False)
    source = StringField(_l("Source of the figures"), validators=[_MAX300])
    as_of = StringField(_l("Figures as of (1403/06/31 or 2024-09-21)"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .public import applicant_type_labels, stage_labels, unit_labels

        self.nomenclature.choices = [SelectChoice("hs", gettext("Harmonized System (HS), for goods")),
                                     SelectChoice("isic", gettext("ISIC rev.4, for services and activities"))]
        self.sector.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(s.slug, _label(s)) for s in editable_sectors(user)]
        self.stage.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(k, v) for k, v in stage_labels().items()]
        units = unit_labels()
        self.unit.choices = [SelectChoice(k, v) for k, v in units.items()]
        if self.unit.data and self.unit.data not in units:
            self.unit.choices.append(SelectChoice(self.unit.data, self.unit.data))
        labels = applicant_type_labels()
        self.suited_for.choices = [SelectChoice(t, labels[t]) for t in APPLICANT_TYPES]

    def cells(self) -> dict[str, str]:
        return {name: cell(self[name].data) for name in ("code", *PRODUCT_FIELDS)}


class LinkForm(VersionedForm):
    supplier = StringField(_l("Supplier product (HS code)"), render_kw={"list": "supplier-options"},
                           validators=[Length(max=16, message=_l("A code has at most 16 characters."))])
    coefficient = StringField(_l("Input coefficient (units of supplier per unit of this product)"))
    source = StringField(_l("Source of the figures"), validators=[_MAX300])
    as_of = StringField(_l("Figures as of (1403/06/31 or 2024-09-21)"))


class ChainForm(VersionedForm):
    name_fa = StringField(_l("Name in Persian"), validators=[_MAX300])
    name_en = StringField(_l("Name in English"), validators=[_MAX300])
    description_fa = TextAreaField(_l("Description in Persian"), validators=[_MAX4000])
    description_en = TextAreaField(_l("Description in English"), validators=[_MAX4000])
    priority = StringField(_l("Priority (0 to 1)"))


class ChainProductForm(FlaskForm):
    code = StringField(_l("Product code"), render_kw={"list": "chain-product-options"},
                       validators=[Length(max=16, message=_l("A code has at most 16 characters."))])


OPPORTUNITY_FIELDS = ("title_fa", "title_en", "product", "county", "agency", "investment_min_rials",
                      "investment_max_rials", "jobs", "description_fa", "description_en", "incentives_fa",
                      "incentives_en", "suited_for", "gap_kind")


class OpportunityForm(VersionedForm):
    title_fa = StringField(_l("Title in Persian"), validators=[_MAX400])
    title_en = StringField(_l("Title in English"), validators=[_MAX400])
    product = StringField(_l("Product (HS code)"), render_kw={"list": "product-options"},
                          validators=[Length(max=16, message=_l("A code has at most 16 characters."))])
    county = SelectField(_l("County"), validate_choice=False)
    agency = SelectField(_l("Responsible agency"), validate_choice=False)
    investment_min_rials = StringField(_l("Minimum investment (rials)"))
    investment_max_rials = StringField(_l("Maximum investment (rials)"))
    jobs = StringField(_l("Jobs created"))
    description_fa = TextAreaField(_l("Description in Persian"), validators=[_MAX4000])
    description_en = TextAreaField(_l("Description in English"), validators=[_MAX4000])
    incentives_fa = TextAreaField(_l("Incentives in Persian"), validators=[_MAX4000])
    incentives_en = TextAreaField(_l("Incentives in English"), validators=[_MAX4000])
    suited_for = MultiCheckboxField(_l("Suited to"), validate_choice=False)
    gap_kind = SelectField(_l("Missing link it fills"), validate_choice=False, default="")
    # Carries the errors about the routes as a whole (their sum); never rendered as an input.
    financing = HiddenField(_l("Financing routes"))
    share_bank = StringField(_l("Bank facility (% of the investment)"))
    share_capital_market = StringField(_l("Capital market (% of the investment)"))
    share_leasing = StringField(_l("Leasing (% of the investment)"))
    share_provincial_fund = StringField(_l("Provincial funds (% of the investment)"))
    share_crowdfunding = StringField(_l("Crowdfunding (% of the investment)"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .public import applicant_type_labels, gap_kind_labels

        self.county.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(c.slug, _label(c)) for c in db.session.scalars(select(County).order_by(County.slug))]
        agencies = db.session.scalars(select(Agency).order_by(Agency.slug)).all()
        if authz._role(user) not in authz.EDIT_ALL:
            agencies = [a for a in agencies if a.id == user.agency_id]
        self.agency.choices = [SelectChoice(a.slug, _label(a)) for a in agencies]
        labels = applicant_type_labels()
        self.suited_for.choices = [SelectChoice(t, labels[t]) for t in APPLICANT_TYPES]
        self.gap_kind.choices = [SelectChoice("", gettext("None: entered by the agency"))] + [
            SelectChoice(k, v) for k, v in gap_kind_labels().items()]

    def share_fields(self):
        return [self[f"share_{kind}"] for kind in FINANCING_KINDS]

    def cells(self) -> dict[str, str]:
        out = {name: cell(self[name].data) for name in OPPORTUNITY_FIELDS}
        out["financing"] = {kind: cell(self[f"share_{kind}"].data) for kind in FINANCING_KINDS}
        return out


# ================================================================ products


def _only_row(records: list):
    """The one record a one-row read gives; a row with nothing in it reads as no record at all."""
    if not records:
        raise ChainDataError([problem("missing", record="form", row=None, field="code")])
    return records[0]


def product_cells(p: Product) -> dict[str, str]:
    """A stored product as the cells of a one-row products spreadsheet (what forms and PATCH start from)."""
    [row] = chain_io.product_rows([product_record(p)])
    return {k: row[k] for k in ("code", *PRODUCT_FIELDS)}


def check_product(cells: dict, user, existing: Product | None = None):
    """The product record ``cells`` describe, or ``Invalid`` with every problem (import rules + authz)."""
    cells = dict(cells)
    if existing is not None:
        cells["code"] = existing.code  # the code is the product's identity: it is never edited
    problems: list[FieldProblem] = []
    sectors = set(db.session.scalars(select(Sector.slug)))
    record = None
    try:
        record = _only_row(chain_io.read_products([{k: cells.get(k, "") for k in ("code", *PRODUCT_FIELDS)}],
                                          known_sectors=sectors, source="form"))
    except ChainDataError as error:
        problems += from_chain_error(error)
    sector = (cells.get("sector") or "").strip().lower()
    if sector in sectors and sector not in {s.slug for s in editable_sectors(user)}:
        problems.append(both(lambda: gettext("Your agency does not maintain this sector."), "forbidden_sector",
                             "sector"))
    if existing is None and record is not None:
        if db.session.scalar(select(Product.id).where(Product.code == record.code)):
            code = record.code
            problems.append(both(lambda: gettext("A product with code %(code)s already exists.", code=code),
                                 "duplicate_code", "code"))
    if problems:
        raise Invalid(problems)
    return record


def _product_values(record, user, existing: Product | None) -> dict:
    sector = db.session.scalar(select(Sector).where(Sector.slug == record.sector))
    if authz._role(user) == "agency_editor":
        agency_id = user.agency_id
    else:
        agency_id = existing.agency_id if existing is not None else user.agency_id
    return {
        "nomenclature": record.nomenclature, "name_fa": record.name_fa, "name_en": record.name_en,
        "sector_id": sector.id, "stage": record.stage, "unit": record.unit,
        "unit_price_rials": int(record.unit_price_rials), "capacity": float(record.capacity),
        "output": float(record.output), "demand": float(record.demand), "inflow": float(record.inflow),
        "outflow": float(record.outflow), "active_units": int(record.active_units),
        "idle_units": int(record.idle_units), "jobs": int(record.jobs), "suited_mask": suited_mask(record.suited_for),
        "source": record.provenance.source, "as_of": record.provenance.as_of, "agency_id": agency_id,
        # An agency has now vouched for the figures.
        "illustrative": False,
    }


def create_product(record, user) -> Product:
    values = _product_values(record, user, None)
    row = Product(code=record.code, retired=False, **values)
    db.session.add(row)
    db.session.flush()
    audit("create", "product", row.code, after={"code": row.code, **{k: jsonable(v) for k, v in values.items()}},
          user=user)
    return row


def update_product(row: Product, record, user, version) -> Product:
    check_version(row, version)
    values = _product_values(record, user, row)
    before, after = diff(row, values)
    apply(row, values)
    row.updated_at = utcnow()  # every save bumps the version, so an older form is always refused
    db.session.flush()
    audit("update", "product", row.code, before=before, after=after, user=user)
    return row


def set_product_retired(row: Product, retired: bool, user, version) -> None:
    check_version(row, version)
    if row.retired == retired:
        return
    row.retired = retired
    db.session.flush()
    audit("retire" if retired else "unretire", "product", row.code, before={"retired": not retired},
          after={"retired": retired}, user=user)


# ================================================================ links


def check_link(cells: dict, user_product: Product, existing: Link | None = None) -> object:
    """The link record (supplier → ``user_product``), or ``Invalid``: import rules, then the graph."""
    import networkx as nx

    from .services import value_chain_graph

    cells = {**cells, "user": user_product.code}
    if existing is not None:
        cells["supplier"] = existing.supplier.code
    problems: list[FieldProblem] = []
    record = None
    try:
        record = _only_row(chain_io.read_links([{k: cells.get(k, "") for k in ("supplier", "user", "coefficient", "source",
                                                                       "as_of")}], active_codes(), source="form"))
    except ChainDataError as error:
        problems += from_chain_error(error, {"user": "supplier"})
    if record is not None and existing is None:
        supplier = db.session.scalar(select(Product).where(Product.code == record.supplier))
        taken = db.session.scalar(select(Link).where(Link.supplier_id == supplier.id,
                                                     Link.user_id == user_product.id, Link.retired.is_(False)))
        s, u = record.supplier, record.user
        if taken is not None:
            problems.append(both(lambda: gettext("%(supplier)s is already an input of %(user)s.", supplier=s, user=u),
                                 "duplicate_link", "supplier"))
        else:
            graph = value_chain_graph()
            # Adding supplier → user closes a cycle exactly when the graph already leads from user to supplier.
            if s in graph and u in graph and nx.has_path(graph, u, s):
                path = nx.shortest_path(graph, u, s)
                chain = " → ".join(path + [u])
                problems.append(both(lambda: gettext("This link would close a loop in the value chain: %(path)s.",
                                                     path=chain), "cycle", "supplier"))
    if problems:
        raise Invalid(problems)
    return record


def create_link(record, user_product: Product, user) -> Link:
    supplier = db.session.scalar(select(Product).where(Product.code == record.supplier))
    values = {"coefficient": float(record.coefficient), "source": record.provenance.source,
              "as_of": record.provenance.as_of, "agency_id": user.agency_id or user_product.agency_id,
              "illustrative": False, "retired": False}
    row = db.session.scalar(select(Link).where(Link.supplier_id == supplier.id, Link.user_id == user_product.id))
    key = f"{supplier.code}>{user_product.code}"
    if row is not None:  # a retired link comes back (one row per supplier-user pair)
        before, after = diff(row, values)
        apply(row, values)
        db.session.flush()
        audit("unretire", "link", key, before=before, after=after, user=user)
        return row
    row = Link(supplier_id=supplier.id, user_id=user_product.id, **values)
    db.session.add(row)
    db.session.flush()
    audit("create", "link", key, after={"supplier": supplier.code, "user": user_product.code,
                                        **{k: jsonable(v) for k, v in values.items()}}, user=user)
    return row


def update_link(row: Link, record, user, version) -> Link:
    check_version(row, version)
    values = {"coefficient": float(record.coefficient), "source": record.provenance.source,
              "as_of": record.provenance.as_of, "illustrative": False}
    before, after = diff(row, values)
    apply(row, values)
    db.session.flush()
    audit("update", "link", f"{row.supplier.code}>{row.user.code}", before=before, after=after, user=user)
    return row


def retire_link(row: Link, user, version) -> None:
    check_version(row, version)
    if not row.retired:
        row.retired = True
        db.session.flush()
        audit("retire", "link", f"{row.supplier.code}>{row.user.code}", before={"retired": False},
              after={"retired": True}, user=user)


# ================================================================ value chains

CHAIN_FIELDS = ("name_fa", "name_en", "description_fa", "description_en", "priority")


def chain_cells(c: ValueChain) -> dict[str, str]:
    return {"name_fa": c.name_fa, "name_en": c.name_en, "description_fa": c.description_fa or "",
            "description_en": c.description_en or "", "priority": repr(c.priority)}


def check_chain(cells: dict, chain: ValueChain):
    try:
        record = _only_row(chain_io.read_chains([{"slug": chain.slug, **{k: cells.get(k, "") for k in CHAIN_FIELDS}}],
                                        source="form"))
    except ChainDataError as error:
        raise Invalid(from_chain_error(error)) from None
    return record


def update_chain(row: ValueChain, record, user, version) -> None:
    check_version(row, version)
    values = {"name_fa": record.name_fa, "name_en": record.name_en, "description_fa": record.description_fa,
              "description_en": record.description_en, "priority": float(record.priority)}
    before, after = diff(row, values)
    if not after:
        return
    apply(row, values)
    db.session.flush()
    audit("update", "chain", row.slug, before=before, after=after, user=user)


def add_chain_product(chain: ValueChain, product: Product, user) -> bool:
    if product in chain.products:
        return False
    chain.products.append(product)
    db.session.flush()
    audit("update", "chain", chain.slug, before={"products_added": []}, after={"products_added": [product.code]},
          user=user)
    return True


def remove_chain_product(chain: ValueChain, product: Product, user) -> bool:
    if product not in chain.products:
        return False
    chain.products.remove(product)
    db.session.flush()
    audit("update", "chain", chain.slug, before={"products_removed": [product.code]},
          after={"products_removed": []}, user=user)
    return True


def set_chain_retired(chain: ValueChain, retired: bool, user, version) -> None:
    check_version(chain, version)
    if chain.retired != retired:
        chain.retired = retired
        db.session.flush()
        audit("retire" if retired else "unretire", "chain", chain.slug, before={"retired": not retired},
              after={"retired": retired}, user=user)


# ================================================================ opportunities


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
    from .i18n import localise_digits

    out: dict[str, int] = {}
    problems: list[FieldProblem] = []
    for kind, raw in (shares or {}).items():
        raw = cell(raw)
        if kind not in FINANCING_KINDS:
            k = kind
            problems.append(both(lambda: gettext("“%(kind)s” is not a known financing route.", kind=k),
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
        "search_text": fold(" ".join([record.title_fa, record.title_en, record.description_fa,
                                      record.description_en, product.name_fa, product.name_en, product.code])),
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
    from .services.matching import next_ref

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


def publish_opportunity(row: Opportunity, user, version) -> None:
    """Draft → published; once committed, the task queue alerts the saved profiles it matches."""
    from .tasks import after_commit, send_alerts

    check_version(row, version)
    if row.status != "draft":
        raise Invalid([both(lambda: gettext("Only a draft can be published."), "bad_status", "status")])
    row.status, row.published_at = "published", utcnow()
    db.session.flush()
    audit("publish", "opportunity", row.ref, before={"status": "draft"},
          after={"status": "published", "published_at": row.published_at.isoformat()}, user=user)
    after_commit(send_alerts)


def close_opportunity(row: Opportunity, user, version) -> None:
    check_version(row, version)
    if row.status != "published":
        raise Invalid([both(lambda: gettext("Only a published opportunity can be closed."), "bad_status", "status")])
    row.status = "closed"
    db.session.flush()
    audit("close", "opportunity", row.ref, before={"status": "published"}, after={"status": "closed"}, user=user)


# ================================================================ an opportunity from a gap

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
    from .services import fill_quantity, province_gaps

    gap = next((g for g in province_gaps() if g.kind == kind and g.product == code), None)
    product = db.session.scalar(select(Product).where(Product.code == code, Product.retired.is_(False)))
    if gap is None or product is None:
        return None
    qty = fill_quantity(gap)
    yearly = (qty or 0) * (product.unit_price_rials or 0)
    if yearly > 0:
        low, high = _round_billion(0.5 * yearly), _round_billion(yearly)
    else:
        low, high = _round_billion(0.05 * gap.size_rials), _round_billion(0.15 * gap.size_rials)
    title_fa, title_en = _GAP_TITLES[kind]
    return {
        "title_fa": title_fa.format(fa=product.name_fa), "title_en": title_en.format(en=product.name_en),
        "description_fa": gap.reason_fa, "description_en": gap.reason_en, "product": product.code,
        "gap_kind": kind, "investment_min_rials": str(low), "investment_max_rials": str(high),
        "suited_for": list(types_from_mask(product.suited_mask)),
    }


__all__ = ["Conflict", "Invalid", "FieldProblem"]
