"""The form a manager fills in before erasing a member's data."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from webapp.forms import strip_whitespace

MAX_REASON_LENGTH = 1000


class EraseForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you deleting this person's data?"),
        description=_l(
            "For example: the person asked for their data to be erased, with your request reference. "
            "This goes in the audit log. Do not write names or what the family said."
        ),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message=_l("Please say why you are deleting this data. Nothing was deleted.")),
            Length(
                max=MAX_REASON_LENGTH,
                message=lazy_ngettext(
                    "Please keep the reason under %(num)d character.",
                    "Please keep the reason under %(num)d characters.",
                    MAX_REASON_LENGTH,
                ),
            ),
        ],
    )
    # Translators: button that erases a person's data for good.
    submit = SubmitField(_l("Delete everything now"))
