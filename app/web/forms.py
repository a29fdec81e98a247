"""Forms shared by the desk, self-service matching and the API's validation of a profile."""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db
from app.i18n import by_name, current_lang
from app.models import County, Sector
from app.services.errors import Invalid
from app.services.match_index import match_index
from app.services.matching import known_codes
from app.services.profiles import check_profile
from app.web.labels import applicant_type_labels
from chains.nomenclature import normalize_digits
from chains.records import APPLICANT_TYPES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def applicant_type_choices():

    labels = applicant_type_labels()
    return [SelectChoice(t, labels[t]) for t in APPLICANT_TYPES]


class ProfileForm(FlaskForm):
    """An investor profile: what the desk clerk types in, and what a visitor fills in to find matches.

    The form only collects the cells: ``app.services.profiles.check_profile`` (the API's validator too)
    decides, and its problems are shown on the fields they name."""

    applicant_type = SelectField(_l("Type of applicant"), validate_choice=False)
    name = StringField(_l("Name"), validators=[
        Optional(), Length(max=200, message=_l("Keep the name under 200 characters."))])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=32)])
    capital = StringField(_l("Capital available"))
    capital_unit = SelectField(_l("Unit"), default="billion", validate_choice=False)
    sectors = MultiCheckboxField(_l("Sectors of interest"), validate_choice=False)
    skills = TextAreaField(_l("Skills and experience"), render_kw={"lang": "", "dir": "auto"})
    products = StringField(_l("Products already made or traded"))
    counties = MultiCheckboxField(_l("Preferred counties"), validate_choice=False)
    strict_counties = BooleanField(_l("Only opportunities in these counties"))
    # "We understood": the products linked from the free text, each a checkbox the clerk can clear.
    understood = MultiCheckboxField(_l("We understood"), validate_choice=False)
    understood_shown = HiddenField()  # "1" once the list was shown: all cleared then means none kept
    check = SubmitField(_l("Check what we understood"))
    lang = SelectField(_l("Language of the match sheet"),
                       choices=[], default="fa")
    alerts = BooleanField(_l("Save my profile and tell me about new matching opportunities"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant_type.choices = [SelectChoice("", gettext("Choose…"))] + applicant_type_choices()
        # Each language named in itself and marked so (a screen reader reads «English» in English on a fa page).
        self.lang.choices = [SelectChoice("fa", "فارسی", render_kw={"lang": "fa"}),
                             SelectChoice("en", "English", render_kw={"lang": "en"})]
        self.capital_unit.choices = [SelectChoice("rials", gettext("rials")),
                                     SelectChoice("million", gettext("million rials")),
                                     SelectChoice("billion", gettext("billion rials"))]
        lang = current_lang()
        self.sectors.choices = [SelectChoice(s.slug, s.name_fa if lang == "fa" else s.name_en)
                                for s in by_name(db.session.scalars(select(Sector)), lang=lang)]
        self.counties.choices = [SelectChoice(c.slug, c.name_fa if lang == "fa" else c.name_en)
                                 for c in by_name(db.session.scalars(select(County)), lang=lang)]
        self.understood.choices = []
        self._profile: dict | None = None

    def validate_phone(self, field):
        if field.data and not re.fullmatch(r"\+?[0-9 \-]{6,20}", normalize_digits(field.data)):
            raise ValidationError(gettext("Enter the phone number with digits only, for example 09141234567."))

    def cells(self) -> dict:
        return {"applicant_type": self.applicant_type.data, "capital": self.capital.data,
                "capital_unit": self.capital_unit.data, "sectors": list(self.sectors.data or ()),
                "counties": list(self.counties.data or ()), "products": self.products.data or "",
                "skills": self.skills.data or "", "strict_counties": bool(self.strict_counties.data)}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        try:
            self._profile = check_profile(self.cells())
        except Invalid as error:
            lang = current_lang()
            for problem in error.problems:
                field = self._fields.get(problem.field) or self.applicant_type
                errors = list(field.errors)
                if problem.message(lang) not in errors:
                    errors.append(problem.message(lang))
                field.errors = errors
            return False
        return ok

    def checking(self) -> bool:
        """The clerk asked to see what the text was understood as, before matching."""
        return bool(self.check.data)

    def show_understood(self, linked: list[tuple[str, str]]) -> None:
        """Offer the linked products (code, label) as checkboxes, all ticked."""
        self.understood.choices = [SelectChoice(code, label) for code, label in linked]
        self.understood.data = [code for code, _ in linked]
        self.understood_shown.data = "1"

    def profile(self) -> dict:
        """The cleaned profile, in the shape services and the API use (after ``validate``).

        Linked products the clerk kept ticked under "we understood" join the product codes; when the
        list was never shown, every product the free text names joins them (as if all were left ticked).
        The product codes are then the confirmed list (``services.matching.match(confirmed=True)``)."""
        if self.understood.data or self.understood_shown.data == "1":
            kept = known_codes(self.understood.data or ())
        else:
            kept = known_codes(x.code for x in match_index().link(self._profile["skills"]))
        products = list(self._profile["products"]) + [c for c in kept if c not in self._profile["products"]]
        return {
            **self._profile,
            "products": products,
            "name": (self.name.data or "").strip(),
            "phone": normalize_digits(self.phone.data or "").strip(),
            "lang": self.lang.data if self.lang is not None and self.lang.data in ("fa", "en") else current_lang(),
            "alerts": bool(self.alerts.data) if self.alerts is not None else False,
        }
