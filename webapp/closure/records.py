"""What a closure request keeps of the scaling: each worry's latest score by each person about each child."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

SCHEMA_VERSION = 1

# Why the family closes. "needs_met" is for a family at "10 - Working Well" on every worry; any latest score
# below 10 needs one of the others (and the manager's comment, which every decision has).
NEEDS_MET = "needs_met"
REASONS = (NEEDS_MET, "disengagement", "step_up", "step_across", "moved_away", "met_another_way")
WORKING_WELL = 10


@dataclass(frozen=True)
class ScoreLine:
    worry: str
    scorer: str
    # Who they are in a word or two ("Parent or carer", "Worker", "Professional: School nurse").
    who: str
    about: str
    score: int
    on: date

    def to_json(self) -> dict[str, Any]:
        return {"worry": self.worry, "scorer": self.scorer, "who": self.who, "about": self.about, "score": self.score, "on": self.on.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScoreLine:
        return cls(worry=str(data.get("worry", "")), scorer=str(data.get("scorer", "")), who=str(data.get("who", "")),
                   about=str(data.get("about", "")), score=int(data.get("score", 0)), on=date.fromisoformat(str(data["on"])))


@dataclass(frozen=True)
class ClosureScores:
    lines: list[ScoreLine] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    @property
    def all_working_well(self) -> bool:
        """Every latest score at 10, and at least one: "10 - Working Well" on every worry."""
        return bool(self.lines) and all(line.score >= WORKING_WELL for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "lines": [line.to_json() for line in self.lines]}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ClosureScores:
        return cls(lines=[ScoreLine.from_json(line) for line in (data or {}).get("lines", [])])
