"""Who may see or change what. Every view and the API ask here; nothing else decides.

A record the user may not see is answered with 404, whatever its id, so that guessing ids
tells nobody which records exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption

from webapp.api.models import ApiToken
from webapp.assessments.models import Assessment, AssessmentComment, AssessmentShare
from webapp.audit.models import AuditEvent
from webapp.auth.models import STAFF_ROLES, Role, User
from webapp.auth.together import is_together
from webapp.closure.models import ClosureRequest, GoodbyeViews, ViewsAnswer
from webapp.contacts.models import Contact
from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember, FamilyStaff, MemberRole
from webapp.notifications.models import NotificationKind
from webapp.photos.models import Photo
from webapp.plans.family_safety import FamilySafetyPlanContent
from webapp.plans.models import PUBLISHED, PlanPicture, PlanVersion
from webapp.plans.records import Action, ChildQuote, DangerGoal, PictureRef, PlanContent, WorrySnapshot, picture_block
from webapp.reviews.models import SUBMITTED, Review, ReviewComment, ReviewShare, SignOffStep
from webapp.securitylog import log
from webapp.worries.models import Worry, WorryMember, WorryScore


def is_verified_staff(user: Any) -> bool:
    """Staff who have signed in with a confirmed TOTP: nobody else sees family data as staff."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff and user.is_active and user.has_totp)


def visible_families(user: User) -> Select[Family]:
    """Families a staff member may see: a manager their team's, a worker those they work on."""
    query = select(Family)
    if not is_verified_staff(user):
        return query.where(false())
    if user.role == Role.MANAGER:
        # A manager without a team sees no family (every family has a team).
        return team_families(user.team_id) if user.team_id is not None else query.where(false())
    return query.join(FamilyStaff, and_(FamilyStaff.family_id == Family.id, FamilyStaff.user_id == user.id))


def team_families(team_id: int) -> Select[Family]:
    """Every family of a team: what its manager, and its API tokens, may read."""
    return select(Family).where(Family.team_id == team_id)


def can_see_family(user: User, family: Family) -> bool:
    if not is_verified_staff(user):
        return False
    if user.role == Role.MANAGER:
        return family.team_id == user.team_id
    # The lead worker and co-workers, as family_staff holds them (loaded once per family and request).
    return any(row.user_id == user.id for row in family.staff)


T = TypeVar("T")


def _visible_or_404(
    user: Any, model: type[T], record_id: int, allowed: Callable[[Any, T], bool], options: Sequence[ORMOption] = ()
) -> T:
    """The record if this user may see it; otherwise 404, logged, the same whether it exists or not."""
    record = db_session().get(model, record_id, options=options)
    if record is None or not allowed(user, record):
        _refused(user, model.__name__.lower(), record_id)
    assert record is not None
    return record


def family_or_404(user: User, family_id: int) -> Family:
    return _visible_or_404(user, Family, family_id, can_see_family)


def member_or_404(user: User, member_id: int) -> FamilyMember:
    """A family member's record, for staff who may see their family."""
    return _visible_or_404(user, FamilyMember, member_id, lambda u, member: can_see_family(u, member.family))


def can_manage_staff(user: User) -> bool:
    return is_verified_staff(user) and user.role == Role.MANAGER


def staff_account_or_404(user: User, account_id: int) -> User:
    """A staff account that this manager may change: one in their own team."""
    return _visible_or_404(
        user, User, account_id, lambda u, account: can_manage_staff(u) and account.is_staff and account.team_id == u.team_id
    )


def may_set_up_totp(user: User) -> bool:
    """Two-step sign-in is for staff accounts; family members sign in with their own code and password."""
    return bool(user.is_staff)


def creator_joins_family(user: User, family: Family) -> bool:
    """A worker who makes a family led by someone else joins it as co-worker, so they can still see it."""
    return user.role == Role.WORKER and family.lead_worker_id != user.id


def team_workers(user: User) -> Select[User]:
    """Staff of the user's team who can be lead or co-worker on a family."""
    return (
        select(User)
        .where(User.team_id == user.team_id, User.role.in_([Role.WORKER, Role.MANAGER]), User.disabled_at.is_(None))
        .order_by(User.display_name)
    )


def review_or_404(user: User, review_id: int) -> Review:
    """A review, for staff who may see its family (which the review then holds: the page asking for the family
    next finds it, and who works on it, without asking the database again)."""
    return _visible_or_404(
        user, Review, review_id, lambda u, review: can_see_family(u, review.family),
        # The review, its family and who works on it in one statement.
        options=(joinedload(Review.family).joinedload(Family.staff),),
    )


# --- Review sign-off: a worker submits, a manager of the family's team signs off or returns it.


def may_submit_review(user: User, review: Review) -> bool:
    """Staff who may see the family (lead, co-worker, the team's manager) may send its review for sign-off."""
    return is_verified_staff(user) and can_see_family(user, review.family)


def is_team_manager_of(user: User, family: Family) -> bool:
    """A manager of the family's own team who can still sign in: the people a review is submitted to. The rule of
    `escalation_managers`, decided from the user's own row, which the request has already read."""
    return (
        is_verified_staff(user)
        and user.role == Role.MANAGER
        and user.team_id == family.team_id
        and user.disabled_at is None
    )


def sign_off_managers(family: Family, submitter: User) -> Select[User]:
    """Who a review is submitted to: the family's team managers, except the person submitting it."""
    return escalation_managers(family).where(User.id != submitter.id)


def sign_off_review_or_404(user: User, review_id: int) -> Review:
    """A review this user may sign off or return: only a manager of its family's team; anyone else 404s."""
    return _visible_or_404(
        user, Review, review_id, lambda u, review: is_team_manager_of(u, review.family)
    )


def submitted_by(review: Review) -> int | None:
    """Who sent the review for sign-off this time (the latest "submitted" step), if it is waiting."""
    if review.status != SUBMITTED:
        return None
    steps = [step for step in review.sign_offs if step.step == SignOffStep.SUBMITTED]
    return steps[-1].by_id if steps else None


def sign_off_refusal(user: User, review: Review) -> str | None:
    """Why this team manager may not decide on the review now, or None if they may: only a submitted review is
    decided, and never by the person who submitted it (the sign-off is a second pair of eyes)."""
    if review.status != SUBMITTED:
        return "not_submitted"
    if submitted_by(review) == user.id:
        return "own_submission"
    return None


def reviews_waiting_for(user: User) -> Select[Review]:
    """Reviews submitted for sign-off in the manager's team, oldest first; none for anyone else."""
    if not can_manage_staff(user) or user.team_id is None:
        return select(Review).where(false())
    return (
        select(Review)
        .join(Family, Family.id == Review.family_id)
        .where(Family.team_id == user.team_id, Review.status == SUBMITTED)
        .order_by(Review.updated_at, Review.id)
    )


def may_receive_meeting_message(member: FamilyMember) -> bool:
    """What happened at the meeting is written to young people only."""
    return member.role == MemberRole.YOUNG_PERSON


def is_network_member(member: FamilyMember) -> bool:
    """A grandparent, neighbour or family friend in the family's safety network: never a young person or a
    parent anywhere, they read only the parts of the safety plan and the actions that name them."""
    return member.role == MemberRole.NETWORK


def counts_as_family(member: FamilyMember) -> bool:
    """Whether a member is one of the young people or parents whose voice the app gathers (entries, worries,
    photos, reviews, meetings): everyone but the network members."""
    return member.role in (MemberRole.YOUNG_PERSON, MemberRole.PARENT)


def meeting_member_or_404(user: User, member_id: int) -> FamilyMember:
    """A young person a worker on their family may write a meeting message to."""
    return _visible_or_404(
        user,
        FamilyMember,
        member_id,
        lambda u, member: can_see_family(u, member.family) and may_receive_meeting_message(member),
    )


# --- A final review shared with the family in plain language (webapp/reviews/sharing.py).


def may_read_review_share(member: FamilyMember) -> bool:
    """The shared review goes to the young people and parents who may read the plan: never a restricted member,
    never a network member."""
    return may_read_plan(member)


def review_share_readers(family: Family) -> list[FamilyMember]:
    """Who is told of a shared review and reads it."""
    return [m for m in family.members if may_read_review_share(m)]


def may_share_review(user: User, review: Review) -> bool:
    """Staff who may see the family write and share the plain-language version, once the review is final."""
    return review.is_final and may_submit_review(user, review)


def shared_review_or_404(user: Any, review_id: int) -> tuple[Review, ReviewShare]:
    """A review shared with the member's own family, if they may read it (and comment on it); anyone else 404s,
    as do a review not shared yet and every staff account."""

    def allowed(u: Any, review: Review) -> bool:
        member = own_member(u)
        if member is None or member.family_id != review.family_id or not may_read_review_share(member):
            return False
        share = db_session().scalar(select(ReviewShare).where(ReviewShare.review_id == review.id))
        return share is not None and share.shared_at is not None

    review = _visible_or_404(user, Review, review_id, allowed)
    share = db_session().scalar(select(ReviewShare).where(ReviewShare.review_id == review.id))
    assert share is not None
    return review, share


def own_member(user: Any) -> FamilyMember | None:
    """The family member record of a signed-in young person or parent."""
    if not getattr(user, "is_authenticated", False) or not user.is_family:
        return None
    member: FamilyMember | None = user.member
    return member


# --- What family members send: entries, photos, worries.


def _entries_of(families: Select[Family]) -> Select[Entry]:
    return select(Entry).where(Entry.family_id.in_(families.with_only_columns(Family.id)))


def staff_entries(user: User) -> Select[Entry]:
    """Entries from every family this staff member may see: a worker's by a join on their family_staff rows."""
    if is_verified_staff(user) and user.role != Role.MANAGER:
        return select(Entry).join(FamilyStaff, and_(FamilyStaff.family_id == Entry.family_id, FamilyStaff.user_id == user.id))
    return _entries_of(visible_families(user))


def may_see_shared_entries(member: FamilyMember) -> bool:
    """A restricted member sees nothing the rest of the family shares, and a network member never does."""
    return counts_as_family(member) and not member.restricted


def shared_entries(user: User) -> Select[Entry]:
    """Entries other members of the user's family chose to share with their family."""
    member = own_member(user)
    if member is None or not may_see_shared_entries(member) or is_together(user):
        return select(Entry).where(false())
    restricted = select(FamilyMember.id).where(FamilyMember.family_id == member.family_id, FamilyMember.restricted.is_(True))
    return select(Entry).where(
        Entry.family_id == member.family_id,
        Entry.shared_with_family.is_(True),
        Entry.member_id != member.id,
        Entry.member_id.not_in(restricted),
    )


def can_see_entry(user: User, entry: Entry) -> bool:
    if is_verified_staff(user):
        return can_see_family(user, entry.member.family)
    member = own_member(user)
    if member is None:
        return False
    if entry.member_id == member.id:
        return True
    if is_together(user):
        return False  # a worker's device standing for one member shows nobody else's entries
    return (
        entry.shared_with_family
        and entry.family_id == member.family_id
        and may_see_shared_entries(member)
        and not entry.member.restricted
    )


def entry_or_404(user: User, entry_id: int) -> Entry:
    return _visible_or_404(user, Entry, entry_id, can_see_entry)


def can_see_photo(user: User, photo: Photo) -> bool:
    if is_verified_staff(user):
        return can_see_family(user, photo.member.family)
    member = own_member(user)
    if member is None:
        return False
    if photo.member_id == member.id:
        return True
    entry = db_session().get(Entry, photo.entry_id) if photo.entry_id else None
    return entry is not None and can_see_entry(user, entry)


def photo_or_404(user: User, photo_id: int) -> Photo:
    return _visible_or_404(user, Photo, photo_id, can_see_photo)


def member_worries(member: FamilyMember) -> Select[Worry]:
    """The worries a member may score: their own, and (unless restricted) the worker's that apply to them.
    A network member scores none here: the worker records a network member's score for them."""
    if not counts_as_family(member):
        return select(Worry).where(false())
    own = Worry.owner_member_id == member.id
    condition = own
    if not member.restricted:
        applies = select(WorryMember.worry_id).where(WorryMember.member_id == member.id)
        condition = or_(own, and_(Worry.owner_member_id.is_(None), Worry.id.in_(applies)))
    return (
        select(Worry)
        .where(Worry.family_id == member.family_id, Worry.archived_at.is_(None), condition)
        .order_by(Worry.created_at, Worry.id)
    )


def member_worry_or_404(user: User, worry_id: int) -> Worry:
    member = own_member(user)
    worry = None
    if member is not None:
        worry = db_session().scalar(member_worries(member).where(Worry.id == worry_id))
    if worry is None:
        _refused(user, "worry", worry_id)
    assert worry is not None
    return worry


def worry_children_choices(family: Family) -> list[FamilyMember]:
    """Which children a worker may say a worry is about: the family's young people."""
    return [m for m in family.members if m.is_young_person]


def own_worry_children_choices(family: Family) -> list[FamilyMember]:
    """Which children a parent or carer may say their own worry is about: never a restricted child."""
    return [m for m in worry_children_choices(family) if not m.restricted]


def scoring_about(worry: Worry, member: FamilyMember | None) -> list[FamilyMember | None]:
    """Whom a person scores a worry about (None: the worry is about no child). member=None: the worker recording a score.

    A young person the worry is about scores it about themselves; everybody else about each child it concerns.
    A family member never scores about a restricted child (nothing of a restricted member reaches the family).
    """
    ids = {link.member_id for link in worry.concerns}
    children = [m for m in db_session().scalars(select(FamilyMember).where(FamilyMember.id.in_(ids)).order_by(FamilyMember.id))] if ids else []
    if not children:
        return [None]
    if member is not None:
        if member.is_young_person and any(child.id == member.id for child in children):
            return [member]
        children = [child for child in children if not child.restricted]
    return list(children)


def scoring_about_or_404(user: Any, worry: Worry, member: FamilyMember | None, about_id: int | None) -> FamilyMember | None:
    """The child a score is about, if this person scores this worry about them; else 404 (one child: it needs no naming)."""
    targets = scoring_about(worry, member)
    if about_id is None and len(targets) == 1:
        return targets[0]
    for target in targets:
        if target is not None and target.id == about_id:
            return target
    _refused(user, "worry-about", about_id or 0)
    raise AssertionError("unreachable")


def member_sees_score(member: FamilyMember, score: WorryScore) -> bool:
    """A family member sees only the scores they gave themselves: never another's, whoever it is about."""
    return score.member_id == member.id


def staff_worry_or_404(user: User, worry_id: int) -> Worry:
    worry = db_session().get(Worry, worry_id)
    if worry is None:
        _refused(user, "worry", worry_id)
    assert worry is not None
    family_or_404(user, worry.family_id)
    return worry


# --- Oversight and data protection.


def can_close_family(user: User, family: Family) -> bool:
    """A worker on the family, or the team's manager, may close and reopen it."""
    return can_see_family(user, family)


def team_staff(user: User) -> Select[User]:
    """Every staff account of a manager's team, disabled ones too (they stay in the audit log)."""
    if not can_manage_staff(user):
        return select(User).where(false())
    return select(User).where(User.team_id == user.team_id, User.role.in_(STAFF_ROLES)).order_by(User.display_name)


def team_audit_events(user: User) -> Select[AuditEvent]:
    """Audit events a manager may read: about their team's families, by their team's staff, or about their team."""
    if not can_manage_staff(user):
        return select(AuditEvent).where(false())
    team_families = select(Family.id).where(Family.team_id == user.team_id)
    team_accounts = select(User.id).where(User.team_id == user.team_id)
    return select(AuditEvent).where(
        or_(
            AuditEvent.family_id.in_(team_families),
            AuditEvent.actor_id.in_(team_accounts),
            AuditEvent.team_id == user.team_id,
        )
    )


def escalation_managers(family: Family) -> Select[User]:
    """Who is told an urgent entry waited too long: the family's team's managers who can still sign in."""
    return select(User).where(User.team_id == family.team_id, User.role == Role.MANAGER, User.disabled_at.is_(None))


def can_erase_member(user: User, member: FamilyMember) -> bool:
    """Only a manager erases a family member's data, and only in their own team."""
    return can_manage_staff(user) and member.family.team_id == user.team_id


def erasable_member_or_404(user: User, member_id: int) -> FamilyMember:
    """A family member whose data this user may erase: only a manager, only in their own team."""
    member = db_session().get(FamilyMember, member_id)
    if member is None or not can_erase_member(user, member):
        _refused(user, "member", member_id)
    assert member is not None
    return member


def staff_assessment_or_404(user: User, assessment_id: int) -> Assessment:
    return _visible_or_404(user, Assessment, assessment_id, lambda u, assessment: can_see_family(u, assessment.family))


# --- Plans and safety plans.


def may_read_plan(member: FamilyMember) -> bool:
    """A restricted member sees nothing of the family plan: no page, no notice. A network member has no plan
    page either: their home shows the plan's actions that name them (`network_actions_for`)."""
    return counts_as_family(member) and not member.restricted


def may_be_told_of_plans(member: FamilyMember) -> bool:
    """Who is told a plan or safety plan changed: never a restricted member, whatever the plan."""
    return not member.restricted


def told_of_family_plan(member: FamilyMember) -> bool:
    """Who is told the family plan changed: those who may read it (never a network member: the actions naming
    them are on their home page)."""
    return may_be_told_of_plans(member) and may_read_plan(member)


def has_safety_plan(member: FamilyMember) -> bool:
    """Safety plans are written for young people only: for a parent there is no such page, staff or family."""
    return member.role == MemberRole.YOUNG_PERSON


def may_read_safety_plan(member: FamilyMember) -> bool:
    """A restricted young person sees the emergency numbers, never the plan's people and places."""
    return has_safety_plan(member) and not member.restricted


def may_read_family_safety_plan(member: FamilyMember) -> bool:
    """The family and network safety plan is for the grown-ups: parents and carers read all of it,
    network members the parts that name them; young people read their own safety plan instead."""
    return member.role in (MemberRole.PARENT, MemberRole.NETWORK) and not member.restricted


def family_safety_parts_for(content: FamilySafetyPlanContent, member: FamilyMember) -> FamilySafetyPlanContent | None:
    """What of the family and network safety plan a member reads: a parent all of it, a network member
    only their own line and the steps, rules and rows that name them; None for anyone else."""
    if not may_read_family_safety_plan(member):
        return None
    if member.role == MemberRole.NETWORK:
        person = content.person_for_member(member.id)
        return content.naming(person.id) if person else FamilySafetyPlanContent()
    return content


def told_of_family_safety_plan(member: FamilyMember, content: FamilySafetyPlanContent) -> bool:
    """Who is told a new version of the family and network safety plan is out: parents and carers, and the
    network members it names; never a restricted member or a young person."""
    if not may_be_told_of_plans(member) or not may_read_family_safety_plan(member):
        return False
    return member.role == MemberRole.PARENT or content.person_for_member(member.id) is not None


def reads_bottom_lines_with_family_safety_plan(member: FamilyMember) -> bool:
    """The family plan's bottom lines head the family safety plan for parents and carers who read the plan."""
    return member.role == MemberRole.PARENT and may_read_plan(member) and may_read_family_safety_plan(member)


def plan_version_for(member: FamilyMember) -> str:
    """Which version of the plan's words a member reads: the young people's or the parents'."""
    return "young_person" if member.is_young_person else "parent"


def plan_sections_for(content: PlanContent, member: FamilyMember) -> list[tuple[str, str]]:
    """(section key, text) a member may read: their version, minus sections hidden from them."""
    if not may_read_plan(member):
        return []
    version = plan_version_for(member)
    shown = []
    for key, section in content.sections.items():
        if member.id in section.hidden_from:
            continue
        text = getattr(section, version).strip()
        if text:
            shown.append((key, text))
    return shown


def plan_worries_for(content: PlanContent, member: FamilyMember) -> list[WorrySnapshot]:
    """The published worries that apply to a member, unless "What we are worried about" is hidden from them."""
    worried_about = content.sections.get("worried_about")
    if not may_read_plan(member) or (worried_about is not None and member.id in worried_about.hidden_from):
        return []
    return [w for w in content.worries if member.id in w.members]


def plan_actions_for(content: PlanContent, member: FamilyMember) -> list[Action]:
    """The actions a member may read, in the young people's own words for a young person; a network member
    only those that name them."""
    if is_network_member(member):
        return network_actions_for(content, member)
    if not may_read_plan(member) or member.id in content.actions_hidden_from:
        return []
    if member.is_young_person:
        return [a.for_young_person() for a in content.actions]
    return list(content.actions)


def plan_pairs_for(content: PlanContent, member: FamilyMember) -> list[tuple[DangerGoal, str, str]]:
    """Each danger statement with its safety goal as a member reads them: their version (young people's or parents'),
    only pairs written in that version, none if the pairs are hidden from them. The worker's own wording is staff's."""
    if not may_read_plan(member) or member.id in content.pairs_hidden_from:
        return []
    version = plan_version_for(member)
    return [(pair, *pair.for_version(version)) for pair in content.pairs if any(pair.for_version(version))]


def network_actions_for(content: PlanContent, member: FamilyMember) -> list[Action]:
    """The family plan's actions a network member reads: only those the worker named them in (in the parents'
    words), none if the actions are hidden from them or they are restricted; nobody else's by this rule."""
    if not is_network_member(member) or member.restricted or member.id in content.actions_hidden_from:
        return []
    return [a for a in content.actions if member.id in a.people]


def network_members(family: Family) -> list[FamilyMember]:
    """Who the worker may name in a family plan action: the family's network members."""
    return [m for m in family.members if is_network_member(m)]


def may_agree_to_family_safety_plan(user: Any, member: FamilyMember) -> bool:
    """Who may say "I have read it and I agree" to the family and network safety plan: whoever may read it
    (its parents and carers, and network members), themselves: never on a worker's device doing it together."""
    return may_read_family_safety_plan(member) and not is_together(user)


def plan_pictures_for(content: PlanContent, member: FamilyMember) -> dict[str, list[PictureRef]]:
    """Words and Pictures: the pictures a member sees, by block. They belong to the young people's version, so only
    young people see them, and only beside the blocks they read (a hidden section, action list or pair shows none)."""
    if not may_read_plan(member) or plan_version_for(member) != "young_person":
        return {}
    blocks = {picture_block("section", key): content.sections[key].pictures for key, _text in plan_sections_for(content, member)}
    blocks |= {picture_block("action", a.id): a.pictures for a in plan_actions_for(content, member)}
    for pair, danger, goal in plan_pairs_for(content, member):
        blocks |= {picture_block("danger", pair.id): pair.danger_pictures if danger else []}
        blocks |= {picture_block("goal", pair.id): pair.goal_pictures if goal else []}
    return {block: pictures for block, pictures in blocks.items() if pictures}


def may_see_plan_picture(user: Any, picture: PlanPicture) -> bool:
    """An uploaded plan picture: staff who may see the family; a family member only while it is beside words they
    read in their family's latest published plan (never a draft's, never a parent's, never another family's)."""
    if is_verified_staff(user):
        family = db_session().get(Family, picture.family_id)
        return family is not None and can_see_family(user, family)
    member = own_member(user)
    if member is None or member.family_id != picture.family_id:
        return False
    published = db_session().scalar(
        select(PlanVersion).where(PlanVersion.family_id == member.family_id, PlanVersion.status == PUBLISHED)
        .order_by(PlanVersion.number.desc()).limit(1)
    )
    if published is None:
        return False
    shown = plan_pictures_for(PlanContent.from_json(published.content), member)
    return any(p.uploaded == picture.id for pictures in shown.values() for p in pictures)


def plan_picture_or_404(user: Any, picture_id: int) -> PlanPicture:
    return _visible_or_404(user, PlanPicture, picture_id, may_see_plan_picture)


def voice_candidates(user: User, family: Family) -> Select[Entry]:
    """The entries a worker may quote as the voice of the child: the young people's own entries in a family they may see.

    Private entries are offered too (the worker may read them); whether the family reads a quote is
    `plan_quotes_for`'s rule, not the picker's."""
    if not is_verified_staff(user) or not can_see_family(user, family):
        return select(Entry).where(false())
    young = select(FamilyMember.id).where(FamilyMember.family_id == family.id, FamilyMember.role == MemberRole.YOUNG_PERSON)
    return select(Entry).where(Entry.family_id == family.id, Entry.member_id.in_(young)).order_by(Entry.created_at.desc(), Entry.id.desc())


def plan_quotes_for(content: PlanContent, member: FamilyMember) -> list[ChildQuote]:
    """The voice of the child as a family member reads it in the plan.

    The rule: quoting is the worker's choice, but it never opens a child's private words to the rest of the family.
    A member always reads the quotes of their own words. Anyone else in the family reads a quote only when
      - they may read the plan (not restricted) and the voice of the child is not hidden from them, and
      - the quoted child is not restricted (nothing of a restricted member reaches the family), and
      - the child shared that entry with their family (as it stands now: an entry that is gone or private
        counts as not shared), or the worker ticked "the family may read this quote".
    """
    if not may_read_plan(member) or member.id in content.voice_hidden_from:
        return []
    others = {q.member_id for q in content.voice if q.member_id != member.id}
    entry_ids = {q.entry_id for q in content.voice if q.member_id != member.id}
    db = db_session()
    restricted = set(db.scalars(select(FamilyMember.id).where(FamilyMember.id.in_(others), FamilyMember.restricted.is_(True)))) if others else set()
    shared = set(db.scalars(select(Entry.id).where(
        Entry.id.in_(entry_ids), Entry.family_id == member.family_id, Entry.shared_with_family.is_(True)
    ))) if entry_ids else set()
    return [
        q for q in content.voice
        if q.member_id == member.id or (q.member_id not in restricted and (q.entry_id in shared or q.family_may_read))
    ]


def may_keep_safety_plan_offline(member: FamilyMember) -> bool:
    """Phones are shared: a safety plan stays on one only when the worker and the young person both chose it."""
    return not member.restricted and member.safety_plan_offline_allowed and member.safety_plan_offline_chosen


def entry_kind_for(member: FamilyMember, kind_key: str) -> kinds.EntryKind | None:
    """The kind of entry this member may write, or None: parents and young people each have their own, and
    entries the app makes itself (a safety score) are no form at all. A network member writes none."""
    kind = kinds.BY_KEY.get(kind_key)
    return kind if kind is not None and counts_as_family(member) and member.role in kind.for_roles else None


def drawn_kind_for(member: FamilyMember, kind_key: str) -> kinds.EntryKind | None:
    """A drawn entry (Draw it, My three houses) this member may make: every young person and parent may draw."""
    if kind_key not in kinds.DRAWN_KIND_KEYS or member.role not in (MemberRole.YOUNG_PERSON, MemberRole.PARENT):
        return None
    return kinds.BY_KEY[kind_key]


def may_share_with_family(member: FamilyMember, *, urgent: bool) -> bool:
    """Whether the form offers "share this with my family": young people only, never restricted, and never on
    "I want to talk to my worker", where one tap must not send a disclosure to the household."""
    return member.role == MemberRole.YOUNG_PERSON and not member.restricted and not urgent


def worry_scorers(family: Family) -> list[FamilyMember]:
    """Who a worker may ask to score a worry: a restricted member sees nothing of the family's worries, and a
    network member has no worries page (the worker records their score)."""
    return [m for m in family.members if counts_as_family(m) and not m.restricted]


def shows_scores_of(member: FamilyMember, *, has_scores: bool) -> bool:
    """A worker sees a member on a worry unless they were restricted before giving any score."""
    return has_scores or not member.restricted


def plan_notice_kinds(member: FamilyMember) -> list[NotificationKind]:
    """Which plan notices a member's home page shows: the family plan's only to those who may read it."""
    if is_network_member(member):
        return [NotificationKind.FAMILY_SAFETY_PLAN_PUBLISHED] if may_read_family_safety_plan(member) else []
    kinds = [NotificationKind.SAFETY_PLAN_PUBLISHED, *closure_notice_kinds(member)]
    if may_read_plan(member):
        kinds.append(NotificationKind.PLAN_PUBLISHED)
    if may_read_review_share(member):
        kinds.append(NotificationKind.REVIEW_SHARED)
    if may_read_family_safety_plan(member):
        kinds.append(NotificationKind.FAMILY_SAFETY_PLAN_PUBLISHED)
    return kinds


def shareable_members(family: Family) -> list[FamilyMember]:
    """Who an assessment may be shared with: the family's parents and carers who are not restricted."""
    return [m for m in family.members if may_read_assessments(m)]


def may_read_assessments(member: FamilyMember) -> bool:
    """Assessments are shared with parents and carers only, never with a restricted one."""
    return member.role == MemberRole.PARENT and not member.restricted


def shared_assessments(user: User) -> Select[Assessment]:
    """Assessments shared with this parent or carer."""
    member = own_member(user)
    if member is None or not may_read_assessments(member):
        return select(Assessment).where(false())
    return select(Assessment).join(AssessmentShare).where(AssessmentShare.member_id == member.id)


def shared_assessment_or_404(user: User, assessment_id: int) -> Assessment:
    """An assessment shared with this parent or carer (never a restricted member)."""
    assessment = db_session().scalar(shared_assessments(user).where(Assessment.id == assessment_id))
    if assessment is None:
        _refused(user, "assessment", assessment_id)
    assert assessment is not None
    return assessment


# --- Translations of the worker's words, and the interpreter's English of a family member's words.


def may_translate_for_family(user: User, family: Family) -> bool:
    """Who may add a translation of the worker's words: staff who may edit the family's plan, nobody in the family."""
    return is_verified_staff(user) and can_see_family(user, family)


def translation_family_or_404(user: User, family_id: int) -> Family:
    return _visible_or_404(user, Family, family_id, may_translate_for_family)


def may_translate_entry(user: User, entry: Entry) -> bool:
    """Who may add an interpreter's English beside a family member's words: staff who may see that entry."""
    return is_verified_staff(user) and can_see_entry(user, entry)


def translatable_entry_or_404(user: User, entry_id: int) -> Entry:
    return _visible_or_404(user, Entry, entry_id, may_translate_entry)


# The other words a family member writes that an interpreter may put into English: a worry score's reasons,
# a comment on a shared review, goodbye views and a parent's comment on an assessment.
MEMBER_WORDS_MODELS: dict[str, type[Any]] = {
    "worry-score": WorryScore, "review-comment": ReviewComment, "goodbye": GoodbyeViews, "assessment-comment": AssessmentComment,
}


def member_words_family(record: Any) -> Family:
    """The family whose member wrote these words."""
    db = db_session()
    if isinstance(record, WorryScore):
        return db.get_one(Family, record.worry.family_id)
    if isinstance(record, ReviewComment):
        return db.get_one(Family, db.get_one(Review, record.review_id).family_id)
    if isinstance(record, GoodbyeViews):
        return db.get_one(Family, record.closure.family_id)
    assert isinstance(record, AssessmentComment)
    return record.assessment.family


def may_translate_member_words(user: User, record: Any) -> bool:
    """Who may add an interpreter's English beside a family member's words: staff who may see the family, nobody in it;
    only words a family member wrote (a worry score the worker recorded is in the worker's English already)."""
    if not is_verified_staff(user):
        return False
    if isinstance(record, WorryScore) and record.member_id is None:
        return False
    if isinstance(record, GoodbyeViews) and record.answer != ViewsAnswer.ANSWERED:
        return False
    return can_see_family(user, member_words_family(record))


def translatable_member_words_or_404(user: User, kind: str, record_id: int) -> Any:
    model = MEMBER_WORDS_MODELS.get(kind)
    if model is None:
        abort(404)
    return _visible_or_404(user, model, record_id, may_translate_member_words)


# --- Done together: the worker's device standing for one family member during a visit.

# Besides the member's own pages under /my/, the pages a device doing it together may open.
TOGETHER_OPEN_PAGES = frozenset({
    "home.index", "home.member_home", "photos.image", "photos.thumbnail", "plans.plan_picture", "auth.quick_exit", "auth.set_language",
    "pwa.manifest", "pwa.offline", "pwa.service_worker", "static", "together.leave",
})
# Pages under /my/ that stay closed: another member's shared entries, and the member's data as a download.
TOGETHER_CLOSED_PAGES = frozenset({"entries.shared_with_me", "dataprotection.my_data"})


def together_may_open(endpoint: str | None, rule: str | None) -> bool:
    """Whether a device doing it together may open this page: the member's own pages only, never staff,
    settings, sign-in or sign-out (leaving needs the worker's password); anything else is a 404."""
    if endpoint is None or endpoint in TOGETHER_CLOSED_PAGES:
        return False
    return endpoint in TOGETHER_OPEN_PAGES or bool(rule and rule.startswith("/my/"))


def may_see_shared_entries_now(user: Any, member: FamilyMember) -> bool:
    """What other members shared is offered unless the member is restricted or it is done together."""
    return may_see_shared_entries(member) and not is_together(user)


def may_do_together(user: User, member: FamilyMember) -> bool:
    """A staff member may do it together with any young person or parent of an open family they may see, for as
    long as that lasts; a network member has nothing to send, so not with them."""
    return can_see_family(user, member.family) and member.family.closed_at is None and counts_as_family(member)


def together_member_or_404(user: User, member_id: int) -> FamilyMember:
    """A member this staff member may start doing it together with."""
    return _visible_or_404(user, FamilyMember, member_id, may_do_together)


# --- Network members: a grandparent, neighbour or family friend in the family's safety network.

# The only pages a network member may open: their home, the family and network safety plan (the parts naming
# them) and saying they agree to it, their settings (language, how pages look) and My data, signing in and out, Quick exit, and
# the app's own files. Every other page (views, worries, photos, the family plan, assessments, the picture-led
# way, meetings, shared entries, a young person's safety plan) answers 404 for them, whatever its address.
NETWORK_OPEN_PAGES = frozenset({
    "home.index", "home.member_home", "plans.my_family_safety_plan", "network.agree", "dataprotection.my_data",
    "auth.settings", "auth.set_language", "picture.look", "auth.sign_out", "auth.quick_exit", "auth.sign_in", "auth.sign_in_code",
    "auth.activate_start", "auth.activate", "auth.activate_account",
    "pwa.manifest", "pwa.offline", "pwa.service_worker", "static",
})


def network_member_may_open(member: FamilyMember, endpoint: str | None) -> bool:
    """Whether this member may open this page at all: anyone but a network member may (the page asks its own
    rule next); a network member only the pages in NETWORK_OPEN_PAGES."""
    return not is_network_member(member) or endpoint in NETWORK_OPEN_PAGES


# --- The API: a token reads its own team's families, nothing else.


def team_api_tokens(user: User) -> Select[ApiToken]:
    """The API tokens a manager may see and revoke: their own team's, newest first."""
    if not can_manage_staff(user):
        return select(ApiToken).where(false())
    return select(ApiToken).where(ApiToken.team_id == user.team_id).order_by(ApiToken.created_at.desc())


def api_token_or_404(user: User, token_id: int) -> ApiToken:
    """An API token this manager may revoke: one of their own team's."""
    return _visible_or_404(user, ApiToken, token_id, lambda u, token: can_manage_staff(u) and token.team_id == u.team_id)


def api_families(token: ApiToken) -> Select[Family]:
    """A token reads what its team's manager reads: every family of the team."""
    return team_families(token.team_id)


def api_family_or_404(token: ApiToken, family_id: int) -> Family:
    family = db_session().scalar(api_families(token).where(Family.id == family_id))
    if family is None:
        log("refused", token=token.id, record=f"family:{family_id}")
        abort(404)
    return family


def api_entries(token: ApiToken) -> Select[Entry]:
    """Entries from every family of the token's team."""
    return _entries_of(api_families(token))


# --- Statements: who hears of a complaint, and which entries never reach the family.


def complaint_recipients(family: Family) -> list[User]:
    """Who is told of a complaint or a request for an advocate: the family's lead worker and the managers of
    the family's own team who can still sign in; nobody else (another team's manager, a worker not on the
    family), and never a family member."""
    managers = db_session().scalars(escalation_managers(family).order_by(User.id)).all()
    lead = family.lead_worker
    recipients = [lead] if lead.disabled_at is None else []
    recipients.extend(manager for manager in managers if manager.id != lead.id)
    return recipients


def may_share_kind(member: FamilyMember, kind: kinds.EntryKind) -> bool:
    """Whether the form for this kind offers "share this with my family": never on a private kind (what happened
    to someone, a complaint), whatever the member's role."""
    return may_share_with_family(member, urgent=kind.urgent) and not kind.private


def _refused(user: Any, what: str, record_id: int) -> None:
    log("refused", account=getattr(user, "id", "anonymous"), record=f"{what}:{record_id}")
    abort(404)


# --- The picture-led way (webapp/picture/).

# Age bands that use pictures unless the worker chose otherwise.
PICTURE_AGE_BANDS = frozenset({"5-7"})


def picture_led_by_worker(member: FamilyMember) -> bool:
    """The worker's choice, or by age when they left it: under-8s use pictures. Never a network member."""
    if is_network_member(member):
        return False
    if member.picture_led is not None:
        return member.picture_led
    return member.role == MemberRole.YOUNG_PERSON and member.age_band in PICTURE_AGE_BANDS


def uses_pictures(member: FamilyMember) -> bool:
    """Whether this member's pages are the picture-led way: their own switch wins over the worker's choice.
    A network member's pages are never picture-led."""
    if is_network_member(member):
        return False
    if member.way_chosen in ("picture", "usual"):
        return member.way_chosen == "picture"
    return picture_led_by_worker(member)


def helper_members(member: FamilyMember) -> list[FamilyMember]:
    """The family members a member may tap on "Who can help?": never a restricted member, and a restricted
    member sees nobody from the family (only their worker). Network members are not offered: a child reaches
    them through their safety plan's people who can help."""
    if member.restricted:
        return []
    return [m for m in member.family.members if m.id != member.id and not m.restricted and counts_as_family(m)]


# --- A family's chronology: contacts the workers record, and the manager's decisions about disengagement.


def contact_or_404(user: User, contact_id: int) -> Contact:
    """A recorded contact, for staff who may see its family (any of them may write up a home visit)."""
    return _visible_or_404(user, Contact, contact_id, lambda u, contact: can_see_family(u, db_session().get_one(Family, contact.family_id)))


def may_decide_disengagement(user: User, family: Family) -> bool:
    """The team manager decides what happens with a family flagged for disengagement; workers see the flag."""
    return is_verified_staff(user) and user.role == Role.MANAGER and family.team_id == user.team_id


def disengagement_family_or_404(user: User, family_id: int) -> Family:
    return _visible_or_404(user, Family, family_id, may_decide_disengagement)


# --- Closing a family: the worker asks, the team manager decides, the young people and parents say goodbye.


def may_request_closure(user: User, family: Family) -> bool:
    """A worker on an open family, or the team's manager, may ask to close it."""
    return can_see_family(user, family) and family.closed_at is None


def closure_family_or_404(user: User, family_id: int) -> Family:
    """A family whose closure page this staff member may open: whoever may see it."""
    return family_or_404(user, family_id)


def closure_or_404(user: User, closure_id: int) -> ClosureRequest:
    """A closure request (and its record), for staff who may see its family."""
    return _visible_or_404(
        user, ClosureRequest, closure_id, lambda u, closure: can_see_family(u, db_session().get_one(Family, closure.family_id))
    )


def decide_closure_or_404(user: User, closure_id: int) -> ClosureRequest:
    """A closure request this user may approve or decline: only a manager of its family's team; anyone else 404s."""
    return _visible_or_404(
        user, ClosureRequest, closure_id, lambda u, closure: is_team_manager_of(u, db_session().get_one(Family, closure.family_id))
    )


def closure_refusal(user: User, closure: ClosureRequest) -> str | None:
    """Why this manager may not decide now: only a waiting request, never by the person who asked (a second pair of eyes)."""
    if closure.status != "pending":
        return "not_pending"
    if closure.requested_by_id == user.id:
        return "own_request"
    return None


def asked_for_goodbye_views(member: FamilyMember) -> bool:
    """Every young person and parent is asked for their views before the family closes, a restricted one too
    (what anyone answers is read by staff only); never a network member."""
    return counts_as_family(member)


def closure_notice_kinds(member: FamilyMember) -> list[NotificationKind]:
    return [NotificationKind.GOODBYE_VIEWS, NotificationKind.GOODBYE] if asked_for_goodbye_views(member) else []


def closures_waiting_for(user: User) -> Select[ClosureRequest]:
    """Closure requests waiting in the manager's team, oldest first; none for anyone else."""
    if not can_manage_staff(user) or user.team_id is None:
        return select(ClosureRequest).where(false())
    return (
        select(ClosureRequest)
        .join(Family, Family.id == ClosureRequest.family_id)
        .where(Family.team_id == user.team_id, ClosureRequest.status == "pending")
        .order_by(ClosureRequest.requested_at, ClosureRequest.id)
    )
