"""Scoring worries about each child they concern, the urgent entry a 0 on a safety worry raises, and distance travelled.

Who scores about whom (the Signs of Safety scaling template; the rule is `policy.scoring_about`): a
worry names the children it is about. A young person it is about scores it about themselves; anyone
else (a parent or carer, a young person scoring a worry about their brothers and sisters, the worker,
a professional, a network member) scores it about each child it concerns, one score per child. A
worry about no child (a family with no young person) is scored once, about nobody in particular.
A worker's 0 on a safety worry raises no urgent entry: the worker already knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from webapp import once, policy
from webapp.auth.models import User
from webapp.auth.together import worker_beside
from webapp.clock import local_day
from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries import services as entries
from webapp.entries.models import Entry
from webapp.families.models import FamilyMember
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.worries.models import ScorerKind, Worry, WorryChild, WorryScore


class NotAboutThisChild(ValueError):
    """The score names a child this person does not score this worry about."""


def concerned_children(worry: Worry) -> list[FamilyMember]:
    """The young people the worry is about, in the family's order."""
    return [child for child in policy.scoring_about(worry, None) if child is not None]


def set_concerned_children(worry: Worry, member_ids: Sequence[int]) -> None:
    chosen = set(member_ids)
    worry.concerns = [link for link in worry.concerns if link.member_id in chosen] + [
        WorryChild(member_id=member_id) for member_id in sorted(chosen - {link.member_id for link in worry.concerns})
    ]


def children_for_own_worry(member: FamilyMember, chosen: Sequence[int]) -> list[int]:
    """A young person's own worry is about themselves; a parent's about the children they chose (none: scored once)."""
    if member.is_young_person:
        return [member.id]
    return [m.id for m in member.family.members if m.is_young_person and not m.restricted and m.id in set(chosen)]


def _about(worry: Worry, member: FamilyMember | None, about_id: int | None) -> FamilyMember | None:
    targets = policy.scoring_about(worry, member)
    if about_id is None and len(targets) == 1:
        return targets[0]
    for target in targets:
        if target is not None and target.id == about_id:
            return target
    raise NotAboutThisChild("this worry is not scored about that child")


def record_score(
    member: FamilyMember,
    worry: Worry,
    score: int,
    one_point_higher: str,
    language: str,
    client_id: str | None = None,
    *,
    about_id: int | None = None,
    what_makes_it: str = "",
) -> WorryScore:
    """Store a member's score (0-10) about one child, once per client_id. A 0 on a safety worry also makes an urgent entry."""
    if not 0 <= score <= 10:
        raise ValueError("a worry score is a whole number from 0 to 10")
    about = _about(worry, member, about_id)

    def write() -> WorryScore:
        row = WorryScore(
            worry_id=worry.id, member_id=member.id, about_member_id=about.id if about else None, score=score,
            what_makes_it=what_makes_it, one_point_higher=one_point_higher, language=language, client_id=client_id,
            scorer_kind=ScorerKind.MEMBER,
        )
        worker = worker_beside()
        if worker is not None:
            row.done_together_with_id = worker.id
        db_session().add(row)
        if score == 0 and worry.is_safety:
            wording = worry.wording if about is None or about.id == member.id else f"{worry.wording} ({about.display_name})"
            # In the score's own transaction: the score and its urgent entry are stored together or not at all.
            row.entry_id = entries.build(
                member,
                kinds.SAFETY_SCORE,
                {"worry": wording, "score": "0", "one_point_higher": row.one_point_higher},
                feeling=None,
                language=language,
                urgent=True,
            ).id
        return row

    row, created = once.save(lambda: once.first(WorryScore, WorryScore.member_id == member.id, client_id), write)
    if created and row.entry_id:
        entry = db_session().get(Entry, row.entry_id)
        assert entry is not None
        entries.sent(entry)
    return row


def record_for_someone(
    worry: Worry,
    recorded_by: User,
    *,
    kind: ScorerKind,
    about_id: int | None,
    score: int,
    name: str,
    role: str,
    given_on: date,
    what_makes_it: str = "",
    one_point_higher: str = "",
    client_id: str | None = None,
) -> WorryScore:
    """The worker's own score, or one a professional or network member gave them, about one child, once per client_id."""
    if not 0 <= score <= 10:
        raise ValueError("a worry score is a whole number from 0 to 10")
    if kind == ScorerKind.MEMBER:
        raise ValueError("family members give their own scores")
    about = _about(worry, None, about_id)

    def write() -> WorryScore:
        row = WorryScore(
            worry_id=worry.id, member_id=None, about_member_id=about.id if about else None, score=score,
            what_makes_it=what_makes_it, one_point_higher=one_point_higher, language="en", client_id=client_id,
            scorer_kind=kind, scorer_name=recorded_by.display_name if kind == ScorerKind.WORKER else name,
            scorer_role=role, recorded_by_id=recorded_by.id, given_on=given_on,
        )
        db_session().add(row)
        return row

    row, _created = once.save(lambda: once.first(WorryScore, WorryScore.recorded_by_id == recorded_by.id, client_id), write)
    return row


def day_of(score: WorryScore) -> date:
    """The day a score was given: the day the worker was told for one they recorded, else the day it was stored."""
    return score.given_on or local_day(score.created_at)


def _in_order(scores: Sequence[WorryScore]) -> list[WorryScore]:
    return sorted(scores, key=lambda s: (day_of(s), s.created_at, s.id))


def history(worry_id: int, member_id: int, about_id: int | None | bool = False) -> Sequence[WorryScore]:
    """A member's scores on a worry, oldest first; about one child when about_id is given (False: about anyone)."""
    query = select(WorryScore).where(WorryScore.worry_id == worry_id, WorryScore.member_id == member_id)
    if about_id is not False:
        query = query.where(WorryScore.about_member_id.is_(None) if about_id is None else WorryScore.about_member_id == about_id)
    return _in_order(db_session().scalars(query).all())


def plan_start(family_id: int) -> date | None:
    """When the plan started: the day its first version was published (None before any plan)."""
    first = db_session().scalar(
        select(PlanVersion.published_at)
        .where(PlanVersion.family_id == family_id, PlanVersion.status == PUBLISHED, PlanVersion.published_at.is_not(None))
        .order_by(PlanVersion.published_at)
        .limit(1)
    )
    return local_day(first) if first else None


@dataclass
class Series:
    """One person's scores on one worry about one child, and the distance travelled from the baseline."""

    worry: Worry
    about: FamilyMember | None
    scorer: str
    # "member" (a family member), "worker", "professional" or "network".
    kind: str
    role: str
    member_id: int | None
    scores: list[WorryScore]
    baseline: WorryScore

    @property
    def about_id(self) -> int | None:
        return self.about.id if self.about else None

    @property
    def latest(self) -> WorryScore:
        return self.scores[-1]

    @property
    def distance(self) -> int:
        return self.latest.score - self.baseline.score


def baseline_of(scores: Sequence[WorryScore], start: date | None) -> WorryScore:
    """The first score since the plan started; before any plan (or with no score since), the first score."""
    if start is not None:
        for score in scores:
            if day_of(score) >= start:
                return score
    return scores[0]


def series_of(worry: Worry, scores: Sequence[WorryScore], start: date | None) -> list[Series]:
    """Scores grouped per person and per child, each group oldest first with its baseline."""
    groups: dict[tuple[object, ...], list[WorryScore]] = {}
    for score in _in_order(scores):
        who: tuple[object, ...] = (
            ("member", score.member_id) if score.member_id is not None
            else ("worker", score.recorded_by_id) if score.scorer_kind == ScorerKind.WORKER
            else (score.scorer_kind, score.scorer_name.casefold(), score.scorer_role.casefold())
        )
        groups.setdefault((*who, score.about_member_id), []).append(score)
    result = []
    for group in groups.values():
        first = group[0]
        member = first.member
        result.append(Series(
            worry=worry, about=first.about, scorer=member.display_name if member else first.scorer_name,
            kind=ScorerKind.MEMBER if member else first.scorer_kind,
            role=str(member.role) if member else group[-1].scorer_role,
            member_id=first.member_id, scores=group, baseline=baseline_of(group, start),
        ))
    return result


def worry_series(worry: Worry, *, until: datetime | None = None, member_id: int | None = None) -> list[Series]:
    """Every person's series on a worry (or one member's), scores stored up to `until`."""
    query = select(WorryScore).where(WorryScore.worry_id == worry.id)
    if until is not None:
        query = query.where(WorryScore.created_at <= until)
    if member_id is not None:
        query = query.where(WorryScore.member_id == member_id)
    return series_of(worry, db_session().scalars(query).all(), plan_start(worry.family_id))


def who_scored(kind: str, role: str = "") -> str:
    """Who a scorer is, in a word or two (a member's kind is their role in the family): for the worker's page and the review."""
    names = {
        # Translators: who gave a worry score.
        "young_person": _("Young person"),
        # Translators: who gave a worry score.
        "parent": _("Parent or carer"),
        # Translators: who gave a worry score: the family's worker.
        ScorerKind.WORKER: _("Worker"),
        # Translators: who gave a worry score: a professional (a teacher, a health visitor) the worker recorded it for.
        ScorerKind.PROFESSIONAL: _("Professional"),
        # Translators: who gave a worry score: someone in the family's safety network (a grandparent, a neighbour).
        ScorerKind.NETWORK: _("Network"),
    }
    label = names.get(kind, "")
    return f"{label}: {role}" if role and kind in (ScorerKind.PROFESSIONAL, ScorerKind.NETWORK) else label


def who_scored_series(one: Series) -> str:
    return who_scored(one.role) if one.member_id is not None else who_scored(one.kind, one.role)
