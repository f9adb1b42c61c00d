"""Forms for the worry scale."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.forms import MultiCheckboxField, choices, strip_whitespace
from webapp.once import ClientIdField

DEFAULT_0 = _l("I am really worried about this")
DEFAULT_10 = _l("This is working well, no worries")
SCORES = tuple(str(n) for n in range(11))


class ScoreForm(FlaskForm):
    client_id = ClientIdField()
    score = RadioField(
        # Translators: form label: the worry score the child or parent chooses, 0 to 10.
        _l("Your score"),
        choices=lambda: choices((value, value) for value in SCORES),
        validate_choice=False,
    )
    one_point_higher = TextAreaField(
        _l("What would make it one point higher? (You can skip this.)"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=2000)],
    )
    # Translators: button a child or parent taps after choosing a worry score.
    submit = SubmitField(_l("Save my score"))

    def validate_score(self, field: RadioField) -> None:
        value = (field.data or "").strip()
        # Exactly the choices offered: not "²" or "٣" (isdigit() says yes), nor 5,000 digits (int() refuses those).
        if value not in SCORES:
            raise ValidationError(_l("Please choose a whole number from 0 to 10."))

    @property
    def score_value(self) -> int:
        return int(self.score.data or 0)


class OwnWorryForm(FlaskForm):
    client_id = ClientIdField()
    wording = StringField(
        _l("What is the worry?"), filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write your worry.")), Length(max=300)],
    )
    # Translators: button a child or parent taps to add a worry of their own.
    submit = SubmitField(_l("Add my worry"))


class StaffWorryForm(FlaskForm):
    wording = StringField(
        _l("The worry, in plain words for the family"),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write the worry.")), Length(max=300)],
    )
    danger_statement = TextAreaField(
        _l("Danger statement (for staff and records)"),
        description=_l("In professional words: who is worried, about what behaviour, and what could happen to the child."),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=2000)],
    )
    # Translators: form label: the worker's words for the worst end (0) of a worry's scale.
    meaning_0 = StringField(_l("What 0 means"), default=DEFAULT_0, filters=[strip_whitespace], validators=[DataRequired(message=_l("Please say what 0 means.")), Length(max=200)])
    # Translators: form label: the worker's words for the best end (10) of a worry's scale.
    meaning_10 = StringField(_l("What 10 means"), default=DEFAULT_10, filters=[strip_whitespace], validators=[DataRequired(message=_l("Please say what 10 means.")), Length(max=200)])
    is_safety = BooleanField(
        _l("This is a safety worry"), description=_l("A score of 0 on a safety worry alerts the lead worker at once.")
    )
    members = MultiCheckboxField(_l("Who scores this worry"), coerce=int, validators=[DataRequired(message=_l("Please choose at least one person."))])
    # Translators: button.
    submit = SubmitField(_l("Save worry"))
