"""The plain-language meter: reading age and long sentences, to help workers write for a 9-year-old.

It guides; it never blocks. Reading age is measured for English only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONG_SENTENCE_WORDS = 15
TARGET_READING_AGE = 9
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Reading:
    reading_age: int | None
    long_sentences: list[str]
    words: int

    @property
    def easy_enough(self) -> bool:
        return self.reading_age is not None and self.reading_age <= TARGET_READING_AGE + 1


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def measure(text: str, language: str = "en") -> Reading:
    """Reading age (Flesch-Kincaid grade + 5, for English) and sentences over 15 words."""
    text = text.strip()
    long_ones = [s for s in sentences(text) if len(s.split()) > LONG_SENTENCE_WORDS]
    words = len(text.split())
    if not text or language != "en":
        return Reading(None, long_ones, words)
    import textstat  # its word lists load on the first measure, not when the app starts

    grade = textstat.flesch_kincaid_grade(text)
    # A UK reading age is roughly the US school grade plus five years.
    return Reading(max(5, round(grade + 5)), long_ones, words)
