"""Forms for reviews and the message after a meeting."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.clock import local_today
from webapp.forms import DayField, strip_whitespace
from webapp.once import ClientIdField

MAX_TEXT = 20000


class StartReviewForm(FlaskForm):
    period_start = DayField(_l("From"), validators=[DataRequired(message=_l("Please give the first day of the period."))])
    period_end = DayField(_l("To"), validators=[DataRequired(message=_l("Please give the last day of the period."))])
    # Translators: button.
    submit = SubmitField(_l("Start the review"))

    def validate_period_end(self, field: DayField) -> None:
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError(_l("The last day can't be before the first day."))
        if field.data and field.data > local_today():
            raise ValidationError(_l("The period can't end in the future."))


class AnalysisForm(FlaskForm):
    who_did_you_see = TextAreaField(_l("Who did you see"), validators=[Optional(), Length(max=MAX_TEXT)])
    # Translators: review section heading: why the worker met the family.
    purpose = TextAreaField(_l("Purpose of visit"), validators=[Optional(), Length(max=MAX_TEXT)])
    observed = TextAreaField(_l("What did you observe"), validators=[Optional(), Length(max=MAX_TEXT)])
    # Translators: review section heading: the worker's own professional view.
    worker_analysis = TextAreaField(_l("Worker analysis"), validators=[Optional(), Length(max=MAX_TEXT)])
    actions_next_steps = TextAreaField(_l("Actions and next steps"), validators=[Optional(), Length(max=MAX_TEXT)])
    # Translators: button.
    submit = SubmitField(_l("Save review"))

    def analysis(self) -> dict[str, Any]:
        return {name: (self[name].data or "") for name in ("who_did_you_see", "purpose", "observed", "worker_analysis", "actions_next_steps")}


class MeetingMessageForm(FlaskForm):
    client_id = ClientIdField()
    body = TextAreaField(
        _l("What happened at the meeting"),
        description=_l("Write it for the young person: short sentences, everyday words. Say what was decided and what happens next."),
        validators=[DataRequired(message=_l("Please write the message.")), Length(max=5000)],
    )
    submit = SubmitField(_l("Send to the young person"))


class SubmitReviewForm(FlaskForm):
    """The worker sends the review to the team manager, with a comment for them."""

    comment = TextAreaField(
        # Translators: label of the worker's note to the manager when sending a review for sign-off.
        _l("Your comment for the manager"),
        description=_l("What should the manager know or look at before they sign it off?"),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write a comment for the manager.")), Length(max=MAX_TEXT)],
    )
    # Translators: button: send a review to the team manager to sign off.
    submit = SubmitField(_l("Send for sign-off"))


class SignOffForm(FlaskForm):
    """The manager's decision on a submitted review: sign it off (final) or return it, with a comment either way."""

    comment = TextAreaField(
        # Translators: label of the manager's management oversight comment on a review (see GLOSSARY.md).
        _l("Your management oversight comment"),
        description=_l("It is kept in the review's record and every export. The worker reads it."),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write your comment. A review can't be signed off or returned without one.")), Length(max=MAX_TEXT)],
    )
    # Translators: button: the manager agrees the review and makes it final.
    sign_off = SubmitField(_l("Sign off and make final"))
    # Translators: button: the manager sends the review back to the worker to change.
    send_back = SubmitField(_l("Return to the worker"))


class ReviewShareForm(FlaskForm):
    """The review in plain language for the family, in the young people's and the parents' versions."""

    happened_young_person = TextAreaField(
        _l("What happened at my review: for the young people"), filters=[strip_whitespace], validators=[Optional(), Length(max=5000)]
    )
    happened_parent = TextAreaField(
        _l("What happened at my review: for the parents and carers"), filters=[strip_whitespace], validators=[Optional(), Length(max=5000)]
    )
    plan_changes_young_person = TextAreaField(
        _l("What changed in the plan: for the young people"), filters=[strip_whitespace], validators=[Optional(), Length(max=5000)]
    )
    plan_changes_parent = TextAreaField(
        _l("What changed in the plan: for the parents and carers"), filters=[strip_whitespace], validators=[Optional(), Length(max=5000)]
    )
    # Translators: button: keep the family's version of the review without sharing it yet.
    save = SubmitField(_l("Save"))
    # Translators: button: send the plain-language review to the family.
    share = SubmitField(_l("Share with the family"))

    def words(self) -> dict[str, str]:
        return {name: (self[name].data or "") for name in (
            "happened_young_person", "happened_parent", "plan_changes_young_person", "plan_changes_parent")}


class ReviewCommentForm(FlaskForm):
    """A family member's comment on their shared review."""

    client_id = ClientIdField()
    body = TextAreaField(
        # Translators: label of the box where a young person or parent writes what they think of their review.
        _l("What do you think about your review?"),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write your comment.")), Length(max=2000)],
    )
    # Translators: button: send a comment on the review to the worker.
    submit = SubmitField(_l("Send my comment"))
