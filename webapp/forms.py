"""Widgets and helpers shared by the feature forms, and the one place where every request's input is cleaned."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import wtforms.widgets
import wtforms.widgets.core
from flask import Request, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from wtforms import DateField, Field, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms 3.2 lacks it
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def html_params(**kwargs: Any) -> Markup:
    """WTForms' html_params, giving the same attributes in the same order, but joined as plain text and
    marked safe once rather than through a Markup object per step (a fifth of the sign-in page's time)."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = key.rstrip("_")  # class_ is class; data_ and aria_ names are written with hyphens
        if key.startswith(("data_", "aria_")):
            key = key.replace("_", "-")
        if value is True:
            params.append(key)
        elif value is not False:
            # escape() leaves markup as it is, so a quote inside it is escaped here, as WTForms does.
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


wtforms.widgets.core.html_params = html_params
wtforms.widgets.html_params = html_params
wtforms.widgets.core.Input.html_params = staticmethod(html_params)  # type: ignore[method-assign]
wtforms.widgets.core.SubmitInput.html_params = staticmethod(html_params)  # type: ignore[method-assign]


def add_error(field: Field, message: str) -> None:
    """Show a message under a field, as its own validators do (its errors are a tuple until it is validated)."""
    field.errors = [*field.errors, message]


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


MAX_PAGE = 100_000


def page_number() -> int:
    """The ?page= of a paged list: a whole number from 1 (anything else is page 1), never past MAX_PAGE."""
    return min(MAX_PAGE, max(1, request.args.get("page", 1, type=int) or 1))


def with_blank_rows(rows: list[dict[str, Any]], blanks: int, maximum: int) -> list[dict[str, Any]]:
    """Saved rows and a few empty ones to fill in, never more rows than the list field allows."""
    return rows + [{}] * min(blanks, max(0, maximum - len(rows)))


class DayField(DateField):
    """A day from a date picker, with our own words when what came is not a date or is out of any plausible range."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Please give a date like 2026-11-22.")) from error
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValueError(_("Please give a date between %(first)s and %(last)s.", first=FIRST_DAY.year, last=LAST_DAY.year))


def strip_whitespace(value: Any) -> Any:
    """A field filter: typed text without the spaces and line breaks around it."""
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes; a choice that is not on the page gets our own plain message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    @staticmethod
    def _not_offered() -> str:
        # Translators: a ticked box named something the page no longer offers (it changed, or the form was tampered with).
        return _("One of the ticked choices is not on this page any more. Please look at the page again and choose.")

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self._not_offered()) from None

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self._not_offered()) from None


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


class ChoiceField(RadioField):
    """Tap-to-choose (answers, feelings, pictures): skipping is fine, anything not offered is an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [Optional()])
        kwargs["validate_choice"] = False
        super().__init__(*args, **kwargs)

    def pre_validate(self, form: Any) -> None:
        allowed = {choice.value for choice in self.choices}  # type: ignore[union-attr]
        if self.data not in (None, "") and self.data not in allowed:
            raise ValidationError(_l("Please choose one of the answers shown."))


class ConfirmForm(FlaskForm):
    """A one-button action: only the CSRF token and the button."""

    # Translators: button that confirms a change (e.g. closing a family).
    submit = SubmitField(_l("Confirm"))


class CodeForm(FlaskForm):
    """The code from a staff member's authenticator app, at sign-in and when setting it up."""

    # Translators: the 6-digit code from the authenticator app on a staff member's phone.
    code = StringField(_l("6-digit code from your authenticator app"), validators=[DataRequired(message=_l("Please type the code."))])
    # Translators: button that goes on to the next step.
    submit = SubmitField(_l("Continue"))


# Characters nobody means to type, which PostgreSQL (NUL) or the XML inside a DOCX refuse:
# C0 controls but tab, newline and carriage return; DEL; the non-characters U+FFFE and U+FFFF;
# and lone surrogates, which only a JSON "\ud800" escape can carry.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str) -> str:
    """The text without control characters (tab, newline and carriage return stay)."""
    return _CONTROL_CHARACTERS.sub("", value) if _CONTROL_CHARACTERS.search(value) else value


def clean_json(value: Any) -> Any:
    """A parsed JSON body with every string in it (keys too) cleaned of control characters."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_json(key): clean_json(item) for key, item in value.items()}
    return value


class CleanParameters(ImmutableMultiDict[str, Any]):
    """Query and form values with control characters removed (uploaded files pass unchanged)."""

    def __init__(self, mapping: Any = None) -> None:
        pairs = MultiDict(mapping).items(multi=True)
        super().__init__([(clean_text(key), clean_text(value) if isinstance(value, str) else value) for key, value in pairs])


class CleanRequest(Request):
    """Every form field, query value and JSON body reaches the views without control characters.

    One place for all input: a NUL would make PostgreSQL refuse the row, and any of them would
    make the review's DOCX unreadable.
    """

    parameter_storage_class = CleanParameters

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        return clean_json(super().get_json(force=force, silent=silent, cache=cache))
