"""The audit log's filters: a GET form, so a filtered view can be bookmarked and shared."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Optional, ValidationError

from webapp.forms import DayField, ListField


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # it only reads

    # Translators: column heading/filter: which family a row is about.
    family = ListField(_l("Family"))
    # Translators: filter label in the audit log.
    staff = ListField(_l("Staff member"))
    # Translators: form label in a date filter: the first day of the period ("from this date").
    start = DayField(_l("From"), validators=[Optional()])
    # Translators: form label in a date filter: the last day of the period ("up to this date").
    end = DayField(_l("To"), validators=[Optional()])

    def validate_end(self, field: DayField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))
