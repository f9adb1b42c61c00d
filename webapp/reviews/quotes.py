"""What a review keeps of something a family member sent, as typed records stored in the item's JSON column.

One record per kind of item (`ReviewItem.source`): an entry, a worry's distance travelled, a comment
on an assessment, a photo. Each keeps the words as they stood on the day they were imported, so a
review reads the same whatever happens to the entry, worry, comment or photo afterwards.

Quotes written before they had a version (schema version 1) are read as well: an entry's answers
then had no sentence of their own, and a safety score's answers were kept under their question keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from webapp.entries import kinds

SCHEMA_VERSION = 2


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _version(raw: dict[str, Any]) -> int:
    version = raw.get("schema_version")
    return version if isinstance(version, int) and not isinstance(version, bool) else 1


@dataclass(frozen=True)
class QuotedAnswer:
    """One answer as the worker read it when it was imported: the question, the answer, and both as one line."""

    question: str
    answer: str
    sentence: str

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> QuotedAnswer:
        question, answer = _text(raw.get("question")), _text(raw.get("answer"))
        # Imported before answers carried their line, an answer read as its question and then the answer in quotes.
        return cls(question, answer, _text(raw.get("sentence")) or f"{question} “{answer}”")

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer, "sentence": self.sentence}


def _answers(raw: dict[str, Any], kind_key: str, version: int) -> tuple[QuotedAnswer, ...]:
    listed = raw.get("answers")
    answers = [a for a in listed if isinstance(a, dict)] if isinstance(listed, list) else []
    kind = kinds.BY_KEY.get(kind_key)
    if version < 2 and kind and answers and not any("sentence" in a for a in answers):
        # Imported before answers carried their line, a safety score's answers were kept under their keys:
        # they are given their questions and lines now, in the reader's language.
        keys = {question.key for question in kind.questions}
        if all(a.get("question") in keys for a in answers):
            by_key = {str(a["question"]): _text(a.get("answer")) for a in answers}
            return tuple(QuotedAnswer(shown.question, shown.answer, shown.sentence) for shown in kinds.shown_answers(kind.key, by_key))
    return tuple(QuotedAnswer.from_json(a) for a in answers)


@dataclass(frozen=True)
class EntryQuote:
    """An entry: its kind and title, the language it was written in, when, the feeling, and each answer."""

    source: ClassVar[str] = "entry"

    kind: str
    title: str
    language: str
    created_at: datetime | None
    feeling: str | None = None
    answers: tuple[QuotedAnswer, ...] = ()
    # The worker's name when it was sent on the worker's device, done together; read as absent before it was kept.
    done_together_with: str | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> EntryQuote:
        kind = _text(raw.get("kind"))
        return cls(
            kind=kind,
            title=_text(raw.get("title")),
            language=_text(raw.get("language")) or "en",
            created_at=_moment(raw.get("created_at")),
            feeling=_optional_text(raw.get("feeling")),
            answers=_answers(raw, kind, _version(raw)),
            done_together_with=_optional_text(raw.get("done_together_with")),
        )

    def to_json(self) -> dict[str, Any]:
        raw = {
            "schema_version": SCHEMA_VERSION,
            "kind": self.kind,
            "title": self.title,
            "language": self.language,
            "created_at": _iso(self.created_at),
            "feeling": self.feeling,
            "answers": [answer.to_json() for answer in self.answers],
        }
        if self.done_together_with:
            raw["done_together_with"] = self.done_together_with
        return raw


@dataclass(frozen=True)
class WorryQuote:
    """One person's distance travelled on one worry: the worry's words, and their first and latest score in the period."""

    source: ClassVar[str] = "worry"

    worry: str
    danger_statement: str | None
    first: int
    first_at: datetime | None
    latest: int
    latest_at: datetime | None
    # The child the scores are about (quotes from before scores were per child have none).
    about: str | None = None
    about_id: int | None = None

    @property
    def change(self) -> int:
        return self.latest - self.first

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> WorryQuote:
        return cls(
            worry=_text(raw.get("worry")),
            danger_statement=_optional_text(raw.get("danger_statement")),
            first=_number(raw.get("first")),
            first_at=_moment(raw.get("first_at")),
            latest=_number(raw.get("latest")),
            latest_at=_moment(raw.get("latest_at")),
            about=_optional_text(raw.get("about")),
            about_id=raw.get("about_id") if isinstance(raw.get("about_id"), int) and not isinstance(raw.get("about_id"), bool) else None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "worry": self.worry,
            "danger_statement": self.danger_statement,
            "first": self.first,
            "first_at": _iso(self.first_at),
            "latest": self.latest,
            "latest_at": _iso(self.latest_at),
            "change": self.change,
            "about": self.about,
            "about_id": self.about_id,
        }


@dataclass(frozen=True)
class CommentQuote:
    """A parent's comment on an assessment: the section (none for the whole assessment), how far they agree, their words."""

    source: ClassVar[str] = "comment"

    id: int
    member_id: int
    assessment_title: str
    section_heading: str
    agree: str | None
    # How far they agree, in the words of the page it was imported from.
    agree_label: str
    text: str
    language: str | None
    updated_at: datetime | None

    @property
    def agreement(self) -> str:
        return self.agree_label or self.agree or ""

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> CommentQuote:
        return cls(
            id=_number(raw.get("id")),
            member_id=_number(raw.get("member_id")),
            assessment_title=_text(raw.get("assessment_title")),
            section_heading=_text(raw.get("section_heading")),
            agree=_optional_text(raw.get("agree")),
            agree_label=_text(raw.get("agree_label")),
            text=_text(raw.get("text")),
            language=_optional_text(raw.get("language")),
            updated_at=_moment(raw.get("updated_at")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "member_id": self.member_id,
            "assessment_title": self.assessment_title,
            "section_heading": self.section_heading,
            "agree": self.agree,
            "agree_label": self.agree_label,
            "text": self.text,
            "language": self.language,
            "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True)
class PhotoQuote:
    """A photo: its caption and when it was sent (the photo itself stays with the photos)."""

    source: ClassVar[str] = "photo"

    caption: str
    created_at: datetime | None
    photo_id: int

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> PhotoQuote:
        return cls(caption=_text(raw.get("caption")), created_at=_moment(raw.get("created_at")), photo_id=_number(raw.get("photo_id")))

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "caption": self.caption, "created_at": _iso(self.created_at), "photo_id": self.photo_id}


Quote = EntryQuote | WorryQuote | CommentQuote | PhotoQuote

BY_SOURCE: dict[str, type[EntryQuote] | type[WorryQuote] | type[CommentQuote] | type[PhotoQuote]] = {
    record.source: record for record in (EntryQuote, WorryQuote, CommentQuote, PhotoQuote)
}
SOURCES = tuple(BY_SOURCE)


def from_json(source: str, raw: Any) -> Quote | None:
    """The quote of an item of this source, in any shape ever written; None for a source no review writes."""
    record = BY_SOURCE.get(source)
    return record.from_json(raw if isinstance(raw, dict) else {}) if record else None
