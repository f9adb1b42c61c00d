"""Workers write the family plan and each young person's safety plan; families read their version."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.wrappers import Response

from webapp import audit, policy
from webapp.auth.guards import member_required, staff_required
from webapp.config import current_language
from webapp.families.models import Family, FamilyMember
from webapp.forms import ConfirmForm
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.photos.processing import PhotoRejected, process
from webapp.plans import family_safety_services as family_safety
from webapp.plans import forms, readability, services
from webapp.plans import pictures as shipped_pictures
from webapp.plans.family_safety import FamilySafetyPlanContent
from webapp.plans.forms import (
    ActionForm,
    FamilySafetyPlanForm,
    KeepOnPhoneForm,
    NetworkToSafetyPlanForm,
    PicturesForm,
    ProgressForm,
    SafetyPlanForm,
)
from webapp.plans.pictures import ShownPicture
from webapp.plans.records import PictureRef, PlanContent, SafetyPlanContent, picture_block
from webapp.plans.sections import SECTIONS
from webapp.translations_content import services as translated
from webapp.translations_content.rules import Shown

bp = Blueprint("plans", __name__)


def safety_plan_kept_here() -> bool:
    """Whether the signed-in member's safety plan may stay on this phone (every page says so, see app.js)."""
    member = policy.own_member(current_user)
    return member is not None and policy.may_keep_safety_plan_offline(member)


@bp.app_context_processor
def _plan_globals() -> dict[str, Any]:
    return {
        "safety_plan_kept_here": safety_plan_kept_here,
        # The plain-language meter beside each family-facing text a worker writes.
        "reading_of": readability.measure,
        "reading_target": readability.TARGET_READING_AGE,
    }


@bp.app_template_filter("member_name")
def member_name_filter(member_id: int, members: dict[int, FamilyMember]) -> str:
    member = members.get(member_id)
    return member.display_name if member else "?"


# --- Staff: the family plan.


def _editor(
    family: Family, form: Any, action_form: ActionForm | None = None, progress: dict[str, ProgressForm] | None = None,
    pictures: dict[str, PicturesForm] | None = None, *, status: int = 0,
) -> tuple[str, int]:
    content, draft = services.current_plan(family)
    candidates = services.voice_entries(current_user, family, content)
    _offer(form, content, candidates)
    action_form = action_form or ActionForm(formdata=None, meta={"csrf": False})
    _offer_network(action_form, family)
    progress = progress or forms.progress_forms(content, None)
    family_pictures = services.family_pictures(family.id)
    pictures = pictures if pictures is not None else forms.pictures_forms(content, family_pictures, None)
    worries = services.plan_worries(family.id)
    translations = translated.for_family(family.id)
    blocks = translated.plan_blocks(family, content, translations)
    for worry in worries:
        blocks += translated.worry_blocks(family, worry, translations)
    page = render_template(
        "plans/edit_plan.html",
        family=family,
        form=form,
        draft=draft,
        published=services.latest_published(family.id),
        content=content,
        sections=SECTIONS,
        worries=worries,
        candidates=candidates,
        members={m.id: m for m in family.members},
        network_members=policy.network_members(family),
        action_form=action_form,
        progress_forms=progress,
        statuses_by_block={b.ref: b.statuses for b in blocks},
        translation_gaps=translated.missing_for(blocks),
        pictures_forms=pictures,
        family_pictures=family_pictures,
        shipped_pictures=shipped_pictures.SHIPPED,
        picture_block=picture_block,
    )
    failed = form.errors or action_form.errors or any(f.errors for f in (*progress.values(), *pictures.values()))
    return page, status or (400 if failed else 200)


def _offer_network(action_form: ActionForm, family: Family) -> None:
    """A new action can name the family's network members."""
    action_form.people.choices = [(m.id, m.display_name) for m in policy.network_members(family)]


def _offer(form: Any, content: PlanContent, candidates: list[tuple[Any, str]]) -> None:
    """The quotes and entries the voice of the child part offers, as the plan stands now."""
    form.voice_remove.choices = [(q.id, q.name) for q in content.voice]
    form.voice_family_may_read.choices = [(q.id, q.name) for q in content.voice]
    names = {q.member_id: q.name for q in content.voice}
    form.voice_add.choices = [(e.id, names.get(e.member_id) or e.member.display_name) for e, _words in candidates]


def _save_editor(family: Family, *, add_action: bool = False, progress_on: str | None = None, remove: str | None = None) -> tuple[str, int] | None:
    """Save everything typed in the editor, whichever of its buttons was pressed, and do what that button says.

    Nothing typed is lost: if any part needs fixing, or the button names an action that is no longer
    there, the editor comes back (returned here) with every word as typed and nothing saved.
    """
    content, _draft = services.current_plan(family)
    # Every button sends the whole plan; a request with only an action or an update leaves the words as they were.
    whole_plan = f"{SECTIONS[0].key}__young_person" in request.form
    candidates = services.voice_entries(current_user, family, content)
    form = forms.plan_form(family.members, None if whole_plan else content, saved=content, entries=[e for e, _words in candidates])
    action_form = ActionForm(meta={"csrf": False})
    _offer_network(action_form, family)
    progress = forms.progress_forms(content, request.form)
    adding = add_action or forms.typed(action_form)
    updates = {i: f for i, f in progress.items() if i == progress_on or forms.typed(f)}
    pictures = forms.pictures_forms(content, services.family_pictures(family.id), _form_and_files()) if whole_plan else {}
    # Only the blocks the page drew pictures for: a page drawn before there were pictures leaves them as they are.
    drawn = {block: f for block, f in pictures.items() if f.drawn.raw_data}
    if any(i is not None and content.action(i) is None for i in (progress_on, remove, *forms.progress_typed_for(request.form))):
        return _action_gone(family, form, action_form)
    checks = [
        form.validate() if whole_plan else True, action_form.validate() if adding else True,
        *(f.validate() for f in updates.values()), *(f.validate() for f in drawn.values()),
    ]
    new_pictures = _uploaded_pictures(drawn) if all(checks) else {}
    if not all(checks) or any(f.errors for f in drawn.values()):
        return _editor(family, form, action_form, progress, pictures or None)
    change = services.DraftChange(
        wording=forms.plan_wording(form, forms.action_people(request.form)) if whole_plan else None,
        new_action=forms.new_action(action_form) if adding else None,
        updates={i: f.text.data or "" for i, f in updates.items()},
        remove=remove,
        pictures={block: forms.block_pictures(f) for block, f in drawn.items()},
        new_pictures=new_pictures,
    )
    if change == services.DraftChange():
        return None
    try:
        services.change_draft(family, current_user.id, change)
    except services.ActionGone:
        return _action_gone(family, form, action_form)
    return None


def _form_and_files() -> CombinedMultiDict[str, Any]:
    return CombinedMultiDict([request.files, request.form])


def _uploaded_pictures(drawn: dict[str, PicturesForm]) -> dict[str, services.NewPicture]:
    """Each picture uploaded beside a block, cleaned by the photo pipeline; one that cannot be used gets its message, and nothing is kept."""
    cleaned = {}
    for block, f in drawn.items():
        if not forms.has_upload(f):
            continue
        try:
            processed = process(f.upload.data.read(), long_side=services.PICTURE_SIDE)
        except PhotoRejected as error:
            f.upload.errors = [services.picture_rejection_message(error)]
        else:
            cleaned[block] = services.NewPicture(processed, f.description.data or "")
    return cleaned


def _action_gone(family: Family, form: Any, action_form: ActionForm) -> tuple[str, int]:
    """A page left open named an action someone has since removed: say so, save nothing, keep every word typed."""
    flash(_("That action is no longer in the plan: someone may have removed it. Nothing was saved, and the plan is shown as it is now."), "error")
    content = services.current_plan(family)[0]
    pictures = forms.pictures_forms(content, services.family_pictures(family.id), _form_and_files())
    return _editor(family, form, action_form, forms.progress_forms(content, request.form), pictures, status=404)


@bp.route("/staff/families/<int:family_id>/plan", methods=["GET", "POST"])
@staff_required
def edit_plan(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if request.method == "GET":
        return _editor(family, forms.plan_form(family.members, services.current_plan(family)[0]))
    if (editor := _save_editor(family)) is not None:
        return editor
    flash(_("Draft saved. The family will see it when you publish it."), "success")
    return redirect(url_for("plans.edit_plan", family_id=family.id))


@bp.route("/staff/families/<int:family_id>/plan/actions", methods=["POST"])
@staff_required
def add_action(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if (editor := _save_editor(family, add_action=True)) is not None:
        return editor
    flash(_("Action added to the draft."), "success")
    return redirect(url_for("plans.edit_plan", family_id=family.id) + "#actions")


@bp.route("/staff/families/<int:family_id>/plan/actions/<action_id>/progress", methods=["POST"])
@staff_required
def add_progress(family_id: int, action_id: str) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if (editor := _save_editor(family, progress_on=action_id)) is not None:
        return editor
    flash(_("Progress update added to the draft."), "success")
    return redirect(url_for("plans.edit_plan", family_id=family.id) + "#actions")


@bp.route("/staff/families/<int:family_id>/plan/actions/<action_id>/remove", methods=["POST"])
@staff_required
def remove_action(family_id: int, action_id: str) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if (editor := _save_editor(family, remove=action_id)) is not None:
        return editor
    flash(_("Action removed from the draft."), "success")
    return redirect(url_for("plans.edit_plan", family_id=family.id) + "#actions")


@bp.route("/staff/families/<int:family_id>/plan/publish", methods=["POST"])
@staff_required
def publish_plan(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    # What the worker sees is what the family gets: the words typed since the last save go too.
    if (editor := _save_editor(family)) is not None:
        return editor
    draft = services.current_draft(family.id)
    if draft is None or not ConfirmForm().validate_on_submit():
        flash(_("There is no draft to publish. Save a draft first."), "error")
        return redirect(url_for("plans.edit_plan", family_id=family.id))
    services.publish(draft, current_user.id)
    flash(_("The plan is published. The family has been told it changed."), "success")
    translations = translated.for_family(family.id)
    blocks = translated.plan_blocks(family, PlanContent.from_json(draft.content), translations)
    for worry in services.plan_worries(family.id):
        blocks += translated.worry_blocks(family, worry, translations)
    _warn_untranslated(translated.missing_for(blocks))
    return redirect(url_for("plans.edit_plan", family_id=family.id))


def _warn_untranslated(gaps: dict[str, Any]) -> None:
    """Publishing goes ahead; the worker is told whose language still has parts in English."""
    if gaps:
        names = ", ".join(translated.language_name(language) for language in gaps)
        flash(_("Not everything is translated yet (%(languages)s). Those parts show in English, with a note, until you add the translation.",
                languages=names), "warning")


@bp.route("/staff/families/<int:family_id>/plan/versions")
@staff_required
def plan_versions(family_id: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    return render_template("plans/versions.html", family=family, versions=services.versions(family.id))


@bp.route("/staff/families/<int:family_id>/plan/versions/<int:number>")
@staff_required
def plan_version(family_id: int, number: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    version = services.version(family.id, number)
    if version is None:
        abort(404)
    audit.record("plan_version_viewed", family_id=family.id, target=f"plan:{number}")
    members = {m.id: m for m in family.members}
    content = PlanContent.from_json(version.content)
    return render_template(
        "plans/version.html", family=family, version=version, content=content, sections=SECTIONS, members=members,
        mapping_labels=forms.MAPPING_LABELS, pictures=_shown_pictures(content.picture_blocks(), family.id),
    )


@bp.route("/plan-pictures/<int:picture_id>")
@login_required
def plan_picture(picture_id: int) -> Response:
    """A picture the worker uploaded for the plan, only to those who may see it beside the plan's words."""
    picture = policy.plan_picture_or_404(current_user, picture_id)
    response = Response(picture.image, mimetype=picture.mime_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/staff/plain-language", methods=["POST"])
@staff_required
def plain_language() -> Response:
    """The meter for live use while a worker types."""
    payload = request.get_json(silent=True) or {}
    text = str(payload.get("text", ""))[:5000]
    reading = readability.measure(text)
    return jsonify(reading_age=reading.reading_age, long_sentences=reading.long_sentences, words=reading.words)


# --- Staff: a young person's safety plan.


def _safety_plan_member_or_404(member_id: int) -> FamilyMember:
    member = policy.member_or_404(current_user, member_id)
    if not policy.has_safety_plan(member):
        abort(404)
    return member


def _safety_editor(member: FamilyMember, form: SafetyPlanForm | None = None) -> tuple[str, int]:
    form = form or forms.safety_plan_form(services.current_safety_plan(member), offline_allowed=member.safety_plan_offline_allowed)
    draft, published = services.current_safety_draft(member.id), services.latest_published_safety_plan(member.id)
    blocks = translated.safety_blocks(member, services.current_safety_plan(member), translated.for_family(member.family_id))
    network = family_safety.current(member.family_id).network
    network_form = NetworkToSafetyPlanForm(formdata=None, prefix="network", meta={"csrf": False})
    network_form.person.choices = [(p.id, p.name) for p in network]
    page = render_template(
        "plans/edit_safety_plan.html", member=member, form=form, draft=draft, published=published,
        statuses_by_block={b.ref: b.statuses for b in blocks}, translation_gaps=translated.missing_for(blocks),
        network_form=network_form if network else None,
    )
    return page, (400 if form.errors else 200)


def _save_safety_plan(member: FamilyMember) -> tuple[str, int] | None:
    """Save the safety plan as typed; if something needs fixing the editor comes back (returned here) with every word."""
    form = SafetyPlanForm()
    if not form.validate_on_submit():
        return _safety_editor(member, form)
    services.save_safety_plan(member, current_user.id, forms.safety_rows(form), offline_allowed=bool(form.offline_allowed.data))
    return None


@bp.route("/staff/members/<int:member_id>/safety-plan", methods=["GET", "POST"])
@staff_required
def edit_safety_plan(member_id: int) -> Any:
    member = _safety_plan_member_or_404(member_id)
    if request.method == "GET":
        return _safety_editor(member)
    if (editor := _save_safety_plan(member)) is not None:
        return editor
    flash(_("Draft saved. %(name)s will see it when you publish it.", name=member.display_name), "success")
    return redirect(url_for("plans.edit_safety_plan", member_id=member.id))


@bp.route("/staff/members/<int:member_id>/safety-plan/publish", methods=["POST"])
@staff_required
def publish_safety_plan(member_id: int) -> Any:
    member = policy.member_or_404(current_user, member_id)
    # The Publish button sends the editor too: what the worker sees is what the young person gets.
    if policy.has_safety_plan(member) and "safe_people-0-name" in request.form:
        if (editor := _save_safety_plan(member)) is not None:
            return editor
    draft = services.current_safety_draft(member.id)
    if draft is None or not ConfirmForm().validate_on_submit():
        flash(_("There is no draft to publish. Save a draft first."), "error")
        return redirect(url_for("plans.edit_safety_plan", member_id=member.id))
    services.publish_safety_plan(draft, current_user.id)
    flash(_("The safety plan is published. %(name)s has been told.", name=member.display_name), "success")
    content = SafetyPlanContent.from_json(draft.content)
    _warn_untranslated(translated.missing_for(translated.safety_blocks(member, content, translated.for_family(member.family_id))))
    return redirect(url_for("plans.edit_safety_plan", member_id=member.id))


# --- Staff: the family and network safety plan (seed 003's four steps, seed 004's rows).


def _family_safety_editor(family: Family, form: FamilySafetyPlanForm | None = None, *, status: int = 0) -> tuple[str, int]:
    content = family_safety.current(family.id)
    form = form or forms.family_safety_form(content, policy.network_members(family))
    plan, _draft = services.current_plan(family)
    blocks = translated.family_safety_blocks(family, content, translated.for_family(family.id))
    page = render_template(
        "plans/edit_family_safety_plan.html",
        family=family,
        form=form,
        content=content,
        tasks={t.id: t for t in content.tasks},
        draft=family_safety.current_draft(family.id),
        published=family_safety.latest_published(family.id),
        bottom_lines=plan.sections["bottom_lines"],
        statuses_by_block={b.ref: b.statuses for b in blocks},
        translation_gaps=translated.missing_for(blocks),
    )
    return page, status or (400 if form.errors else 200)


def _save_family_safety(family: Family) -> tuple[str, int] | None:
    """Save the editor as typed; if something needs fixing, or the page named rows no longer there, the
    editor comes back (returned here) with every word as typed and nothing saved."""
    saved = family_safety.current(family.id)
    form = forms.family_safety_form(None, policy.network_members(family), network=saved.network)
    if not form.validate_on_submit():
        return _family_safety_editor(family, form)
    content, progress = forms.family_safety_edit(form)
    try:
        family_safety.save(family, current_user.id, family_safety.FamilySafetyEdit(content, progress))
    except family_safety.RowGone:
        flash(_("Part of this page is no longer in the plan: someone may have changed it since you opened it. "
                "Nothing was saved, and the plan is shown as it is now with your words."), "error")
        return _family_safety_editor(family, form, status=409)
    return None


@bp.route("/staff/families/<int:family_id>/family-safety-plan", methods=["GET", "POST"])
@staff_required
def edit_family_safety_plan(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if request.method == "GET":
        return _family_safety_editor(family)
    if (editor := _save_family_safety(family)) is not None:
        return editor
    flash(_("Draft saved. The family will see it when you publish it."), "success")
    return redirect(url_for("plans.edit_family_safety_plan", family_id=family.id))


@bp.route("/staff/families/<int:family_id>/family-safety-plan/publish", methods=["POST"])
@staff_required
def publish_family_safety_plan(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    # What the worker sees is what the family gets: the words typed since the last save go too.
    if "timeline-0-week" in request.form and (editor := _save_family_safety(family)) is not None:
        return editor
    draft = family_safety.current_draft(family.id)
    if draft is None or not ConfirmForm().validate_on_submit():
        flash(_("There is no draft to publish. Save a draft first."), "error")
        return redirect(url_for("plans.edit_family_safety_plan", family_id=family.id))
    family_safety.publish(draft, current_user.id)
    flash(_("The family safety plan is published. Parents, carers and the network people it names have been told."), "success")
    content = FamilySafetyPlanContent.from_json(draft.content)
    _warn_untranslated(translated.missing_for(translated.family_safety_blocks(family, content, translated.for_family(family.id))))
    return redirect(url_for("plans.edit_family_safety_plan", family_id=family.id))


@bp.route("/staff/families/<int:family_id>/family-safety-plan/versions")
@staff_required
def family_safety_plan_versions(family_id: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    return render_template("plans/family_safety_versions.html", family=family, versions=family_safety.versions(family.id))


@bp.route("/staff/families/<int:family_id>/family-safety-plan/versions/<int:number>")
@staff_required
def family_safety_plan_version(family_id: int, number: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    found = family_safety.version(family.id, number)
    if found is None:
        abort(404)
    audit.record("family_safety_plan_version_viewed", family_id=family.id, target=f"family-safety-plan:{number}")
    content = FamilySafetyPlanContent.from_json(found.content)
    return render_template(
        "plans/family_safety_version.html", family=family, version=found, plan=content, names={p.id: p.name for p in content.network},
        shown=lambda row_id, part, text: Shown(text, "en", "ltr"),
    )


@bp.route("/staff/members/<int:member_id>/safety-plan/network", methods=["POST"])
@staff_required
def add_network_person(member_id: int) -> Any:
    """One step from "who is involved" to a young person's safe people: their name and how to reach them are copied."""
    member = _safety_plan_member_or_404(member_id)
    # Sent with the safety plan's own form, whose token the app checks for every request.
    form = NetworkToSafetyPlanForm(prefix="network", meta={"csrf": False})
    person = family_safety.network_person(member.family_id, form.person.data or "")
    if person is not None and "safe_people-0-name" in request.form and (editor := _save_safety_plan(member)) is not None:
        return editor
    if not form.validate_on_submit() or person is None:
        flash(_("That person is not in the family's network any more. Nothing was added."), "error")
        return redirect(url_for("plans.edit_safety_plan", member_id=member.id))
    family_safety.add_network_person_to_safety_plan(services.safety_draft(member, current_user.id), person)
    flash(_("%(name)s was added to the draft as a safe person.", name=person.name), "success")
    return redirect(url_for("plans.edit_safety_plan", member_id=member.id))


# --- Parents and carers (and network members, the parts that name them) read the family safety plan.


@bp.route("/my/family-safety-plan")
@member_required
def my_family_safety_plan() -> str:
    member = policy.own_member(current_user)
    assert member is not None
    if not policy.may_read_family_safety_plan(member):
        abort(404)
    found = family_safety.latest_published(member.family_id)
    _mark_read("family_safety_plan_published")
    if found is None:
        return render_template("plans/my_family_safety_plan.html", version=None, plan=None, member=member)
    parts = policy.family_safety_parts_for(FamilySafetyPlanContent.from_json(found.content), member)
    assert parts is not None
    translations, language = translated.for_family(member.family_id), translated.reading_language(member)

    def shown(row_id: str, part: str, text: str) -> Any:
        return translations.shown(translated.family_safety_block(row_id, part), text, language)

    bottom_lines = None
    if policy.reads_bottom_lines_with_family_safety_plan(member) and (plan_version := services.latest_published(member.family_id)):
        plan = PlanContent.from_json(plan_version.content)
        text = dict(policy.plan_sections_for(plan, member)).get("bottom_lines", "")
        if text.strip():
            bottom_lines = translations.shown(translated.section_block("bottom_lines", policy.plan_version_for(member)), text, language)
    return render_template(
        "plans/my_family_safety_plan.html", version=found, plan=parts, member=member, shown=shown, bottom_lines=bottom_lines,
        names={p.id: p.name for p in parts.network},
    )


# --- Young people and parents read their version.


def _mark_read(kind: str) -> None:
    notifications.mark_read(current_user.id, kind=NotificationKind(kind))


# How wide a picture stands beside the words on a phone, in CSS pixels.
PICTURE_WIDTH = 96


def _shown_pictures(blocks: dict[str, list[PictureRef]], family_id: int) -> dict[str, list[ShownPicture]]:
    """Each block's pictures as the page draws them: shipped ones with their translated names, uploaded ones with the worker's words."""
    uploaded = {p.id: p for p in services.family_pictures(family_id)}
    shown: dict[str, list[ShownPicture]] = {}
    for block, refs in blocks.items():
        row = []
        for ref in refs:
            if (shipped := shipped_pictures.BY_KEY.get(ref.shipped)) is not None:
                row.append(ShownPicture(shipped.file, "", str(shipped.label), mirror=shipped.mirror))
            elif (picture := uploaded.get(ref.uploaded)) is not None:
                height = round(PICTURE_WIDTH * picture.height / picture.width) if picture.width else PICTURE_WIDTH
                # Translators: the alt text of a picture a worker drew or chose for a child's plan, when they did not say what is in it.
                alt, lang = (picture.description, "en") if picture.description else (_("A picture from your worker"), None)
                row.append(ShownPicture("", url_for("plans.plan_picture", picture_id=picture.id), alt, lang, width=PICTURE_WIDTH, height=height))
        if row:
            shown[block] = row
    return shown


@bp.route("/my/plan")
@member_required
def my_plan() -> str:
    member = policy.own_member(current_user)
    assert member is not None
    if not policy.may_read_plan(member):
        abort(404)
    version = services.latest_published(member.family_id)
    _mark_read("plan_published")
    if version is None:
        return render_template("plans/my_plan.html", version=None, member=member)
    content = PlanContent.from_json(version.content)
    translations, language = translated.for_family(member.family_id), translated.reading_language(member)
    own_version = policy.plan_version_for(member)
    worries = policy.plan_worries_for(content, member)
    actions = policy.plan_actions_for(content, member)
    pairs = policy.plan_pairs_for(content, member)
    return render_template(
        "plans/my_plan.html",
        version=version,
        member=member,
        sections=[
            (key, translations.shown(translated.section_block(key, own_version), text, language))
            for key, text in policy.plan_sections_for(content, member)
        ],
        titles={s.key: s for s in SECTIONS},
        worries=[(w, translations.shown(translated.worry_block(w.id, "wording"), w.wording, language)) for w in worries],
        actions=[(a, translated.shown_action(translations, a, member)) for a in actions],
        pairs=[translated.shown_pair(translations, pair.id, danger, goal, member) for pair, danger, goal in pairs],
        pair_ids=[pair.id for pair, _danger, _goal in pairs],
        quotes=policy.plan_quotes_for(content, member),
        pictures=_shown_pictures(policy.plan_pictures_for(content, member), member.family_id),
        next_review=content.next_review,
        next_taf=content.next_taf,
        language=current_language(),
    )


@bp.route("/my/safety-plan", methods=["GET", "POST"])
@member_required
def my_safety_plan() -> Any:
    member = policy.own_member(current_user)
    assert member is not None
    if not policy.has_safety_plan(member):
        abort(404)
    version = services.latest_published_safety_plan(member.id) if policy.may_read_safety_plan(member) else None
    form = KeepOnPhoneForm()
    if form.validate_on_submit() and member.safety_plan_offline_allowed:
        services.keep_safety_plan_on_phone(member, bool(form.keep.data))
        flash(
            _("Your safety plan will stay on this phone until you sign out.") if member.safety_plan_offline_chosen
            else _("Your safety plan will not be kept on this phone."),
            "success",
        )
        return redirect(url_for("plans.my_safety_plan"))
    form.keep.data = member.safety_plan_offline_chosen
    _mark_read("safety_plan_published")
    keep_offline = version is not None and policy.may_keep_safety_plan_offline(member)
    plan = SafetyPlanContent.from_json(version.content) if version else None
    translations, language = translated.for_family(member.family_id), translated.reading_language(member)

    def shown(row_id: str, part: str, text: str) -> Any:
        return translations.shown(translated.safety_block(row_id, part), text, language)

    return render_template(
        "plans/my_safety_plan.html", version=version, plan=plan, member=member, form=form, keep_offline=keep_offline, shown=shown
    )
