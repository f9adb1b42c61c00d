"""The audit log's filters: a GET form, so a filtered view can be bookmarked and shared."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional, ValidationError

from webapp.forms import DayField


class ListField(SelectField):
    """A select whose empty first option means "all"; anything not in the list is an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["validate_choice"] = False
        super().__init__(*args, **kwargs)

    def pre_validate(self, form: Any) -> None:
        allowed = {str(choice.value) for choice in self.choices or []}  # type: ignore[union-attr]
        if self.data not in (None, "") and self.data not in allowed:
            raise ValidationError(_l("Please choose from the list."))

    @property
    def chosen_id(self) -> int | None:
        return int(self.data) if self.data and str(self.data).isdigit() else None


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
