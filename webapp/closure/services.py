"""Closing a family: the worker asks, each young person and parent is asked for their "Saying goodbye" views,
the team manager approves (the family is closed) or declines, each with a comment. Who may take each step is
policy.py's; this module makes the change and never commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp import audit, policy
from webapp.auth.models import User
from webapp.closure.models import ClosureRequest, ClosureStatus, GoodbyeViews, ViewsAnswer
from webapp.closure.records import NEEDS_MET, REASONS, ClosureScores, ScoreLine
from webapp.dataprotection import services as dataprotection
from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.worries import services as worries
from webapp.worries.models import Worry


def latest_scores(family: Family) -> ClosureScores:
    """Each worry's latest score by each person about each child (worries still open), as the scaling groups them."""
    lines = []
    query = select(Worry).where(Worry.family_id == family.id, Worry.archived_at.is_(None)).order_by(Worry.created_at, Worry.id)
    for worry in db_session().scalars(query):
        for one in worries.worry_series(worry):
            lines.append(ScoreLine(
                worry=worry.wording, scorer=one.scorer, who=worries.who_scored_series(one),
                about=one.about.display_name if one.about else "", score=one.latest.score, on=worries.day_of(one.latest),
            ))
    return ClosureScores(lines=lines)


def reason_refusal(scores: ClosureScores, reason: str) -> str | None:
    """Why this reason cannot close the family with these scores: "needs met" only at "10 - Working Well"."""
    if reason not in REASONS:
        return "unknown_reason"
    if reason == NEEDS_MET and not scores.all_working_well:
        return "below_working_well"
    return None


def pending(family: Family) -> ClosureRequest | None:
    return db_session().scalar(
        select(ClosureRequest).where(ClosureRequest.family_id == family.id, ClosureRequest.status == ClosureStatus.PENDING)
    )


def history(family: Family) -> list[ClosureRequest]:
    """Every closure request of the family, newest first."""
    query = select(ClosureRequest).where(ClosureRequest.family_id == family.id)
    return list(db_session().scalars(query.order_by(ClosureRequest.requested_at.desc(), ClosureRequest.id.desc())))


def approved(family: Family) -> ClosureRequest | None:
    """The request that closed the family, while it is closed."""
    if family.closed_at is None:
        return None
    return next((one for one in history(family) if one.status == ClosureStatus.APPROVED), None)


def asked(family: Family) -> list[FamilyMember]:
    return [member for member in family.members if policy.asked_for_goodbye_views(member)]


def request(family: Family, by: User, summary: str, reason: str) -> ClosureRequest:
    """The worker asks to close: the scores are kept as they are now, and each young person and parent is asked."""
    closure = ClosureRequest(family_id=family.id, requested_by_id=by.id, requested_at=utcnow(), summary=summary,
                             reason=reason, scores=latest_scores(family).to_json(), status=ClosureStatus.PENDING)
    for member in asked(family):
        closure.views.append(GoodbyeViews(member_id=member.id, language=member.preferred_language))
        if member.user_id is not None:
            notifications.notify(member.user_id, NotificationKind.GOODBYE_VIEWS)
    db_session().add(closure)
    db_session().flush()
    audit.record("closure_requested", family_id=family.id, target=f"closure:{closure.id}")
    return closure


def answer(views: GoodbyeViews, *, good: str, better: str, helps: str, language: str) -> None:
    views.answer = ViewsAnswer.ANSWERED
    views.what_was_good, views.could_be_better, views.what_will_help = good, better, helps
    views.language = language
    views.answered_at = utcnow()
    _done_asking(views.member)


def decline(views: GoodbyeViews) -> None:
    """"I don't want to answer": kept as that, with the day."""
    views.answer = ViewsAnswer.DECLINED
    views.answered_at = utcnow()
    _done_asking(views.member)


def _done_asking(member: FamilyMember) -> None:
    if member.user_id is not None:
        notifications.mark_read(member.user_id, kind=NotificationKind.GOODBYE_VIEWS)


def decide(closure: ClosureRequest, family: Family, by: User, *, approve: bool, comment: str) -> None:
    """The manager's decision. Approval keeps the final scores and closes the family; the family is told goodbye."""
    closure.decided_by_id, closure.decided_at, closure.decision_comment = by.id, utcnow(), comment
    for views in closure.views:
        if views.answer == ViewsAnswer.WAITING:
            _done_asking(views.member)
    if not approve:
        closure.status = ClosureStatus.DECLINED
        audit.record("closure_declined", family_id=family.id, target=f"closure:{closure.id}")
        return
    closure.status = ClosureStatus.APPROVED
    closure.scores = latest_scores(family).to_json()
    dataprotection.close(family)
    for member in asked(family):
        if member.user_id is not None:
            notifications.notify(member.user_id, NotificationKind.GOODBYE)
    audit.record("closure_approved", family_id=family.id, target=f"closure:{closure.id}")


def views_for(member: FamilyMember) -> GoodbyeViews | None:
    """The member's views on their family's closure request waiting for the manager, if they were asked."""
    return db_session().scalar(
        select(GoodbyeViews).join(ClosureRequest, ClosureRequest.id == GoodbyeViews.closure_id)
        .where(GoodbyeViews.member_id == member.id, ClosureRequest.status == ClosureStatus.PENDING)
    )


REASON_LABELS = {
    # Translators: a reason for closing a family's plan: every worry is at 10, "Working Well".
    NEEDS_MET: _l("Needs met: 10 - Working Well"),
    # Translators: a reason for closing a family's plan: the family stopped taking part.
    "disengagement": _l("Disengagement"),
    # Translators: a reason for closing a family's plan: the family goes up to children's social care.
    "step_up": _l("Step-up to social care"),
    # Translators: a reason for closing a family's plan: another agency (a school, health) carries on the work.
    "step_across": _l("Step-across to another agency"),
    # Translators: a reason for closing a family's plan: the family moved out of the area.
    "moved_away": _l("Moved away"),
    # Translators: a reason for closing a family's plan: what they needed is met in another way.
    "met_another_way": _l("Needs met another way"),
}


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))
