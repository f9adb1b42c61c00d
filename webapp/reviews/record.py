"""A review laid out under the case-record headings, once, for every export to write out.

The headings include the home-visit headings of Appendix A of the early help practice
standards: Who did you see, Purpose of visit, What did you observe, Voice of Child, Parents
view, Worker analysis, Actions and next steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _

from webapp.config import LANGUAGES
from webapp.entries import kinds
from webapp.families.models import Family
from webapp.reviews.models import Review, ReviewItem
from webapp.reviews.services import items_by_member


@dataclass(frozen=True)
class Block:
    text: str
    # "p" the worker's words, "quote" a family member's own words, "person" a name line, "meta" small print,
    # "photo" a photo's date and caption, shown with the photo itself where the format can hold it.
    style: str = "p"
    language: str | None = None
    photo_id: int | None = None


@dataclass
class Heading:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Record:
    title: str
    subtitle: str
    headings: list[Heading]
    # The language the record was laid out in (its headings, names of languages, dates); a family
    # member's own words carry their own language.
    language: str | None = None


def _when(value: str) -> str:
    return format_date(datetime.fromisoformat(value), "medium")


def _answer_lines(quote: dict[str, Any]) -> list[str]:
    """Each answer of an imported entry as one line: its question and the family's words."""
    answers = quote.get("answers", [])
    kind = kinds.BY_KEY.get(quote.get("kind", ""))
    if kind and answers and not any("sentence" in answer for answer in answers):
        # Imported before answers carried their line, a safety score's answers were kept under their keys.
        keys = {question.key for question in kind.questions}
        if all(answer["question"] in keys for answer in answers):
            return [shown.sentence for shown in kinds.shown_answers(kind.key, {a["question"]: a["answer"] for a in answers})]
    return [answer.get("sentence") or f"{answer['question']} “{answer['answer']}”" for answer in answers]


def _item_blocks(item: ReviewItem) -> list[Block]:
    quote = item.quote
    if item.source == "entry":
        language = quote.get("language") or "en"
        blocks = [Block(_("%(title)s, %(date)s (written in %(language)s)", title=quote["title"], date=_when(quote["created_at"]), language=LANGUAGES.get(language, language)), "meta")]
        blocks.extend(Block(line, "quote", language) for line in _answer_lines(quote))
        return blocks
    if item.source == "worry":
        return [
            Block(
                _(
                    "%(worry)s: %(first)s on %(first_date)s, %(latest)s on %(latest_date)s (change %(change)s)",
                    worry=quote["worry"],
                    first=quote["first"],
                    first_date=_when(quote["first_at"]),
                    latest=quote["latest"],
                    latest_date=_when(quote["latest_at"]),
                    change=f"{quote['change']:+d}",
                )
            )
        ]
    if item.source == "comment":
        section = quote.get("section_heading") or _("Overall")
        agree = quote.get("agree_label") or quote.get("agree") or ""
        text = quote.get("text") or quote.get("body") or ""
        return [Block(_("On the assessment, “%(section)s”: %(agree)s", section=section, agree=agree), "meta"), Block(f"“{text}”", "quote", quote.get("language"))]
    if item.source == "photo":
        caption = quote.get("caption") or _("no caption")
        return [Block(_("Photo, %(date)s: %(caption)s", date=_when(quote["created_at"]), caption=caption), "photo", photo_id=item.source_id)]
    return []


def _voices(review: Review, family: Family, young_people: bool) -> list[Block]:
    grouped = items_by_member(review)
    blocks: list[Block] = []
    for member in family.members:
        if member.is_young_person != young_people or member.id not in grouped:
            continue
        blocks.append(Block(member.display_name, "person"))
        for source in ("entry", "worry", "comment", "photo"):
            for item in grouped[member.id].get(source, []):
                blocks.extend(_item_blocks(item))
    if not blocks:
        blocks.append(Block(_("Nothing was imported under this heading."), "meta"))
    return blocks


def build(review: Review, family: Family) -> Record:
    analysis = review.analysis or {}

    def written(key: str) -> list[Block]:
        text = (analysis.get(key) or "").strip()
        return [Block(part.strip()) for part in text.split("\n\n") if part.strip()] or [Block(_("Not written yet."), "meta")]

    headings = [
        Heading("who_did_you_see", _("Who did you see"), written("who_did_you_see")),
        Heading("purpose", _("Purpose of visit"), written("purpose")),
        Heading("observed", _("What did you observe"), written("observed")),
        Heading("voice_of_child", _("Voice of Child"), _voices(review, family, young_people=True)),
        Heading("parents_view", _("Parents view"), _voices(review, family, young_people=False)),
        Heading("worker_analysis", _("Worker analysis"), written("worker_analysis")),
        Heading("actions_next_steps", _("Actions and next steps"), written("actions_next_steps")),
    ]
    period = _("%(start)s to %(end)s", start=format_date(review.period_start, "long"), end=format_date(review.period_end, "long"))
    status = _("Final, %(when)s", when=format_datetime(review.finalised_at, "medium")) if review.finalised_at else _("Draft")
    reference = f" ({family.reference})" if family.reference else ""
    return Record(
        title=_("Review: %(family)s%(reference)s", family=family.name, reference=reference),
        subtitle=_("Period: %(period)s · %(status)s · Lead practitioner: %(worker)s", period=period, status=status, worker=family.lead_worker.display_name),
        headings=headings,
        language=get_locale().language if get_locale() else None,
    )


def as_text_blocks(record: Record) -> list[tuple[str, str]]:
    """One plain-text block per heading, ready to paste into the case management system."""
    blocks = []
    for heading in record.headings:
        lines = []
        for block in heading.blocks:
            if block.style == "person":
                lines.append(f"{block.text}:")
            else:
                lines.append(block.text)
        blocks.append((heading.title, "\n".join(lines)))
    return blocks
