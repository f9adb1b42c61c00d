"""What the family sent in a review's period, as the worker's review page lists it to tick.

Each entry is put into words once, here, and the words every entry shares (a kind's title, a
question, "written in Polski", the date pattern) are translated once per page, not once per entry:
a period can hold thousands of entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from webapp.clock import moments
from webapp.config import LANGUAGES
from webapp.entries import kinds
from webapp.entries.models import Entry
from webapp.reviews.services import MemberVoice, entry_key
from webapp.translations_content.models import TextTranslation

# How many of each member's entries the page lists at first: the latest (older ticked ones are counted, and
# stay in the review as they are).
LATEST_ENTRIES = 20


@dataclass(frozen=True)
class EntryChoice:
    """One entry as the review page lists it, beside its tick box."""

    key: str
    title: str
    when: str
    language: str
    written_in: str
    # Each question as the worker reads it, with the member's answer.
    answers: tuple[tuple[str, str], ...]
    english: TextTranslation | None
    done_together_with: str | None


@dataclass(frozen=True)
class VoiceChoices:
    """One member's part of the page: their entries put into words, and the rest of what they sent."""

    voice: MemberVoice
    entries: list[EntryChoice]
    # Every entry is listed (asked for, or there are no more than LATEST_ENTRIES).
    whole: bool


class _Words:
    """The words entries share, each translated once for the page."""

    def __init__(self) -> None:
        self._titles: dict[str, str] = {}
        self._written_in: dict[str, str] = {}
        self._questions: dict[str, tuple[tuple[kinds.Question, str], ...]] = {}

    def title(self, kind: str) -> str:
        if kind not in self._titles:
            self._titles[kind] = kinds.title_of(kind)
        return self._titles[kind]

    def written_in(self, language: str) -> str:
        if language not in self._written_in:
            # Translators: %(language)s is the name of the language a family member wrote in.
            self._written_in[language] = _("written in %(language)s", language=LANGUAGES.get(language, language))
        return self._written_in[language]

    def answers(self, entry: Entry) -> tuple[tuple[str, str], ...]:
        """The entry's answers as kinds.shown_answers gives them, with each question's label translated once."""
        if entry.kind not in self._questions:
            kind = kinds.BY_KEY.get(entry.kind)
            self._questions[entry.kind] = tuple((question, str(question.label)) for question in (kind.questions if kind else ()))
        questions = self._questions[entry.kind]
        answers: dict[str, Any] = dict(entry.answers.items())
        rows = []
        for question, label in questions:
            value = answers.pop(question.key, None)
            if value is None or str(value).strip() == "":
                continue
            rows.append((label, kinds.answer_words(question, str(value))))
        # Answers to questions a kind no longer asks are still shown, under their key.
        rows.extend((key, str(value)) for key, value in answers.items() if str(value).strip())
        return tuple(rows)


def _together_with(entry: Entry) -> str | None:
    """The name of the worker an entry was made together with (only such an entry has a worker to load)."""
    if entry.done_together_with_id is None:
        return None
    worker = entry.done_together_with
    return worker.display_name if worker is not None else None


def present(voices: Iterable[MemberVoice], english: dict[int, TextTranslation], *, whole: int | None = None) -> list[VoiceChoices]:
    """The members' parts of the review page; `whole` is the member whose every entry was gathered."""
    words, when = _Words(), moments("short")
    return [
        VoiceChoices(
            voice=voice,
            entries=[
                EntryChoice(
                    key=entry_key(entry.id),
                    title=words.title(entry.kind),
                    when=when(entry.created_at),
                    language=entry.language,
                    written_in=words.written_in(entry.language),
                    answers=words.answers(entry),
                    english=english.get(entry.id),
                    done_together_with=_together_with(entry),
                )
                for entry in voice.entries
            ],
            whole=voice.member.id == whole or voice.entries_left_out == 0,
        )
        for voice in voices
    ]
