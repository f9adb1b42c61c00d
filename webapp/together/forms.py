"""The form that ends doing it together: only the worker's password does."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired


class LeaveForm(FlaskForm):
    # Translators: form label: the worker types their own password to finish doing it together with a child.
    password = PasswordField(_l("Worker's password"), validators=[InputRequired(message=_l("Please type the worker's password."))])
    # Translators: button: the worker finishes doing it together with a child and gets their own pages back.
    submit = SubmitField(_l("Finish"))
