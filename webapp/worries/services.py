"""Scoring worries, and the urgent entry a 0 on a safety worry raises."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from webapp import once
from webapp.auth.together import worker_beside
from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries import services as entries
from webapp.entries.models import Entry
from webapp.families.models import FamilyMember
from webapp.worries.models import Worry, WorryScore


def record_score(
    member: FamilyMember, worry: Worry, score: int, one_point_higher: str, language: str, client_id: str | None = None
) -> WorryScore:
    """Store a score (0-10), once per client_id. A 0 on a safety worry also makes an urgent entry for the worker."""
    if not 0 <= score <= 10:
        raise ValueError("a worry score is a whole number from 0 to 10")

    def write() -> WorryScore:
        row = WorryScore(
            worry_id=worry.id, member_id=member.id, score=score, one_point_higher=one_point_higher,
            language=language, client_id=client_id,
        )
        worker = worker_beside()
        if worker is not None:
            row.done_together_with_id = worker.id
        db_session().add(row)
        if score == 0 and worry.is_safety:
            # In the score's own transaction: the score and its urgent entry are stored together or not at all.
            row.entry_id = entries.build(
                member,
                kinds.SAFETY_SCORE,
                {"worry": worry.wording, "score": "0", "one_point_higher": row.one_point_higher},
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


def history(worry_id: int, member_id: int) -> Sequence[WorryScore]:
    return db_session().scalars(
        select(WorryScore)
        .where(WorryScore.worry_id == worry_id, WorryScore.member_id == member_id)
        .order_by(WorryScore.created_at, WorryScore.id)
    ).all()
