"""Sign-in (password, then a second factor for staff), sign-out, registration, password change,
password hashing and the role check every staff route uses."""

from __future__ import annotations

import time
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, session,
                   url_for)
from flask_babel import force_locale, gettext, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from . import security
from .extensions import db, limiter, login_manager
from .i18n import current_lang, localise_digits
from .models import ROLES, OutboxMessage, User, utcnow
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
    if security.needs_second_factor(user) and not user.totp_confirmed:
        return None  # a staff account without a second factor (e.g. just promoted) signs in again
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



# ---------------------------------------------------------------- rate limits (Flask-Limiter)
def _limits_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED")


def _account_limit() -> str:
    return current_app.config["PANJEREH_LOGIN_LIMIT_ACCOUNT"]


def _ip_limit() -> str:
    return current_app.config["PANJEREH_LOGIN_LIMIT_IP"]


def _submitted_account() -> str:
    """The e-mail address in the form, normalised, so "A@x.org " and "a@x.org" share one count."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _pending_account() -> str:
    state = session.get("pending_login") or {}
    return f"second-step:{state.get('uid', '-') if isinstance(state, dict) else '-'}"


def _signed_in_account() -> str:
    return f"user:{current_user.get_id() if current_user.is_authenticated else '-'}"


def _limited(key_func):
    """Per-account limit (by ``key_func``) and per-address limit on the POSTs of a view."""
    per_account = limiter.limit(_account_limit, key_func=key_func, methods=["POST"], exempt_when=_limits_off,
                                scope="account")
    per_address = limiter.limit(_ip_limit, methods=["POST"], exempt_when=_limits_off, scope="address")

    def decorator(view):
        return per_address(per_account(view))

    return decorator


def _no_store(response):
    """Pages that show a secret (QR code, recovery codes, a password) are never cached."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- forms
PASSWORD_MIN = 10


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                        Email(_l("Enter a valid email address.")),
                                                        Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                         Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this computer"))


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code.")), Length(max=40)])


def _new_password_fields():
    new = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a password.")),
        Length(min=PASSWORD_MIN, max=200, message=_l("Use between 10 and 200 characters."))])
    again = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the password again.")),
        EqualTo("password", message=_l("The two passwords are not the same."))])
    return new, again


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password.")),
                                                                Length(max=200)])
    password, password_again = _new_password_fields()


class RegisterForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                        Email(_l("Enter a valid email address.")),
                                                        Length(max=254, message=_l("This email address is too long."))])
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")),
                                                    Length(max=200, message=_l("Keep the name under 200 characters."))])
    password, password_again = _new_password_fields()


class ResendForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                        Email(_l("Enter a valid email address.")),
                                                        Length(max=254)])


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _finish_login(user: User, remember: bool = False):
    """The last step of every sign-in: the session now belongs to ``user``."""
    from .services import audit

    security.clear_pending()
    login_user(user, remember=remember)
    user.last_login_at = utcnow()
    audit("login", "user", user.email, user=user)
    db.session.commit()


# ---------------------------------------------------------------- sign-in
@bp.route("/login", methods=["GET", "POST"])
@_limited(_submitted_account)
def login():
    form = LoginForm()
    unconfirmed = False
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        next_url = _safe_next(request.args.get("next"))
        if verify_password(user, form.password.data) and user.active:
            if not user.email_confirmed:
                unconfirmed = True
                form.email.errors.append(gettext("Confirm your email address first: open the link in the email "
                                                 "we sent you."))
            elif security.needs_second_factor(user):
                security.start_pending(user, form.remember.data, next_url)
                if user.totp_confirmed:
                    return redirect(url_for("auth.second_step"))
                return redirect(url_for("auth.setup_second_factor"))
            else:
                _finish_login(user, form.remember.data)
                return redirect(next_url or url_for("public.home"))
        else:
            # One message whether the account exists or not.
            form.password.errors.append(gettext("The email address or password is not correct."))
    return render_template("auth/login.html", form=form, unconfirmed=unconfirmed), (400 if form.errors else 200)


def _expired_sign_in():
    flash(gettext("Your sign-in has expired. Please sign in again."), "warning")
    return redirect(url_for("auth.login"))


@bp.route("/login/2fa", methods=["GET", "POST"])
@_limited(_pending_account)
def second_step():
    user, state = security.pending_login()
    if user is None:
        return _expired_sign_in()
    if not user.totp_confirmed:
        return redirect(url_for("auth.setup_second_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        used_recovery = False
        ok = security.verify_totp(user, code)
        if not ok and security.use_recovery_code(user, code):
            ok = used_recovery = True
        if ok:
            from .services import audit

            if used_recovery:
                audit("update", "user", user.email, before=None, after={"recovery_code_used": True,
                                                                        "recovery_codes_left": len(user.recovery_codes)})
            _finish_login(user, state.get("remember", False))
            if used_recovery:
                flash(gettext("You used a recovery code; %(n)s are left. Each code works only once.",
                              n=localise_digits(len(user.recovery_codes or []))), "warning")
            return redirect(state.get("next") or url_for("public.home"))
        form.code.errors.append(gettext("This code is not correct. Enter the current six-digit code from your "
                                        "authenticator app, or one of your recovery codes."))
    return render_template("auth/second_step.html", form=form), (400 if form.errors else 200)


@bp.route("/account/2fa/setup", methods=["GET", "POST"])
@_limited(_pending_account)
def setup_second_factor():
    user, state = security.pending_login()
    if user is None:
        return _expired_sign_in()
    if user.totp_confirmed:
        return redirect(url_for("auth.second_step"))
    if not user.totp_secret:
        user.totp_secret = security.new_totp_secret()
        db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        if security.verify_totp(user, form.code.data):
            from .services import audit

            codes = security.enrol(user)
            audit("update", "user", user.email, before={"totp_confirmed": False}, after={"totp_confirmed": True})
            _finish_login(user, state.get("remember", False))
            return _no_store(render_template("auth/recovery_codes.html", codes=codes,
                                             next_url=state.get("next") or url_for("public.home")))
        form.code.errors.append(gettext("This code is not correct. Check the time on your phone and enter the "
                                        "current six-digit code."))
    secret = user.totp_secret
    page = render_template("auth/setup_second_factor.html", form=form,
                           qr=security.qr_svg(security.provisioning_uri(user), gettext("QR code for your authenticator app")),
                           secret_groups=[secret[i:i + 4] for i in range(0, len(secret), 4)], email=user.email)
    return _no_store((page, 400 if form.errors else 200))


# ---------------------------------------------------------------- password change
@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@_limited(_signed_in_account)
def change_password():
    from .services import audit

    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user, form.current.data):
            form.current.errors.append(gettext("Your current password is not correct."))
        else:
            user.password_hash = hash_password(form.password.data)
            user.session_version += 1  # every other session of this account ends now
            audit("update", "user", user.email, after={"password": "changed"}, user=user)
            db.session.commit()
            login_user(user)  # this session carries on with the new version
            flash(gettext("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("public.home"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)


# ---------------------------------------------------------------- investor registration
def _link(endpoint: str, lang: str, **values) -> str:
    base = current_app.config.get("PANJEREH_BASE_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, lang_code=lang, **values)
    return url_for(endpoint, lang_code=lang, _external=True, **values)


def _queue_mail(kind: str, user: User, lang: str, subject: str, body: str) -> None:
    # One message of a kind per account per minute: double clicks and reloads send nothing twice.
    key = f"{kind}:{user.id}:{int(time.time()) // 60}"
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return
    db.session.add(OutboxMessage(kind=kind, to=user.email, lang=lang, subject=subject, body=body, dedupe_key=key))
    from .tasks import deliver_mail_after_commit

    deliver_mail_after_commit()


def queue_confirmation(user: User, lang: str) -> None:
    link = _link("auth.confirm_email", lang, token=security.confirmation_token(user))
    with force_locale(lang):
        subject = gettext("Confirm your email address for Panjereh")
        body = gettext("Hello %(name)s,\n\nTo finish registering with Panjereh, the investment single window of "
                       "East Azerbaijan, open this link within three days:\n\n%(link)s\n\nIf you did not register, "
                       "you can ignore this message.", name=user.name or user.email, link=link)
    _queue_mail("confirm_email", user, lang, subject, body)


def _queue_already_registered(user: User, lang: str) -> None:
    link = _link("auth.login", lang)
    with force_locale(lang):
        subject = gettext("You already have a Panjereh account")
        body = gettext("Hello,\n\nSomeone tried to register again with this email address. You already have an "
                       "account; sign in here:\n\n%(link)s\n\nIf this was not you, you can ignore this message.",
                       link=link)
    _queue_mail("account_exists", user, lang, subject, body)


@bp.route("/register", methods=["GET", "POST"])
@_limited(_submitted_account)
def register():
    from .services import audit

    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        lang = current_lang()
        email = form.email.data.strip().lower()
        existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if existing is not None:
            # The same answer as for a new address, so registration never tells who has an account.
            _queue_already_registered(existing, lang)
        else:
            user = User(email=email, name=form.name.data.strip(), role="investor", email_confirmed=False,
                        password_hash=hash_password(form.password.data))
            db.session.add(user)
            db.session.flush()
            audit("create", "user", email, after={"email": email, "role": "investor", "self_registered": True})
            queue_confirmation(user, lang)
        db.session.commit()
        return redirect(url_for("auth.register_sent"))
    return render_template("auth/register.html", form=form), (400 if form.errors else 200)


@bp.route("/register/sent")
def register_sent():
    return render_template("auth/register_sent.html")


@bp.route("/register/confirm/<token>")
def confirm_email(token: str):
    from .services import audit

    user, problem = security.read_confirmation_token(token)
    if user is None:
        return render_template("auth/confirm_failed.html", problem=problem), 400
    if not user.email_confirmed:
        user.email_confirmed = True
        audit("update", "user", user.email, before={"email_confirmed": False}, after={"email_confirmed": True})
        db.session.commit()
    flash(gettext("Your email address is confirmed. You can sign in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/register/resend", methods=["GET", "POST"])
@_limited(_submitted_account)
def resend_confirmation():
    form = ResendForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active and not user.email_confirmed:
            queue_confirmation(user, current_lang())
            db.session.commit()
        flash(gettext("If an account with this address is waiting for confirmation, a new link is on its way."),
              "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/resend.html", form=form), (400 if form.errors else 200)


# ---------------------------------------------------------------- sign-out
class LogoutForm(FlaskForm):
    pass


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
        security.clear_pending()
        logout_user()
        flash(gettext("You have signed out."), "info")
        return redirect(url_for("public.home"))
    # GET shows a confirmation with a CSRF-protected button, so a link elsewhere cannot sign people out.
    return render_template("auth/logout.html", form=form)
