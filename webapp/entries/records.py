"""What a person answered in an entry, as a typed record stored in the entry's JSON column.

The answers are kept by question key (see `kinds`), in the order they were given, as the words typed,
a choice's key or a score's number. Answers written before the record had a version (schema version 1)
were the bare mapping of key to value; they are read as well.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 2


def _values(raw: Mapping[Any, Any]) -> dict[str, str]:
    """Answers by key as text; a missing value is no answer."""
    return {str(key): value if isinstance(value, str) else str(value) for key, value in raw.items() if value is not None}


@dataclass(frozen=True, eq=False)
class EntryAnswers(Mapping[str, str]):
    """An entry's answers by question key. It reads as a mapping, and equals any mapping with the same answers."""

    by_key: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> EntryAnswers:
        """The answers as a form or a service gives them: by key, as words or numbers."""
        return answers if isinstance(answers, EntryAnswers) else cls(_values(answers))

    @classmethod
    def from_json(cls, raw: Any) -> EntryAnswers:
        """The answers as stored, in any shape ever written."""
        if not isinstance(raw, dict):
            return cls()
        if isinstance(raw.get("schema_version"), int):
            values = raw.get("values")
            return cls(_values(values) if isinstance(values, dict) else {})
        # Version 1: the mapping of key to value itself.
        return cls(_values(raw))

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "values": dict(self.by_key)}
