"""Telling staff about urgent entries, in the app and by email, and escalating to managers."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from webapp import audit, mail, policy
from webapp.auth.models import Role, User
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember
from webapp.notifications.models import Notification


def _email(user: User, subject: str, body: str) -> None:
    if user.email and user.disabled_at is None:
        mail.send(user.email, subject, body)


def urgent_entry(entry: Entry) -> None:
    """Tell the family's lead worker at once. The email says only that there is one, and where."""
    lead = entry.member.family.lead_worker
    db_session().add(Notification(user_id=lead.id, kind="urgent", entry_id=entry.id))
    db_session().commit()
    link = url_for("inbox.entry", entry_id=entry.id, _external=True)
    with force_locale(lead.locale or "en"):
        subject = _("Urgent: a family member needs you")
        body = _(
            "Someone in one of your families sent something urgent in Family Voice.\n\n"
            "Please open it as soon as you can:\n%(link)s\n",
            link=link,
        )
    _email(lead, subject, body)


def escalation_hours() -> int:
    """The configured time to acknowledge an urgent entry, never more than 24 hours."""
    return max(1, min(int(current_app.config["ESCALATION_HOURS"]), 24))


def escalated_entries(user: User) -> Select[tuple[Entry]]:
    """The escalation list: urgent entries escalated to managers and still not acknowledged, oldest first."""
    return (
        policy.staff_entries(user)
        .where(Entry.urgent.is_(True), Entry.escalated_at.is_not(None), Entry.acknowledged_at.is_(None))
        .options(joinedload(Entry.member).joinedload(FamilyMember.family).joinedload(Family.lead_worker))
        .order_by(Entry.created_at, Entry.id)
    )


def escalate_overdue() -> list[Entry]:
    """Tell the team's managers about urgent entries nobody acknowledged in time. Run from cron."""
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
        managers = db.scalars(
            select(User).where(User.team_id == family.team_id, User.role == Role.MANAGER, User.disabled_at.is_(None))
        ).all()
        entry.escalated_at = utcnow()
        for manager in managers:
            db.add(Notification(user_id=manager.id, kind="escalation", entry_id=entry.id))
        audit.record("entry_escalated", family_id=family.id, target=f"entry:{entry.id}")
        db.commit()
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
            _email(manager, subject, body)
    return list(overdue)
