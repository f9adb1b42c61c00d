"""A member's own data as a zip: a page to read, the same data as JSON, and their photos.

Only what the member sent themselves (and the replies to it): never another member's entries,
even ones shared with them. A parent or network member also gets the family safety plan as they read it.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import date, datetime
from typing import IO, Any

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp import policy
from webapp.assessments.models import AssessmentComment
from webapp.assessments.services import agree_labels
from webapp.closure.models import GoodbyeViews
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.entries.presenter import Feeling, PresentedEntry, present
from webapp.families.models import ConsentRecord, FamilyMember
from webapp.photos.models import Photo, PhotoData
from webapp.plans import family_safety_services as family_safety
from webapp.plans.family_safety import FamilySafetyPlanContent
from webapp.plans.models import SafetyPlanAgreement
from webapp.reviews.models import Review, ReviewComment
from webapp.worries.models import Worry, WorryScore

# Small zips stay in memory; one with many photos goes to a temporary file.
_IN_MEMORY_BYTES = 8 * 1024 * 1024


def _answers(shown: PresentedEntry) -> list[dict[str, str]]:
    """Each answer with its question, in the page's language, in the order the questions were asked."""
    return [{"key": answer.key, "question": answer.question, "answer": answer.answer, "value": answer.value} for answer in shown.answers]


def _feeling(feeling: Feeling | None) -> str | None:
    if feeling is None:
        return None
    return f"{feeling.emoji} {feeling.word}" if feeling.emoji else feeling.word


def _photo(photo: Photo) -> dict[str, Any]:
    return {
        "id": photo.id,
        "file": f"photos/{photo.id}.jpg",
        "caption": photo.caption,
        "sent_at": photo.created_at,
        "entry_id": photo.entry_id,
        "width": photo.width,
        "height": photo.height,
    }


def member_data(member: FamilyMember) -> dict[str, Any]:
    """Everything the member sent, and the replies to it, as plain data."""
    db = db_session()
    photos = db.scalars(select(Photo).where(Photo.member_id == member.id).order_by(Photo.created_at, Photo.id)).all()
    photos_by_entry: dict[int, list[Photo]] = {}
    for photo in photos:
        if photo.entry_id is not None:
            photos_by_entry.setdefault(photo.entry_id, []).append(photo)
    entries = db.scalars(
        select(Entry)
        .where(Entry.member_id == member.id)
        .options(selectinload(Entry.replies).selectinload(EntryReply.author))
        .order_by(Entry.created_at, Entry.id)
    ).all()
    names = {m.id: m.display_name for m in member.family.members}
    scores = db.execute(
        select(WorryScore, Worry.wording)
        .join(Worry, Worry.id == WorryScore.worry_id)
        .where(WorryScore.member_id == member.id)
        .order_by(WorryScore.created_at, WorryScore.id)
    ).all()
    comments = db.scalars(
        select(AssessmentComment).where(AssessmentComment.member_id == member.id).order_by(AssessmentComment.updated_at)
    ).all()
    labels = agree_labels()
    consents = db.scalars(
        select(ConsentRecord).where(ConsentRecord.member_id == member.id).order_by(ConsentRecord.recorded_at)
    ).all()
    # The photos were loaded once above, so presenting an entry asks for nothing more.
    presented = [(entry, present(entry, photos_by_entry.get(entry.id, []))) for entry in entries]
    return {
        "made_at": utcnow(),
        "person": {"name": member.display_name, "language": member.preferred_language},
        "entries": [
            {
                "id": shown.id,
                "kind": shown.kind,
                "title": shown.title,
                "sent_at": shown.created_at,
                "language": shown.language,
                "feeling": _feeling(shown.feeling),
                "shared_with_family": shown.shared_with_family,
                "urgent": shown.urgent,
                "answers": _answers(shown),
                "replies": [
                    {"from": reply.author.display_name, "sent_at": reply.created_at, "text": reply.body}
                    for reply in entry.replies
                ],
                "photos": [_photo(photo) for photo in photos_by_entry.get(entry.id, [])],
            }
            for entry, shown in presented
        ],
        "worry_scores": [
            {
                "worry": wording,
                "about": names.get(score.about_member_id, "") if score.about_member_id else "",
                "score": score.score,
                "what_makes_it": score.what_makes_it,
                "one_point_higher": score.one_point_higher,
                "language": score.language,
                "sent_at": score.created_at,
            }
            for score, wording in scores
        ],
        "photos": [_photo(photo) for photo in photos],
        "assessment_comments": [
            {
                "assessment": comment.assessment.title,
                # Translators: part of an assessment or review about the whole picture, not one section.
                "section": comment.section.heading if comment.section else str(_l("Overall")),
                "agree": labels.get(comment.agree, ""),
                "text": comment.text,
                "language": comment.language,
                "changed_at": comment.updated_at,
            }
            for comment in comments
        ],
        # Their comments on the reviews shared with them in plain language.
        "review_comments": [
            {"review_period": f"{period_start.isoformat()} / {period_end.isoformat()}", "text": body, "language": language, "sent_at": at}
            for body, language, at, period_start, period_end in db.execute(
                select(ReviewComment.body, ReviewComment.language, ReviewComment.created_at, Review.period_start, Review.period_end)
                .join(Review, Review.id == ReviewComment.review_id)
                .where(ReviewComment.member_id == member.id)
                .order_by(ReviewComment.created_at, ReviewComment.id)
            )
        ],
        "privacy_notice_answers": [
            {"agreed": record.agreed, "notice_version": record.notice_version, "answered_at": record.recorded_at}
            for record in consents
        ],
        "goodbye_views": [
            {"answer": views.answer, "what_was_good": views.what_was_good, "could_be_better": views.could_be_better,
             "what_will_help": views.what_will_help, "language": views.language, "answered_at": views.answered_at}
            for views in db.scalars(
                select(GoodbyeViews).where(GoodbyeViews.member_id == member.id, GoodbyeViews.answered_at.is_not(None)).order_by(GoodbyeViews.id)
            )
        ],
        "family_safety_plan": _family_safety_plan(member),
        "family_safety_plan_agreements": [
            {"version": agreement.version.number, "agreed_at": agreement.agreed_at}
            for agreement in db.scalars(
                select(SafetyPlanAgreement).where(SafetyPlanAgreement.member_id == member.id).order_by(SafetyPlanAgreement.agreed_at)
            )
        ],
    }


def _family_safety_plan(member: FamilyMember) -> dict[str, Any] | None:
    """The family safety plan as the member reads it (the latest published version, the parts they may read), if any."""
    version = family_safety.latest_published(member.family_id)
    parts = policy.family_safety_parts_for(FamilySafetyPlanContent.from_json(version.content), member) if version else None
    if version is None or parts is None or parts.is_empty():
        return None
    return {"version": version.number, "published_at": version.published_at, **parts.to_json()}


def _json_value(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def build_zip(member: FamilyMember) -> IO[bytes]:
    """The zip, ready to send from its start: index.html, data.json and photos/<id>.jpg."""
    data = member_data(member)
    page = render_template("dataprotection/my_data.html", data=data)
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY_BYTES)  # noqa: SIM115 (send_file closes it)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", page)
        archive.writestr("data.json", json.dumps(data, default=_json_value, ensure_ascii=False, indent=2))
        images = db_session().execute(
            select(PhotoData.photo_id, PhotoData.image)
            .join(Photo, Photo.id == PhotoData.photo_id)
            .where(Photo.member_id == member.id)
            .order_by(PhotoData.photo_id)
            .execution_options(yield_per=16)
        )
        for photo_id, image in images:
            # JPEGs are compressed already: stored as they are.
            archive.writestr(f"photos/{photo_id}.jpg", image, compress_type=zipfile.ZIP_STORED)
    out.seek(0)
    return out
