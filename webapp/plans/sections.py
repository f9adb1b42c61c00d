"""The headings of a family plan, from the Signs of Safety and early help planning guidance."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Section:
    key: str
    title: LazyString
    # What the family sees as the heading, in plain words.
    family_title: LazyString
    icon: str
    hint: LazyString


SECTIONS: tuple[Section, ...] = (
    Section("worried_about", _l("What we are worried about"), _l("What we are worried about"), "😟",
            _l("Say what the worries are, in words the family uses. The worries to score are listed below.")),
    Section("working_well", _l("What is working well"), _l("What is going well"), "🌟",
            _l("Strengths and safety that are already there.")),
    Section("needs_to_happen", _l("What needs to happen (safety goals)"), _l("What needs to happen"), "🎯",
            _l("What the family will be doing when things are safe and well enough to close.")),
    # Translators: plan section: the rules that are not negotiable (see GLOSSARY.md).
    Section("bottom_lines", _l("Bottom lines"), _l("Things that must happen"), "🛑",
            _l("The rules that are not negotiable, and why.")),
    # Translators: plan section: what happens if the plan is not working ("what if ...?").
    Section("contingency", _l("Contingency: what if"), _l("What if things go wrong?"), "🔁",
            _l("What will happen if the plan is not working or something goes wrong.")),
)
BY_KEY = {section.key: section for section in SECTIONS}
VERSIONS = ("young_person", "parent")

