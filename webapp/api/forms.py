"""The manager's form for a new API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from webapp.forms import strip_whitespace


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("What is it for?"),
        description=_l("For example “Case management system, nightly import”."),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please say what the token is for.")), Length(max=120)],
    )
    # Translators: button: make a new API token.
    submit = SubmitField(_l("Make a token"))
