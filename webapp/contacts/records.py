"""What a home visit's write-up holds: the headings of Appendix A of the early help practice standards."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

SCHEMA_VERSION = 1

# The headings in the order the standards give them; the first ones are needed for a written-up visit.
VISIT_HEADINGS = (
    "who_seen",
    "purpose",
    "observed",
    "child_feels_safe",
    "child_words",
    "non_verbal",
    "parents_view",
    "analysis",
    "actions",
)
REQUIRED_HEADINGS = ("who_seen", "purpose", "observed", "analysis", "actions")


@dataclass(frozen=True)
class VisitNotes:
    """A home visit written up under the Appendix A headings (the worker's words, in English)."""

    who_seen: str = ""
    purpose: str = ""
    observed: str = ""
    child_feels_safe: str = ""
    child_words: str = ""
    non_verbal: str = ""
    parents_view: str = ""
    analysis: str = ""
    actions: str = ""

    @classmethod
    def from_json(cls, data: Any) -> VisitNotes:
        """Read every shape ever stored (only schema 1 so far); anything unknown is left out."""
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{key: str(value) for key, value in data.items() if key in known and isinstance(value, str)})

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **asdict(self)}

    @property
    def missing(self) -> list[str]:
        """The needed headings still empty."""
        return [key for key in REQUIRED_HEADINGS if not getattr(self, key).strip()]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, key).strip() for key in VISIT_HEADINGS)
