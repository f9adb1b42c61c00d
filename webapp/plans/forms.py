"""Forms for writing plans and safety plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.families.models import FamilyMember
from webapp.forms import DayField, MultiCheckboxField, choices, with_blank_rows
from webapp.plans.records import NewAction, PlanContent, PlanSection, PlanWording, SafetyPlanContent, SafetyRows
from webapp.plans.sections import SECTIONS

MAX_TEXT = 5000


def plan_form_class() -> type[FlaskForm]:
    """One form with both versions of every section, and who each section is hidden from."""
    fields: dict[str, Any] = {}
    for section in SECTIONS:
        fields[f"{section.key}__young_person"] = TextAreaField(
            # Translators: the plan written for young people (next to the parents' version).
            _l("Young person's version"), validators=[Optional(), Length(max=MAX_TEXT)]
        )
        # Translators: the plan written for parents (next to the young person's version).
        fields[f"{section.key}__parent"] = TextAreaField(_l("Parent version"), validators=[Optional(), Length(max=MAX_TEXT)])
        fields[f"{section.key}__hidden"] = MultiCheckboxField(_l("Hide this section from"), coerce=int, validators=[Optional()])
    fields["actions_hidden"] = MultiCheckboxField(_l("Hide the actions from"), coerce=int, validators=[Optional()])
    # Translators: form label: date of the next review of the plan.
    fields["next_review"] = DayField(_l("Next review"), validators=[Optional()])
    # Translators: form label: date of the next Team Around the Family meeting (keep TAF).
    fields["next_taf"] = DayField(_l("Next TAF meeting"), validators=[Optional()])
    # Translators: button: save the plan without the family seeing it yet.
    fields["submit"] = SubmitField(_l("Save draft"))
    return type("PlanForm", (FlaskForm,), fields)


PlanForm = plan_form_class()


class ActionForm(FlaskForm):
    # Translators: form label: an action in the family plan.
    what = StringField(_l("What will happen"), validators=[DataRequired(message=_l("Please say what will happen.")), Length(max=300)])
    what_young_person = StringField(
        _l("The same, in words for the young people (you can skip this)"),
        description=_l("Left empty, young people read the words above."),
        validators=[Optional(), Length(max=300)],
    )
    who = StringField(_l("Who will do it"), validators=[DataRequired(message=_l("Please say who will do it.")), Length(max=120)])
    # Translators: form label: the date by which an action in the plan should be done.
    by_when = DayField(_l("By when"), validators=[DataRequired(message=_l("Please give a date."))])
    # Translators: button: add an action (a step someone will do) to the family plan draft.
    submit = SubmitField(_l("Add action"))


class ProgressForm(FlaskForm):
    # Translators: form label: short news about how an action in the plan is going.
    text = StringField(_l("Progress update"), validators=[DataRequired(message=_l("Please write the update.")), Length(max=500)])
    # Translators: button: add a progress update (short news) to the family plan draft.
    submit = SubmitField(_l("Add update"))


class SafePersonForm(Form):
    # The row's id as drawn on the page, so a saved row keeps it.
    row_id = HiddenField()
    # Translators: form label or column heading: a person's name.
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    how_to_reach = StringField(_l("How to reach them"), validators=[Optional(), Length(max=200)])


class PlanRuleForm(Form):
    row_id = HiddenField()
    # Translators: safety plan form label: the situation a rule is for.
    when = StringField(_l("When this happens"), validators=[Optional(), Length(max=300)])
    # Translators: safety plan form label: what the child or others will do.
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


# --- Between the editors' forms and the plan records.


def plan_form(members: Iterable[FamilyMember], content: PlanContent | None = None) -> Any:
    """The plan editor's form: from the request, or (given content) filled with that plan as saved."""
    form: Any = PlanForm() if content is None else PlanForm(formdata=None)  # its fields are made at run time
    member_choices = choices((m.id, m.display_name) for m in members)
    for s in SECTIONS:
        form[f"{s.key}__hidden"].choices = member_choices
        if content is not None:
            section = content.sections[s.key]
            form[f"{s.key}__young_person"].data = section.young_person
            form[f"{s.key}__parent"].data = section.parent
            form[f"{s.key}__hidden"].data = section.hidden_from
    form.actions_hidden.choices = member_choices
    if content is not None:
        form.actions_hidden.data = content.actions_hidden_from
        form.next_review.data = content.next_review
        form.next_taf.data = content.next_taf
    return form


def plan_wording(form: Any) -> PlanWording:
    sections = {
        s.key: PlanSection(
            young_person=form[f"{s.key}__young_person"].data or "",
            parent=form[f"{s.key}__parent"].data or "",
            hidden_from=list(form[f"{s.key}__hidden"].data or []),
        )
        for s in SECTIONS
    }
    return PlanWording(sections, list(form.actions_hidden.data or []), form.next_review.data, form.next_taf.data)


def new_action(form: ActionForm) -> NewAction:
    return NewAction(
        what=form.what.data or "", what_young_person=form.what_young_person.data or "", who=form.who.data or "", by_when=form.by_when.data
    )


def progress_forms(content: PlanContent, formdata: MultiDict[str, Any] | None) -> dict[str, ProgressForm]:
    """A progress box for each action, named after its id, all in the one editor form (its token is checked once)."""
    return {a.id: ProgressForm(formdata=formdata, prefix=f"progress-{a.id}", meta={"csrf": False}) for a in content.actions}


def progress_typed_for(formdata: MultiDict[str, Any]) -> set[str]:
    """The actions the page had an update typed for, by id, whether or not they are still in the plan."""
    return {
        key.removeprefix("progress-").removesuffix("-text")
        for key, value in formdata.items()
        if key.startswith("progress-") and key.endswith("-text") and isinstance(value, str) and value.strip()
    }


def typed(form: Any) -> bool:
    """Whether anything was typed in the form's boxes."""
    return any(isinstance(value, str) and value.strip() for f in form if f.type != "SubmitField" for value in f.raw_data or [])


def safety_plan_form(content: SafetyPlanContent, *, offline_allowed: bool) -> SafetyPlanForm:
    """The safety plan editor filled with the plan as saved, each row with its id, and a few empty rows."""
    return SafetyPlanForm(
        formdata=None,
        data={
            "safe_people": with_blank_rows(
                [{"row_id": p.id, "name": p.name, "how_to_reach": p.how_to_reach} for p in content.safe_people], 3, MAX_ROWS
            ),
            "rules": with_blank_rows([{"row_id": r.id, "when": r.when, "what": r.what} for r in content.rules], 3, MAX_ROWS),
            "safe_places": with_blank_rows([{"row_id": p.id, "place": p.place} for p in content.safe_places], 3, MAX_ROWS),
            "offline_allowed": offline_allowed,
        },
    )


def safety_rows(form: SafetyPlanForm) -> SafetyRows:
    def cells(rows: list[dict[str, Any]], *keys: str) -> list[Any]:
        return [tuple(row.get(k) or "" for k in ("row_id", *keys)) for row in rows]

    return SafetyRows(
        safe_people=cells(form.safe_people.data, "name", "how_to_reach"),
        rules=cells(form.rules.data, "when", "what"),
        safe_places=cells(form.safe_places.data, "place"),
    )
