"""A family's chronology: contacts the worker records, and events drawn from the records that already exist.

Nothing here copies an event that another record holds: an entry received, a reply, a plan published,
a review made final, a message after a meeting are read from their own rows each time. Family members'
words never appear, only that they sent something, what kind, and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import format_date, to_utc
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from webapp import policy
from webapp.auth.models import User
from webapp.clock import local_day, local_today
from webapp.contacts.models import Contact, ContactKind, DisengagementDecision
from webapp.contacts.records import VisitNotes
from webapp.db import db_session, utcnow
from webapp.entries import kinds as entry_kinds
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import ActivationCode, Family, FamilyMember
from webapp.notifications import services as notifications
from webapp.notifications.models import Notification, NotificationKind
from webapp.plans.models import PUBLISHED, FamilySafetyPlanVersion, PlanVersion, SafetyPlanAgreement, SafetyPlanVersion
from webapp.reviews.models import MeetingMessage, Review, ReviewComment, ReviewShare
from webapp.workdays import add_working_days

WRITE_UP_WORKING_DAYS = 3

# What each kind of line in a chronology is, in words (the filter's choices and every export's "kind").
LINE_KINDS = {
    # Translators: a kind of contact with a family recorded by the worker.
    ContactKind.HOME_VISIT.value: _l("Home visit"),
    # Translators: a kind of contact with a family recorded by the worker.
    ContactKind.PHONE_CALL.value: _l("Phone call"),
    # Translators: a kind of contact with a family recorded by the worker (a text message).
    ContactKind.TEXT.value: _l("Text message"),
    # Translators: a kind of contact with a family recorded by the worker (a letter sent by post).
    ContactKind.LETTER.value: _l("Letter"),
    # Translators: a kind of contact with a family recorded by the worker (a meeting in person).
    ContactKind.MEETING.value: _l("Meeting"),
    # Translators: a kind of contact: the worker tried to reach the family and could not.
    ContactKind.ATTEMPT.value: _l("No contact made"),
    # Translators: a kind of event in a family's chronology: activation codes given and used.
    "activation": _l("Signing up"),
    # Translators: a kind of event in a family's chronology: a family member sent an entry.
    "entry": _l("Entry received"),
    # Translators: a kind of event in a family's chronology: a worker replied to an entry.
    "reply": _l("Reply"),
    # Translators: a kind of event in a family's chronology: plans and safety plans published and agreed.
    "plan": _l("Plans"),
    # Translators: a kind of event in a family's chronology: a review made final.
    "review": _l("Review"),
    # Translators: a kind of event in a family's chronology: "what happened at my meeting" messages.
    "meeting_message": _l("Message after a meeting"),
    # Translators: a kind of event in a family's chronology: urgent entries acknowledged or passed to managers.
    "urgent": _l("Urgent entry"),
    # Translators: a kind of event in a family's chronology: the manager's decision about disengagement.
    "decision": _l("Manager's decision"),
}
RECORDED_KINDS = tuple(kind.value for kind in ContactKind)

# The Appendix A headings of the practice standards, in words.
VISIT_HEADING_LABELS = {
    # Translators: a heading of a home visit record (Appendix A of the practice standards).
    "who_seen": _l("Who did you see?"),
    # Translators: a heading of a home visit record (Appendix A of the practice standards).
    "purpose": _l("Purpose of the visit and activity in relation to the plan"),
    # Translators: a heading of a home visit record (Appendix A of the practice standards).
    "observed": _l("What did you observe?"),
    # Translators: a heading of a home visit record: does the child feel safe (voice of the child).
    "child_feels_safe": _l("Voice of the child: does the child feel safe?"),
    # Translators: a heading of a home visit record: the child's own words, in quotation marks.
    "child_words": _l("The child's words"),
    # Translators: a heading of a home visit record: how a child who does not talk presented.
    "non_verbal": _l("Non-verbal observations"),
    # Translators: a heading of a home visit record (Appendix A of the practice standards).
    "parents_view": _l("Parents' view"),
    # Translators: a heading of a home visit record (Appendix A of the practice standards).
    "analysis": _l("Worker analysis"),
    # Translators: a heading of a home visit record (Appendix A of the practice standards).
    "actions": _l("Actions and next steps"),
}

# What the disengagement audit asks to be on record before a family is closed for disengagement (seed 002).
DISENGAGEMENT_CHECKLIST = (
    _l(
        "The views of the parents, and of the children and young people, about the case closing are sought and recorded."
    ),
    _l("The views of key professionals, including the original assessor, are sought and recorded."),
    _l(
        "The engagement guidance and flowchart are followed: the dates the family were contacted, what contact took place, why, and what was done when there was no contact."
    ),
    _l(
        "The dialogue with the family about suspected disengagement, and about the remaining risks and worries, is recorded."
    ),
    _l(
        "The outstanding risks are assessed and analysed, and the record says who will work to reduce the risks and worries."
    ),
    _l(
        "The reflective discussion with the worker, the analysis and the rationale are recorded in management oversight."
    ),
    _l(
        "If the case transfers to another worker or team: why, who the new team or worker is, and what they must address."
    ),
)


class ContactError(ValueError):
    """A contact that cannot be recorded as sent; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Line:
    """One line of a chronology: when, who, what, and for a recorded contact its words under their headings."""

    at: datetime
    kind: str
    who: str
    who_key: str
    what: str
    details: tuple[tuple[str, str], ...] = ()
    contact_id: int | None = None
    awaits_write_up: bool = False

    @property
    def kind_label(self) -> str:
        return str(LINE_KINDS.get(self.kind, self.kind))


@dataclass(frozen=True)
class ChronologyFilter:
    kind: str | None = None
    start: date | None = None
    end: date | None = None
    who: str | None = None

    def keeps(self, line: Line) -> bool:
        day = local_day(line.at)
        return (
            (not self.kind or line.kind == self.kind)
            and (self.start is None or day >= self.start)
            and (self.end is None or day <= self.end)
            and (not self.who or line.who_key == self.who)
        )

    def apply(self, lines: list[Line]) -> list[Line]:
        return [line for line in lines if self.keeps(line)]


# --- Recording contacts


def local_moment(day: date, at: time) -> datetime:
    """A day and a time as the worker gave them (in the service's time zone), in UTC."""
    return to_utc(datetime.combine(day, at)).replace(tzinfo=UTC)


def check_moment(moment: datetime) -> None:
    if moment > utcnow() + timedelta(minutes=5):
        raise ContactError(_("The date and time cannot be in the future."))


def record_contact(
    family: Family,
    worker: User,
    kind: ContactKind,
    happened_at: datetime,
    *,
    summary: str = "",
    next_step: str = "",
    notes: VisitNotes | None = None,
    client_id: str | None = None,
) -> Contact:
    """Add a contact to the family's chronology. A home visit with no notes waits to be written up."""
    check_moment(happened_at)
    contact = Contact(
        family_id=family.id,
        kind=kind.value,
        happened_at=happened_at,
        recorded_by_id=worker.id,
        summary=summary,
        next_step=next_step,
        client_id=client_id,
    )
    if kind == ContactKind.HOME_VISIT and notes is not None and not notes.is_empty:
        contact.notes = notes
        if not notes.missing:
            contact.written_up_at = utcnow()
    db_session().add(contact)
    return contact


def write_up(contact: Contact, notes: VisitNotes, *, finished: bool) -> None:
    """Keep a home visit's notes; finished, it is written up and its reminder is done with."""
    contact.notes = notes
    if finished and not notes.missing:
        contact.written_up_at = utcnow()
        notifications.mark_contact_read(contact.id)


def write_up_due(contact: Contact) -> date:
    """The last day to write up a home visit: 3 working days after it (bank holidays left out)."""
    return add_working_days(local_day(contact.happened_at), WRITE_UP_WORKING_DAYS)


def overdue_write_ups(families: list[int]) -> list[Contact]:
    """Home visits of these families not written up within 3 working days, oldest first."""
    if not families:
        return []
    waiting = (
        db_session()
        .scalars(
            select(Contact)
            .where(
                Contact.family_id.in_(families),
                Contact.kind == ContactKind.HOME_VISIT.value,
                Contact.written_up_at.is_(None),
            )
            .order_by(Contact.happened_at, Contact.id)
        )
        .all()
    )
    today = local_today()
    return [contact for contact in waiting if write_up_due(contact) < today]


def remind_write_ups() -> list[Contact]:
    """Remind each worker once of their home visits not written up in time. Run from cron, which commits."""
    waiting = (
        db_session()
        .scalars(
            select(Contact).where(
                Contact.kind == ContactKind.HOME_VISIT.value,
                Contact.written_up_at.is_(None),
                Contact.reminded_at.is_(None),
            )
        )
        .all()
    )
    today = local_today()
    reminded = []
    for contact in waiting:
        if write_up_due(contact) >= today:
            continue
        family = db_session().get_one(Family, contact.family_id)
        if family.closed_at is not None:
            continue
        recorder = contact.recorded_by
        worker = recorder if recorder is not None and recorder.disabled_at is None else family.lead_worker
        notifications.visit_write_up_overdue(worker.id, contact.id)
        contact.reminded_at = utcnow()
        reminded.append(contact)
    return reminded


# --- The chronology


def _name(user: User | None) -> tuple[str, str]:
    if user is None:
        # Translators: who did something in a family's chronology when the app itself did it.
        return _("Family Voice"), ""
    return user.display_name, f"user:{user.id}"


def _member(member: FamilyMember) -> tuple[str, str]:
    return member.display_name, f"member:{member.id}"


def _contact_line(contact: Contact) -> Line:
    who, who_key = _name(contact.recorded_by)
    details: list[tuple[str, str]] = []
    if contact.kind == ContactKind.HOME_VISIT:
        notes = contact.notes
        details = [
            (str(VISIT_HEADING_LABELS[key]), getattr(notes, key))
            for key in VISIT_HEADING_LABELS
            if getattr(notes, key).strip()
        ]
        what = _("Home visit, written up") if contact.written_up_at else _("Home visit, not written up yet")
    elif contact.kind == ContactKind.ATTEMPT:
        # Translators: a heading in a chronology line: why the worker could not reach the family.
        details = [(_("Why there was no contact"), contact.summary), (_("What will be done next"), contact.next_step)]
        what = _("Tried to make contact, no contact made")
    else:
        # Translators: a heading in a chronology line: what happened in a call, text, letter or meeting.
        details = [(_("What happened"), contact.summary)]
        what = str(LINE_KINDS[contact.kind])
    return Line(
        at=contact.happened_at,
        kind=contact.kind,
        who=who,
        who_key=who_key,
        what=what,
        details=tuple(details),
        contact_id=contact.id,
        awaits_write_up=contact.awaits_write_up,
    )


def chronology(family: Family, entries_seen: Select[Entry]) -> list[Line]:
    """Every contact and event of a family, newest first; entries only those in entries_seen (from policy.py)."""
    db = db_session()
    lines: list[Line] = []
    members = {member.id: member for member in family.members}

    contacts = db.scalars(
        select(Contact).where(Contact.family_id == family.id).options(joinedload(Contact.recorded_by))
    ).all()
    lines += [_contact_line(contact) for contact in contacts]

    for decision in db.scalars(select(DisengagementDecision).where(DisengagementDecision.family_id == family.id)).all():
        who, who_key = _name(decision.decided_by)
        what = _("Decision about disengagement, made on %(date)s", date=format_date(decision.decided_on, "medium"))
        # Translators: a heading in a chronology line: the manager's decision about a family that may have disengaged.
        heading = _("Decision")
        lines.append(Line(decision.created_at, "decision", who, who_key, what, ((heading, decision.decision),)))

    codes = db.scalars(
        select(ActivationCode)
        .join(FamilyMember, FamilyMember.id == ActivationCode.member_id)
        .where(FamilyMember.family_id == family.id)
    ).all()
    for code in codes:
        name = members[code.member_id].display_name
        who, who_key = _name(db.get(User, code.created_by_id))
        lines.append(
            Line(code.created_at, "activation", who, who_key, _("Gave an activation code to %(name)s", name=name))
        )
        if code.used_at is not None:
            who, who_key = _member(members[code.member_id])
            lines.append(Line(code.used_at, "activation", who, who_key, _("Used their activation code and signed up")))

    entries = db.scalars(
        entries_seen.where(Entry.family_id == family.id).options(joinedload(Entry.acknowledged_by))
    ).all()
    for entry in entries:
        who, who_key = _member(members[entry.member_id])
        # Translators: a line in a family's chronology: a family member sent an entry; %(kind)s is its kind ("Good news").
        what = _("Sent: %(kind)s", kind=entry_kinds.title_of(entry.kind))
        lines.append(Line(entry.created_at, "entry", who, who_key, what))
        if entry.escalated_at is not None:
            lines.append(
                Line(
                    entry.escalated_at,
                    "urgent",
                    *_name(None),
                    _("An urgent entry from %(name)s was passed to the managers", name=who),
                )
            )
        if entry.acknowledged_at is not None:
            lines.append(
                Line(
                    entry.acknowledged_at,
                    "urgent",
                    *_name(entry.acknowledged_by),
                    _("Acknowledged an urgent entry from %(name)s", name=who),
                )
            )
    replies = db.execute(
        select(EntryReply, Entry.member_id)
        .join(Entry, Entry.id == EntryReply.entry_id)
        .where(Entry.id.in_([entry.id for entry in entries]))
        .options(joinedload(EntryReply.author))
    ).all()
    for reply, member_id in replies:
        lines.append(
            Line(
                reply.created_at,
                "reply",
                *_name(reply.author),
                # Translators: a line in a family's chronology: a worker replied to an entry of the family member named.
                _("Replied to %(name)s", name=members[member_id].display_name),
            )
        )

    for plan in db.scalars(
        select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == PUBLISHED)
    ).all():
        if plan.published_at is not None:
            lines.append(
                Line(
                    plan.published_at,
                    "plan",
                    *_name(plan.published_by),
                    _("Published the family plan (version %(number)s)", number=plan.number),
                )
            )
    for safety in db.scalars(
        select(SafetyPlanVersion).where(SafetyPlanVersion.family_id == family.id, SafetyPlanVersion.status == PUBLISHED)
    ).all():
        if safety.published_at is not None:
            name = members[safety.member_id].display_name if safety.member_id in members else ""
            lines.append(
                Line(
                    safety.published_at,
                    "plan",
                    *_name(safety.published_by),
                    _("Published the safety plan of %(name)s", name=name),
                )
            )
    shared = db.scalars(
        select(FamilySafetyPlanVersion).where(
            FamilySafetyPlanVersion.family_id == family.id, FamilySafetyPlanVersion.status == PUBLISHED
        )
    ).all()
    for version in shared:
        if version.published_at is not None:
            lines.append(
                Line(
                    version.published_at,
                    "plan",
                    *_name(version.published_by),
                    _("Published the family and network safety plan"),
                )
            )
    agreements = db.scalars(
        select(SafetyPlanAgreement).where(SafetyPlanAgreement.version_id.in_([version.id for version in shared]))
    ).all()
    for agreement in agreements:
        if agreement.member_id in members:
            lines.append(
                Line(
                    agreement.agreed_at,
                    "plan",
                    *_member(members[agreement.member_id]),
                    _("Read the family and network safety plan and agreed to it"),
                )
            )

    # A plan is read where that is recorded: the member opened their plan, which marks its notice read.
    by_user = {member.user_id: member for member in members.values() if member.user_id is not None}
    read_notices = db.scalars(
        select(Notification).where(
            Notification.user_id.in_(list(by_user)),
            Notification.kind.in_([NotificationKind.PLAN_PUBLISHED, NotificationKind.SAFETY_PLAN_PUBLISHED]),
            Notification.read_at.is_not(None),
        )
    ).all()
    for notice in read_notices:
        assert notice.read_at is not None
        what = _("Read the new family plan") if notice.kind == NotificationKind.PLAN_PUBLISHED else _("Read their new safety plan")
        lines.append(Line(notice.read_at, "plan", *_member(by_user[notice.user_id]), what))

    reviews = db.scalars(select(Review).where(Review.family_id == family.id, Review.finalised_at.is_not(None))).all()
    for review in reviews:
        assert review.finalised_at is not None
        lines.append(Line(review.finalised_at, "review", *_name(review.created_by), _("Made a review final")))
    # The review shared with the family in plain language, and each comment they made on it (that they did, never their words).
    shares = db.scalars(select(ReviewShare).where(ReviewShare.review_id.in_([r.id for r in reviews]), ReviewShare.shared_at.is_not(None))).all()
    for share in shares:
        assert share.shared_at is not None
        sharer = db.get(User, share.shared_by_id) if share.shared_by_id else None
        lines.append(Line(share.shared_at, "review", *_name(sharer), _("Shared a review with the family")))
    comments = db.scalars(select(ReviewComment).where(ReviewComment.review_id.in_([r.id for r in reviews]))).all()
    for comment in comments:
        if comment.member_id in members:
            lines.append(Line(comment.created_at, "review", *_member(members[comment.member_id]), _("Commented on their review")))

    messages = db.scalars(select(MeetingMessage).where(MeetingMessage.member_id.in_(list(members)))).all()
    for message in messages:
        name = members[message.member_id].display_name
        lines.append(
            Line(
                message.created_at,
                "meeting_message",
                *_name(db.get(User, message.created_by_id) if message.created_by_id else None),
                _("Sent %(name)s a message after a meeting", name=name),
            )
        )
        if message.read_at is not None:
            lines.append(
                Line(
                    message.read_at,
                    "meeting_message",
                    *_member(members[message.member_id]),
                    _("Read the message after the meeting"),
                )
            )

    return sorted(lines, key=lambda line: line.at, reverse=True)


def people_in(lines: list[Line]) -> list[tuple[str, str]]:
    """Who appears in a chronology (family members and staff), for its filter, by name."""
    people = {line.who_key: line.who for line in lines if line.who_key}
    return sorted(people.items(), key=lambda person: (person[1].casefold(), person[0]))


# --- Disengagement (seed 002)


@dataclass
class Disengagement:
    family: Family
    days_without_contact: int
    attempts_in_a_row: int
    last_contact: datetime | None
    decisions: list[DisengagementDecision] = field(default_factory=list)


def _limits() -> tuple[int, int]:
    config = current_app.config
    return max(1, int(config["DISENGAGEMENT_DAYS"])), max(1, int(config["DISENGAGEMENT_ATTEMPTS"]))


def disengagement_of(family: Family) -> Disengagement | None:
    """The family's disengagement flag, or None (see `disengagement_flags`)."""
    return disengagement_flags([family]).get(family.id)


def disengagement_flags(families: Sequence[Family]) -> dict[int, Disengagement]:
    """The open families flagged for disengagement, by id: no contact for DISENGAGEMENT_DAYS, or DISENGAGEMENT_ATTEMPTS
    failed attempts in a row, since the last contact (a recorded contact, or something the family sent) and the
    manager's last decision. A few grouped queries, whatever the number of families."""
    open_families = {family.id: family for family in families if family.closed_at is None}
    if not open_families:
        return {}
    db = db_session()
    ids = list(open_families)

    def latest(query: Select[int, datetime]) -> dict[int, datetime]:
        return {family_id: moment for family_id, moment in db.execute(query) if moment is not None}

    made = latest(
        select(Contact.family_id, func.max(Contact.happened_at))
        .where(Contact.family_id.in_(ids), Contact.kind != ContactKind.ATTEMPT.value)
        .group_by(Contact.family_id)
    )
    sent = latest(select(Entry.family_id, func.max(Entry.created_at)).where(Entry.family_id.in_(ids)).group_by(Entry.family_id))
    decided = latest(
        select(DisengagementDecision.family_id, func.max(DisengagementDecision.created_at))
        .where(DisengagementDecision.family_id.in_(ids))
        .group_by(DisengagementDecision.family_id)
    )
    attempts: dict[int, list[datetime]] = {}
    for family_id, moment in db.execute(
        select(Contact.family_id, Contact.happened_at).where(Contact.family_id.in_(ids), Contact.kind == ContactKind.ATTEMPT.value)
    ):
        attempts.setdefault(family_id, []).append(moment)
    most_days, most_attempts = _limits()
    today = local_today()
    flags = {}
    for family_id, family in open_families.items():
        last_contact = max((moment for moment in (made.get(family_id), sent.get(family_id)) if moment is not None), default=None)
        since = max(moment for moment in (last_contact, decided.get(family_id), family.created_at) if moment is not None)
        in_a_row = sum(1 for moment in attempts.get(family_id, []) if moment > since)
        days = (today - local_day(since)).days
        if days >= most_days or in_a_row >= most_attempts:
            flags[family_id] = Disengagement(family, days, in_a_row, last_contact)
    return flags


def disengaged_families(user: User) -> list[Disengagement]:
    """The team's open families flagged for disengagement, longest without contact first."""
    families = db_session().scalars(policy.visible_families(user).where(Family.closed_at.is_(None)).order_by(Family.name, Family.id)).all()
    return sorted(disengagement_flags(families).values(), key=lambda flag: -flag.days_without_contact)


def check_decision_day(decided_on: date) -> None:
    if decided_on > local_today():
        raise ContactError(_("The date cannot be in the future."))


def record_decision(
    family: Family, manager: User, decision: str, decided_on: date, client_id: str | None = None
) -> DisengagementDecision:
    """The manager's decision about a flagged family; it clears the flag until the next days or attempts pass."""
    check_decision_day(decided_on)
    row = DisengagementDecision(
        family_id=family.id, decision=decision, decided_on=decided_on, decided_by_id=manager.id, client_id=client_id
    )
    db_session().add(row)
    return row
