"""What /api/v1 sends: one model per record, which both writes the responses and is the OpenAPI document's schema."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from webapp.contacts.services import Line
from webapp.entries.models import Entry as EntryRecord
from webapp.entries.models import EntryReply
from webapp.entries.presenter import present
from webapp.families.models import Family as FamilyRecord
from webapp.families.models import FamilyMember
from webapp.reviews.models import Review as ReviewRecord
from webapp.reviews.models import ReviewItem as ReviewItemRecord
from webapp.translations_content import services as translated
from webapp.translations_content.models import TextTranslation
from webapp.worries.models import WorryScore as WorryScoreRecord
from webapp.worries.services import day_of

# Moments go out as Python writes them ("+00:00"), as they always have, rather than pydantic's "Z".
Role = Literal["young_person", "parent"]
Source = Literal["entry", "worry", "comment", "photo"]
Status = Literal["draft", "submitted", "final"]
Moment = Annotated[
    datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Schema(BaseModel):
    """A response object: every field always present, nothing else in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Member(Schema):
    """A young person or parent in the family."""

    id: int
    display_name: str
    role: Role
    age_band: str
    preferred_language: str
    restricted: bool

    @classmethod
    def of(cls, member: FamilyMember) -> Member:
        return cls(
            id=member.id,
            display_name=member.display_name,
            role=cast(Role, member.role),
            age_band=member.age_band,
            preferred_language=member.preferred_language,
            restricted=member.restricted,
        )


class Family(Schema):
    """A family the token's team works with, and its members."""

    id: int
    name: str
    reference: str | None
    lead_worker: str
    created_at: Moment
    closed_at: Moment | None
    members: list[Member]

    @classmethod
    def of(cls, family: FamilyRecord) -> Family:
        return cls(
            id=family.id,
            name=family.name,
            reference=family.reference,
            lead_worker=family.lead_worker.display_name,
            created_at=family.created_at,
            closed_at=family.closed_at,
            members=[Member.of(member) for member in family.members],
        )


class Reply(Schema):
    """A worker's reply to an entry."""

    author: str
    body: str
    created_at: Moment

    @classmethod
    def of(cls, reply: EntryReply) -> Reply:
        return cls(author=reply.author.display_name, body=reply.body, created_at=reply.created_at)


class EntryEnglish(Schema):
    """An interpreter's English of what a family member wrote, sent beside their own words."""

    text: str
    translated_by: str | None
    interpreter_name: str
    updated_at: Moment

    @classmethod
    def of(cls, english: TextTranslation | None) -> EntryEnglish | None:
        if english is None:
            return None
        return cls(
            text=english.text,
            translated_by=english.translated_by.display_name if english.translated_by else None,
            interpreter_name=english.interpreter_name,
            updated_at=english.updated_at,
        )


class Entry(Schema):
    """What a young person or parent sent, in their words."""

    id: int
    family_id: int
    member_id: int
    kind: str
    answers: dict[str, str]
    feeling: str | None
    language: str
    shared_with_family: bool
    urgent: bool
    created_at: Moment
    read_at: Moment | None
    replies: list[Reply]
    # The interpreter's English, where the worker added one; the answers above stay in the family member's language.
    english: EntryEnglish | None
    # The worker's name when the member sent it on the worker's device, sitting together; null otherwise.
    done_together_with: str | None

    @classmethod
    def page(cls, entries: Sequence[EntryRecord]) -> list[Entry]:
        """A page of entries, with the interpreter's English of all of them found in one query."""
        english = translated.english_across_families("entry", ((entry.family_id, entry.id) for entry in entries))
        return [cls.of(entry, english.get(entry.id)) for entry in entries]

    @classmethod
    def of(cls, entry: EntryRecord, english: TextTranslation | None) -> Entry:
        # The API sends the stored answers and feeling by key, for the case system to map; photos are not sent.
        shown = present(entry, photos=())
        return cls(
            id=shown.id,
            family_id=shown.family_id,
            member_id=shown.member_id,
            kind=shown.kind,
            answers=dict(shown.raw_answers),
            feeling=shown.feeling.key if shown.feeling else None,
            language=shown.language,
            shared_with_family=shown.shared_with_family,
            urgent=shown.urgent,
            created_at=shown.created_at,
            read_at=entry.read_at,
            replies=[Reply.of(reply) for reply in entry.replies],
            english=EntryEnglish.of(english),
            done_together_with=shown.done_together_with,
        )


class WorryScore(Schema):
    """A score from 0 to 10 that a family member gave one of the family's worries."""

    id: int
    worry_id: int
    worry: str
    # The family member who gave it; null for a score the worker recorded (theirs, a professional's, a network member's).
    member_id: int | None
    # The child (a young person of the family) the score is about; null where the worry is about no child.
    about_member_id: int | None
    # "member", "worker", "professional" or "network".
    scorer_kind: str
    # For a score the worker recorded: who gave it and their role; empty for a family member's.
    scorer_name: str
    scorer_role: str
    score: Annotated[int, Field(ge=0, le=10)]
    what_makes_it: str
    one_point_higher: str
    created_at: Moment
    # The day it was given (for a recorded score, the day the worker was told).
    given_on: date
    # The worker's name when the member gave it on the worker's device, sitting together; null otherwise.
    done_together_with: str | None
    # The interpreter's English of what_makes_it and one_point_higher, where the worker added one; the reasons above
    # stay in the family member's language.
    english: EntryEnglish | None

    @classmethod
    def page(cls, scores: Sequence[WorryScoreRecord]) -> list[WorryScore]:
        """A page of scores, with the interpreter's English of all of them found in one query."""
        english = translated.english_across_families("worry-score", ((score.worry.family_id, score.id) for score in scores))
        # Only an English made from the reasons as they stand (as the review's record shows it).
        return [
            cls.of(score, translated.current_english(english.get(score.id), translated.member_words_source(score)[0]))
            for score in scores
        ]

    @classmethod
    def of(cls, score: WorryScoreRecord, english: TextTranslation | None = None) -> WorryScore:
        return cls(
            id=score.id,
            worry_id=score.worry_id,
            worry=score.worry.wording,
            member_id=score.member_id,
            about_member_id=score.about_member_id,
            scorer_kind=score.scorer_kind,
            scorer_name=score.scorer_name,
            scorer_role=score.scorer_role,
            score=score.score,
            what_makes_it=score.what_makes_it,
            one_point_higher=score.one_point_higher,
            created_at=score.created_at,
            given_on=day_of(score),
            done_together_with=score.done_together_with.display_name if score.done_together_with else None,
            english=EntryEnglish.of(english),
        )


class ReviewItem(Schema):
    """Something a family member sent, quoted in a review as it was then."""

    member_id: int
    source: Source
    quote: dict[str, Any]

    @classmethod
    def of(cls, item: ReviewItemRecord) -> ReviewItem:
        # In the current shape of its record, whatever shape it was stored in.
        quoted = item.quoted
        return cls(member_id=item.member_id, source=cast(Source, item.source), quote=quoted.to_json() if quoted else {})


class Review(Schema):
    """A review of a period, with the worker's analysis and the family's quoted words."""

    id: int
    period_start: date
    period_end: date
    status: Status
    analysis: dict[str, str]
    created_at: Moment
    finalised_at: Moment | None
    items: list[ReviewItem]

    @classmethod
    def of(cls, review: ReviewRecord) -> Review:
        return cls(
            id=review.id,
            period_start=review.period_start,
            period_end=review.period_end,
            status=cast(Status, review.status),
            analysis={str(key): str(value) for key, value in (review.analysis or {}).items()},
            created_at=review.created_at,
            finalised_at=review.finalised_at,
            items=[ReviewItem.of(item) for item in review.items],
        )


class ChronologyDetail(Schema):
    """One heading of a recorded contact (a home visit's Appendix A heading, a call's summary) and the worker's words."""

    heading: str
    text: str


class ChronologyLine(Schema):
    """One contact or event in a family's chronology: when, what kind, who, and what."""

    at: Moment
    kind: str
    who: str
    what: str
    details: list[ChronologyDetail]
    contact_id: int | None
    awaits_write_up: bool

    @classmethod
    def of(cls, line: Line) -> ChronologyLine:
        return cls(
            at=line.at,
            kind=line.kind,
            who=line.who,
            what=line.what,
            details=[ChronologyDetail(heading=heading, text=text) for heading, text in line.details if text],
            contact_id=line.contact_id,
            awaits_write_up=line.awaits_write_up,
        )


class Chronology(Schema):
    """Every contact with a family and every event in Family Voice, newest first."""

    family_id: int
    data: list[ChronologyLine]


class Error(Schema):
    """What went wrong, in words a developer can act on."""

    error: str


Record = TypeVar("Record", bound=Schema)


class Page(Schema, Generic[Record]):
    """Records oldest first; `next_cursor` asks for the page after this one, null on the last."""

    data: list[Record]
    next_cursor: str | None


class FamilyPage(Page[Family]):
    """A page of families."""


class EntryPage(Page[Entry]):
    """A page of entries."""


class WorryScorePage(Page[WorryScore]):
    """A page of worry scores."""


class ReviewPage(Page[Review]):
    """A page of reviews."""
