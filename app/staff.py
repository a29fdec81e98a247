"""Staff areas under /<lang_code>/admin, /hq, /desk, /portal (login required, by role).

The admin pages here manage accounts (create, edit role/agency/active, reset the second factor)
and agencies. Every change writes an audit event; password hashes and TOTP secrets never do.
"""

from __future__ import annotations

import re
import secrets

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from . import security
from .auth import PASSWORD_MIN, hash_password, role_required
from .extensions import db
from .forms import MultiCheckboxField
from .i18n import current_lang
from .models import ROLES, Agency, Sector, User
from .services import audit
from .views import add_lang_code, lang_prefix_guard, role_labels

bp = Blueprint("staff", __name__, url_prefix="/<lang_code>")
bp.url_value_preprocessor(lang_prefix_guard)
bp.url_defaults(add_lang_code)

STAFF_ROLE_ORDER = ("desk_staff", "agency_editor", "hq", "admin")
AGENCY_CATEGORIES = ("driver", "support", "service", "infrastructure")
SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
USERS_PER_PAGE = 50


def category_labels() -> dict[str, str]:
    return {
        "driver": gettext("Driver"),
        "support": gettext("Support"),
        "service": gettext("Service provider"),
        "infrastructure": gettext("Infrastructure"),
    }


def _name(row, lang: str) -> str:
    return row.name_fa if lang == "fa" else row.name_en


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
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200, message=_l("Keep the name under 200 characters."))])
    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])
    agency = SelectField(_l("Agency"))

    def __init__(self, *args, roles=STAFF_ROLE_ORDER, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        labels = role_labels()
        self.role.choices = [SelectChoice("", gettext("Choose…"))] + [SelectChoice(r, labels[r]) for r in roles]
        self.agency.choices = [SelectChoice("", gettext("No agency"))] + [
            SelectChoice(a.slug, _name(a, lang)) for a in db.session.scalars(select(Agency).order_by(Agency.slug))]
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
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(_l("Enter the name in Persian.")),
                                                           Length(max=300, message=_l("Keep the name under 300 characters."))])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(_l("Enter the name in English.")),
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
        self.sectors.choices = [SelectChoice(s.slug, _name(s, lang))
                                for s in db.session.scalars(select(Sector).order_by(Sector.slug))]
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


# ---------------------------------------------------------------- snapshots for the audit log
def user_snapshot(user: User) -> dict:
    """What an audit row may hold about an account: never the password hash or the TOTP secret."""
    return {"email": user.email, "name": user.name, "role": user.role,
            "agency": user.agency.slug if user.agency else None, "active": user.active,
            "totp_confirmed": user.totp_confirmed}


def agency_snapshot(agency: Agency) -> dict:
    return {"slug": agency.slug, "name_fa": agency.name_fa, "name_en": agency.name_en,
            "category": agency.category, "sectors": [s.slug for s in agency.sectors]}


def _agency_by_slug(slug: str | None) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.slug == slug)) if slug else None


def _no_store(body, status=200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- accounts
@bp.route("/admin/users")
@role_required("admin")
def admin_users():
    role = request.args.get("role", "")
    page = max(1, request.args.get("page", 1, type=int) or 1)
    stmt = select(User).options(selectinload(User.agency))
    count = select(func.count(User.id))
    if role in ROLES:
        stmt, count = stmt.where(User.role == role), count.where(User.role == role)
    else:
        role = ""
    total = db.session.scalar(count)
    pages = max(1, -(-total // USERS_PER_PAGE))
    users = db.session.scalars(stmt.order_by(User.email).limit(USERS_PER_PAGE)
                               .offset((min(page, pages) - 1) * USERS_PER_PAGE)).all()
    return render_template("staff/users.html", users=users, role=role, roles=ROLES, page=min(page, pages),
                           pages=pages, total=total, security=security)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required("admin")
def admin_user_new():
    form = UserCreateForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        generated = not form.password.data
        password = form.password.data or _random_password()
        user = User(email=email, name=(form.name.data or "").strip(), role=form.role.data,
                    agency=_agency_by_slug(form.agency.data), password_hash=hash_password(password),
                    email_confirmed=True, totp_confirmed=False)
        db.session.add(user)
        db.session.flush()
        audit("create", "user", email, after=user_snapshot(user), user=current_user)
        db.session.commit()
        # Shown once, on this response only; the admin passes it on and the user changes it.
        return _no_store(render_template("staff/user_created.html", user=user,
                                         password=password if generated else None))
    return render_template("staff/user_form.html", form=form, user=None), (400 if form.errors else 200)


def _random_password() -> str:
    # Four groups of five from an unambiguous alphabet: about 100 bits, easy to read out.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def admin_user_edit(user_id: int):
    user = _user_or_404(user_id)
    roles = STAFF_ROLE_ORDER + (("investor",) if user.role == "investor" else ())
    form = UserEditForm(obj=None if request.method == "POST" else user, roles=roles)
    if request.method == "GET":
        form.agency.data = user.agency.slug if user.agency else ""
    if form.validate_on_submit():
        myself = user.id == current_user.id
        if myself and (form.role.data != "admin" or not form.active.data):
            form.role.errors.append(gettext("You cannot take away your own administrator access or disable "
                                            "your own account."))
        else:
            before = user_snapshot(user)
            user.name = (form.name.data or "").strip()
            user.role = form.role.data
            user.agency = _agency_by_slug(form.agency.data)
            if user.active and not form.active.data:
                user.session_version += 1  # disabling ends every session of the account at once
            user.active = form.active.data
            after = user_snapshot(user)
            if after != before:
                audit("update", "user", user.email, before=before, after=after, user=current_user)
            db.session.commit()
            flash(gettext("The account has been saved."), "success")
            return redirect(url_for("staff.admin_users"))
    return render_template("staff/user_form.html", form=form, user=user,
                           reset_form=FlaskForm()), (400 if form.errors else 200)


@bp.route("/admin/users/<int:user_id>/reset-2fa", methods=["POST"])
@role_required("admin")
def admin_user_reset_2fa(user_id: int):
    user = _user_or_404(user_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    before = user_snapshot(user)
    security.reset_second_factor(user)
    audit("update", "user", user.email, before=before, after={**user_snapshot(user), "second_factor": "reset"},
          user=current_user)
    db.session.commit()
    flash(gettext("The second factor of %(email)s has been reset. They will set it up again at their next sign-in.",
                  email=user.email), "success")
    return redirect(url_for("staff.admin_user_edit", user_id=user.id))


# ---------------------------------------------------------------- agencies
@bp.route("/admin/agencies")
@role_required("admin")
def admin_agencies():
    agencies = db.session.scalars(select(Agency).options(selectinload(Agency.sectors)).order_by(Agency.slug)).all()
    return render_template("staff/agencies.html", agencies=agencies, categories=category_labels())


def _apply_agency(form: AgencyForm, agency: Agency) -> None:
    agency.name_fa = form.name_fa.data.strip()
    agency.name_en = form.name_en.data.strip()
    agency.category = form.category.data
    wanted = set(form.sectors.data or ())
    agency.sectors = [s for s in db.session.scalars(select(Sector).order_by(Sector.slug)) if s.slug in wanted]


@bp.route("/admin/agencies/new", methods=["GET", "POST"])
@role_required("admin")
def admin_agency_new():
    form = AgencyForm()
    if form.validate_on_submit():
        agency = Agency(slug=form.slug.data.strip())
        _apply_agency(form, agency)
        db.session.add(agency)
        db.session.flush()
        audit("create", "agency", agency.slug, after=agency_snapshot(agency), user=current_user)
        db.session.commit()
        flash(gettext("The agency has been saved."), "success")
        return redirect(url_for("staff.admin_agencies"))
    return render_template("staff/agency_form.html", form=form, agency=None), (400 if form.errors else 200)


@bp.route("/admin/agencies/<slug>", methods=["GET", "POST"])
@role_required("admin")
def admin_agency_edit(slug: str):
    agency = _agency_by_slug(slug)
    if agency is None:
        abort(404)
    form = AgencyForm(obj=None if request.method == "POST" else agency, agency=agency)
    # The identifier is stable (URLs, imports and the API use it): it is shown, not edited.
    form.slug.data = agency.slug
    if request.method == "GET":
        form.sectors.data = [s.slug for s in agency.sectors]
    if form.validate_on_submit():
        before = agency_snapshot(agency)
        _apply_agency(form, agency)
        after = agency_snapshot(agency)
        if after != before:
            audit("update", "agency", agency.slug, before=before, after=after, user=current_user)
        db.session.commit()
        flash(gettext("The agency has been saved."), "success")
        return redirect(url_for("staff.admin_agencies"))
    return render_template("staff/agency_form.html", form=form, agency=agency), (400 if form.errors else 200)


__all__ = ["bp", "category_labels", "user_snapshot", "agency_snapshot"]
