"""Admin forms: accounts and agencies."""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.extensions import db
from app.i18n import by_name, current_lang, localised
from app.models import Agency, Sector, User
from app.security.passwords import PASSWORD_MIN
from app.web.forms import MultiCheckboxField
from app.web.labels import category_labels, role_labels

STAFF_ROLE_ORDER = ("desk_staff", "agency_editor", "hq", "admin", "chamber")


AGENCY_CATEGORIES = ("driver", "support", "service", "infrastructure")


SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def _only_from_choices(field, message):
    """Replace WTForms' English "Not a valid choice" with our own message in the page's language."""

    def check(form):
        allowed = {c.value for c in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(v not in allowed for v in values or () if v is not None):  # None: not sent, left to the validators
            raise ValidationError(message)

    return check


# ---------------------------------------------------------------- forms
class UserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        Optional(), Length(max=200, message=_l("Keep the name under 200 characters."))])
    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])
    agency = SelectField(_l("Agency"))

    def __init__(self, *args, roles=STAFF_ROLE_ORDER, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        labels = role_labels()
        self.role.choices = [SelectChoice("", gettext("Choose…"))] + [SelectChoice(r, labels[r]) for r in roles]
        self.agency.choices = [SelectChoice("", gettext("No agency"))] + [
            SelectChoice(a.slug, localised(a, "name", lang))
            for a in by_name(db.session.scalars(select(Agency)), lang=lang)]
        self.role.pre_validate = _only_from_choices(self.role, gettext("Choose a role from the list."))
        self.agency.pre_validate = _only_from_choices(self.agency, gettext("Choose an agency from the list."))

    def validate_agency(self, field):
        if self.role.data == "agency_editor" and not field.data:
            raise ValidationError(gettext("An agency editor needs an agency."))


class UserCreateForm(UserForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                        Email(_l("Enter a valid email address.")),
                                                        Length(max=254, message=_l("This email address is too long."))])
    password = PasswordField(_l("Initial password (optional)"), validators=[
        Optional(), Length(min=PASSWORD_MIN, max=200, message=_l("Use between 10 and 200 characters."))])

    def validate_email(self, field):
        email = (field.data or "").strip().lower()
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            raise ValidationError(gettext("There is already an account with this email address."))


class UserEditForm(UserForm):
    active = BooleanField(_l("Account is active"))


class AgencyForm(FlaskForm):
    slug = StringField(_l("Identifier (slug)"), validators=[DataRequired(_l("Enter an identifier."))])
    name_fa = StringField(_l("Name in Persian"), validators=[
        DataRequired(_l("Enter the name in Persian.")),
        Length(max=300, message=_l("Keep the name under 300 characters."))])
    name_en = StringField(_l("Name in English"), validators=[
        DataRequired(_l("Enter the name in English.")),
        Length(max=300, message=_l("Keep the name under 300 characters."))])
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose a category."))])
    sectors = MultiCheckboxField(_l("Sectors"), validators=[Optional()])

    def __init__(self, *args, agency: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_row = agency
        lang = current_lang()
        labels = category_labels()
        self.category.choices = [SelectChoice("", gettext("Choose…"))] + [
            SelectChoice(c, labels[c]) for c in AGENCY_CATEGORIES]
        self.sectors.choices = [SelectChoice(s.slug, localised(s, "name", lang))
                                for s in by_name(db.session.scalars(select(Sector)), lang=lang)]
        self.category.pre_validate = _only_from_choices(self.category, gettext("Choose a category from the list."))
        self.sectors.pre_validate = _only_from_choices(self.sectors, gettext("Choose sectors from the list."))

    def validate_slug(self, field):
        slug = (field.data or "").strip()
        if not SLUG_RE.fullmatch(slug):
            raise ValidationError(gettext("Use 2 to 64 lower-case English letters, digits and underscores, "
                                          "starting with a letter (for example agriculture_jihad)."))
        clash = db.session.scalar(select(Agency).where(Agency.slug == slug))
        if clash is not None and clash is not self.agency_row:
            raise ValidationError(gettext("Another agency already uses this identifier."))


class OfficeForm(FlaskForm):
    """The office's details shown in every page's header and footer and on the about page."""

    version = HiddenField()
    office_name_fa = StringField(_l("Office name in Persian"))
    office_name_en = StringField(_l("Office name in English"))
    address_fa = StringField(_l("Address in Persian"))
    address_en = StringField(_l("Address in English"))
    phone = StringField(_l("Phone"), render_kw={"dir": "ltr", "inputmode": "tel", "autocomplete": "off"})
    hours_fa = StringField(_l("Opening hours in Persian"))
    hours_en = StringField(_l("Opening hours in English"))
    privacy_fa = TextAreaField(_l("Privacy statement in Persian"), render_kw={"rows": 5})
    privacy_en = TextAreaField(_l("Privacy statement in English"), render_kw={"rows": 5})
    accessibility_fa = TextAreaField(_l("Accessibility statement in Persian"), render_kw={"rows": 5})
    accessibility_en = TextAreaField(_l("Accessibility statement in English"), render_kw={"rows": 5})
