"""Forms for staff accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from webapp.forms import choices
from wtforms.validators import DataRequired, Email, Length


class StaffAccountForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(message=_l("Please type a name.")), Length(max=120)])
    email = EmailField(
        _l("Work email"),
        validators=[
            DataRequired(message=_l("Please type an email address.")),
            Email(message=_l("That doesn't look like an email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Role"), choices=lambda: choices([("worker", _l("Worker")), ("manager", _l("Team manager"))]))
    submit = SubmitField(_l("Create account"))


class ConfirmForm(FlaskForm):
    """A one-button action: only the CSRF token and the button."""

    submit = SubmitField(_l("Confirm"))
