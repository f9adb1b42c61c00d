"""The form a worker or interpreter fills in to translate one block into one language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.forms import strip_whitespace

MAX_TEXT = 5000


class TranslationForm(FlaskForm):
    block = HiddenField()
    language = HiddenField()
    # The hash of the English the translator was shown: if it changed since, nothing is saved.
    source_hash = HiddenField()
    text = TextAreaField(
        # Translators: form label: the worker's words in a family member's language.
        _l("Translation"),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write the translation.")), Length(max=MAX_TEXT)],
    )
    interpreter_name = StringField(
        _l("Interpreter's name (if an interpreter translated it)"), filters=[strip_whitespace], validators=[Optional(), Length(max=120)]
    )
    # Translators: button on the Translations page: save the worker's words in one language.
    submit = SubmitField(_l("Save translation"))


class MemberEnglishForm(FlaskForm):
    """An interpreter's English of other words a family member wrote (worry score reasons, a review comment, goodbye
    views, an assessment comment), kept beside their own words."""

    text = TextAreaField(
        _l("The interpreter's English"),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please write the translation.")), Length(max=MAX_TEXT)],
    )
    # Translators: form label: the name of the interpreter who translated a family member's words into English.
    interpreter_name = StringField(_l("Interpreter's name"), filters=[strip_whitespace], validators=[Optional(), Length(max=120)])
    # Translators: button: save the interpreter's English of what a family member wrote.
    submit = SubmitField(_l("Save the English"))
