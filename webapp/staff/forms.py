"""Forms for staff accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from webapp.forms import choices, strip_whitespace


class StaffAccountForm(FlaskForm):
    display_name = StringField(
        _l("Name"), filters=[strip_whitespace], validators=[DataRequired(message=_l("Please type a name.")), Length(max=120)]
    )
    email = EmailField(
        # Translators: form label: a staff member's work email address.
        _l("Work email"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message=_l("Please type an email address.")),
            Email(message=_l("That doesn't look like an email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    role = SelectField(
        # Translators: form label or column: worker or team manager.
        _l("Role"),
        choices=lambda: choices([
            # Translators: a staff role: the early help worker (see GLOSSARY.md).
            ("worker", _l("Worker")),
            ("manager", _l("Team manager")),
        ]),
    )
    # Translators: button that creates a staff account.
    submit = SubmitField(_l("Create account"))
