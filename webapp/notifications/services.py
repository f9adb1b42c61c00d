"""Notifications: every one is made and marked read here. Urgent entries tell staff in the app and by email, and escalate to managers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.orm import joinedload

from webapp import audit, mail, policy
from webapp.auth.models import User
from webapp.config import FORMAT_LOCALES
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember
from webapp.notifications.models import Notification, NotificationKind
from webapp.reviews.models import Review


def notify(user_id: int, kind: NotificationKind, entry: Entry | None = None, review: Review | None = None) -> None:
    """A notice for one person, stored with the change it tells of."""
    db_session().add(Notification(
        user_id=user_id, kind=NotificationKind(kind), entry_id=entry.id if entry else None, review_id=review.id if review else None
    ))


def mark_read(
    user_id: int | None, *, kind: NotificationKind | None = None, entry: Entry | None = None, review: Review | None = None
) -> None:
    """Mark unread notices read: a person's (or, with None, everyone's) of one kind, or about one entry or review."""
    query = update(Notification).where(Notification.read_at.is_(None))
    if user_id is not None:
        query = query.where(Notification.user_id == user_id)
    if kind is not None:
        query = query.where(Notification.kind == NotificationKind(kind))
    if entry is not None:
        query = query.where(Notification.entry_id == entry.id)
    if review is not None:
        query = query.where(Notification.review_id == review.id)
    db_session().execute(query.values(read_at=utcnow()))


def review_submitted(review: Review, family: Family, submitter: User) -> None:
    """Tell the family's team managers (but the one who submitted it) a review waits for their sign-off."""
    for manager in db_session().scalars(policy.sign_off_managers(family, submitter)):
        notify(manager.id, NotificationKind.REVIEW_SUBMITTED, review=review)


def review_decided(review: Review, worker_id: int, *, signed_off: bool) -> None:
    """Tell the worker who submitted the review that it was signed off or returned; the managers' notices are done."""
    mark_read(None, kind=NotificationKind.REVIEW_SUBMITTED, review=review)
    kind = NotificationKind.REVIEW_SIGNED_OFF if signed_off else NotificationKind.REVIEW_RETURNED
    notify(worker_id, kind, review=review)
def visit_write_up_overdue(user_id: int, contact_id: int) -> None:
    """Remind a worker that a home visit they recorded is not written up after 3 working days."""
    db_session().add(Notification(user_id=user_id, kind=NotificationKind.VISIT_WRITE_UP, contact_id=contact_id))


def mark_contact_read(contact_id: int) -> None:
    """A home visit is written up: its reminders are done with."""
    db_session().execute(
        update(Notification).where(Notification.contact_id == contact_id, Notification.read_at.is_(None)).values(read_at=utcnow())
    )


def unread(user_id: int, kinds: Iterable[NotificationKind] | None = None, limit: int | None = None) -> Sequence[Notification]:
    """A person's unread notices, newest first."""
    query = select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if kinds is not None:
        query = query.where(Notification.kind.in_([NotificationKind(kind) for kind in kinds]))
    return db_session().scalars(query.order_by(Notification.created_at.desc()).limit(limit)).all()


def staff_alerts(user_id: int, limit: int) -> Sequence[Notification]:
    """A staff member's unread notices, newest first, with the entry's member and family or the review's family
    loaded in the same query (the inbox names them)."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .options(
            joinedload(Notification.entry).joinedload(Entry.member).joinedload(FamilyMember.family),
            joinedload(Notification.review).joinedload(Review.family),
        )
        .order_by(Notification.created_at.desc())
        .limit(limit)
    )
    return db_session().scalars(query).unique().all()


def _email(user: User, subject: str, body: str, entry: Entry) -> None:
    if user.email and user.disabled_at is None:
        mail.queue(user.email, subject, body, entry_id=entry.id)


def urgent_entry(entry: Entry) -> None:
    """Tell the family's lead worker at once. The email says only that there is one, and where."""
    lead = entry.member.family.lead_worker
    notify(lead.id, NotificationKind.URGENT, entry)
    link = url_for("inbox.entry", entry_id=entry.id, _external=True)
    with force_locale(lead.locale or "en"):
        subject = _("Urgent: a family member needs you")
        body = _(
            "Someone in one of your families sent something urgent in Family Voice.\n\n"
            "Please open it as soon as you can:\n%(link)s\n",
            link=link,
        )
    _email(lead, subject, body, entry)


def complaint_entry(entry: Entry) -> None:
    """Tell the lead worker and the team's managers of a complaint or a request for an advocate, in the app and
    by email. The complaint may be about the worker, so the manager always hears of it too. The email says only
    that there is one, by when it needs an answer, and where."""
    link = url_for("inbox.entry", entry_id=entry.id, _external=True)
    for recipient in policy.complaint_recipients(entry.member.family):
        notify(recipient.id, NotificationKind.COMPLAINT, entry)
        language = recipient.locale or "en"
        with force_locale(FORMAT_LOCALES.get(language, language)):
            subject = _("A complaint or a request for an advocate")
            body = _(
                "Someone in a family of your team has made a complaint or asked for an advocate in Family Voice.\n\n"
                "They were told they will have an answer by %(date)s.\n\n"
                "Please open it:\n%(link)s\n",
                date=format_date(entry.reply_due, "full") if entry.reply_due else "",
                link=link,
            )
        _email(recipient, subject, body, entry)


def escalation_hours() -> int:
    """The configured time to acknowledge an urgent entry, never more than 24 hours."""
    return max(1, min(int(current_app.config["ESCALATION_HOURS"]), 24))


def escalated_entries(user: User) -> Select[Entry]:
    """The escalation list: urgent entries escalated to managers and still not acknowledged, oldest first."""
    return (
        policy.staff_entries(user)
        .where(Entry.urgent.is_(True), Entry.escalated_at.is_not(None), Entry.acknowledged_at.is_(None))
        .options(joinedload(Entry.member).joinedload(FamilyMember.family).joinedload(Family.lead_worker))
        .order_by(Entry.created_at, Entry.id)
    )


def escalate_overdue() -> list[Entry]:
    """Tell the team's managers about urgent entries nobody acknowledged in time. Run from cron, which commits."""
    db = db_session()
    cutoff = utcnow() - timedelta(hours=escalation_hours())
    overdue = db.scalars(
        select(Entry).where(
            Entry.urgent.is_(True),
            Entry.acknowledged_at.is_(None),
            Entry.escalated_at.is_(None),
            Entry.created_at <= cutoff,
        )
    ).all()
    for entry in overdue:
        family = entry.member.family
        managers = db.scalars(policy.escalation_managers(family)).all()
        entry.escalated_at = utcnow()
        for manager in managers:
            notify(manager.id, NotificationKind.ESCALATION, entry)
        audit.record("entry_escalated", family_id=family.id, target=f"entry:{entry.id}")
        link = url_for("inbox.entry", entry_id=entry.id, _external=True)
        for manager in managers:
            with force_locale(manager.locale or "en"):
                subject = _("Escalation: an urgent entry has not been acknowledged")
                body = ngettext(
                    "An urgent entry in Family Voice has not been acknowledged by any staff member for %(num)d hour.\n\n"
                    "Please make sure someone acts on it now:\n%(link)s\n",
                    "An urgent entry in Family Voice has not been acknowledged by any staff member for %(num)d hours.\n\n"
                    "Please make sure someone acts on it now:\n%(link)s\n",
                    escalation_hours(),
                    link=link,
                )
            _email(manager, subject, body, entry)
    return list(overdue)
