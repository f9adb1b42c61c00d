"""Forms for writing plans and safety plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.entries.models import Entry
from webapp.families.models import FamilyMember
from webapp.forms import DayField, MultiCheckboxField, choices, strip_whitespace, with_blank_rows
from webapp.photos.processing import PHOTO_TYPES
from webapp.plans import pictures as shipped_pictures
from webapp.plans.family_safety import FamilyRule, FamilySafetyPlanContent, NetworkPerson, SafetyTask, TimelineStep
from webapp.plans.models import PlanPicture
from webapp.plans.records import (
    MAPPING_PARTS,
    PAIR_FIELDS,
    BlockPictures,
    Mapping,
    NewAction,
    PlanContent,
    PlanSection,
    PlanWording,
    SafetyPlanContent,
    SafetyRows,
)
from webapp.plans.sections import SECTIONS

MAX_TEXT = 5000
MAX_PAIRS = 20


class PairForm(Form):
    """A danger statement and its safety goal: the worker's words, then the young people's and the parents' versions."""

    row_id = HiddenField()
    danger = TextAreaField(_l("Danger statement (your words)"), validators=[Optional(), Length(max=MAX_TEXT)])
    danger_young_person = TextAreaField(_l("Danger statement for the young people"), validators=[Optional(), Length(max=MAX_TEXT)])
    danger_parent = TextAreaField(_l("Danger statement for the parents"), validators=[Optional(), Length(max=MAX_TEXT)])
    goal = TextAreaField(_l("Safety goal (your words)"), validators=[Optional(), Length(max=MAX_TEXT)])
    goal_young_person = TextAreaField(_l("Safety goal for the young people"), validators=[Optional(), Length(max=MAX_TEXT)])
    goal_parent = TextAreaField(_l("Safety goal for the parents"), validators=[Optional(), Length(max=MAX_TEXT)])


# The worker's mapping, under the template's headings, with the template's prompts as hints.
MAPPING_LABELS = {
    # Translators: mapping part (Signs of Safety): evidence the child has been harmed in the past.
    "past_harm": (_l("Past harm"), _l("Evidence the child has been harmed, including from the history and chronology.")),
    # Translators: mapping part (Signs of Safety): what makes the worries harder to deal with.
    "complicating_factors": (_l("Complicating factors"), _l("Behaviours that may pose a risk, patterns in the past, what is making this harder to deal with.")),
    # Translators: mapping part (Signs of Safety): the family's assets and resources.
    "existing_strengths": (_l("Existing strengths"), _l("Assets and resources of the family.")),
    # Translators: mapping part (Signs of Safety): safety that has been proven and tested.
    "existing_safety": (_l("Existing safety"), _l("Proven and tested safety that keeps the child safe.")),
    # Translators: mapping part (Signs of Safety): what needs to happen now and next.
    "next_steps": (_l("Next steps"), _l("What needs to happen now and in the future to keep the child safe: immediate steps and referrals.")),
}


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
    for part in MAPPING_PARTS:
        label, hint = MAPPING_LABELS[part]
        fields[f"mapping__{part}"] = TextAreaField(label, description=hint, validators=[Optional(), Length(max=MAX_TEXT)])
    fields["genogram_date"] = DayField(_l("Date the genogram or family network was completed"), validators=[Optional()])
    fields["present"] = TextAreaField(
        _l("Present at the mapping"), description=_l("One person a line: name and role."), validators=[Optional(), Length(max=2000)]
    )
    fields["absent"] = TextAreaField(
        _l("Absent from the mapping"), description=_l("One person a line: name and role."), validators=[Optional(), Length(max=2000)]
    )
    fields["pairs"] = FieldList(FormField(PairForm), min_entries=1, max_entries=MAX_PAIRS)
    fields["pairs_hidden"] = MultiCheckboxField(_l("Hide the danger statements and safety goals from"), coerce=int, validators=[Optional()])
    fields["voice_hidden"] = MultiCheckboxField(_l("Hide the voice of the child from"), coerce=int, validators=[Optional()])
    # Translators: checkboxes beside each quote of a child in the plan: take it out.
    fields["voice_remove"] = MultiCheckboxField(_l("Take out"), validators=[Optional()])
    fields["voice_family_may_read"] = MultiCheckboxField(
        _l("The family may read it, even though it was not shared"), validators=[Optional()]
    )
    # Translators: heading over the young people's entries a worker can quote in the plan.
    fields["voice_add"] = MultiCheckboxField(_l("Quote these entries"), coerce=int, validators=[Optional()])
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
    people = MultiCheckboxField(
        _l("Network members who read this action"),
        description=_l("They see only the actions they are named in, in their language."),
        coerce=int,
        validators=[Optional()],
    )
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


# Words and Pictures: an upload bigger than this is refused before it is opened.
PICTURE_MAX_BYTES = 10 * 1024 * 1024


class PicturesForm(FlaskForm):
    """The pictures beside one block of the young people's version: shipped ones and the family's uploads to tick, and a new upload."""

    # On every page that draws the block's pictures, so a page without them leaves the pictures as they are.
    drawn = HiddenField(default="1")
    # Translators: heading over the simple pictures that come with the app, which a worker can put in a child's plan.
    shipped = MultiCheckboxField(_l("Pictures from the app"), validators=[Optional()])
    # Translators: heading over the pictures a worker uploaded earlier for this family's plan.
    uploaded = MultiCheckboxField(_l("Pictures you added before"), coerce=int, validators=[Optional()])
    upload = FileField(
        _l("Or add your own drawing or a photo"),
        description=_l("A JPEG, PNG, WebP or HEIC file. We take out where and when it was made."),
        validators=[FileSize(PICTURE_MAX_BYTES, message=_l("That picture is too big. Please choose a smaller one. Nothing was saved."))],
        render_kw={"accept": PHOTO_TYPES},
    )
    description = StringField(
        _l("Say what is in your picture"),
        description=_l("Young people who cannot see it hear these words."),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=200)],
    )


def pictures_forms(content: PlanContent, family_pictures: list[PlanPicture], formdata: MultiDict[str, Any] | None) -> dict[str, PicturesForm]:
    """A pictures chooser for each block, named after the block, all in the one editor form (its token is checked once)."""
    forms: dict[str, PicturesForm] = {}
    blocks = content.picture_blocks()
    for block, chosen in blocks.items():
        form = PicturesForm(formdata=formdata, prefix="pictures-" + block.replace(":", "-"), meta={"csrf": False})
        form.shipped.choices = [(p.key, str(p.label)) for p in shipped_pictures.SHIPPED]
        form.uploaded.choices = [(p.id, p.description or str(p.id)) for p in family_pictures]
        if formdata is None:
            form.shipped.data = [p.shipped for p in chosen if p.shipped]
            form.uploaded.data = [p.uploaded for p in chosen if p.uploaded]
        forms[block] = form
    return forms


def block_pictures(form: PicturesForm) -> BlockPictures:
    return BlockPictures(shipped=list(form.shipped.data or []), uploaded=list(form.uploaded.data or []))


def has_upload(form: PicturesForm) -> bool:
    return bool(getattr(form.upload.data, "filename", None))


# --- Between the editors' forms and the plan records.


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def plan_form(
    members: Iterable[FamilyMember], content: PlanContent | None = None, *, saved: PlanContent | None = None, entries: Iterable[Entry] = ()
) -> Any:
    """The plan editor's form: from the request, or (given content) filled with that plan as saved.

    `saved` is the plan as saved (its quotes are the choices), `entries` what the worker may quote."""
    members = list(members)
    if content is None:
        form: Any = PlanForm()  # its fields are made at run time
    else:
        pairs = [{"row_id": p.id, **{f: getattr(p, f) for f in PAIR_FIELDS}} for p in content.pairs]
        form = PlanForm(formdata=None, data={"pairs": with_blank_rows(pairs, 2, MAX_PAIRS)})
    quotes = (saved or content or PlanContent()).voice
    form.voice_remove.choices = choices((q.id, q.name) for q in quotes)
    form.voice_family_may_read.choices = choices((q.id, q.name) for q in quotes)
    names = {m.id: m.display_name for m in members}
    form.voice_add.choices = choices((e.id, names.get(e.member_id, "?")) for e in entries)
    form.pairs_hidden.choices = form.voice_hidden.choices = choices((m.id, m.display_name) for m in members)
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
        for part in MAPPING_PARTS:
            form[f"mapping__{part}"].data = getattr(content.mapping, part)
        form.genogram_date.data = content.mapping.genogram_date
        form.present.data = "\n".join(content.mapping.present)
        form.absent.data = "\n".join(content.mapping.absent)
        form.pairs_hidden.data = content.pairs_hidden_from
        form.voice_hidden.data = content.voice_hidden_from
        form.voice_family_may_read.data = [q.id for q in content.voice if q.family_may_read]
    return form


def action_people(formdata: MultiDict[str, Any]) -> dict[str, list[int]] | None:
    """The network members ticked for each action the page drew boxes for; None when it drew none."""
    drawn = [a for a in formdata.getlist("action-people-drawn") if isinstance(a, str)]
    if not drawn:
        return None
    return {a: [int(v) for v in formdata.getlist(f"action-people-{a}") if isinstance(v, str) and v.isdigit()] for a in drawn}


def plan_wording(form: Any, people: dict[str, list[int]] | None = None) -> PlanWording:
    sections = {
        s.key: PlanSection(
            young_person=form[f"{s.key}__young_person"].data or "",
            parent=form[f"{s.key}__parent"].data or "",
            hidden_from=list(form[f"{s.key}__hidden"].data or []),
        )
        for s in SECTIONS
    }
    mapping = Mapping(
        **{part: form[f"mapping__{part}"].data or "" for part in MAPPING_PARTS},
        genogram_date=form.genogram_date.data,
        present=_lines(form.present.data),
        absent=_lines(form.absent.data),
    )
    # A page drawn before the mapping existed sends none of it: then it is left as it is, not emptied.
    drawn_with_mapping = bool(form[f"mapping__{MAPPING_PARTS[0]}"].raw_data)
    return PlanWording(
        sections, list(form.actions_hidden.data or []), form.next_review.data, form.next_taf.data,
        mapping=mapping if drawn_with_mapping else None,
        pairs=[(row.get("row_id") or "", {f: row.get(f) or "" for f in PAIR_FIELDS}) for row in form.pairs.data],
        pairs_hidden_from=list(form.pairs_hidden.data or []),
        voice_hidden_from=list(form.voice_hidden.data or []),
        voice_remove=list(form.voice_remove.data or []),
        voice_family_may_read=list(form.voice_family_may_read.data or []),
        voice_add=list(form.voice_add.data or []),
        action_people=people,
    )


def new_action(form: ActionForm) -> NewAction:
    return NewAction(
        what=form.what.data or "", what_young_person=form.what_young_person.data or "", who=form.who.data or "", by_when=form.by_when.data,
        people=list(form.people.data or []),
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


# --- The family and network safety plan (seed 003's four steps and seed 004's rows).

MAX_FAMILY_ROWS = 30
ROW_TEXT = 1000


class AccountField(SelectField):
    """A choice of the family's network member accounts (or none); anything not offered gets our own message."""

    def pre_validate(self, form: Any) -> None:
        if self.data not in {choice.value for choice in self.choices or []}:  # type: ignore[union-attr]
            raise ValidationError(MultiCheckboxField._not_offered())


class TimelineRowForm(Form):
    row_id = HiddenField()
    # Translators: timeline of a family safety plan: which week (for example "Week 1" or "1-7 December").
    week = StringField(_l("Week"), validators=[Optional(), Length(max=80)])
    task = TextAreaField(_l("Task: what, who and why"), validators=[Optional(), Length(max=ROW_TEXT)])
    # Translators: timeline of a family safety plan: the meetings and checks that show how a step is going.
    monitoring = TextAreaField(_l("Meetings and monitoring"), validators=[Optional(), Length(max=ROW_TEXT)])
    # Translators: timeline of a family safety plan: what changes in the family's arrangements (who lives or stays where, contact).
    changes = TextAreaField(_l("Changes to arrangements"), validators=[Optional(), Length(max=ROW_TEXT)])
    # Translators: checkboxes of the people in the family's network that a part of the safety plan names.
    people = MultiCheckboxField(_l("Network people named"), validators=[Optional()])
    # Translators: form label: the day a step of a plan was done.
    completed_on = DayField(_l("Completed on"), validators=[Optional()])


class NetworkPersonForm(Form):
    row_id = HiddenField()
    # Translators: form label or column heading: a person's name.
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    # Translators: form label: how a person in the family's network is related to the family (grandmother, neighbour...).
    relationship = StringField(_l("Relationship"), validators=[Optional(), Length(max=120)])
    how_to_reach = StringField(_l("How to reach them"), validators=[Optional(), Length(max=200)])
    member_id = AccountField(
        _l("Their Family Voice account (a network member of this family)"), validators=[Optional()], validate_choice=False
    )
    # Translators: form label: the day a network person saw the safety plan.
    seen_on = DayField(_l("Has seen the plan on"), validators=[Optional()])
    # Translators: form label: the day a network person agreed to the safety plan.
    agreed_on = DayField(_l("Agreed to the plan on"), validators=[Optional()])


class FamilyRuleForm(Form):
    row_id = HiddenField()
    # Translators: safety plan form label: the situation a rule is for.
    when = TextAreaField(_l("When this happens"), validators=[Optional(), Length(max=ROW_TEXT)])
    # Translators: safety plan form label: what the child or others will do.
    who_does_what = TextAreaField(_l("Who does what"), validators=[Optional(), Length(max=ROW_TEXT)])
    people = MultiCheckboxField(_l("Network people named"), validators=[Optional()])


class SafetyTaskForm(Form):
    row_id = HiddenField()
    # Translators: seed 004 safety plan column: what will be done.
    what = TextAreaField(_l("What will you do?"), validators=[Optional(), Length(max=ROW_TEXT)])
    # Translators: seed 004 safety plan column: who will do it.
    who = StringField(_l("Who will do this?"), validators=[Optional(), Length(max=200)])
    # Translators: form label: the date by which an action in the plan should be done.
    by_when = DayField(_l("By when"), validators=[Optional()])
    people = MultiCheckboxField(_l("Network people named"), validators=[Optional()])
    progress = StringField(
        _l("Progress update"), description=_l("Dated today when you save."), validators=[Optional(), Length(max=500)]
    )
    # Translators: form label: the day a step of a plan was done.
    completed_on = DayField(_l("Completed on"), validators=[Optional()])


class FamilySafetyPlanForm(FlaskForm):
    timeline = FieldList(FormField(TimelineRowForm), min_entries=1, max_entries=MAX_FAMILY_ROWS)
    network = FieldList(FormField(NetworkPersonForm), min_entries=1, max_entries=MAX_FAMILY_ROWS)
    rules = FieldList(FormField(FamilyRuleForm), min_entries=1, max_entries=MAX_FAMILY_ROWS)
    tasks = FieldList(FormField(SafetyTaskForm), min_entries=1, max_entries=MAX_FAMILY_ROWS)
    # Translators: button: save the plan without the family seeing it yet.
    submit = SubmitField(_l("Save draft"))


def family_safety_form(
    content: FamilySafetyPlanContent | None, accounts: Iterable[FamilyMember], *, network: list[NetworkPerson] | None = None
) -> FamilySafetyPlanForm:
    """The editor's form: from the request (content None), or filled with the plan as saved and two empty rows a part.

    The network people offered as checkboxes are those of the plan as saved (`network`, else the content's)."""
    if content is None:
        form = FamilySafetyPlanForm()
    else:
        form = FamilySafetyPlanForm(
            formdata=None,
            data={
                "timeline": with_blank_rows([
                    {"row_id": s.id, "week": s.week, "task": s.task, "monitoring": s.monitoring, "changes": s.changes,
                     "people": s.people, "completed_on": s.completed_on} for s in content.timeline], 2, MAX_FAMILY_ROWS),
                "network": with_blank_rows([
                    {"row_id": p.id, "name": p.name, "relationship": p.relationship, "how_to_reach": p.how_to_reach,
                     "member_id": str(p.member_id) if p.member_id else "", "seen_on": p.seen_on, "agreed_on": p.agreed_on}
                    for p in content.network], 2, MAX_FAMILY_ROWS),
                "rules": with_blank_rows([
                    {"row_id": r.id, "when": r.when, "who_does_what": r.who_does_what, "people": r.people} for r in content.rules
                ], 2, MAX_FAMILY_ROWS),
                "tasks": with_blank_rows([
                    {"row_id": t.id, "what": t.what, "who": t.who, "by_when": t.by_when, "people": t.people,
                     "completed_on": t.completed_on} for t in content.tasks], 2, MAX_FAMILY_ROWS),
            },
        )
    people = choices((p.id, p.name) for p in (network if network is not None else (content.network if content else [])))
    for part in (form.timeline, form.rules, form.tasks):
        for row in part:
            row.form.people.choices = people
    # Translators: choice in a list of accounts: this network person has no Family Voice account.
    account_choices = choices([("", _l("No account")), *((str(m.id), m.display_name) for m in accounts)])
    for person in form.network:
        person.form.member_id.choices = account_choices
    return form


def family_safety_edit(form: FamilySafetyPlanForm) -> tuple[FamilySafetyPlanContent, dict[str, str]]:
    """The plan as the editor sent it (ids as drawn, "" for new rows) and the progress typed, by task id."""

    def text(row: dict[str, Any], key: str) -> str:
        return str(row.get(key) or "")

    content = FamilySafetyPlanContent(
        timeline=[TimelineStep(text(r, "row_id"), text(r, "week"), text(r, "task"), text(r, "monitoring"), text(r, "changes"),
                               list(r.get("people") or []), r.get("completed_on")) for r in form.timeline.data],
        network=[NetworkPerson(text(r, "row_id"), text(r, "name"), text(r, "relationship"), text(r, "how_to_reach"),
                               int(r["member_id"]) if r.get("member_id") else None, r.get("seen_on"), r.get("agreed_on"))
                 for r in form.network.data],
        rules=[FamilyRule(text(r, "row_id"), text(r, "when"), text(r, "who_does_what"), list(r.get("people") or []))
               for r in form.rules.data],
        tasks=[SafetyTask(text(r, "row_id"), text(r, "what"), text(r, "who"), r.get("by_when"), list(r.get("people") or []),
                          [], r.get("completed_on")) for r in form.tasks.data],
    )
    progress = {text(r, "row_id"): text(r, "progress") for r in form.tasks.data if text(r, "row_id") and text(r, "progress").strip()}
    return content, progress


class NetworkToSafetyPlanForm(FlaskForm):
    # Translators: form label: a person from the family's network to add to a young person's safety plan.
    person = SelectField(_l("Add someone from the family's network"), validate_choice=False)
    # Translators: button: add the chosen network person to the young person's safe people.
    submit = SubmitField(_l("Add to safe people"))
