"""Forms for writing plans and safety plans."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.forms import DayField
from webapp.plans.sections import SECTIONS
from webapp.worries.forms import MultiCheckboxField

MAX_TEXT = 5000


def plan_form_class() -> type[FlaskForm]:
    """One form with both versions of every section, and who each section is hidden from."""
    fields: dict[str, Any] = {}
    for section in SECTIONS:
        fields[f"{section.key}__young_person"] = TextAreaField(
            _l("Young person's version"), validators=[Optional(), Length(max=MAX_TEXT)]
        )
        fields[f"{section.key}__parent"] = TextAreaField(_l("Parent version"), validators=[Optional(), Length(max=MAX_TEXT)])
        fields[f"{section.key}__hidden"] = MultiCheckboxField(_l("Hide this section from"), coerce=int, validators=[Optional()])
    fields["actions_hidden"] = MultiCheckboxField(_l("Hide the actions from"), coerce=int, validators=[Optional()])
    fields["next_review"] = DayField(_l("Next review"), validators=[Optional()])
    fields["next_taf"] = DayField(_l("Next TAF meeting"), validators=[Optional()])
    fields["submit"] = SubmitField(_l("Save draft"))
    return type("PlanForm", (FlaskForm,), fields)


PlanForm = plan_form_class()


class ActionForm(FlaskForm):
    what = StringField(_l("What will happen"), validators=[DataRequired(message=_l("Please say what will happen.")), Length(max=300)])
    what_young_person = StringField(
        _l("The same, in words for the young people (you can skip this)"),
        description=_l("Left empty, young people read the words above."),
        validators=[Optional(), Length(max=300)],
    )
    who = StringField(_l("Who will do it"), validators=[DataRequired(message=_l("Please say who will do it.")), Length(max=120)])
    by_when = DayField(_l("By when"), validators=[DataRequired(message=_l("Please give a date."))])
    submit = SubmitField(_l("Add action"))


class ProgressForm(FlaskForm):
    text = StringField(_l("Progress update"), validators=[DataRequired(message=_l("Please write the update.")), Length(max=500)])
    submit = SubmitField(_l("Add update"))


class SafePersonForm(Form):
    # The row's id as drawn on the page, so a saved row keeps it.
    row_id = HiddenField()
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    how_to_reach = StringField(_l("How to reach them"), validators=[Optional(), Length(max=200)])


class PlanRuleForm(Form):
    row_id = HiddenField()
    when = StringField(_l("When this happens"), validators=[Optional(), Length(max=300)])
    what = StringField(_l("Who does what"), validators=[Optional(), Length(max=300)])


class SafePlaceForm(Form):
    row_id = HiddenField()
    place = StringField(_l("A place I feel safe"), validators=[Optional(), Length(max=200)])


MAX_ROWS = 20


class SafetyPlanForm(FlaskForm):
    safe_people = FieldList(FormField(SafePersonForm), min_entries=3, max_entries=MAX_ROWS)
    rules = FieldList(FormField(PlanRuleForm), min_entries=3, max_entries=MAX_ROWS)
    safe_places = FieldList(FormField(SafePlaceForm), min_entries=3, max_entries=MAX_ROWS)
    offline_allowed = BooleanField(
        _l("Let them keep it on their phone to read offline"),
        description=_l("Only if the phone is their own or they are safe at home: it stays on the phone until they sign out."),
    )
    submit = SubmitField(_l("Save draft"))


class KeepOnPhoneForm(FlaskForm):
    keep = BooleanField(_l("Keep my safety plan on this phone"))
    submit = SubmitField(_l("Save"))
