"""Workers write the family plan and each young person's safety plan; families read their version."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from webapp import audit, policy
from webapp.auth.guards import member_required, staff_required
from webapp.clock import local_today
from webapp.config import current_language
from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember, MemberRole
from webapp.forms import choices, with_blank_rows
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.plans import readability, services
from webapp.plans.forms import MAX_ROWS, ActionForm, KeepOnPhoneForm, PlanForm, ProgressForm, SafetyPlanForm
from webapp.plans.models import DRAFT, PUBLISHED, PlanVersion, SafetyPlanVersion
from webapp.plans.sections import SECTIONS, empty_plan
from webapp.staff.forms import ConfirmForm
from webapp.worries.models import Worry

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


@bp.app_template_filter("isodate")
def isodate_filter(value: str | None) -> date | None:
    """A date kept as text in a plan's JSON, as a date for formatting."""
    return _date(value)


@bp.app_template_filter("member_name")
def member_name_filter(member_id: int, members: dict[int, FamilyMember]) -> str:
    member = members.get(member_id)
    return member.display_name if member else "?"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _member_choices(family: Family) -> list[Any]:
    return choices((m.id, m.display_name) for m in family.members)


def _current_content(family: Family) -> tuple[dict[str, Any], PlanVersion | None]:
    db = db_session()
    draft = db.scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == DRAFT))
    if draft is not None:
        return draft.content, draft
    published = services.latest_published(family.id)
    return (published.content if published else empty_plan()), None


# --- Staff: the family plan.


def _fill(form: Any, content: dict[str, Any]) -> None:
    for s in SECTIONS:
        section = content.get("sections", {}).get(s.key, {})
        form[f"{s.key}__young_person"].data = section.get("young_person", "")
        form[f"{s.key}__parent"].data = section.get("parent", "")
        form[f"{s.key}__hidden"].data = section.get("hidden_from", [])
    form.actions_hidden.data = content.get("actions_hidden_from", [])
    form.next_review.data = _date(content.get("next_review"))
    form.next_taf.data = _date(content.get("next_taf"))


def _plan_form(family: Family, *, from_request: bool = True) -> Any:
    form = PlanForm() if from_request else PlanForm(formdata=None)
    for section in SECTIONS:
        form[f"{section.key}__hidden"].choices = _member_choices(family)
    form.actions_hidden.choices = _member_choices(family)
    return form


def _progress_forms(count: int, *, from_request: bool) -> list[ProgressForm]:
    """A progress box for each action, named after it, all in the one editor form (its token was checked already)."""
    formdata = request.form if from_request else None
    return [ProgressForm(formdata=formdata, prefix=f"progress-{index}", meta={"csrf": False}) for index in range(count)]


def _editor(
    family: Family, form: Any, action_form: ActionForm | None = None, progress_forms: list[ProgressForm] | None = None
) -> tuple[str, int]:
    content, draft = _current_content(family)
    worries = db_session().scalars(
        select(Worry).where(Worry.family_id == family.id, Worry.archived_at.is_(None), Worry.owner_member_id.is_(None)).order_by(Worry.id)
    ).all()
    action_form = action_form or ActionForm(formdata=None, meta={"csrf": False})
    progress_forms = progress_forms or _progress_forms(len(content.get("actions", [])), from_request=False)
    page = render_template(
        "plans/edit_plan.html",
        family=family,
        form=form,
        draft=draft,
        published=services.latest_published(family.id),
        content=content,
        sections=SECTIONS,
        worries=worries,
        action_form=action_form,
        progress_forms=progress_forms,
    )
    failed = form.errors or action_form.errors or any(f.errors for f in progress_forms)
    return page, (400 if failed else 200)


def _plan_posted() -> bool:
    """Whether the request brought the whole plan, as every button of the editor sends it.

    A request with only an action or an update leaves the plan's words as they were.
    """
    return f"{SECTIONS[0].key}__young_person" in request.form


def _typed(form: Any) -> bool:
    """Whether anything was typed in the form's boxes."""
    return any(isinstance(value, str) and value.strip() for f in form if f.type != "SubmitField" for value in f.raw_data or [])


def _save_editor(
    family: Family, *, add_action: bool = False, progress_at: int | None = None, remove_at: int | None = None
) -> tuple[str, int] | None:
    """Save everything typed in the editor, whichever of its buttons was pressed, and do what that button says.

    Nothing typed is lost: if any part needs fixing, the editor comes back (returned here) with every
    word as typed and nothing saved.
    """
    content, _current = _current_content(family)
    count = len(content.get("actions", []))
    if any(index is not None and not 0 <= index < count for index in (progress_at, remove_at)):
        abort(404)
    whole_plan = _plan_posted()
    form = _plan_form(family, from_request=whole_plan)
    if not whole_plan:
        _fill(form, content)
    action_form = ActionForm(meta={"csrf": False})
    progress_forms = _progress_forms(count, from_request=True)
    new_action = add_action or _typed(action_form)
    updates = {i: f for i, f in enumerate(progress_forms) if i == progress_at or _typed(f)}
    checks = [form.validate() if whole_plan else True, action_form.validate() if new_action else True]
    checks += [f.validate() for f in updates.values()]
    if not all(checks):
        return _editor(family, form, action_form, progress_forms)
    if not (whole_plan or new_action or updates or remove_at is not None):
        return None

    draft = services.draft(family, current_user.id)
    new = dict(draft.content)
    if whole_plan:
        new["sections"] = {
            s.key: {
                "young_person": form[f"{s.key}__young_person"].data or "",
                "parent": form[f"{s.key}__parent"].data or "",
                "hidden_from": list(form[f"{s.key}__hidden"].data or []),
            }
            for s in SECTIONS
        }
        new["actions_hidden_from"] = list(form.actions_hidden.data or [])
        new["next_review"] = _iso(form.next_review.data)
        new["next_taf"] = _iso(form.next_taf.data)
        audit.record("plan_draft_saved", family_id=family.id, target=f"plan:{draft.number}")
    actions = [dict(a) for a in new.get("actions", [])]
    for index, update_form in updates.items():
        actions[index]["progress"] = [*actions[index].get("progress", []), {"date": local_today().isoformat(), "text": update_form.text.data}]
    if new_action:
        actions.append({
            "what": (action_form.what.data or "").strip(),
            "what_young_person": (action_form.what_young_person.data or "").strip(),
            "who": action_form.who.data,
            "by_when": _iso(action_form.by_when.data),
            "progress": [],
        })
    if remove_at is not None:
        del actions[remove_at]
    new["actions"] = actions
    services.save_draft(draft, new)
    db_session().commit()
    return None


@bp.route("/staff/families/<int:family_id>/plan", methods=["GET", "POST"])
@staff_required
def edit_plan(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if request.method == "GET":
        form = _plan_form(family, from_request=False)
        _fill(form, _current_content(family)[0])
        return _editor(family, form)
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


@bp.route("/staff/families/<int:family_id>/plan/actions/<int:index>/progress", methods=["POST"])
@staff_required
def add_progress(family_id: int, index: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if (editor := _save_editor(family, progress_at=index)) is not None:
        return editor
    flash(_("Progress update added to the draft."), "success")
    return redirect(url_for("plans.edit_plan", family_id=family.id) + "#actions")


@bp.route("/staff/families/<int:family_id>/plan/actions/<int:index>/remove", methods=["POST"])
@staff_required
def remove_action(family_id: int, index: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    if (editor := _save_editor(family, remove_at=index)) is not None:
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
    draft = db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == DRAFT))
    if draft is None or not ConfirmForm().validate_on_submit():
        flash(_("There is no draft to publish. Save a draft first."), "error")
        return redirect(url_for("plans.edit_plan", family_id=family.id))
    services.publish(draft, current_user.id)
    db_session().commit()
    flash(_("The plan is published. The family has been told it changed."), "success")
    return redirect(url_for("plans.edit_plan", family_id=family.id))


@bp.route("/staff/families/<int:family_id>/plan/versions")
@staff_required
def plan_versions(family_id: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    versions = db_session().scalars(
        select(PlanVersion).where(PlanVersion.family_id == family.id).order_by(PlanVersion.number.desc())
    ).all()
    return render_template("plans/versions.html", family=family, versions=versions)


@bp.route("/staff/families/<int:family_id>/plan/versions/<int:number>")
@staff_required
def plan_version(family_id: int, number: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    version = db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.number == number))
    if version is None:
        abort(404)
    audit.record("plan_version_viewed", family_id=family.id, target=f"plan:{number}")
    db_session().commit()
    members = {m.id: m for m in family.members}
    return render_template("plans/version.html", family=family, version=version, sections=SECTIONS, members=members)


@bp.route("/staff/plain-language", methods=["POST"])
@staff_required
def plain_language() -> Response:
    """The meter for live use while a worker types."""
    payload = request.get_json(silent=True) or {}
    text = str(payload.get("text", ""))[:5000]
    reading = readability.measure(text)
    return jsonify(reading_age=reading.reading_age, long_sentences=reading.long_sentences, words=reading.words)


# --- Staff: a young person's safety plan.


def _rows(items: list[dict[str, str]], keys: tuple[str, ...]) -> list[dict[str, str]]:
    return [{k: (item.get(k) or "").strip() for k in keys} for item in items if any((item.get(k) or "").strip() for k in keys)]


def _safety_editor(member: FamilyMember, form: SafetyPlanForm | None = None) -> tuple[str, int]:
    db = db_session()
    draft = db.scalar(select(SafetyPlanVersion).where(SafetyPlanVersion.member_id == member.id, SafetyPlanVersion.status == DRAFT))
    published = services.latest_published_safety_plan(member.id)
    if form is None:
        content = draft.content if draft else (published.content if published else {"safe_people": [], "rules": [], "safe_places": []})
        form = SafetyPlanForm(
            formdata=None,
            data={
                "safe_people": with_blank_rows(content.get("safe_people", []), 3, MAX_ROWS),
                "rules": with_blank_rows(content.get("rules", []), 3, MAX_ROWS),
                "safe_places": with_blank_rows([{"place": p} for p in content.get("safe_places", [])], 3, MAX_ROWS),
                "offline_allowed": member.safety_plan_offline_allowed,
            },
        )
    return render_template(
        "plans/edit_safety_plan.html", member=member, form=form, draft=draft, published=published
    ), (400 if form.errors else 200)


def _save_safety_plan(member: FamilyMember) -> tuple[str, int] | None:
    """Save the safety plan as typed; if something needs fixing the editor comes back (returned here) with every word."""
    form = SafetyPlanForm()
    if not form.validate_on_submit():
        return _safety_editor(member, form)
    version = services.safety_draft(member, current_user.id)
    version.content = {
        "safe_people": _rows(form.safe_people.data, ("name", "how_to_reach")),
        "rules": _rows(form.rules.data, ("when", "what")),
        "safe_places": [row["place"] for row in _rows(form.safe_places.data, ("place",))],
    }
    version.updated_at = utcnow()
    member.safety_plan_offline_allowed = bool(form.offline_allowed.data)
    if not member.safety_plan_offline_allowed:
        member.safety_plan_offline_chosen = False
    audit.record("safety_plan_draft_saved", family_id=member.family_id, target=f"member:{member.id}")
    db_session().commit()
    return None


@bp.route("/staff/members/<int:member_id>/safety-plan", methods=["GET", "POST"])
@staff_required
def edit_safety_plan(member_id: int) -> Any:
    member = policy.member_or_404(current_user, member_id)
    if member.role != MemberRole.YOUNG_PERSON:
        abort(404)
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
    if member.role == MemberRole.YOUNG_PERSON and "safe_people-0-name" in request.form:
        if (editor := _save_safety_plan(member)) is not None:
            return editor
    draft = db_session().scalar(
        select(SafetyPlanVersion).where(SafetyPlanVersion.member_id == member.id, SafetyPlanVersion.status == DRAFT)
    )
    if draft is None or not ConfirmForm().validate_on_submit():
        flash(_("There is no draft to publish. Save a draft first."), "error")
        return redirect(url_for("plans.edit_safety_plan", member_id=member.id))
    services.publish_safety_plan(draft, current_user.id)
    db_session().commit()
    flash(_("The safety plan is published. %(name)s has been told.", name=member.display_name), "success")
    return redirect(url_for("plans.edit_safety_plan", member_id=member.id))


# --- Young people and parents read their version.


def _mark_read(kind: str) -> None:
    notifications.mark_read(current_user.id, kind=NotificationKind(kind))
    db_session().commit()


@bp.route("/my/plan")
@member_required
def my_plan() -> str:
    member = policy.own_member(current_user)
    assert member is not None
    if member.restricted:
        abort(404)
    version = services.latest_published(member.family_id)
    _mark_read("plan_published")
    if version is None:
        return render_template("plans/my_plan.html", version=None, member=member)
    content = version.content
    worried_about_hidden = member.id in content.get("sections", {}).get("worried_about", {}).get("hidden_from", [])
    worries = [] if worried_about_hidden else [w for w in content.get("worries", []) if member.id in w.get("members", [])]
    actions = [] if member.id in content.get("actions_hidden_from", []) else content.get("actions", [])
    if member.is_young_person:  # their own words for each action, where the worker wrote them
        actions = [{**a, "what": a.get("what_young_person") or a["what"]} for a in actions]
    return render_template(
        "plans/my_plan.html",
        version=version,
        member=member,
        sections=services.visible_sections(content, member),
        titles={s.key: s for s in SECTIONS},
        worries=worries,
        actions=actions,
        next_review=_date(content.get("next_review")),
        next_taf=_date(content.get("next_taf")),
        language=current_language(),
    )


@bp.route("/my/safety-plan", methods=["GET", "POST"])
@member_required
def my_safety_plan() -> Any:
    member = policy.own_member(current_user)
    assert member is not None
    if member.role != MemberRole.YOUNG_PERSON:
        abort(404)
    version = None if member.restricted else services.latest_published_safety_plan(member.id)
    form = KeepOnPhoneForm()
    if form.validate_on_submit() and member.safety_plan_offline_allowed:
        member.safety_plan_offline_chosen = bool(form.keep.data)
        db_session().commit()
        flash(
            _("Your safety plan will stay on this phone until you sign out.") if member.safety_plan_offline_chosen
            else _("Your safety plan will not be kept on this phone."),
            "success",
        )
        return redirect(url_for("plans.my_safety_plan"))
    form.keep.data = member.safety_plan_offline_chosen
    _mark_read("safety_plan_published")
    keep_offline = version is not None and policy.may_keep_safety_plan_offline(member)
    return render_template("plans/my_safety_plan.html", version=version, member=member, form=form, keep_offline=keep_offline)
