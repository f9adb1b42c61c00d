"""A review is made final by the team manager's sign-off: the worker submits it with a comment, the
manager signs it off or returns it with theirs. Every step is kept (review_sign_offs) and is part
of the review's record. Who may take each step is policy.py's; this module makes the change."""

from __future__ import annotations

from webapp import audit
from webapp.auth.models import User
from webapp.db import db_session, utcnow
from webapp.families.models import Family
from webapp.notifications import services as notifications
from webapp.reviews.models import DRAFT, FINAL, SUBMITTED, Review, ReviewSignOff, SignOffStep


def _step(review: Review, step: SignOffStep, by: User, comment: str) -> None:
    now = utcnow()
    review.sign_offs.append(ReviewSignOff(step=step.value, by_id=by.id, at=now, comment=comment))
    review.updated_at = now


def submit(review: Review, by: User, comment: str) -> None:
    """Send a draft review to the family's team managers; it can no longer be changed unless returned."""
    review.status = SUBMITTED
    _step(review, SignOffStep.SUBMITTED, by, comment)
    db_session().flush()
    notifications.review_submitted(review, db_session().get_one(Family, review.family_id), by)
    audit.record("review_submitted", family_id=review.family_id, target=f"review:{review.id}")


def _submitter(review: Review) -> int:
    return [step.by_id for step in review.sign_offs if step.step == SignOffStep.SUBMITTED][-1]


def sign_off(review: Review, by: User, comment: str) -> None:
    """The manager's sign-off: the review is final from now on."""
    worker_id = _submitter(review)
    review.status = FINAL
    _step(review, SignOffStep.SIGNED_OFF, by, comment)
    review.finalised_at = review.updated_at
    notifications.review_decided(review, worker_id, signed_off=True)
    audit.record("review_signed_off", family_id=review.family_id, target=f"review:{review.id}")


def return_to_worker(review: Review, by: User, comment: str) -> None:
    """The manager sends the review back: a draft again, for the worker to change and submit again."""
    worker_id = _submitter(review)
    review.status = DRAFT
    _step(review, SignOffStep.RETURNED, by, comment)
    notifications.review_decided(review, worker_id, signed_off=False)
    audit.record("review_returned", family_id=review.family_id, target=f"review:{review.id}")
