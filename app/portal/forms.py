"""Agency portal forms (WTForms). They only collect cells; catalogue checks and writes them."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from app.extensions import db
from app.i18n import by_name, current_lang
from app.models import Agency, County, Link, Opportunity, Product, ValueChain
from app.security import authz
from app.services.catalogue.common import cell, editable_sectors
from app.services.catalogue.limits import max_length
from app.services.catalogue.opportunities import OPPORTUNITY_FIELDS
from app.services.catalogue.products import PRODUCT_FIELDS
from app.web.forms import MultiCheckboxField
from app.web.labels import (
    applicant_type_labels,
    gap_kind_labels,
    stage_labels,
    unit_labels,
)
from chains.records import APPLICANT_TYPES, FINANCING_KINDS

#: A field that holds text in whichever language it was typed (a source, other names): no language
#: is claimed for it and the browser picks its direction from its first strong letter.
AS_TYPED = {"lang": "", "dir": "auto"}


def _label(row) -> str:

    return row.name_fa if current_lang() == "fa" else row.name_en


class VersionedForm(FlaskForm):
    version = HiddenField()


class ActionForm(VersionedForm):
    """A button that posts (retire, publish, close…): CSRF and the version it acts on."""


def fits(model, field: str, **render_kw) -> dict:
    """The input's ``maxlength`` from the column. The rule itself is ``services.catalogue.limits``', checked
    for form, API and import alike; the browser only stops typing at the same bound."""
    return {**render_kw, "maxlength": max_length(model, field)}


class ProductForm(VersionedForm):
    code = StringField(_l("HS or ISIC code"), render_kw=fits(Product, "code"))
    nomenclature = SelectField(_l("Code list"), validate_choice=False, default="hs")
    name_fa = StringField(_l("Name in Persian"), render_kw=fits(Product, "name_fa"))
    name_en = StringField(_l("Name in English"), render_kw=fits(Product, "name_en"))
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
    source = StringField(_l("Source of the figures"), render_kw={**fits(Product, "source"), **AS_TYPED})
    as_of = StringField(_l("Figures as of"), render_kw={"data-kind": "date", "autocomplete": "off"})
    aliases = TextAreaField(_l("Other names and keywords, one a line, in Persian or English"),
                            description=_l("What applicants may call it: «قالی» for hand-knotted carpets, trade "
                                           "names, common misspellings. At most 30 names of 100 characters."),
                            render_kw=fits(Product, "aliases", **AS_TYPED))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.nomenclature.choices = [SelectChoice("hs", gettext("Harmonized System (HS), for goods")),
                                     SelectChoice("isic", gettext("ISIC rev.4, for services and activities"))]
        self.sector.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(s.slug, _label(s)) for s in by_name(editable_sectors(user))]
        self.stage.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(k, v) for k, v in stage_labels().items()]
        units = unit_labels()
        self.unit.choices = [SelectChoice(k, v) for k, v in units.items()]
        if self.unit.data and self.unit.data not in units:
            self.unit.choices.append(SelectChoice(self.unit.data, self.unit.data))
        labels = applicant_type_labels()
        self.suited_for.choices = [SelectChoice(t, labels[t]) for t in APPLICANT_TYPES]

    def cells(self) -> dict[str, str]:
        cells = {name: cell(self[name].data) for name in ("code", *PRODUCT_FIELDS)}
        cells["aliases"] = "|".join(line.strip() for line in cells["aliases"].splitlines() if line.strip())
        return cells


class LinkForm(VersionedForm):
    supplier = StringField(_l("Supplier product (HS code)"), render_kw=fits(Product, "code", list="supplier-options"))
    coefficient = StringField(_l("Input coefficient (units of supplier per unit of this product)"))
    source = StringField(_l("Source of the figures"), render_kw={**fits(Link, "source"), **AS_TYPED})
    as_of = StringField(_l("Figures as of"), render_kw={"data-kind": "date", "autocomplete": "off"})


class ChainForm(VersionedForm):
    name_fa = StringField(_l("Name in Persian"), render_kw=fits(ValueChain, "name_fa"))
    name_en = StringField(_l("Name in English"), render_kw=fits(ValueChain, "name_en"))
    description_fa = TextAreaField(_l("Description in Persian"), render_kw=fits(ValueChain, "description_fa"))
    description_en = TextAreaField(_l("Description in English"), render_kw=fits(ValueChain, "description_en"))
    priority = StringField(_l("Priority (0 to 1)"))


class ChainProductForm(VersionedForm):
    code = StringField(_l("Product code"), render_kw=fits(Product, "code", list="chain-product-options"))


class OpportunityForm(VersionedForm):
    title_fa = StringField(_l("Title in Persian"), render_kw=fits(Opportunity, "title_fa"))
    title_en = StringField(_l("Title in English"), render_kw=fits(Opportunity, "title_en"))
    product = StringField(_l("Product (HS code)"), render_kw=fits(Product, "code", list="product-options"))
    county = SelectField(_l("County"), validate_choice=False)
    agency = SelectField(_l("Responsible agency"), validate_choice=False)
    investment_min_rials = StringField(_l("Minimum investment (rials)"))
    investment_max_rials = StringField(_l("Maximum investment (rials)"))
    jobs = StringField(_l("Jobs created"))
    description_fa = TextAreaField(_l("Description in Persian"), render_kw=fits(Opportunity, "description_fa"))
    description_en = TextAreaField(_l("Description in English"), render_kw=fits(Opportunity, "description_en"))
    incentives_fa = TextAreaField(_l("Incentives in Persian"), render_kw=fits(Opportunity, "incentives_fa"))
    incentives_en = TextAreaField(_l("Incentives in English"), render_kw=fits(Opportunity, "incentives_en"))
    suited_for = MultiCheckboxField(_l("Suited to"), validate_choice=False)
    gap_kind = SelectField(_l("Missing link it fills"), validate_choice=False, default="")
    # Carries the errors about the routes as a whole (their sum); never rendered as an input.
    financing = HiddenField(_l("Financing routes"))
    share_bank = StringField(_l("Bank facility (share of the investment, in percent)"))
    share_capital_market = StringField(_l("Capital market (share of the investment, in percent)"))
    share_leasing = StringField(_l("Leasing (share of the investment, in percent)"))
    share_provincial_fund = StringField(_l("Provincial funds (share of the investment, in percent)"))
    share_crowdfunding = StringField(_l("Crowdfunding (share of the investment, in percent)"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.county.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(c.slug, _label(c)) for c in by_name(db.session.scalars(select(County)))]
        agencies = by_name(db.session.scalars(select(Agency)))
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
