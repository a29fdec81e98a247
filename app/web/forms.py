"""Forms shared by the desk, self-service matching and the API's validation of a profile."""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db
from app.i18n import current_lang
from app.models import County, Product, Sector
from app.web.labels import applicant_type_labels
from chains.nomenclature import normalize_digits
from chains.records import APPLICANT_TYPES

CAPITAL_UNITS = {"rials": 1, "million": 10**6, "billion": 10**9}
MAX_CAPITAL = 10**17  # ten quadrillion rials: far beyond any provincial investment


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_amount(text: str) -> float | None:
    cleaned = re.sub(r"[,\u066c\u060c\s_]", "", normalize_digits(text or "")).replace("\u066b", ".")
    if not re.fullmatch(r"\d{1,18}(\.\d{1,6})?", cleaned):
        return None
    return float(cleaned)


def parse_codes(text: str) -> list[str]:
    """HS codes typed as «0406، 7408» or picked from the list as "0406 — Cheese"."""
    items = re.split(r"[,،;\n|]+", normalize_digits(text or ""))
    codes = []
    for item in items:
        m = re.match(r"\s*([0-9A-Za-z]{2,10})", item)
        if m:
            codes.append(m.group(1))
    return list(dict.fromkeys(codes))


def applicant_type_choices():

    labels = applicant_type_labels()
    return [SelectChoice(t, labels[t]) for t in APPLICANT_TYPES]


class ProfileForm(FlaskForm):
    """An investor profile: what the desk clerk types in, and what a visitor fills in to find matches."""

    applicant_type = SelectField(_l("Type of applicant"),
                                 validators=[DataRequired(_l("Choose the type of applicant."))])
    name = StringField(_l("Name"), validators=[
        Optional(), Length(max=200, message=_l("Keep the name under 200 characters."))])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=32)])
    capital = StringField(_l("Capital available"), validators=[DataRequired(_l("Enter the capital available."))])
    capital_unit = SelectField(_l("Unit"), default="billion")
    sectors = MultiCheckboxField(_l("Sectors of interest"))
    skills = TextAreaField(_l("Skills and experience"), validators=[
        Optional(), Length(max=2000, message=_l("Keep this under 2,000 characters."))])
    products = StringField(_l("Products already made or traded (HS codes)"), validators=[Optional(), Length(max=500)])
    counties = MultiCheckboxField(_l("Preferred counties"))
    lang = SelectField(_l("Language of the match sheet"),
                       choices=[SelectChoice("fa", "فارسی"), SelectChoice("en", "English")], default="fa")
    alerts = BooleanField(_l("Save my profile and tell me about new matching opportunities"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant_type.choices = [SelectChoice("", gettext("Choose…"))] + applicant_type_choices()
        self.capital_unit.choices = [SelectChoice("rials", gettext("rials")),
                                     SelectChoice("million", gettext("million rials")),
                                     SelectChoice("billion", gettext("billion rials"))]

        lang = current_lang()
        self.sectors.choices = [SelectChoice(s.slug, s.name_fa if lang == "fa" else s.name_en)
                                for s in db.session.scalars(select(Sector).order_by(Sector.slug))]
        self.counties.choices = [SelectChoice(c.slug, c.name_fa if lang == "fa" else c.name_en)
                                 for c in db.session.scalars(select(County).order_by(County.slug))]
        self.sectors.pre_validate = self._check_choices(self.sectors, gettext("Choose sectors from the list."))
        self.counties.pre_validate = self._check_choices(self.counties, gettext("Choose counties from the list."))

    @staticmethod
    def _check_choices(field, message):
        def check(form):
            allowed = {choice.value for choice in field.choices}
            if any(v not in allowed for v in field.data or ()):
                raise ValidationError(message)

        return check

    def validate_applicant_type(self, field):
        if field.data not in APPLICANT_TYPES:
            raise ValidationError(gettext("Choose the type of applicant."))

    def validate_capital_unit(self, field):
        if field.data not in CAPITAL_UNITS:
            raise ValidationError(gettext("Choose a unit from the list."))

    def validate_capital(self, field):
        amount = parse_amount(field.data)
        if amount is None:
            raise ValidationError(gettext("Enter the capital as a number, for example 12.5."))
        rials = int(round(amount * CAPITAL_UNITS.get(self.capital_unit.data, 1)))
        if rials <= 0:
            raise ValidationError(gettext("The capital must be more than zero."))
        if rials > MAX_CAPITAL:
            raise ValidationError(gettext("The capital is too large; check the unit."))

    def validate_phone(self, field):
        if field.data and not re.fullmatch(r"\+?[0-9 \-]{6,20}", normalize_digits(field.data)):
            raise ValidationError(gettext("Enter the phone number with digits only, for example 09141234567."))

    def validate_products(self, field):
        codes = parse_codes(field.data)
        if not codes:
            if field.data and field.data.strip():
                raise ValidationError(gettext("Enter HS codes such as 0406 or 7408, separated by commas."))
            return
        known = set(db.session.scalars(select(Product.code).where(Product.code.in_(codes))))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError(gettext("These codes are not in the province's product list: %(codes)s",
                                          codes=", ".join(unknown)))

    def profile(self) -> dict:
        """The cleaned profile, in the shape services and the API use."""

        return {
            "applicant_type": self.applicant_type.data,
            "name": (self.name.data or "").strip(),
            "phone": normalize_digits(self.phone.data or "").strip(),
            "capital_rials": int(round(parse_amount(self.capital.data) * CAPITAL_UNITS[self.capital_unit.data])),
            "sectors": list(self.sectors.data or ()),
            "skills": (self.skills.data or "").strip(),
            "products": parse_codes(self.products.data),
            "counties": list(self.counties.data or ()),
            "lang": self.lang.data if self.lang is not None and self.lang.data in ("fa", "en") else current_lang(),
            "alerts": bool(self.alerts.data) if self.alerts is not None else False,
        }
