"""Sign-in, registration and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

# ---------------------------------------------------------------- forms
from app.security.passwords import PASSWORD_MIN


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


# ---------------------------------------------------------------- sign-out
class LogoutForm(FlaskForm):
    pass
