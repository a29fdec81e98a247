"""Sign-in (password, then a second factor for staff), sign-out, registration and password change."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.auth.forms import (
    CodeForm,
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    RegisterForm,
    ResendForm,
)
from app.extensions import db, limiter
from app.i18n import current_lang, localise_digits
from app.models import User, utcnow
from app.security import lockout
from app.security.passwords import hash_password, verify_password
from app.security.second_factor import (
    clear_pending,
    enrol,
    needs_second_factor,
    new_totp_secret,
    pending_login,
    provisioning_uri,
    qr_svg,
    start_pending,
    use_recovery_code,
    verify_totp,
)
from app.security.sessions import end_session, start_session
from app.security.tokens import read_confirmation_token, read_unlock_token
from app.services.accounts import _queue_already_registered, queue_confirmation, queue_unlock
from app.services.audit import audit
from app.web.errors import UserMessage, render_error
from app.web.redirects import safe_next
from app.web.transaction import keep_on_refusal


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


def _finish_login(user: User, remember: bool = False):
    """The last step of every sign-in: the session now belongs to ``user``."""

    clear_pending()
    lockout.lift(user.email)
    start_session(user, remember)
    user.last_login_at = utcnow()
    audit("login", "user", user.email, user=user)


# ---------------------------------------------------------------- sign-in
def _locked(wait: int):
    """429 for a locked account, the same whatever was typed (and whether the account exists)."""
    minutes = localise_digits(max(1, -(-wait // 60)))
    response = make_response(render_error(429, UserMessage(gettext(
        "Too many wrong passwords were tried for this account, so it is locked for about %(minutes)s minutes. "
        "If it is your account, open the link we have emailed you to unlock it now; staff can also sign in "
        "with the right password and their second-factor code.", minutes=minutes))))
    response.headers["Retry-After"] = str(wait)
    return response


def _per_address(view):
    return limiter.limit(_ip_limit, methods=["POST"], exempt_when=_limits_off, scope="address")(view)


@_per_address
def login():
    """Password first. Failures per account are counted by ``app.security.lockout`` (not the attempts), so a
    lock-out set off by someone else never keeps the owner out: see that module."""
    form = LoginForm()
    unconfirmed = False
    wait = lockout.locked_for(request.form.get("email") or "") if request.method == "POST" else 0
    if wait and not form.validate_on_submit():
        return _locked(wait)
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        next_url = safe_next(request.args.get("next"))
        correct = verify_password(user, form.password.data) and user.active  # checked even when locked
        if wait and user is not None and user.active:
            queue_unlock(user, current_lang())  # the owner can lift it at once (one mail per quarter hour)
            keep_on_refusal()
        if wait and not (correct and needs_second_factor(user) and user.totp_confirmed):
            return _locked(wait)
        if correct:
            if not user.email_confirmed:
                unconfirmed = True
                form.email.errors.append(gettext("Confirm your email address first: open the link in the email "
                                                 "we sent you."))
            elif needs_second_factor(user):
                start_pending(user, form.remember.data, next_url)
                if user.totp_confirmed:
                    return redirect(url_for("auth.second_step"))
                return redirect(url_for("auth.setup_second_factor"))
            else:
                _finish_login(user, form.remember.data)
                return redirect(next_url or url_for("public.home"))
        else:
            lockout.record_failure(email)
            # One message whether the account exists or not.
            form.password.errors.append(gettext("The email address or password is not correct."))
    return render_template("auth/login.html", form=form, unconfirmed=unconfirmed), (400 if form.errors else 200)


def unlock(token: str):
    """The e-mailed link that lifts a lock-out of the owner's account."""
    user, problem = read_unlock_token(token)
    if user is None:
        return render_error(400, UserMessage(gettext("This unlock link has expired or is not valid. Try to sign "
                                                     "in again; a new link is sent while the account is locked.")))
    lockout.lift(user.email)
    audit("update", "user", user.email, after={"sign_in_unlocked": True}, user=user)
    flash(gettext("Your account is unlocked. You can sign in now."), "success")
    return redirect(url_for("auth.login"))


def _expired_sign_in():
    flash(gettext("Your sign-in has expired. Please sign in again."), "warning")
    return redirect(url_for("auth.login"))


@_limited(_pending_account)
def second_step():
    user, state = pending_login()
    if user is None:
        return _expired_sign_in()
    if not user.totp_confirmed:
        return redirect(url_for("auth.setup_second_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        used_recovery = False
        ok = verify_totp(user, code)
        if not ok and use_recovery_code(user, code):
            ok = used_recovery = True
        if ok:

            if used_recovery:
                audit("update", "user", user.email, before=None,
                      after={"recovery_code_used": True, "recovery_codes_left": len(user.recovery_codes)})
            _finish_login(user, state.get("remember", False))
            if used_recovery:
                flash(gettext("You used a recovery code; %(n)s are left. Each code works only once.",
                              n=localise_digits(len(user.recovery_codes or []))), "warning")
            return redirect(safe_next(state.get("next")) or url_for("public.home"))
        form.code.errors.append(gettext("This code is not correct. Enter the current six-digit code from your "
                                        "authenticator app, or one of your recovery codes."))
    return render_template("auth/second_step.html", form=form), (400 if form.errors else 200)


@_limited(_pending_account)
def setup_second_factor():
    user, state = pending_login()
    if user is None:
        return _expired_sign_in()
    if user.totp_confirmed:
        return redirect(url_for("auth.second_step"))
    if not user.totp_secret:
        user.totp_secret = new_totp_secret()
    form = CodeForm()
    if form.validate_on_submit():
        if verify_totp(user, form.code.data):

            codes = enrol(user)
            audit("update", "user", user.email, before={"totp_confirmed": False}, after={"totp_confirmed": True})
            _finish_login(user, state.get("remember", False))
            return _no_store(render_template("auth/recovery_codes.html", codes=codes,
                                             next_url=safe_next(state.get("next")) or url_for("public.home")))
        form.code.errors.append(gettext("This code is not correct. Check the time on your phone and enter the "
                                        "current six-digit code."))
    secret = user.totp_secret
    page = render_template("auth/setup_second_factor.html", form=form,
                           qr=qr_svg(provisioning_uri(user), gettext("QR code for your authenticator app")),
                           secret_groups=[secret[i:i + 4] for i in range(0, len(secret), 4)], email=user.email)
    return _no_store((page, 400 if form.errors else 200))


# ---------------------------------------------------------------- password change
@login_required
@_limited(_signed_in_account)
def change_password():

    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user, form.current.data):
            form.current.errors.append(gettext("Your current password is not correct."))
        else:
            user.password_hash = hash_password(form.password.data)
            user.session_version += 1  # every other session of this account ends now
            audit("update", "user", user.email, after={"password": "changed"}, user=user)
            end_session()
            start_session(user)  # this session carries on, on a new row with the new version
            flash(gettext("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("public.home"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)


@_limited(_submitted_account)
def register():

    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        lang = current_lang()
        email = form.email.data.strip().lower()
        # The same work and the same answer whether or not the address has an account (the password is
        # hashed either way: hashing is most of the time), so neither the reply nor its timing tells.
        password_hash = hash_password(form.password.data)
        existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if existing is not None:
            _queue_already_registered(existing, lang)
        else:
            user = User(email=email, name=form.name.data.strip(), role="investor", email_confirmed=False,
                        password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
            audit("create", "user", email, after={"email": email, "role": "investor", "self_registered": True})
            queue_confirmation(user, lang)
        return redirect(url_for("auth.register_sent"))
    return render_template("auth/register.html", form=form), (400 if form.errors else 200)


def register_sent():
    return render_template("auth/register_sent.html")


def confirm_email(token: str):

    user, problem = read_confirmation_token(token)
    if user is None:
        return render_template("auth/confirm_failed.html", problem=problem), 400
    if not user.email_confirmed:
        user.email_confirmed = True
        audit("update", "user", user.email, before={"email_confirmed": False}, after={"email_confirmed": True})
    flash(gettext("Your email address is confirmed. You can sign in now."), "success")
    return redirect(url_for("auth.login"))


@_limited(_submitted_account)
def resend_confirmation():
    form = ResendForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active and not user.email_confirmed:
            queue_confirmation(user, current_lang())
        flash(gettext("If an account with this address is waiting for confirmation, a new link is on its way."),
              "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/resend.html", form=form), (400 if form.errors else 200)


def logout():
    form = LogoutForm()
    if request.method == "POST" and form.validate_on_submit():
        clear_pending()
        end_session()
        flash(gettext("You have signed out."), "info")
        return redirect(url_for("public.home"))
    # GET shows a confirmation with a CSRF-protected button, so a link elsewhere cannot sign people out.
    return render_template("auth/logout.html", form=form)
