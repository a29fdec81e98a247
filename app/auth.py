"""Sign-in, sign-out, password hashing and the role check every staff route uses."""

from __future__ import annotations

from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from .extensions import db, login_manager
from .models import ROLES, User
from .views import add_lang_code, lang_prefix_guard

bp = Blueprint("auth", __name__, url_prefix="/<lang_code>")
bp.url_value_preprocessor(lang_prefix_guard)
bp.url_defaults(add_lang_code)

_hasher = PasswordHasher()
# A real hash of a random string: verifying against it costs the same time as a real account.
_DUMMY_HASH = _hasher.hash("panjereh-timing-equaliser")

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    try:
        if user is None:
            _hasher.verify(_DUMMY_HASH, password)
            return False
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        uid, version = (int(x) for x in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None  # password changed or account disabled: every older session ends
    return user


def role_required(*roles: str):
    """Allow only signed-in users with one of ``roles``; others go to sign-in (anonymous) or get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                        Email(_l("Enter a valid email address.")),
                                                        Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                         Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this computer"))


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if verify_password(user, form.password.data) and user.active:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or url_for("public.home"))
        # One message whether the account exists or not.
        form.password.errors.append(gettext("The email address or password is not correct."))
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


class LogoutForm(FlaskForm):
    pass


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
        logout_user()
        flash(gettext("You have signed out."), "info")
        return redirect(url_for("public.home"))
    # GET shows a confirmation with a CSRF-protected button, so a link elsewhere cannot sign people out.
    return render_template("auth/logout.html", form=form)
