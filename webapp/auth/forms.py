"""Forms for signing in, activation and account settings."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from webapp.auth.passwords import MAX_LENGTH, password_problem
from webapp.config import LANGUAGES
from webapp.forms import choices, strip_whitespace

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,29}")


class SignInForm(FlaskForm):
    # Translators: sign-in form label: family members use a username, staff an email.
    login = StringField(_l("Username or email"), filters=[strip_whitespace], validators=[DataRequired(message=_l("Please type your username or email.")), Length(max=254)])
    # Translators: form label.
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Please type your password.")), Length(max=MAX_LENGTH)])
    # Translators: button and page title (log in).
    submit = SubmitField(_l("Sign in"))


class LanguageForm(FlaskForm):
    # Translators: form label: the interface language.
    language = SelectField(_l("Language"), choices=lambda: choices(LANGUAGES.items()))
    # Translators: button that switches the interface language.
    submit = SubmitField(_l("Change language"))


class NewPasswordMixin:
    """A new password typed twice, checked against the password rules."""

    password = PasswordField(
        # Translators: form label.
        _l("New password"),
        description=_l("At least 8 characters. A few words you will remember work well."),
        validators=[DataRequired(message=_l("Please choose a password."))],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )

    def username_for_check(self) -> str | None:
        return None

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", username=self.username_for_check())
        if problem:
            raise ValidationError(problem)


class ActivationCodeForm(FlaskForm):
    # Translators: form label: the activation code a family member got from their worker.
    code = StringField(_l("Your code"), validators=[DataRequired(message=_l("Please type the code your worker gave you.")), Length(max=20)])
    # Translators: button that goes on to the next step of signing in.
    submit = SubmitField(_l("Next"))


class ConsentForm(FlaskForm):
    # Translators: the button for agreeing to the privacy notice.
    agree = SubmitField(_l("I agree"))
    # Translators: the button for not agreeing to the privacy notice.
    refuse = SubmitField(_l("I don't agree"))


class ChooseAccountForm(NewPasswordMixin, FlaskForm):
    username = StringField(
        # Translators: form label when a family member sets up their account.
        _l("Choose a username"),
        description=_l("3 to 30 letters or numbers. You can use . _ and -. Don't use your full name."),
        filters=[strip_whitespace],
    )
    submit = SubmitField(_l("Save and sign in"))

    def username_for_check(self) -> str | None:
        return (self.username.data or "").lower() or None

    def validate_username(self, field: StringField) -> None:
        value = (field.data or "").lower()
        if not USERNAME_PATTERN.fullmatch(value):
            raise ValidationError(_l("Use 3 to 30 letters or numbers (a to z, 0 to 9). You can use . _ and - too."))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Save and sign in"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    # Translators: form label: the current password, before choosing a new one.
    current = PasswordField(_l("Your password now"), validators=[DataRequired(message=_l("Please type your password now."))])
    # Translators: button that saves a new password.
    submit = SubmitField(_l("Change password"))
