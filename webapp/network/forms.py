"""The one form a network member (or a parent) sends: "I have read it and I agree"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SubmitField
from wtforms.validators import AnyOf, InputRequired
from wtforms.widgets import HiddenInput


class AgreeForm(FlaskForm):
    # The version the page showed: agreeing is to what was read, not to whatever is newest by then.
    version_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    # Where to go back to: the home page or the family safety plan page.
    back = HiddenField(validators=[AnyOf(["home", "plan"])], default="home")
    # Translators: button: a network member or parent says they read the family safety plan and agree to it.
    submit = SubmitField(_l("I have read it and I agree"))
