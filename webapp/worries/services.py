"""Scoring worries, and the urgent entry a 0 on a safety worry raises."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries import services as entries
from webapp.families.models import FamilyMember
from webapp.worries.models import Worry, WorryScore


def record_score(member: FamilyMember, worry: Worry, score: int, one_point_higher: str, language: str) -> WorryScore:
    """Store a score (0-10). A 0 on a safety worry also makes an urgent entry for the worker."""
    if not 0 <= score <= 10:
        raise ValueError("a worry score is a whole number from 0 to 10")
    row = WorryScore(worry_id=worry.id, member_id=member.id, score=score, one_point_higher=one_point_higher.strip(), language=language)
    db_session().add(row)
    db_session().commit()
    if score == 0 and worry.is_safety:
        entry, _created = entries.create(
            member,
            kinds.SAFETY_SCORE,
            {"worry": worry.wording, "score": "0", "one_point_higher": row.one_point_higher},
            feeling=None,
            language=language,
            urgent=True,
        )
        row.entry_id = entry.id
        db_session().commit()
    return row


def history(worry_id: int, member_id: int) -> Sequence[WorryScore]:
    return db_session().scalars(
        select(WorryScore)
        .where(WorryScore.worry_id == worry_id, WorryScore.member_id == member_id)
        .order_by(WorryScore.created_at, WorryScore.id)
    ).all()
