"""What a plan version and a safety plan version hold, as typed records stored in their JSON column.

Every action, progress update and safety plan row has an id of its own, so a page written a while
ago (or by another worker) names the row it meant, never a position that may have moved.
Content written before ids existed (schema version 1) is read as well; it gets ids when read.

Schema version 3 adds the worker's Signs of Safety mapping (the template's parts, the genogram date,
who was present and absent), danger statements each paired with its safety goal (in the worker's
words and in the young people's and the parents' versions), and the voice of the child: the child's
own words quoted from their entries. Older content is read as it was: its five sections stay the
family's versions of each heading (nothing moves), the mapping starts empty, and there are no pairs
or quotes yet (a published version's worries keep their danger statements, as before).

Schema version 4 adds Words and Pictures: each block of the young people's version (a section, an
action's words, a danger statement and a safety goal) can carry pictures, each a shipped illustration
(by key, `pictures.SHIPPED`) or one the worker uploaded (a `PlanPicture` row, by id). Older content
reads with no pictures.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from webapp.plans.sections import SECTIONS

SCHEMA_VERSION = 4
# A safety plan's shape has not changed since ids came.
SAFETY_SCHEMA_VERSION = 2


def new_id(taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A short id, unique among the ids already used in one plan."""
    while (candidate := secrets.token_hex(4)) in taken:
        pass
    return candidate


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _ids(values: Any) -> list[int]:
    return [v for v in values if isinstance(v, int)] if isinstance(values, list) else []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _names(value: Any) -> list[str]:
    return [v for v in _list(value) if isinstance(v, str) and v.strip()]


def _row_id(raw: dict[str, Any], taken: set[str]) -> str:
    """The row's own id; for a row written before ids, one drawn from its words, the same at every reading.

    So a page drawn from content the migration missed still names the same rows when it is sent back,
    even after another row was removed; the first save writes the ids down.
    """
    row_id = raw.get("id")
    if not isinstance(row_id, str) or not row_id or row_id in taken:
        words = json.dumps({k: v for k, v in raw.items() if k != "id"}, sort_keys=True, default=str)
        row_id = next(
            candidate
            for n in itertools.count()
            if (candidate := hashlib.sha256(f"{n}:{words}".encode()).hexdigest()[:8]) not in taken
        )
    taken.add(row_id)
    return row_id


# --- The family plan.


@dataclass(frozen=True)
class PictureRef:
    """One picture beside a block of the young people's words: a shipped illustration by key, or an uploaded one by id."""

    shipped: str = ""
    uploaded: int = 0

    @classmethod
    def from_json(cls, raw: Any) -> PictureRef | None:
        if isinstance(raw, dict) and isinstance(raw.get("shipped"), str) and raw["shipped"]:
            return cls(shipped=raw["shipped"])
        if isinstance(raw, dict) and isinstance(raw.get("uploaded"), int) and not isinstance(raw["uploaded"], bool) and raw["uploaded"] > 0:
            return cls(uploaded=raw["uploaded"])
        return None

    def to_json(self) -> dict[str, Any]:
        return {"shipped": self.shipped} if self.shipped else {"uploaded": self.uploaded}


def _pictures(value: Any) -> list[PictureRef]:
    """A block's pictures, each once, in the order chosen; anything else in the list is left out."""
    found: list[PictureRef] = []
    for raw in _list(value):
        if (picture := PictureRef.from_json(raw)) is not None and picture not in found:
            found.append(picture)
    return found


@dataclass
class ProgressUpdate:
    id: str
    day: date | None
    text: str

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> ProgressUpdate:
        return cls(id=_row_id(raw, taken), day=_day(raw.get("date")), text=_text(raw.get("text")))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "date": _iso(self.day), "text": self.text}


@dataclass
class Action:
    id: str
    what: str
    who: str
    by_when: date | None
    what_young_person: str = ""
    progress: list[ProgressUpdate] = field(default_factory=list)
    # The network members (by FamilyMember id) this action names: each of them reads it on their home page.
    people: list[int] = field(default_factory=list)
    # Beside the young people's words.
    pictures: list[PictureRef] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> Action:
        return cls(
            id=_row_id(raw, taken),
            what=_text(raw.get("what")),
            what_young_person=_text(raw.get("what_young_person")),
            who=_text(raw.get("who")),
            by_when=_day(raw.get("by_when")),
            progress=[ProgressUpdate.from_json(p, taken) for p in _list(raw.get("progress")) if isinstance(p, dict)],
            people=_ids(raw.get("people")),
            pictures=_pictures(raw.get("pictures")),
        )

    def to_json(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "id": self.id,
            "what": self.what,
            "what_young_person": self.what_young_person,
            "who": self.who,
            "by_when": _iso(self.by_when),
            "progress": [p.to_json() for p in self.progress],
            "pictures": [p.to_json() for p in self.pictures],
        }
        # Written only when someone is named, so an action naming nobody is stored as it always was
        # (same schema version: a missing list reads as empty).
        if self.people:
            raw["people"] = list(self.people)
        return raw

    def for_young_person(self) -> Action:
        """The action in the young people's own words, where the worker wrote them."""
        return replace(self, what=self.what_young_person or self.what)


@dataclass
class PlanSection:
    young_person: str = ""
    parent: str = ""
    hidden_from: list[int] = field(default_factory=list)
    # Beside the young people's version.
    pictures: list[PictureRef] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: Any) -> PlanSection:
        raw = raw if isinstance(raw, dict) else {}
        return cls(
            young_person=_text(raw.get("young_person")), parent=_text(raw.get("parent")), hidden_from=_ids(raw.get("hidden_from")),
            pictures=_pictures(raw.get("pictures")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "young_person": self.young_person, "parent": self.parent, "hidden_from": list(self.hidden_from),
            "pictures": [p.to_json() for p in self.pictures],
        }


@dataclass
class WorrySnapshot:
    """A worry as it stood when the plan was published, kept with that version for the record."""

    id: int
    wording: str
    danger_statement: str | None
    meaning_0: str
    meaning_10: str
    is_safety: bool
    members: list[int]

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> WorrySnapshot:
        return cls(
            id=int(raw.get("id") or 0),
            wording=_text(raw.get("wording")),
            danger_statement=raw.get("danger_statement") if isinstance(raw.get("danger_statement"), str) else None,
            meaning_0=_text(raw.get("meaning_0")),
            meaning_10=_text(raw.get("meaning_10")),
            is_safety=bool(raw.get("is_safety")),
            members=_ids(raw.get("members")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "wording": self.wording,
            "danger_statement": self.danger_statement,
            "meaning_0": self.meaning_0,
            "meaning_10": self.meaning_10,
            "is_safety": self.is_safety,
            "members": list(self.members),
        }


# The parts of the worker's mapping, in the order of the template: what are we worried about
# (past harm, complicating factors; future danger is the danger statements), what is working well
# (existing strengths, existing safety), what needs to happen (next steps; safety goals are paired
# with the danger statements).
MAPPING_PARTS = ("past_harm", "complicating_factors", "existing_strengths", "existing_safety", "next_steps")


@dataclass
class Mapping:
    """The worker's Signs of Safety mapping, in the worker's words (staff read it; families read the plan's versions)."""

    past_harm: str = ""
    complicating_factors: str = ""
    existing_strengths: str = ""
    existing_safety: str = ""
    next_steps: str = ""
    genogram_date: date | None = None
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: Any) -> Mapping:
        raw = raw if isinstance(raw, dict) else {}
        return cls(
            **{part: _text(raw.get(part)) for part in MAPPING_PARTS},
            genogram_date=_day(raw.get("genogram_date")),
            present=_names(raw.get("present")),
            absent=_names(raw.get("absent")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            **{part: getattr(self, part) for part in MAPPING_PARTS},
            "genogram_date": _iso(self.genogram_date),
            "present": list(self.present),
            "absent": list(self.absent),
        }

    def is_empty(self) -> bool:
        return not any(getattr(self, part).strip() for part in MAPPING_PARTS) and not (self.genogram_date or self.present or self.absent)


PAIR_FIELDS = ("danger", "danger_young_person", "danger_parent", "goal", "goal_young_person", "goal_parent")


@dataclass
class DangerGoal:
    """A danger statement paired with its safety goal: the worker's words, and the same for young people and for parents."""

    id: str
    danger: str = ""
    goal: str = ""
    danger_young_person: str = ""
    danger_parent: str = ""
    goal_young_person: str = ""
    goal_parent: str = ""
    # Beside the young people's danger statement and beside their safety goal.
    danger_pictures: list[PictureRef] = field(default_factory=list)
    goal_pictures: list[PictureRef] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> DangerGoal:
        return cls(
            id=_row_id(raw, taken), **{f: _text(raw.get(f)) for f in PAIR_FIELDS},
            danger_pictures=_pictures(raw.get("danger_pictures")), goal_pictures=_pictures(raw.get("goal_pictures")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, **{f: getattr(self, f) for f in PAIR_FIELDS},
            "danger_pictures": [p.to_json() for p in self.danger_pictures], "goal_pictures": [p.to_json() for p in self.goal_pictures],
        }

    def for_version(self, version: str) -> tuple[str, str]:
        """(danger, goal) as the young people or the parents read them."""
        return getattr(self, f"danger_{version}").strip(), getattr(self, f"goal_{version}").strip()


@dataclass
class ChildQuote:
    """The child's own words quoted from one of their entries, kept exactly as they were when the worker chose them."""

    id: str
    entry_id: int
    member_id: int
    name: str
    day: date | None
    words: str
    language: str
    # Whether the child had shared the entry with their family when it was quoted.
    shared: bool = False
    # The worker decided the family may read this quote even though the entry was not shared.
    family_may_read: bool = False

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> ChildQuote:
        return cls(
            id=_row_id(raw, taken),
            entry_id=int(raw.get("entry_id") or 0),
            member_id=int(raw.get("member_id") or 0),
            name=_text(raw.get("name")),
            day=_day(raw.get("date")),
            words=_text(raw.get("words")),
            language=_text(raw.get("language")) or "en",
            shared=bool(raw.get("shared")),
            family_may_read=bool(raw.get("family_may_read")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "entry_id": self.entry_id, "member_id": self.member_id, "name": self.name, "date": _iso(self.day),
            "words": self.words, "language": self.language, "shared": self.shared, "family_may_read": self.family_may_read,
        }


@dataclass
class PlanContent:
    """One version of a family plan: both versions of every section, the actions, the dates, the worries."""

    sections: dict[str, PlanSection] = field(default_factory=lambda: {s.key: PlanSection() for s in SECTIONS})
    actions: list[Action] = field(default_factory=list)
    actions_hidden_from: list[int] = field(default_factory=list)
    next_review: date | None = None
    next_taf: date | None = None
    # Only published versions carry the worries, as they stood on the day.
    worries: list[WorrySnapshot] = field(default_factory=list)
    mapping: Mapping = field(default_factory=Mapping)
    pairs: list[DangerGoal] = field(default_factory=list)
    pairs_hidden_from: list[int] = field(default_factory=list)
    voice: list[ChildQuote] = field(default_factory=list)
    voice_hidden_from: list[int] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> PlanContent:
        raw = raw if isinstance(raw, dict) else {}
        sections = raw["sections"] if isinstance(raw.get("sections"), dict) else {}
        taken: set[str] = set()
        return cls(
            sections={s.key: PlanSection.from_json(sections.get(s.key)) for s in SECTIONS},
            actions=[Action.from_json(a, taken) for a in _list(raw.get("actions")) if isinstance(a, dict)],
            actions_hidden_from=_ids(raw.get("actions_hidden_from")),
            next_review=_day(raw.get("next_review")),
            next_taf=_day(raw.get("next_taf")),
            worries=[WorrySnapshot.from_json(w) for w in _list(raw.get("worries")) if isinstance(w, dict)],
            # Versions 1 and 2 have none of these: they read as an empty mapping, no pairs and no quotes.
            mapping=Mapping.from_json(raw.get("mapping")),
            pairs=[DangerGoal.from_json(p, taken) for p in _list(raw.get("pairs")) if isinstance(p, dict)],
            pairs_hidden_from=_ids(raw.get("pairs_hidden_from")),
            voice=[ChildQuote.from_json(q, taken) for q in _list(raw.get("voice")) if isinstance(q, dict)],
            voice_hidden_from=_ids(raw.get("voice_hidden_from")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "sections": {key: section.to_json() for key, section in self.sections.items()},
            "actions": [a.to_json() for a in self.actions],
            "actions_hidden_from": list(self.actions_hidden_from),
            "next_review": _iso(self.next_review),
            "next_taf": _iso(self.next_taf),
            "worries": [w.to_json() for w in self.worries],
            "mapping": self.mapping.to_json(),
            "pairs": [p.to_json() for p in self.pairs],
            "pairs_hidden_from": list(self.pairs_hidden_from),
            "voice": [q.to_json() for q in self.voice],
            "voice_hidden_from": list(self.voice_hidden_from),
        }

    def ids(self) -> set[str]:
        """Every id in use in this plan: actions, progress updates, pairs and quotes share one space."""
        return (
            {a.id for a in self.actions} | {p.id for a in self.actions for p in a.progress}
            | {p.id for p in self.pairs} | {q.id for q in self.voice}
        )

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)

    def picture_blocks(self) -> dict[str, list[PictureRef]]:
        """Every block of the young people's version that can carry pictures, by its name (`picture_block`), with its pictures."""
        blocks = {picture_block("section", key): section.pictures for key, section in self.sections.items()}
        blocks |= {picture_block("action", a.id): a.pictures for a in self.actions}
        for pair in self.pairs:
            blocks |= {picture_block("danger", pair.id): pair.danger_pictures, picture_block("goal", pair.id): pair.goal_pictures}
        return blocks

    def set_pictures(self, block: str, pictures: list[PictureRef]) -> None:
        """Put these pictures beside a block (named as `picture_blocks` names it); a block no longer in the plan is left alone."""
        kind, _, key = block.partition(":")
        if kind == "section" and key in self.sections:
            self.sections[key].pictures = list(pictures)
        elif kind == "action" and (action := self.action(key)) is not None:
            action.pictures = list(pictures)
        elif kind in ("danger", "goal") and (pair := next((p for p in self.pairs if p.id == key), None)) is not None:
            setattr(pair, f"{kind}_pictures", list(pictures))

    def uploaded_pictures(self) -> set[int]:
        """The ids of the uploaded pictures anywhere in this version."""
        return {p.uploaded for pictures in self.picture_blocks().values() for p in pictures if p.uploaded}


def picture_block(kind: str, key: str) -> str:
    """The name of a block that carries pictures: "section:<key>", "action:<id>", "danger:<pair id>" or "goal:<pair id>"."""
    return f"{kind}:{key}"


# --- A young person's safety plan.


@dataclass
class SafePerson:
    id: str
    name: str
    how_to_reach: str = ""


@dataclass
class PlanRule:
    id: str
    when: str
    what: str


@dataclass
class SafePlace:
    id: str
    place: str


@dataclass
class SafetyPlanContent:
    """One version of a safety plan: the young person's safe people, plan rules and safe places."""

    safe_people: list[SafePerson] = field(default_factory=list)
    rules: list[PlanRule] = field(default_factory=list)
    safe_places: list[SafePlace] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> SafetyPlanContent:
        raw = raw if isinstance(raw, dict) else {}
        taken: set[str] = set()
        # Before ids, a safe place was its words alone.
        places = [{"place": p} if isinstance(p, str) else p for p in _list(raw.get("safe_places"))]
        return cls(
            safe_people=[
                SafePerson(_row_id(p, taken), _text(p.get("name")), _text(p.get("how_to_reach")))
                for p in _list(raw.get("safe_people")) if isinstance(p, dict)
            ],
            rules=[PlanRule(_row_id(r, taken), _text(r.get("when")), _text(r.get("what"))) for r in _list(raw.get("rules")) if isinstance(r, dict)],
            safe_places=[SafePlace(_row_id(p, taken), _text(p.get("place"))) for p in places if isinstance(p, dict)],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SAFETY_SCHEMA_VERSION,
            "safe_people": [{"id": p.id, "name": p.name, "how_to_reach": p.how_to_reach} for p in self.safe_people],
            "rules": [{"id": r.id, "when": r.when, "what": r.what} for r in self.rules],
            "safe_places": [{"id": p.id, "place": p.place} for p in self.safe_places],
        }

    def ids(self) -> set[str]:
        return {p.id for p in self.safe_people} | {r.id for r in self.rules} | {p.id for p in self.safe_places}


# --- What an editor sends, for the services to save.


@dataclass
class PlanWording:
    """The plan's words as the editor sends them: both versions of every section, who is kept from what, the dates."""

    sections: dict[str, PlanSection]
    actions_hidden_from: list[int]
    next_review: date | None
    next_taf: date | None
    # None when the page had no mapping on it (one drawn before there was one): the mapping, pairs and quotes stay as they are.
    mapping: Mapping | None = None
    # Each pair as the editor drew it: its id (or "" when new) and its six wordings by PAIR_FIELDS.
    pairs: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    pairs_hidden_from: list[int] = field(default_factory=list)
    voice_hidden_from: list[int] = field(default_factory=list)
    # The voice of the child: quotes to take out, quotes the family may read, entries to quote.
    voice_remove: list[str] = field(default_factory=list)
    voice_family_may_read: list[str] = field(default_factory=list)
    voice_add: list[int] = field(default_factory=list)
    # The network members each action names, by action id; None when the page drew no such boxes.
    action_people: dict[str, list[int]] | None = None


@dataclass
class BlockPictures:
    """The pictures the editor sent for one block of the young people's version: shipped ones by key, uploaded ones by id."""

    shipped: list[str] = field(default_factory=list)
    uploaded: list[int] = field(default_factory=list)


@dataclass
class NewAction:
    what: str
    who: str
    by_when: date | None
    what_young_person: str = ""
    people: list[int] = field(default_factory=list)


@dataclass
class SafetyRows:
    """The safety plan's rows as the editor sends them: each with the id it was drawn with, or none when new."""

    safe_people: list[tuple[str, str, str]]  # (id, name, how to reach)
    rules: list[tuple[str, str, str]]  # (id, when, what)
    safe_places: list[tuple[str, str]]  # (id, place)
