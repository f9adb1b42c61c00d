"""The picture-led way: what a young child taps becomes the same entries and scores the worker already reads."""

from __future__ import annotations

from dataclasses import dataclass

from webapp import policy
from webapp.db import db_session
from webapp.entries import services as entries
from webapp.entries.models import Entry
from webapp.families.models import FamilyMember
from webapp.plans import services as plans
from webapp.plans.records import SafetyPlanContent
from webapp.worries import services as worries
from webapp.worries.models import Worry, WorryScore

PICTURE = "picture"


@dataclass(frozen=True)
class Helper:
    """Someone a child may tap on "Who can help?": their worker, their family, the people in their safety plan."""

    key: str
    name: str


def helpers(member: FamilyMember) -> list[Helper]:
    """The people to tap, each once by name; a restricted member sees only their worker."""
    people = [Helper("worker", member.family.lead_worker.display_name)]
    people += [Helper(f"m{other.id}", other.display_name) for other in policy.helper_members(member)]
    if policy.may_read_safety_plan(member):
        version = plans.latest_published_safety_plan(member.id)
        if version is not None:
            content = SafetyPlanContent.from_json(version.content)
            people += [Helper(f"s{person.id}", person.name) for person in content.safe_people if person.name.strip()]
    seen: set[str] = set()
    unique = []
    for person in people:
        if person.name.casefold() not in seen:
            seen.add(person.name.casefold())
            unique.append(person)
    return unique


def names_of(member: FamilyMember, keys: list[str]) -> str:
    """The chosen people's names, in the order they are shown, as the entry keeps them."""
    chosen = set(keys)
    return ", ".join(person.name for person in helpers(member) if person.key in chosen)


def send(
    member: FamilyMember, kind: str, answers: dict[str, str], *, feeling: str | None, language: str, client_id: str | None
) -> tuple[Entry, bool]:
    """Store an entry made the picture-led way, once per client_id. Returns (entry, created)."""
    entry, created = entries.create(member, kind, answers, feeling=feeling, language=language, client_id=client_id)
    if created:
        entry.way = PICTURE
    return entry, created


def score_worry(
    member: FamilyMember, worry: Worry, score: int, helper_keys: list[str], language: str, client_id: str | None,
    about_id: int | None = None,
) -> tuple[WorryScore, Entry | None]:
    """A worry scored on the faces scale, and who can help as a "My worries" entry when the child chose anyone.

    Returns the score and the entry the worker should see first: the urgent one a 0 on a safety worry raised,
    else the "My worries" entry, else None.
    """
    row = worries.record_score(member, worry, score, "", language, client_id=client_id, about_id=about_id)
    row.way = PICTURE
    urgent = None
    if row.entry_id is not None:
        urgent = db_session().get(Entry, row.entry_id)
        if urgent is not None:
            urgent.way = PICTURE
    entry = None
    names = names_of(member, helper_keys)
    if names:
        entry, _created = send(
            member, "worries", {"what_worries": worry.wording, "what_would_help": names},
            feeling=None, language=language, client_id=f"{client_id[:58]}-help" if client_id else None,
        )
    return row, urgent or entry
