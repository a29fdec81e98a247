"""Admin pages: user accounts, roles and agencies."""

from __future__ import annotations

import secrets

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.admin.forms import STAFF_ROLE_ORDER, AgencyForm, UserCreateForm, UserEditForm
from app.extensions import db
from app.models import ROLES, Agency, Sector, User
from app.security import second_factor as security
from app.security.access import role_required
from app.security.passwords import hash_password
from app.security.second_factor import reset_second_factor
from app.services.audit import audit
from app.web.labels import category_labels

USERS_PER_PAGE = 50


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
    return render_template("admin/users.html", users=users, role=role, roles=ROLES, page=min(page, pages),
                           pages=pages, total=total, security=security)


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
        # Shown once, on this response only; the admin passes it on and the user changes it.
        return _no_store(render_template("admin/user_created.html", user=user,
                                         password=password if generated else None))
    return render_template("admin/user_form.html", form=form, user=None), (400 if form.errors else 200)


def _random_password() -> str:
    # Four groups of five from an unambiguous alphabet: about 100 bits, easy to read out.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


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
            flash(gettext("The account has been saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user,
                           reset_form=FlaskForm()), (400 if form.errors else 200)


@role_required("admin")
def admin_user_reset_2fa(user_id: int):
    user = _user_or_404(user_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    before = user_snapshot(user)
    reset_second_factor(user)
    audit("update", "user", user.email, before=before, after={**user_snapshot(user), "second_factor": "reset"},
          user=current_user)
    flash(gettext("The second factor of %(email)s has been reset. They will set it up again at their next sign-in.",
                  email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


# ---------------------------------------------------------------- agencies
@role_required("admin")
def admin_agencies():
    agencies = db.session.scalars(select(Agency).options(selectinload(Agency.sectors)).order_by(Agency.slug)).all()
    return render_template("admin/agencies.html", agencies=agencies, categories=category_labels())


def _apply_agency(form: AgencyForm, agency: Agency) -> None:
    agency.name_fa = form.name_fa.data.strip()
    agency.name_en = form.name_en.data.strip()
    agency.category = form.category.data
    wanted = set(form.sectors.data or ())
    agency.sectors = [s for s in db.session.scalars(select(Sector).order_by(Sector.slug)) if s.slug in wanted]


@role_required("admin")
def admin_agency_new():
    form = AgencyForm()
    if form.validate_on_submit():
        agency = Agency(slug=form.slug.data.strip())
        _apply_agency(form, agency)
        db.session.add(agency)
        db.session.flush()
        audit("create", "agency", agency.slug, after=agency_snapshot(agency), user=current_user)
        flash(gettext("The agency has been saved."), "success")
        return redirect(url_for("admin.agencies"))
    return render_template("admin/agency_form.html", form=form, agency=None), (400 if form.errors else 200)


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
        flash(gettext("The agency has been saved."), "success")
        return redirect(url_for("admin.agencies"))
    return render_template("admin/agency_form.html", form=form, agency=agency), (400 if form.errors else 200)
