"""The guided entry form, built from the questions of each kind of entry."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from webapp.entries import kinds
from webapp.entries.services import MAX_ANSWER_LENGTH
from webapp.forms import ChoiceField, MultiCheckboxField, add_error, choices, strip_whitespace
from webapp.once import ClientIdField, new_client_id
from webapp.photos.processing import PHOTO_TYPES
from webapp.safeguarding import services as safeguarding
from webapp.safeguarding.services import NO_FURTHER_ACTION, REFERRED

CLIENT_ID = Regexp(r"^[A-Za-z0-9_-]{8,64}$", message=_l("Something went wrong with this form. Please reload the page."))


def feeling_choices() -> list[Any]:
    # The word is always there: an emoji alone means different things to different people.
    return choices((key, Markup('<span aria-hidden="true">{}</span> {}').format(emoji, escape(str(word)))) for key, emoji, word in kinds.FEELINGS)


class EntryFormBase(FlaskForm):
    feeling = ChoiceField(_l("How do you feel? (You can skip this.)"), choices=feeling_choices)
    photo = FileField(
        _l("Add a photo (you can skip this)"), description=_l("A photo of something you did. Photos are not kept on this phone."),
        render_kw={"accept": PHOTO_TYPES},
    )
    caption = StringField(_l("Say what is in the photo"), filters=[strip_whitespace], validators=[Optional(), Length(max=300)])
    client_id = HiddenField(default=new_client_id, validators=[Optional(), CLIENT_ID])
    submit = SubmitField(_l("Send to my worker"))

    kind: kinds.EntryKind

    def answers(self) -> dict[str, str]:
        """The answers given, as typed; questions left empty are left out."""
        given = {}
        for question in self.kind.questions:
            value = self[question.key].data
            if isinstance(value, str) and value.strip():
                given[question.key] = value.strip() if question.kind == "choice" else value.rstrip()
        return given

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.kind.urgent:
            return True  # pressing "I want to talk to my worker" is the message, even with nothing typed
        if not self.answers() and not self.feeling.data and not (self.photo.data and self.photo.data.filename):
            self.form_errors.append(str(_l("Please answer at least one question before you send.")))
            return False
        return True


def entry_form(kind: kinds.EntryKind, *, can_share: bool, **kwargs: Any) -> EntryFormBase:
    """A form for this kind of entry; `can_share` adds the "share with my family" tick box."""
    fields: dict[str, Any] = {"kind": kind}
    for question in kind.questions:
        if question.kind == "choice":
            fields[question.key] = ChoiceField(question.label, choices=lambda q=question: choices(q.choices))
        else:
            fields[question.key] = TextAreaField(
                question.label,
                validators=[
                    Optional(),
                    Length(
                        max=MAX_ANSWER_LENGTH,
                        message=lazy_ngettext(
                            "Please write at most %(num)d character.", "Please write at most %(num)d characters.", MAX_ANSWER_LENGTH
                        ),
                    ),
                ],
            )
    if can_share:
        fields["share_with_family"] = BooleanField(_l("Share this with my family"))
    form_class = type(f"{kind.key.title()}EntryForm", (EntryFormBase,), fields)
    return form_class(**kwargs)  # type: ignore[no-any-return]


class ReplyForm(FlaskForm):
    client_id = ClientIdField()
    body = TextAreaField(
        # Translators: form label: a worker's reply to an entry.
        _l("Your reply"),
        description=_l("Write in plain words. Short sentences help."),
        validators=[Length(min=1, max=MAX_ANSWER_LENGTH, message=_l("Please write a reply first."))],
    )
    # Translators: button: a worker sends a reply to a family member's entry.
    submit = SubmitField(_l("Send reply"))

    def validate_body(self, field: TextAreaField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Please write a reply first."))


class EntryEnglishForm(FlaskForm):
    """An interpreter's English of what a family member wrote, kept beside their own words."""

    text = TextAreaField(
        _l("The interpreter's English"),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write the translation.")), Length(max=5000)],
    )
    # Translators: form label: the name of the interpreter who translated a family member's words into English.
    interpreter_name = StringField(_l("Interpreter's name"), filters=[strip_whitespace], validators=[Optional(), Length(max=120)])
    # Translators: button: save the interpreter's English of what a family member wrote.
    submit = SubmitField(_l("Save the English"))


class DecisionForm(FlaskForm):
    actions = MultiCheckboxField(
        # Translators: label of the list of things done about an urgent entry (called, visited, referred...).
        _l("What was done"),
        choices=lambda: choices(safeguarding.ACTIONS),
        validators=[DataRequired(message=_l("Choose what was done."))],
    )
    referral_reference = StringField(
        _l("Front door / MASH reference"), filters=[strip_whitespace], validators=[Optional(), Length(max=60)]
    )
    no_further_action_reason = TextAreaField(
        _l("Why no further action"), filters=[strip_whitespace], validators=[Optional(), Length(max=2000)]
    )
    notes = TextAreaField(_l("Notes (you can skip this)"), filters=[strip_whitespace], validators=[Optional(), Length(max=5000)])
    # Translators: button on an urgent entry: the worker records what they did about it.
    submit = SubmitField(_l("Record the decision"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        chosen = self.actions.data or []
        if REFERRED in chosen and not self.referral_reference.data:
            add_error(self.referral_reference, str(_l("Write the reference the front door / MASH gave.")))
            ok = False
        if NO_FURTHER_ACTION in chosen and not self.no_further_action_reason.data:
            add_error(self.no_further_action_reason, str(_l("Say why no further action is needed.")))
            ok = False
        return ok

    def decision(self) -> safeguarding.Decision:
        return safeguarding.Decision(
            actions=list(self.actions.data or []),
            referral_reference=self.referral_reference.data or "",
            no_further_action_reason=self.no_further_action_reason.data or "",
            notes=self.notes.data or "",
        )
