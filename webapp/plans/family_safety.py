"""What the family and network safety plan holds, as typed records stored in its versions' JSON column.

Seed 003's four steps of safety planning and seed 004's safety plan table, for the whole family
and its network (each young person keeps a safety plan of their own as well):

1. Bottom lines: the family plan's "bottom lines" section, shown at the top, not kept twice.
2. The timeline: week by week, the task (what, who and why), the meetings and monitoring, the
   changes to arrangements, and the day it was completed.
3. Who is involved: the network, each person with their relationship to the family, how to reach
   them, when they saw the plan and when they agreed to it. A person may be a network member
   with a Family Voice account of their own (`member_id`); their agreement is then theirs to give.
4. Plan rules in the family's words: "when this happens, who does what".

And seed 004's rows: what will be done, who, by when, progress (each update dated), and the day
the row was completed. A timeline step, a rule and a row name the network people they involve
(`people`, by network id): a network member reads only the parts that name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from webapp.plans.records import ProgressUpdate, _day, _iso, _list, _row_id, _text

FAMILY_SAFETY_SCHEMA_VERSION = 1


def _people(value: Any) -> list[str]:
    return [v for v in _list(value) if isinstance(v, str) and v]


def _member(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class NetworkPerson:
    """Someone in the family's network: a grandparent, a neighbour, a family friend, a teacher."""

    id: str
    name: str
    relationship: str = ""
    how_to_reach: str = ""
    # Their Family Voice account as a network member of the family, when they have one.
    member_id: int | None = None
    seen_on: date | None = None
    agreed_on: date | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> NetworkPerson:
        return cls(
            id=_row_id(raw, taken),
            name=_text(raw.get("name")),
            relationship=_text(raw.get("relationship")),
            how_to_reach=_text(raw.get("how_to_reach")),
            member_id=_member(raw.get("member_id")),
            seen_on=_day(raw.get("seen_on")),
            agreed_on=_day(raw.get("agreed_on")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "relationship": self.relationship,
            "how_to_reach": self.how_to_reach,
            "member_id": self.member_id,
            "seen_on": _iso(self.seen_on),
            "agreed_on": _iso(self.agreed_on),
        }


@dataclass
class TimelineStep:
    """One line of the timeline (seed 003): the week, the task, how it is monitored, what changes."""

    id: str
    week: str
    task: str
    monitoring: str = ""
    changes: str = ""
    people: list[str] = field(default_factory=list)
    completed_on: date | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> TimelineStep:
        return cls(
            id=_row_id(raw, taken),
            week=_text(raw.get("week")),
            task=_text(raw.get("task")),
            monitoring=_text(raw.get("monitoring")),
            changes=_text(raw.get("changes")),
            people=_people(raw.get("people")),
            completed_on=_day(raw.get("completed_on")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "week": self.week,
            "task": self.task,
            "monitoring": self.monitoring,
            "changes": self.changes,
            "people": list(self.people),
            "completed_on": _iso(self.completed_on),
        }


@dataclass
class FamilyRule:
    """A plan rule in the family's words: when this happens, who does what."""

    id: str
    when: str
    who_does_what: str
    people: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> FamilyRule:
        return cls(
            id=_row_id(raw, taken),
            when=_text(raw.get("when")),
            who_does_what=_text(raw.get("who_does_what")),
            people=_people(raw.get("people")),
        )

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "when": self.when, "who_does_what": self.who_does_what, "people": list(self.people)}


@dataclass
class SafetyTask:
    """A row of seed 004's safety plan: what, who, by when, progress (dated), completed on."""

    id: str
    what: str
    who: str
    by_when: date | None = None
    people: list[str] = field(default_factory=list)
    progress: list[ProgressUpdate] = field(default_factory=list)
    completed_on: date | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any], taken: set[str]) -> SafetyTask:
        return cls(
            id=_row_id(raw, taken),
            what=_text(raw.get("what")),
            who=_text(raw.get("who")),
            by_when=_day(raw.get("by_when")),
            people=_people(raw.get("people")),
            progress=[ProgressUpdate.from_json(p, taken) for p in _list(raw.get("progress")) if isinstance(p, dict)],
            completed_on=_day(raw.get("completed_on")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "what": self.what,
            "who": self.who,
            "by_when": _iso(self.by_when),
            "people": list(self.people),
            "progress": [p.to_json() for p in self.progress],
            "completed_on": _iso(self.completed_on),
        }


@dataclass
class FamilySafetyPlanContent:
    """One version of the family and network safety plan."""

    timeline: list[TimelineStep] = field(default_factory=list)
    network: list[NetworkPerson] = field(default_factory=list)
    rules: list[FamilyRule] = field(default_factory=list)
    tasks: list[SafetyTask] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> FamilySafetyPlanContent:
        raw = raw if isinstance(raw, dict) else {}
        taken: set[str] = set()

        def rows(key: str) -> list[dict[str, Any]]:
            return [r for r in _list(raw.get(key)) if isinstance(r, dict)]

        return cls(
            timeline=[TimelineStep.from_json(r, taken) for r in rows("timeline")],
            network=[NetworkPerson.from_json(r, taken) for r in rows("network")],
            rules=[FamilyRule.from_json(r, taken) for r in rows("rules")],
            tasks=[SafetyTask.from_json(r, taken) for r in rows("tasks")],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": FAMILY_SAFETY_SCHEMA_VERSION,
            "timeline": [s.to_json() for s in self.timeline],
            "network": [p.to_json() for p in self.network],
            "rules": [r.to_json() for r in self.rules],
            "tasks": [t.to_json() for t in self.tasks],
        }

    def ids(self) -> set[str]:
        rows: list[Any] = [*self.timeline, *self.network, *self.rules, *self.tasks]
        return {r.id for r in rows} | {p.id for t in self.tasks for p in t.progress}

    def person_for_member(self, member_id: int) -> NetworkPerson | None:
        """The network person a network member's account is, if the plan names them."""
        return next((p for p in self.network if p.member_id == member_id), None)

    def naming(self, person_id: str) -> FamilySafetyPlanContent:
        """Only the parts that name one network person: their own line of the network, and the
        timeline steps, rules and rows they are named in."""
        return FamilySafetyPlanContent(
            timeline=[s for s in self.timeline if person_id in s.people],
            network=[p for p in self.network if p.id == person_id],
            rules=[r for r in self.rules if person_id in r.people],
            tasks=[t for t in self.tasks if person_id in t.people],
        )

    def is_empty(self) -> bool:
        return not (self.timeline or self.network or self.rules or self.tasks)
