"""Forms for a family's chronology: recording a contact, writing up a home visit, filtering, the manager's decision."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SubmitField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from webapp.contacts.models import ContactKind
from webapp.contacts.records import REQUIRED_HEADINGS, VISIT_HEADINGS, VisitNotes
from webapp.contacts.services import LINE_KINDS, VISIT_HEADING_LABELS
from webapp.forms import DayField, ListField, choices, strip_whitespace
from webapp.once import ClientIdField

MAX_TEXT = 10000


def _text(label: Any) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=MAX_TEXT)], filters=[strip_whitespace])


def _needed() -> str:
    # Translators: an error under an empty box that must be filled in.
    return str(_l("Please fill this in."))


class _VisitHeadings(FlaskForm):
    """The Appendix A headings of a home visit."""

    who_seen = _text(VISIT_HEADING_LABELS["who_seen"])
    purpose = _text(VISIT_HEADING_LABELS["purpose"])
    observed = _text(VISIT_HEADING_LABELS["observed"])
    child_feels_safe = _text(VISIT_HEADING_LABELS["child_feels_safe"])
    child_words = _text(VISIT_HEADING_LABELS["child_words"])
    non_verbal = _text(VISIT_HEADING_LABELS["non_verbal"])
    parents_view = _text(VISIT_HEADING_LABELS["parents_view"])
    analysis = _text(VISIT_HEADING_LABELS["analysis"])
    actions = _text(VISIT_HEADING_LABELS["actions"])

    def notes(self) -> VisitNotes:
        return VisitNotes(**{key: self[key].data or "" for key in VISIT_HEADINGS})

    def heading_fields(self) -> list[Field]:
        return [self[key] for key in VISIT_HEADINGS]

    def require_headings(self) -> bool:
        """Mark each needed heading left empty; True when none is."""
        empty = [key for key in REQUIRED_HEADINGS if not (self[key].data or "").strip()]
        for key in empty:
            self[key].errors = [*self[key].errors, _needed()]
        return not empty


class ContactForm(_VisitHeadings):
    client_id = ClientIdField()
    # Translators: form label: what kind of contact with the family the worker is recording.
    kind = RadioField(
        _l("What kind of contact?"),
        choices=choices((kind.value, LINE_KINDS[kind.value]) for kind in ContactKind),
        # Translators: an error when no kind of contact was chosen.
        validators=[InputRequired(message=_l("Please choose one."))],
    )
    # Translators: form label: the day a contact with a family happened.
    day = DayField(_l("Date"), validators=[InputRequired(message=_l("Please give a date like 2026-11-22."))])
    # Translators: form label: the time of day a contact with a family happened.
    at = TimeField(_l("Time"), validators=[InputRequired(message=_l("Please give a time like 14:30."))])
    summary = _text(
        _l(
            "What happened (for a visit not written up, a call, a text, a letter or a meeting), or why there was no contact"
        )
    )
    next_step = _text(_l("If there was no contact: what will be done next"))
    write_up_later = BooleanField(_l("Home visit: I visited and will write it up later (within 3 working days)"))
    # Translators: button that saves a contact in the family's chronology.
    submit = SubmitField(_l("Save the contact"))

    def validate_at(self, field: TimeField) -> None:
        if field.raw_data and field.raw_data[0] and field.data is None:
            raise ValidationError(_l("Please give a time like 14:30."))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        kind = self.kind.data
        if kind == ContactKind.HOME_VISIT.value:
            if not self.write_up_later.data:
                valid = self.require_headings() and valid
        elif kind == ContactKind.ATTEMPT.value:
            for needed in (self.summary, self.next_step):
                if not needed.data:
                    needed.errors = [*needed.errors, _needed()]
                    valid = False
        elif kind and not self.summary.data:
            self.summary.errors = [*self.summary.errors, _needed()]
            valid = False
        return valid


class WriteUpForm(_VisitHeadings):
    # Translators: button that keeps what is written so far of a home visit, to finish later.
    save = SubmitField(_l("Save for now"))
    # Translators: button that finishes the write-up of a home visit.
    finish = SubmitField(_l("Save as written up"))


class ChronologyFilterForm(FlaskForm):
    class Meta:
        csrf = False  # it only reads

    # Translators: filter label in a family's chronology: the kind of contact or event.
    kind = ListField(_l("Kind"))
    # Translators: filter label in a family's chronology: the person who did it.
    who = ListField(_l("Who"))
    # Translators: form label in a date filter: the first day of the period ("from this date").
    start = DayField(_l("From"), validators=[Optional()])
    # Translators: form label in a date filter: the last day of the period ("up to this date").
    end = DayField(_l("To"), validators=[Optional()])

    def validate_end(self, field: DayField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


class DecisionForm(FlaskForm):
    client_id = ClientIdField()
    # Translators: form label: the team manager's decision about a family that may have disengaged.
    decision = TextAreaField(
        _l("Your decision, and why"),
        validators=[DataRequired(message=_l("Please fill this in.")), Length(max=MAX_TEXT)],
        filters=[strip_whitespace],
    )
    # Translators: form label: the day the manager made the decision.
    decided_on = DayField(
        _l("Date of the decision"), validators=[InputRequired(message=_l("Please give a date like 2026-11-22."))]
    )
    # Translators: button that records the manager's decision.
    submit = SubmitField(_l("Record the decision"))
