"""Forms for assessment summaries and parents' comments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.forms import MultiCheckboxField, strip_whitespace

MAX_SECTION = 10000


class NewAssessmentForm(FlaskForm):
    title = StringField(
        # Translators: form label: the title of an assessment.
        _l("Title"), description=_l("For example “Family assessment, November”."), filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please give it a title.")), Length(max=200)],
    )
    # Translators: button that creates a new assessment.
    submit = SubmitField(_l("Create"))


class SectionForm(Form):
    # Which saved section this row is, so its parents' comments stay with it whatever moves around it.
    section_id = HiddenField()
    # Translators: form label: the title of a part of an assessment.
    heading = StringField(_l("Section heading"), filters=[strip_whitespace], validators=[Optional(), Length(max=200)])
    # Translators: form label: the text of a part of an assessment.
    body = TextAreaField(_l("Section text"), filters=[strip_whitespace], validators=[Optional(), Length(max=MAX_SECTION)])


MAX_SECTIONS = 40


class AssessmentForm(FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip_whitespace], validators=[DataRequired(message=_l("Please give it a title.")), Length(max=200)]
    )
    sections = FieldList(FormField(SectionForm), min_entries=1, max_entries=MAX_SECTIONS)
    shared_with = MultiCheckboxField(
        # Translators: form label: which parents and carers can read the assessment.
        _l("Share with"), coerce=int, validators=[Optional()],
        description=_l("Only parents and carers who are not restricted can be chosen."),
    )
    # Translators: button that saves a form.
    submit = SubmitField(_l("Save"))
