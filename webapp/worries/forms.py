"""Forms for the worry scale."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from webapp.forms import DayField, MultiCheckboxField, choices, strip_whitespace
from webapp.once import ClientIdField

DEFAULT_0 = _l("I am really worried about this")
DEFAULT_10 = _l("This is working well, no worries")
SCORES = tuple(str(n) for n in range(11))


class ScoreForm(FlaskForm):
    client_id = ClientIdField()
    # Offered only when the member scores the worry about more than one child: one score about each.
    about = RadioField(_l("Who is this score about?"), validate_choice=False)
    score = RadioField(
        # Translators: form label: the worry score the child or parent chooses, 0 to 10.
        _l("Your score"),
        choices=lambda: choices((value, value) for value in SCORES),
        validate_choice=False,
    )
    what_makes_it = TextAreaField(
        _l("What makes it this number? (You can skip this.)"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=2000)],
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

    def validate_about(self, field: RadioField) -> None:
        if self.about.choices and field.data not in {str(choice.value) for choice in self.about.choices}:  # type: ignore[union-attr]
            raise ValidationError(_l("Please choose who this score is about."))

    @property
    def about_value(self) -> int | None:
        return int(self.about.data) if self.about.choices and self.about.data else None

    @property
    def score_value(self) -> int:
        return int(self.score.data or 0)


class OwnWorryForm(FlaskForm):
    client_id = ClientIdField()
    wording = StringField(
        _l("What is the worry?"), filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write your worry.")), Length(max=300)],
    )
    # Offered to parents and carers: a young person's own worry is about themselves.
    children = MultiCheckboxField(_l("Is it about any of the children? (You can skip this.)"), coerce=int)
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
    children = MultiCheckboxField(
        _l("Which children is this worry about?"),
        description=_l("Each person scores the worry about each child you tick."),
        coerce=int,
    )
    members = MultiCheckboxField(_l("Who scores this worry"), coerce=int, validators=[DataRequired(message=_l("Please choose at least one person."))])
    # Translators: button.
    submit = SubmitField(_l("Save worry"))


class RecordedScoreForm(FlaskForm):
    """The worker's own score, or one a professional or network member gave them, about one child."""

    client_id = ClientIdField()
    kind = RadioField(
        _l("Whose score is it?"),
        choices=lambda: choices((
            # Translators: who gave a worry score: the worker filling in the form.
            ("worker", _l("Mine")),
            ("professional", _l("Another professional (a teacher, a health visitor…)")),
            ("network", _l("Someone in the family's network (a grandparent, a neighbour…)")),
        )),
        default="worker",
        validators=[InputRequired(message=_l("Please say whose score it is."))],
    )
    name = StringField(_l("Their name (not needed for your own score)"), filters=[strip_whitespace], validators=[Length(max=120)])
    role = StringField(
        _l("Their role or how they know the family"), description=_l("For example: Class teacher, Grandmother."),
        filters=[strip_whitespace], validators=[Length(max=120)],
    )
    # Translators: form label: the day the person gave the worry score.
    given_on = DayField(_l("Date given"), validators=[InputRequired(message=_l("Please give the date the score was given."))])
    # Translators: form label: which child the worry score is about.
    about = SelectField(_l("About"), coerce=int, validate_choice=True)
    score = RadioField(
        # Translators: form label: a worry score, 0 to 10.
        _l("Score"),
        choices=lambda: choices((value, value) for value in SCORES),
        validate_choice=False,
    )
    what_makes_it = TextAreaField(_l("What makes it this number?"), filters=[strip_whitespace], validators=[Optional(), Length(max=2000)])
    one_point_higher = TextAreaField(_l("What would one point higher look like?"), filters=[strip_whitespace], validators=[Optional(), Length(max=2000)])
    # Translators: button: store a worry score someone gave.
    submit = SubmitField(_l("Save the score"))

    def validate_score(self, field: RadioField) -> None:
        if (field.data or "").strip() not in SCORES:
            raise ValidationError(_l("Please choose a whole number from 0 to 10."))

    def validate_name(self, field: StringField) -> None:
        if self.kind.data in ("professional", "network") and not field.data:
            raise ValidationError(_l("Please give the name of the person who gave the score."))

    def validate_role(self, field: StringField) -> None:
        if self.kind.data in ("professional", "network") and not field.data:
            raise ValidationError(_l("Please give their role or how they know the family."))

    @property
    def score_value(self) -> int:
        return int(self.score.data or 0)
