"""The rules of translated blocks, with no database: is a translation there, current or out of date, and
what a family member reads.

A translation is current only while the English it was made from is the English shown: change one
word of the English and the member reads the new English (with a note) until the translation is
updated, never a translation of words that are no longer there.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from webapp.config import RTL_LANGUAGES

SOURCE_LANGUAGE = "en"


class State(enum.StrEnum):
    MISSING = "missing"
    CURRENT = "current"
    OUT_OF_DATE = "out_of_date"


class Translated(Protocol):
    text: str
    source_hash: str


def normalised(text: str) -> str:
    """The words as they count for "has it changed": line endings and the spaces around them do not."""
    return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))


def source_hash(text: str) -> str:
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()


def state(translation: Translated | None, source: str) -> State:
    if translation is None or not translation.text.strip():
        return State.MISSING
    return State.CURRENT if translation.source_hash == source_hash(source) else State.OUT_OF_DATE


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True)
class Shown:
    """A block as one member reads it: the words, their language and direction, and whether to say it is not translated."""

    text: str
    lang: str
    dir: str
    not_translated: bool = False

    def __str__(self) -> str:
        return self.text


def shown(source: str, language: str, translation: Translated | None) -> Shown:
    """What a member reading `language` sees of a block whose English is `source`."""
    if language == SOURCE_LANGUAGE or not source.strip():
        return Shown(source, SOURCE_LANGUAGE, "ltr")
    if state(translation, source) is State.CURRENT:
        assert translation is not None
        return Shown(translation.text, language, direction(language))
    return Shown(source, SOURCE_LANGUAGE, "ltr", not_translated=True)


def languages_of(languages: Iterable[str]) -> list[str]:
    """The languages a block needs translating into: its readers' own, English aside, each once."""
    return sorted({language for language in languages if language and language != SOURCE_LANGUAGE})
