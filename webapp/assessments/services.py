"""Parents' comments on their assessment: saving them, and handing them to reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.assessments.models import Assessment, AssessmentComment, AssessmentSection
from webapp.db import MAX_ID, db_session, utcnow
from webapp.families.models import FamilyMember

MAX_COMMENT = 5000
AGREE_CHOICES = ("yes", "partly", "no")


def agree_labels() -> dict[str, str]:
    return {
        # Translators: a parent's answer to "Do you agree?": yes / partly / no.
        "yes": str(_l("Yes")),
        # Translators: a parent's answer to "Do you agree?": agrees in part (yes / partly / no).
        "partly": str(_l("Partly")),
        # Translators: a parent's answer to "Do you agree?": yes / partly / no.
        "no": str(_l("No")),
    }


class CommentRefused(ValueError):
    """The comment can't be saved; `reason` is a key the view turns into words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def save_comment(
    assessment: Assessment, member: FamilyMember, section_id: int | None, agree: str, text: str, language: str
) -> AssessmentComment | None:
    """Create or update the member's comment on one section (None: the whole assessment). The request commits.

    Nothing is stored for a part the member left blank and never answered.
    """
    if not assessment.is_open:
        raise CommentRefused("closed")
    if agree not in ("", *AGREE_CHOICES):
        raise CommentRefused("bad_choice")
    if len(text) > MAX_COMMENT:
        raise CommentRefused("too_long")
    section = None
    if section_id is not None:
        # A number no id can be (2**70 from a hand-made request) is refused before the database sees it.
        section = db_session().get(AssessmentSection, section_id) if 0 < section_id <= MAX_ID else None
        if section is None or section.assessment_id != assessment.id:
            raise CommentRefused("bad_section")
    key = section.id if section else 0
    comment = db_session().scalar(
        select(AssessmentComment).where(
            AssessmentComment.assessment_id == assessment.id,
            AssessmentComment.member_id == member.id,
            AssessmentComment.section_key == key,
        )
    )
    if comment is None and not agree and not text.strip():
        return None
    if comment is None:
        comment = AssessmentComment(
            assessment_id=assessment.id, member_id=member.id, section_id=section.id if section else None, section_key=key
        )
        db_session().add(comment)
    comment.agree = agree
    comment.text = text
    comment.language = language
    comment.updated_at = utcnow()
    return comment


def comments_by_section(assessment: Assessment) -> dict[int, list[AssessmentComment]]:
    """Comments grouped by section id (0 for the whole assessment), for the worker's page."""
    grouped: dict[int, list[AssessmentComment]] = {}
    for comment in sorted(assessment.comments, key=lambda c: (c.section_key, c.member_id)):
        grouped.setdefault(comment.section_key, []).append(comment)
    return grouped


def comments_in_period(family_id: int, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Comments written or changed in [start, end), as reviews import them."""
    rows = db_session().scalars(
        select(AssessmentComment)
        .join(Assessment, Assessment.id == AssessmentComment.assessment_id)
        .where(Assessment.family_id == family_id, AssessmentComment.updated_at >= start, AssessmentComment.updated_at < end)
        .order_by(AssessmentComment.updated_at, AssessmentComment.id)
    ).all()
    labels = agree_labels()
    return [
        {
            "id": c.id,
            "member_id": c.member_id,
            "assessment_title": db_session().get(Assessment, c.assessment_id).title,  # type: ignore[union-attr]
            "section_heading": c.section.heading if c.section else "",
            "agree": c.agree,
            "agree_label": labels.get(c.agree, ""),
            "text": c.text,
            "language": c.language,
            "updated_at": c.updated_at,
        }
        for c in rows
        if c.text.strip() or c.agree
    ]
