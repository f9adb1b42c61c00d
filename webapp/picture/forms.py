"""The picture-led questions: one answer a screen, tapped, never typed."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SubmitField
from wtforms.validators import AnyOf, DataRequired, ValidationError

from webapp.entries import kinds
from webapp.forms import ChoiceField, MultiCheckboxField, choices
from webapp.once import ClientIdField


class PeopleField(MultiCheckboxField):
    """People to tap: only those offered (the view sets them); none is fine."""

    def pre_validate(self, form: Any) -> None:
        allowed = {str(choice.value) for choice in self.choices}  # type: ignore[union-attr]
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_l("Please choose one of the answers shown."))


def _question(kind: str, key: str) -> kinds.Question:
    return next(q for q in kinds.BY_KEY[kind].questions if q.key == key)


def _choices_of(kind: str, key: str) -> Any:
    return lambda: choices((value, str(label)) for value, label in _question(kind, key).choices)


class PictureForm(FlaskForm):
    client_id = ClientIdField()
    # Translators: button: send what a young child chose to their worker.
    submit = SubmitField(_l("Send"))

    def has_answer(self) -> bool:
        return True

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.has_answer():
            self.form_errors.append(str(_l("Please tap a picture first.")))
            return False
        return True


class FeelForm(PictureForm):
    """How I feel: a feeling face, then whether the help is working (a "How is my plan going?" entry)."""

    # Translators: the question a young child answers by tapping a feeling face.
    feeling = ChoiceField(_l("How do you feel?"), choices=lambda: choices((key, str(word)) for key, _emoji, word in kinds.FEELINGS))
    help_working = ChoiceField(_question("plan_going", "help_working").label, choices=_choices_of("plan_going", "help_working"))

    def has_answer(self) -> bool:
        return bool(self.feeling.data or self.help_working.data)


class MeetingForm(PictureForm):
    """Get ready for my meeting: go or not, and who to have there."""

    attend = ChoiceField(_question("meeting", "attend").label, choices=_choices_of("meeting", "attend"))
    who = PeopleField(_question("meeting", "who_there").label, choices=[])

    def has_answer(self) -> bool:
        return bool(self.attend.data or self.who.data)


class TalkForm(PictureForm):
    """I want to talk to my worker: pressing send is the message; are you safe now is there to tap."""

    safe_now = ChoiceField(_question("talk", "safe_now").label, choices=_choices_of("talk", "safe_now"))


class WorryScoreForm(PictureForm):
    """A worry on the faces scale, then who can help."""

    score = RadioField(
        _l("How much does it worry you?"),
        choices=lambda: choices((str(n), str(n)) for n in range(11)),
        validators=[DataRequired(message=_l("Please tap a face first."))],
    )
    # Translators: a question: a young child taps the people who can help with a worry.
    who = PeopleField(_l("Who can help?"), choices=[])

    @property
    def score_value(self) -> int:
        return int(self.score.data or 0)


class WayForm(FlaskForm):
    """The member's own switch between the picture-led way and the usual way."""

    way = HiddenField(validators=[AnyOf(("picture", "usual"))])
    submit = SubmitField()


class LookForm(FlaskForm):
    """How pages look for this member, remembered for them."""

    # Translators: a setting: show all text larger.
    bigger_text = BooleanField(_l("Bigger text"))
    # Translators: a setting: softer, quieter colours on every page.
    calmer_colours = BooleanField(_l("Calmer colours"))
    # Translators: button that saves the look settings.
    submit = SubmitField(_l("Save"))
