"""Workers share an assessment summary with parents; parents say what they think of each part."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from webapp import audit, once, policy
from webapp.assessments import services
from webapp.assessments.forms import MAX_SECTIONS, AssessmentForm, NewAssessmentForm
from webapp.assessments.models import Assessment, AssessmentSection, AssessmentShare
from webapp.auth.guards import member_required, staff_required
from webapp.config import current_language
from webapp.db import db_session, utcnow
from webapp.forms import ConfirmForm, add_error, choices, with_blank_rows
from webapp.translations_content import services as translated

bp = Blueprint("assessments", __name__)


def _refusal_message(error: services.CommentRefused) -> str:
    return {
        "closed": _("Your worker has closed the comments, so they can't be changed now."),
        "bad_choice": _("Please choose Yes, Partly or No."),
        "too_long": ngettext(
            "Please write at most %(num)d character.", "Please write at most %(num)d characters.", services.MAX_COMMENT
        ),
        "bad_section": _("Something went wrong with this form. Please reload the page."),
    }[error.reason]


# --- Staff


@bp.route("/staff/families/<int:family_id>/assessments", methods=["GET", "POST"])
@staff_required
def family_assessments(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    form = NewAssessmentForm()
    if form.validate_on_submit():
        assessment = Assessment(family_id=family.id, title=form.title.data or "", created_by_id=current_user.id)
        db_session().add(assessment)
        db_session().flush()
        audit.record("assessment_created", family_id=family.id, target=f"assessment:{assessment.id}")
        return redirect(url_for("assessments.edit", assessment_id=assessment.id))
    assessments = db_session().scalars(select(Assessment).where(Assessment.family_id == family.id).order_by(Assessment.created_at.desc())).all()
    return render_template("assessments/family_assessments.html", family=family, form=form, assessments=assessments), (400 if form.errors else 200)


def _edit_form(assessment: Assessment, *, from_request: bool) -> AssessmentForm:
    data = None
    if not from_request:
        data = {
            "title": assessment.title,
            "sections": with_blank_rows([{"section_id": s.id, "heading": s.heading, "body": s.body} for s in assessment.sections], 2, MAX_SECTIONS),
            "shared_with": [share.member_id for share in assessment.shares],
        }
    form = AssessmentForm() if from_request else AssessmentForm(formdata=None, data=data)
    form.shared_with.choices = choices((m.id, m.display_name) for m in policy.shareable_members(assessment.family))
    return form


def _summary_editor(assessment: Assessment, form: AssessmentForm) -> tuple[str, int]:
    audit.record("assessment_comments_viewed", family_id=assessment.family_id, target=f"assessment:{assessment.id}")
    return render_template(
        "assessments/edit.html",
        assessment=assessment,
        form=form,
        comments=services.comments_by_section(assessment),
        comments_english=translated.english_of(assessment.family_id, "assessment-comment", (c.id for c in assessment.comments)),
        labels=services.agree_labels(),
    ), (400 if form.errors else 200)


def _save_summary(assessment: Assessment) -> tuple[str, int] | None:
    """Save the summary as typed; if something needs fixing the editor comes back (returned here) with every word."""
    form = _edit_form(assessment, from_request=True)
    if not (form.validate_on_submit() and _sections_kept(assessment, form)):
        return _summary_editor(assessment, form)
    assessment.title = form.title.data or ""
    _save_sections(assessment, form.sections.data)
    chosen = set(form.shared_with.data or [])
    assessment.shares = [s for s in assessment.shares if s.member_id in chosen] + [
        AssessmentShare(member_id=member_id) for member_id in chosen - {s.member_id for s in assessment.shares}
    ]
    assessment.updated_at = utcnow()
    audit.record("assessment_saved", family_id=assessment.family_id, target=f"assessment:{assessment.id}")
    return None


@bp.route("/staff/assessments/<int:assessment_id>", methods=["GET", "POST"])
@staff_required
def edit(assessment_id: int) -> Any:
    assessment = policy.staff_assessment_or_404(current_user, assessment_id)
    if request.method == "GET":
        return _summary_editor(assessment, _edit_form(assessment, from_request=False))
    if (editor := _save_summary(assessment)) is not None:
        return editor
    flash(_("Saved. The parents and carers you chose can read it and comment."), "success")
    return redirect(url_for("assessments.edit", assessment_id=assessment.id))


def _row_section(assessment: Assessment, row: dict[str, Any]) -> AssessmentSection | None:
    """The saved section a row of the form stands for (an id from elsewhere is a new section)."""
    raw = str(row.get("section_id") or "")
    return next((s for s in assessment.sections if raw.isdigit() and s.id == int(raw)), None)


def _is_empty(row: dict[str, Any]) -> bool:
    return not row.get("heading") and not row.get("body")


def _sections_kept(assessment: Assessment, form: AssessmentForm) -> bool:
    """A section parents have commented on is never removed: their words would go with it."""
    kept = {section.id for row in form.sections.data if not _is_empty(row) and (section := _row_section(assessment, row))}
    commented = {c.section_key for c in assessment.comments}
    removed = []
    for row_field, row in zip(form.sections, form.sections.data, strict=True):
        section = _row_section(assessment, row)
        if section is not None and section.id in commented and section.id not in kept:
            message = _("A parent has commented on “%(heading)s”, so it can't be removed. You can change its words.", heading=section.heading)
            add_error(row_field.form.heading, message)
            form.form_errors.append(message)
            removed.append(section)
    return not removed


def _save_sections(assessment: Assessment, rows: list[dict[str, Any]]) -> None:
    """Keep sections in the order written; a row left empty removes its section."""
    kept: list[AssessmentSection] = []
    for row in rows:
        if _is_empty(row):
            continue
        heading, body = row.get("heading") or "", row.get("body") or ""
        section = _row_section(assessment, row)
        if section is None or section in kept:
            # Translators: an assessment section without a heading.
            section = AssessmentSection(heading=heading or _("Untitled section"), body=body)
        section.heading, section.body, section.position = heading or section.heading, body, len(kept)
        kept.append(section)
    assessment.sections = kept


@bp.route("/staff/assessments/<int:assessment_id>/close", methods=["POST"])
@staff_required
def close(assessment_id: int) -> Any:
    assessment = policy.staff_assessment_or_404(current_user, assessment_id)
    # The button sends the summary editor too, so that nothing typed there is lost.
    if "title" in request.form and (editor := _save_summary(assessment)) is not None:
        return editor
    if ConfirmForm().validate_on_submit():
        assessment.comments_closed_at = None if assessment.comments_closed_at else utcnow()
        audit.record("assessment_comments_closed" if assessment.comments_closed_at else "assessment_comments_reopened",
                     family_id=assessment.family_id, target=f"assessment:{assessment.id}")
        # Translators: message after the worker closes the comments on an assessment.
        flash(_("Comments are closed.") if assessment.comments_closed_at else _("Comments are open again."), "success")
    return redirect(url_for("assessments.edit", assessment_id=assessment.id))


# --- Parents and carers


@bp.route("/my/assessments")
@member_required
def my_assessments() -> str:
    assessments = db_session().scalars(policy.shared_assessments(current_user).order_by(Assessment.created_at.desc())).all()
    return render_template("assessments/my_assessments.html", assessments=assessments)


def _own_comments(assessment: Assessment) -> dict[int, Any]:
    member = policy.own_member(current_user)
    return {c.section_key: c for c in assessment.comments if member is not None and c.member_id == member.id}


@bp.route("/my/assessments/<int:assessment_id>", methods=["GET", "POST"])
@member_required
def read(assessment_id: int) -> Any:
    assessment = policy.shared_assessment_or_404(current_user, assessment_id)
    member = policy.own_member(current_user)
    assert member is not None
    errors: dict[int, str] = {}
    if request.method == "POST":
        keys = [0] + [s.id for s in assessment.sections]

        def save_all() -> dict[int, str]:
            refused = {}
            for key in keys:
                agree = request.form.get(f"agree-{key}", "")
                text = request.form.get(f"text-{key}", "")
                try:
                    services.save_comment(assessment, member, key or None, agree, text, current_language())
                except services.CommentRefused as error:
                    refused[key] = _refusal_message(error)
            if refused:
                db_session().rollback()
            return refused

        # Sent twice at once (a double tap): both copies end up changing the same comments.
        errors = once.upsert(save_all)
        if not errors:
            flash(_("Thank you. Your comments are saved. You can change them until your worker closes the comments."), "success")
            return redirect(url_for("assessments.read", assessment_id=assessment.id))
    return render_template(
        "assessments/read.html",
        assessment=assessment,
        mine=_own_comments(assessment),
        errors=errors,
        form_values=request.form if errors else None,
        labels=services.agree_labels(),
        agree_choices=services.AGREE_CHOICES,
    ), (400 if errors else 200)


@bp.route("/my/assessments/<int:assessment_id>/comment", methods=["POST"])
@member_required
def save_one(assessment_id: int) -> tuple[Response, int]:
    """One comment saved as it is written (the page's script posts here)."""
    assessment = policy.shared_assessment_or_404(current_user, assessment_id)
    member = policy.own_member(current_user)
    assert member is not None
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error=_("Something went wrong with this form. Please reload the page.")), 400
    section = payload.get("section")
    if section not in (None, 0) and not isinstance(section, int):
        return jsonify(error=_("Something went wrong with this form. Please reload the page.")), 400
    try:
        comment = once.upsert(
            lambda: services.save_comment(
                assessment, member, section or None, str(payload.get("agree") or ""), str(payload.get("text") or ""), current_language()
            )
        )
    except services.CommentRefused as error:
        db_session().rollback()
        return jsonify(error=_refusal_message(error)), 400
    return jsonify(saved_at=format_datetime(comment.updated_at if comment else utcnow(), "short")), 200
