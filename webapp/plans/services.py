"""Drafting and publishing plans: every change to a plan or a safety plan is made here.

Families only ever see the latest published version. Nothing here commits: the request does, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp import audit, policy
from webapp.auth.models import User
from webapp.clock import local_day, local_today
from webapp.db import db_session, utcnow
from webapp.entries import kinds
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.photos.processing import PhotoRejected, ProcessedPhoto
from webapp.plans import pictures as shipped_pictures
from webapp.plans.models import DRAFT, PUBLISHED, PlanPicture, PlanVersion, SafetyPlanVersion
from webapp.plans.records import (
    PAIR_FIELDS,
    Action,
    BlockPictures,
    ChildQuote,
    DangerGoal,
    NewAction,
    PictureRef,
    PlanContent,
    PlanRule,
    PlanWording,
    ProgressUpdate,
    SafePerson,
    SafePlace,
    SafetyPlanContent,
    SafetyRows,
    WorrySnapshot,
    new_id,
)
from webapp.worries.models import Worry


class ActionGone(LookupError):
    """The action a page named is not in the plan any more (another worker, or a page left open, removed it)."""


# --- The family plan.


def latest_published(family_id: int) -> PlanVersion | None:
    return db_session().scalar(
        select(PlanVersion)
        .where(PlanVersion.family_id == family_id, PlanVersion.status == PUBLISHED)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )


def versions(family_id: int) -> list[PlanVersion]:
    """Every version of a family's plan, newest first."""
    return list(db_session().scalars(select(PlanVersion).where(PlanVersion.family_id == family_id).order_by(PlanVersion.number.desc())))


def version(family_id: int, number: int) -> PlanVersion | None:
    return db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family_id, PlanVersion.number == number))


def current_draft(family_id: int) -> PlanVersion | None:
    return db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family_id, PlanVersion.status == DRAFT))


def current_plan(family: Family) -> tuple[PlanContent, PlanVersion | None]:
    """What the editor shows: the draft, else the latest published version, else an empty plan; and the draft."""
    if (draft_version := current_draft(family.id)) is not None:
        return PlanContent.from_json(draft_version.content), draft_version
    published = latest_published(family.id)
    return (PlanContent.from_json(published.content) if published else PlanContent()), None


def draft(family: Family, author_id: int) -> PlanVersion:
    """The family's draft, made from the latest published version (or empty) when there is none."""
    db = db_session()
    if (current := current_draft(family.id)) is not None:
        return current
    published = latest_published(family.id)
    number = (db.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.family_id == family.id)) or 0) + 1
    content = PlanContent.from_json(published.content) if published else PlanContent()
    content.worries = []  # a published version's worries are its own record; the next one takes them afresh
    current = PlanVersion(family_id=family.id, number=number, status=DRAFT, content=content.to_json(), created_by_id=author_id)
    db.add(current)
    db.flush()
    return current


def save_draft(version: PlanVersion, content: PlanContent) -> None:
    version.content = content.to_json()  # a new dict, so the JSON column is marked changed
    version.updated_at = utcnow()


# Words and Pictures: an uploaded picture's long side. It stands about 100 px wide beside the words, so this is
# sharp on a phone with three pixels to each of its points, and keeps the young person's page light.
PICTURE_SIDE = 320


@dataclass
class NewPicture:
    """A picture the worker uploaded for one block, already cleaned by the photo pipeline, and what is in it."""

    processed: ProcessedPhoto
    description: str = ""


@dataclass
class DraftChange:
    """Everything one press of an editor button changes, saved together."""

    wording: PlanWording | None = None
    new_action: NewAction | None = None
    # Progress updates by action id.
    updates: dict[str, str] = field(default_factory=dict)
    remove: str | None = None
    # Words and Pictures, by block name (`records.picture_block`): the pictures ticked (a block the page did not
    # draw is left as it is), and new uploads, each put beside its block too.
    pictures: dict[str, BlockPictures] = field(default_factory=dict)
    new_pictures: dict[str, NewPicture] = field(default_factory=dict)


def add_action(content: PlanContent, new: NewAction) -> Action:
    action = Action(
        id=new_id(content.ids()),
        what=new.what.strip(),
        what_young_person=new.what_young_person.strip(),
        who=new.who,
        by_when=new.by_when,
        people=list(new.people),
    )
    content.actions.append(action)
    return action


def add_progress(content: PlanContent, action_id: str, text: str) -> ProgressUpdate:
    action = content.action(action_id)
    if action is None:
        raise ActionGone(action_id)
    update = ProgressUpdate(id=new_id(content.ids()), day=local_today(), text=text)
    action.progress.append(update)
    return update


def network_people(family: Family, chosen: list[int]) -> list[int]:
    """Of the members a page named, the family's network members (anyone else is not named in an action)."""
    allowed = {m.id for m in policy.network_members(family)}
    return sorted({i for i in chosen if i in allowed})


def name_network_people(content: PlanContent, family: Family, people: dict[str, list[int]]) -> None:
    """The network members each action names, as the editor ticked them."""
    for action in content.actions:
        if action.id in people:
            action.people = network_people(family, people[action.id])


def remove_action(content: PlanContent, action_id: str) -> None:
    if content.action(action_id) is None:
        raise ActionGone(action_id)
    content.actions = [a for a in content.actions if a.id != action_id]


def change_draft(family: Family, author_id: int, change: DraftChange) -> PlanVersion:
    """Save what the editor sent into the family's draft (made if needed).

    An action named by a stale page that is no longer there raises ActionGone before anything changes.
    """
    before, _ = current_plan(family)
    for action_id in (*change.updates, *([change.remove] if change.remove is not None else [])):
        if before.action(action_id) is None:
            raise ActionGone(action_id)
    version = draft(family, author_id)
    content = PlanContent.from_json(version.content)
    if change.wording is not None:
        # The pictures beside the young people's words are chosen apart from the words (see set_pictures).
        content.sections = {
            key: replace(section, pictures=content.sections[key].pictures if key in content.sections else [])
            for key, section in change.wording.sections.items()
        }
        content.actions_hidden_from = change.wording.actions_hidden_from
        content.next_review = change.wording.next_review
        content.next_taf = change.wording.next_taf
        if change.wording.action_people is not None:
            name_network_people(content, family, change.wording.action_people)
        if change.wording.mapping is not None:
            content.mapping = change.wording.mapping
            content.pairs_hidden_from = change.wording.pairs_hidden_from
            content.voice_hidden_from = change.wording.voice_hidden_from
            set_pairs(content, change.wording.pairs)
            change_voice(content, family, change.wording.voice_remove, change.wording.voice_family_may_read, change.wording.voice_add)
        audit.record("plan_draft_saved", family_id=family.id, target=f"plan:{version.number}")
    for action_id, text in change.updates.items():
        add_progress(content, action_id, text)
    if change.new_action is not None:
        add_action(content, change.new_action).people = network_people(family, change.new_action.people)
    if change.remove is not None:
        remove_action(content, change.remove)
    if change.pictures or change.new_pictures:
        set_pictures(content, family, author_id, change.pictures, change.new_pictures)
    save_draft(version, content)
    return version


def picture_rejection_message(error: PhotoRejected) -> str:
    """What the worker reads when an uploaded picture cannot be used (nothing was saved)."""
    messages = {
        "empty": _("That file is empty. Please choose a picture. Nothing was saved."),
        "not_an_image": _("That file is not a picture we can use. Please choose a JPEG, PNG, WebP or HEIC file. Nothing was saved."),
        "broken": _("That picture seems to be broken. Please try another one. Nothing was saved."),
        "too_many_pixels": _("That picture is too big. Please choose a smaller one. Nothing was saved."),
    }
    return messages.get(error.reason, messages["broken"])


def family_pictures(family_id: int) -> list[PlanPicture]:
    """The pictures uploaded for a family's plan (without their bytes), oldest first."""
    return list(db_session().scalars(select(PlanPicture).where(PlanPicture.family_id == family_id).order_by(PlanPicture.id)))


def store_picture(family: Family, author_id: int, new: NewPicture) -> PlanPicture:
    """Keep an uploaded picture, already cleaned by processing.process, for the family's plan."""
    picture = PlanPicture(
        family_id=family.id, uploaded_by_id=author_id, description=new.description.strip()[:200],
        mime_type=new.processed.mime_type, width=new.processed.width, height=new.processed.height, image=new.processed.image,
    )
    db_session().add(picture)
    db_session().flush()
    audit.record("plan_picture_uploaded", family_id=family.id, target=f"plan-picture:{picture.id}")
    return picture


def set_pictures(
    content: PlanContent, family: Family, author_id: int, chosen: dict[str, BlockPictures], new: dict[str, NewPicture]
) -> None:
    """Put the chosen pictures beside each block: shipped ones the app has, uploaded ones of this family, new uploads kept."""
    own = {p.id for p in family_pictures(family.id)}
    blocks = content.picture_blocks()
    for block in dict.fromkeys([*chosen, *new]):
        if block not in blocks:
            continue
        wanted = chosen.get(block)
        if wanted is None:
            refs = list(blocks[block])
        else:
            refs = [PictureRef(shipped=key) for key in dict.fromkeys(wanted.shipped) if key in shipped_pictures.BY_KEY]
            refs += [PictureRef(uploaded=i) for i in dict.fromkeys(wanted.uploaded) if i in own]
        if block in new:
            refs.append(PictureRef(uploaded=store_picture(family, author_id, new[block]).id))
        content.set_pictures(block, refs)


def set_pairs(content: PlanContent, rows: list[tuple[str, dict[str, str]]]) -> None:
    """The danger statements and safety goals as typed: a pair keeps its id, a new one gets one, an empty one is dropped."""
    known = {p.id: p for p in content.pairs}
    taken = content.ids() - set(known)
    pairs = []
    for row_id, words in rows:
        words = {f: (words.get(f) or "").strip() for f in PAIR_FIELDS}
        if not any(words.values()):
            continue
        chosen = row_id if row_id in known and row_id not in taken else new_id(taken | set(known))
        taken.add(chosen)
        # A pair keeps the pictures beside its young people's words.
        before = known.get(chosen)
        pairs.append(DangerGoal(
            chosen, **words,
            danger_pictures=before.danger_pictures if before else [], goal_pictures=before.goal_pictures if before else [],
        ))
    content.pairs = pairs


def quoted_words(entry: Entry) -> str:
    """The child's own words in an entry (what they typed, not the app's choices or numbers), exactly as sent."""
    kind, answers = kinds.BY_KEY.get(entry.kind), entry.answers
    typed = [q.key for q in (kind.questions if kind else ()) if q.kind not in ("choice", "score")]
    return "\n".join(str(answers[key]).strip() for key in typed if str(answers.get(key) or "").strip())


def quote_of(entry: Entry, taken: set[str]) -> ChildQuote:
    return ChildQuote(
        id=new_id(taken),
        entry_id=entry.id,
        member_id=entry.member_id,
        name=entry.member.display_name,
        day=local_day(entry.created_at),
        words=quoted_words(entry),
        language=entry.language,
        shared=entry.shared_with_family,
    )


def change_voice(content: PlanContent, family: Family, remove: list[str], family_may_read: list[str], add: list[int]) -> None:
    """Take quotes out, say which the family may read, and quote new entries (a young person's own, in this family, once each)."""
    content.voice = [q for q in content.voice if q.id not in set(remove)]
    for quote in content.voice:
        quote.family_may_read = quote.id in set(family_may_read)
    quoted = {q.entry_id for q in content.voice}
    wanted = [i for i in add if i not in quoted]
    if not wanted:
        return
    entries = db_session().scalars(select(Entry).where(Entry.id.in_(wanted), Entry.family_id == family.id).order_by(Entry.created_at))
    for entry in entries:
        if entry.member.is_young_person and quoted_words(entry):
            content.voice.append(quote_of(entry, content.ids()))


def voice_entries(user: User, family: Family, content: PlanContent) -> list[tuple[Entry, str]]:
    """What the worker may quote next: the young people's entries they may see, with words, not quoted yet, newest first."""
    quoted = {q.entry_id for q in content.voice}
    entries = db_session().scalars(policy.voice_candidates(user, family).limit(200))
    return [(e, words) for e in entries if e.id not in quoted and (words := quoted_words(e))]


def forget_quotes_of(member: FamilyMember) -> None:
    """Erasing a member takes their quoted words out of every version of the plan, published ones too."""
    for version in db_session().scalars(select(PlanVersion).where(PlanVersion.family_id == member.family_id)):
        content = PlanContent.from_json(version.content)
        if any(q.member_id == member.id for q in content.voice):
            content.voice = [q for q in content.voice if q.member_id != member.id]
            version.content = content.to_json()


def plan_worries(family_id: int) -> list[Worry]:
    """The worries the worker wrote for the family to score, as they stand (not archived, not a member's own)."""
    return list(db_session().scalars(
        select(Worry).where(Worry.family_id == family_id, Worry.archived_at.is_(None), Worry.owner_member_id.is_(None)).order_by(Worry.id)
    ))


def worries_snapshot(family_id: int) -> list[WorrySnapshot]:
    """The family's worries as they stand, kept in the published version for the record."""
    worries = plan_worries(family_id)
    return [
        WorrySnapshot(
            id=w.id,
            wording=w.wording,
            danger_statement=w.danger_statement,
            meaning_0=w.meaning_0,
            meaning_10=w.meaning_10,
            is_safety=w.is_safety,
            members=sorted(link.member_id for link in w.applies_to),
        )
        for w in worries
    ]


def _tell_members(members: list[FamilyMember], kind: str) -> None:
    """A notice on their home page; never for a member who may not read plans."""
    for member in members:
        if member.user_id and policy.may_be_told_of_plans(member):
            notifications.notify(member.user_id, NotificationKind(kind))


def publish(version: PlanVersion, publisher_id: int) -> None:
    """Publish the draft: families see it from now on, and are told their plan changed."""
    content = PlanContent.from_json(version.content)
    content.worries = worries_snapshot(version.family_id)
    version.content = content.to_json()
    version.status = PUBLISHED
    version.published_at = utcnow()
    version.published_by_id = publisher_id
    family = db_session().get(Family, version.family_id)
    assert family is not None
    _tell_members([m for m in family.members if policy.told_of_family_plan(m)], "plan_published")
    audit.record("plan_published", family_id=version.family_id, target=f"plan:{version.number}")


# --- A young person's safety plan.


def latest_published_safety_plan(member_id: int) -> SafetyPlanVersion | None:
    return db_session().scalar(
        select(SafetyPlanVersion)
        .where(SafetyPlanVersion.member_id == member_id, SafetyPlanVersion.status == PUBLISHED)
        .order_by(SafetyPlanVersion.number.desc())
        .limit(1)
    )


def current_safety_draft(member_id: int) -> SafetyPlanVersion | None:
    return db_session().scalar(
        select(SafetyPlanVersion).where(SafetyPlanVersion.member_id == member_id, SafetyPlanVersion.status == DRAFT)
    )


def current_safety_plan(member: FamilyMember) -> SafetyPlanContent:
    """What the editor shows: the draft, else the latest published version, else an empty safety plan."""
    version = current_safety_draft(member.id) or latest_published_safety_plan(member.id)
    return SafetyPlanContent.from_json(version.content) if version else SafetyPlanContent()


def safety_draft(member: FamilyMember, author_id: int) -> SafetyPlanVersion:
    db = db_session()
    if (current := current_safety_draft(member.id)) is not None:
        return current
    published = latest_published_safety_plan(member.id)
    number = (db.scalar(select(func.max(SafetyPlanVersion.number)).where(SafetyPlanVersion.member_id == member.id)) or 0) + 1
    content = SafetyPlanContent.from_json(published.content) if published else SafetyPlanContent()
    current = SafetyPlanVersion(
        member_id=member.id, family_id=member.family_id, number=number, status=DRAFT, content=content.to_json(), created_by_id=author_id
    )
    db.add(current)
    db.flush()
    return current


def save_safety_plan(member: FamilyMember, author_id: int, rows: SafetyRows, *, offline_allowed: bool) -> SafetyPlanVersion:
    """Save the safety plan as typed; a row keeps its id, a new row gets one, an empty row is dropped."""
    version = safety_draft(member, author_id)
    known = SafetyPlanContent.from_json(version.content).ids()
    taken: set[str] = set()

    def row_id(posted: str) -> str:
        chosen = posted if posted in known and posted not in taken else new_id(known | taken)
        taken.add(chosen)
        return chosen

    content = SafetyPlanContent(
        safe_people=[SafePerson(row_id(i), name.strip(), reach.strip()) for i, name, reach in rows.safe_people if name.strip() or reach.strip()],
        rules=[PlanRule(row_id(i), when.strip(), what.strip()) for i, when, what in rows.rules if when.strip() or what.strip()],
        safe_places=[SafePlace(row_id(i), place.strip()) for i, place in rows.safe_places if place.strip()],
    )
    version.content = content.to_json()
    version.updated_at = utcnow()
    member.safety_plan_offline_allowed = offline_allowed
    if not offline_allowed:
        member.safety_plan_offline_chosen = False
    audit.record("safety_plan_draft_saved", family_id=member.family_id, target=f"member:{member.id}")
    return version


def publish_safety_plan(version: SafetyPlanVersion, publisher_id: int) -> None:
    version.status = PUBLISHED
    version.published_at = utcnow()
    version.published_by_id = publisher_id
    _tell_members([version.member], "safety_plan_published")
    audit.record("safety_plan_published", family_id=version.family_id, target=f"member:{version.member_id}")


def keep_safety_plan_on_phone(member: FamilyMember, keep: bool) -> None:
    """The young person's own choice; it counts only while their worker allows it."""
    member.safety_plan_offline_chosen = keep
