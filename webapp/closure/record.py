"""A closure laid out under its headings, once, for the printable page, the PDF and the DOCX (the reviews' exports)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.clock import format_date, format_datetime
from webapp.closure import services
from webapp.closure.models import ClosureRequest, ClosureStatus, ViewsAnswer
from webapp.closure.records import ClosureScores
from webapp.families.models import Family
from webapp.reviews.record import Block, Heading, Record, english_blocks
from webapp.translations_content import services as translated


def _paragraphs(text: str) -> list[Block]:
    return [Block(part.strip(), "p", "en") for part in text.split("\n\n") if part.strip()]


def _score_blocks(scores: ClosureScores) -> list[Block]:
    if not scores.lines:
        # Translators: the closure record's scores heading when nobody has scored a worry.
        return [Block(_("No scores yet."), "meta")]
    head = (
        # Translators: table column: the worry a score is about.
        _("Worry"),
        # Translators: table column: who gave the score.
        _("Who"),
        # Translators: table column: the child a score is about.
        _("About"),
        _("Score"),
        _("Date"),
    )
    rows = tuple(
        (line.worry, f"{line.scorer} ({line.who})" if line.who else line.scorer, line.about or "—", str(line.score), format_date(line.on, "medium"))
        for line in scores.lines
    )
    # Translators: caption of the table of each worry's latest score by each person about each child, at closure.
    return [Block(_("Latest scores (10 is Working Well)"), "table", rows=(head, *rows))]


def _views_blocks(closure: ClosureRequest) -> list[Block]:
    blocks: list[Block] = []
    # The interpreter's English of each member's goodbye views goes under their own words.
    english = translated.english_of(closure.family_id, "goodbye", (views.id for views in closure.views))
    for views in closure.views:
        blocks.append(Block(views.member.display_name, "person"))
        if views.member.restricted:
            blocks.append(Block(_("Restricted: only staff read these views."), "meta"))
        if views.answer == ViewsAnswer.DECLINED:
            blocks.append(Block(_("Chose not to answer."), "meta"))
        elif views.answer == ViewsAnswer.WAITING:
            # Translators: a family member asked for their goodbye views has not answered (the manager has not decided yet).
            waiting = _("Not answered yet.")
            blocks.append(Block(_("Had not answered when the manager decided.") if closure.decided_at else waiting, "meta"))
        else:
            for label, words in (
                (_("What was good about working with us?"), views.what_was_good),
                (_("What could have been better?"), views.could_be_better),
                (_("What will help if things get hard again?"), views.what_will_help),
            ):
                if words:
                    blocks += [Block(label, "meta"), Block(words, "quote", views.language)]
            blocks += english_blocks(translated.current_english(english.get(views.id), translated.member_words_source(views)[0]))
    # Translators: the closure record's views heading when the family has no young person or parent to ask.
    return blocks or [Block(_("Nobody was asked."), "meta")]


def _oversight_blocks(closure: ClosureRequest) -> list[Block]:
    # Translators: %(name)s is the worker, %(when)s a date and time.
    blocks = [Block(_("Asked to close by %(name)s, %(when)s", name=closure.requested_by.display_name,
                      when=format_datetime(closure.requested_at, "medium")), "person")]
    if closure.decided_by is not None and closure.decided_at is not None:
        values = {"name": closure.decided_by.display_name, "when": format_datetime(closure.decided_at, "medium")}
        if closure.status == ClosureStatus.APPROVED:
            # Translators: %(name)s is the team manager, %(when)s a date and time.
            label = _("Approved by %(name)s, %(when)s", **values)
        else:
            # Translators: %(name)s is the team manager, %(when)s a date and time.
            label = _("Declined by %(name)s, %(when)s", **values)
        blocks += [Block(label, "person"), *_paragraphs(closure.decision_comment)]
    else:
        # Translators: a closure request the team manager has not decided yet.
        blocks.append(Block(_("Waiting for the manager."), "meta"))
    return blocks


def build(closure: ClosureRequest, family: Family) -> Record:
    headings = [
        Heading("summary", _("Summary of the work"), _paragraphs(closure.summary)),
        # Translators: closure record heading: each worry's latest score by each person about each child.
        Heading("scores", _("Final scores"), _score_blocks(ClosureScores.from_json(closure.scores))),
        # Translators: closure record heading: what the young people and parents said when the work ended.
        Heading("views", _("Views at closure"), _views_blocks(closure)),
        Heading("reason", _("Reason for closing"), [Block(services.reason_label(closure.reason))]),
        # Translators: closure record heading: the team manager's decision and comments (see GLOSSARY.md).
        Heading("management_oversight", _("Management oversight"), _oversight_blocks(closure)),
    ]
    reference = f" ({family.reference})" if family.reference else ""
    return Record(
        # Translators: document title; %(family)s is the family's name, %(reference)s its case number in brackets or nothing.
        title=_("Closure: %(family)s%(reference)s", family=family.name, reference=reference),
        # Translators: under the title of a closure record; %(worker)s is the family's lead worker.
        subtitle=_("Lead practitioner: %(worker)s", worker=family.lead_worker.display_name),
        headings=headings,
        language=locale.language if (locale := get_locale()) else None,
    )
