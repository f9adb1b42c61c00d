"""The closure request, the manager's decision, and a family member's "Saying goodbye" views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.closure.services import REASON_LABELS
from webapp.forms import choices, strip_whitespace

MAX_TEXT = 10000
MAX_VIEWS = 3000


class ClosureRequestForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary of the work"),
        description=_l("What the family wanted to change, what was done, and how things are now."),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write a summary of the work. Nothing was sent.")), Length(max=MAX_TEXT)],
    )
    reason = RadioField(
        # Translators: label over the reasons a family's plan closes.
        _l("Reason for closing"),
        choices=lambda: choices(REASON_LABELS.items()),
        validators=[DataRequired(message=_l("Please choose a reason for closing. Nothing was sent."))],
    )
    # Translators: button: send the request to close a family to the team manager.
    submit = SubmitField(_l("Ask the manager to close"))


class ClosureDecisionForm(FlaskForm):
    comment = TextAreaField(
        # Translators: label: the team manager's comment on a request to close a family (see GLOSSARY.md).
        _l("Manager's comment"),
        description=_l("Your decision and why: the risks you weighed and what closing means for each child."),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write your comment. A closure can't be approved or declined without one.")), Length(max=MAX_TEXT)],
    )
    # Translators: button: the manager agrees and the family is closed.
    approve = SubmitField(_l("Approve and close"))
    # Translators: button: the manager says no; the family stays open.
    decline = SubmitField(_l("Decline"))


class GoodbyeForm(FlaskForm):
    what_was_good = TextAreaField(_l("What was good about working with us?"), filters=[strip_whitespace], validators=[Optional(), Length(max=MAX_VIEWS)])
    could_be_better = TextAreaField(_l("What could have been better?"), filters=[strip_whitespace], validators=[Optional(), Length(max=MAX_VIEWS)])
    what_will_help = TextAreaField(_l("What will help if things get hard again?"), filters=[strip_whitespace], validators=[Optional(), Length(max=MAX_VIEWS)])
    # Translators: button: send my goodbye answers to my worker.
    submit = SubmitField(_l("Send"))
    # Translators: button: a family member chooses not to give their goodbye views.
    no_answer = SubmitField(_l("I don't want to answer"))
