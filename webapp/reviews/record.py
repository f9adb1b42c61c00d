"""A review laid out under the case-record headings, once, for every export to write out.

The headings include the home-visit headings of Appendix A of the early help practice
standards: Who did you see, Purpose of visit, What did you observe, Voice of Child, Parents
view, Worker analysis, Actions and next steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.clock import Days, days, format_date, format_datetime
from webapp.config import LANGUAGES
from webapp.db import db_session
from webapp.families.models import Family
from webapp.plans import family_safety_services as family_safety
from webapp.plans.family_safety import FamilySafetyPlanContent
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.plans.records import MAPPING_PARTS, PlanContent
from webapp.policy import counts_as_family
from webapp.reviews.models import Review, ReviewComment, ReviewItem, SignOffStep
from webapp.reviews.quotes import SOURCES, CommentQuote, EntryQuote, PhotoQuote, WorryQuote
from webapp.reviews.services import end_of, items_by_member
from webapp.translations_content import services as translated
from webapp.translations_content.models import TextTranslation
from webapp.worries import services as worries
from webapp.worries.chart import score_chart
from webapp.worries.models import Worry, WorryScore


@dataclass(frozen=True)
class Block:
    text: str
    # "p" the worker's words, "quote" a family member's own words, "english" an interpreter's English of them,
    # "person" a name line, "meta" small print,
    # "photo" a photo's date and caption, shown with the photo itself where the format can hold it.
    style: str = "p"
    language: str | None = None
    photo_id: int | None = None
    # "table": `text` is the caption, `rows` the table (the first row its column headings), `chart` an SVG of it for the page.
    rows: tuple[tuple[str, ...], ...] = ()
    chart: str = ""


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


def english_blocks(english: TextTranslation | None, about: str = "") -> list[Block]:
    """The interpreter's English, beside the family member's own words (`about` says which words, where that is not plain)."""
    if english is None:
        return []
    label = (
        _("English translation (interpreter: %(name)s)", name=english.interpreter_name)
        if english.interpreter_name
        # Translators: label over an interpreter's English of what a family member wrote in their own language.
        else _("English translation")
    )
    return [Block(f"{about} · {label}" if about else label, "meta"), Block(english.text, "english", "en")]


def _when(day: Days, value: datetime | None) -> str:
    return day(value) if value else ""


def _item_blocks(item: ReviewItem, english: dict[int, TextTranslation], comments_english: dict[int, TextTranslation], day: Days) -> list[Block]:
    quote = item.quoted
    if isinstance(quote, EntryQuote):
        language = quote.language
        blocks = [Block(_("%(title)s, %(date)s (written in %(language)s)", title=quote.title, date=_when(day, quote.created_at), language=LANGUAGES.get(language, language)), "meta")]
        if quote.done_together_with:
            # Translators: an entry a child sent on their worker's phone, sitting with the worker; %(name)s is the worker.
            blocks.append(Block(_("Done together with %(name)s", name=quote.done_together_with), "meta"))
        blocks.extend(Block(answer.sentence, "quote", language) for answer in quote.answers)
        return blocks + english_blocks(english.get(item.source_id))
    if isinstance(quote, WorryQuote):
        # Translators: which child a worry score is about; %(name)s is the child.
        about = _("About %(name)s", name=quote.about) if quote.about else ""
        return [
            Block(
                _(
                    "%(worry)s: %(first)s on %(first_date)s, %(latest)s on %(latest_date)s (change %(change)s)",
                    worry=f"{quote.worry} ({about})" if about else quote.worry,
                    first=quote.first,
                    first_date=_when(day, quote.first_at),
                    latest=quote.latest,
                    latest_date=_when(day, quote.latest_at),
                    change=f"{quote.change:+d}",
                )
            )
        ]
    if isinstance(quote, CommentQuote):
        section = quote.section_heading or _("Overall")
        return [
            Block(_("On the assessment, “%(section)s”: %(agree)s", section=section, agree=quote.agreement), "meta"),
            Block(f"“{quote.text}”", "quote", quote.language),
            *english_blocks(translated.current_english(comments_english.get(item.source_id), quote.text)),
        ]
    if isinstance(quote, PhotoQuote):
        # Translators: a photo sent without any words about it.
        caption = quote.caption or _("no caption")
        # Translators: %(caption)s is what the family member wrote about their photo.
        return [Block(_("Photo, %(date)s: %(caption)s", date=_when(day, quote.created_at), caption=caption), "photo", photo_id=item.source_id)]
    return []


def _voices(review: Review, family: Family) -> dict[bool, list[Block]]:
    """What the review imported from each young person (under True) and each parent or carer (under False)."""
    grouped = items_by_member(review)
    english = translated.entries_english(family.id, (item.source_id for item in review.items if item.source == "entry"))
    comments_english = translated.english_of(family.id, "assessment-comment", (i.source_id for i in review.items if i.source == "comment"))
    day = days("medium")
    voices: dict[bool, list[Block]] = {True: [], False: []}
    for member in family.members:
        if member.id not in grouped or not counts_as_family(member):
            continue
        blocks = voices[member.is_young_person]
        blocks.append(Block(member.display_name, "person"))
        for source in SOURCES:
            for item in grouped[member.id].get(source, []):
                blocks.extend(_item_blocks(item, english, comments_english, day))
    for blocks in voices.values():
        if not blocks:
            blocks.append(Block(_("Nothing was imported under this heading."), "meta"))
    return voices


def review_plan(review: Review, family: Family) -> PlanContent | None:
    """The family plan the review stands on: the latest version published by the time it was made final (or now)."""
    query = select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == PUBLISHED)
    if review.finalised_at is not None:
        query = query.where(PlanVersion.published_at <= review.finalised_at)
    version = db_session().scalar(query.order_by(PlanVersion.number.desc()).limit(1))
    return PlanContent.from_json(version.content) if version else None


def _mapping_blocks(plan: PlanContent | None) -> list[Block]:
    if plan is None or plan.mapping.is_empty():
        # Translators: a review section drawn from the family plan, when the plan has none of it yet.
        return [Block(_("Not in the plan yet."), "meta")]
    m = plan.mapping
    titles = {
        "past_harm": _("Past harm"), "complicating_factors": _("Complicating factors"), "existing_strengths": _("Existing strengths"),
        "existing_safety": _("Existing safety"), "next_steps": _("Next steps"),
    }
    blocks = [
        Block(_("Genogram or family network completed: %(date)s", date=format_date(m.genogram_date, "long") if m.genogram_date else "—"), "meta"),
        # Translators: who was at the mapping meeting; %(names)s are names and roles.
        Block(_("Present: %(names)s", names=", ".join(m.present) or "—"), "meta"),
        # Translators: who was not at the mapping meeting; %(names)s are names and roles.
        Block(_("Absent: %(names)s", names=", ".join(m.absent) or "—"), "meta"),
    ]
    for part in MAPPING_PARTS:
        text = getattr(m, part).strip()
        if text:
            blocks += [Block(titles[part], "person"), Block(text, "p", "en")]
    return blocks


def _pair_blocks(plan: PlanContent | None) -> list[Block]:
    if plan is None or not plan.pairs:
        return [Block(_("Not in the plan yet."), "meta")]
    blocks = []
    for number, pair in enumerate(plan.pairs, start=1):
        blocks.append(Block(_("Pair %(number)s", number=number), "person"))
        for label, text in (
            (_("Danger statement: %(text)s"), pair.danger), (_("For the young people: %(text)s"), pair.danger_young_person),
            (_("For the parents: %(text)s"), pair.danger_parent),
            # Translators: %(text)s is the worker's safety goal (see GLOSSARY.md).
            (_("Safety goal: %(text)s"), pair.goal),
            (_("For the young people: %(text)s"), pair.goal_young_person), (_("For the parents: %(text)s"), pair.goal_parent),
        ):
            if text.strip():
                blocks.append(Block(label % {"text": text.strip()}, "p", "en"))
    return blocks


def _plan_voice_blocks(plan: PlanContent | None) -> list[Block]:
    if plan is None or not plan.voice:
        return [Block(_("Not in the plan yet."), "meta")]
    blocks = []
    for quote in plan.voice:
        when = format_date(quote.day, "medium") if quote.day else "—"
        # Translators: under a quote of a child's words: %(name)s is the child, %(date)s when they wrote it.
        blocks += [Block(_("%(name)s, %(date)s", name=quote.name, date=when), "meta"), Block(f"“{quote.words}”", "quote", quote.language)]
    return blocks


def review_family_safety_plan(review: Review, family: Family) -> FamilySafetyPlanContent | None:
    """The family safety plan the review stands on: the latest version published by the time it was made final (or now)."""
    version = family_safety.published_before(family.id, review.finalised_at)
    return FamilySafetyPlanContent.from_json(version.content) if version else None


def _family_safety_blocks(plan: FamilySafetyPlanContent | None) -> list[Block]:
    """Seed 003's timeline, who is involved and plan rules, then seed 004's rows with their dated progress, in the worker's words."""
    if plan is None or plan.is_empty():
        return [Block(_("Not in the plan yet."), "meta")]
    names = {p.id: p.name for p in plan.network}

    def day(value: date | None) -> str:
        return format_date(value, "medium") if value else "—"

    def with_people(ids: list[str]) -> list[Block]:
        named = [names[i] for i in ids if i in names]
        return [Block(_("With: %(names)s", names=", ".join(named)), "meta")] if named else []

    def done(value: date | None) -> list[Block]:
        return [Block(_("Completed on %(date)s", date=day(value)), "meta")] if value else []

    blocks: list[Block] = []
    if plan.timeline:
        blocks.append(Block(_("Timeline"), "person"))
        for s in plan.timeline:
            monitoring, changes = _("Meetings and monitoring"), _("Changes to arrangements")
            lines = [s.week, s.task, s.monitoring and f"{monitoring}: {s.monitoring}", s.changes and f"{changes}: {s.changes}"]
            blocks += [Block(" · ".join(line for line in lines if line), "p", "en"), *with_people(s.people), *done(s.completed_on)]
    if plan.network:
        blocks.append(Block(_("Who is involved"), "person"))
        for p in plan.network:
            line = " · ".join(part for part in (p.name, p.relationship, p.how_to_reach) if part)
            seen = _("Saw the plan on %(date)s", date=day(p.seen_on)) if p.seen_on else ""
            agreed = _("Agreed to the plan on %(date)s", date=day(p.agreed_on)) if p.agreed_on else ""
            blocks += [Block(line, "p", "en"), *([Block(" · ".join(x for x in (seen, agreed) if x), "meta")] if seen or agreed else [])]
    if plan.rules:
        blocks.append(Block(_("Plan rules"), "person"))
        for r in plan.rules:
            when = _("When: %(text)s", text=r.when)
            blocks += [Block(f"{when} → {r.who_does_what}", "p", "en"), *with_people(r.people)]
    if plan.tasks:
        blocks.append(Block(_("Who will do what"), "person"))
        for t in plan.tasks:
            by = _("By: %(date)s", date=day(t.by_when)) if t.by_when else ""
            blocks += [Block(" · ".join(x for x in (t.what, _("Who: %(who)s", who=t.who) if t.who else "", by) if x), "p", "en"),
                       *with_people(t.people)]
            blocks += [Block(f"{day(u.day)}: {u.text}", "p", "en") for u in t.progress]
            blocks += done(t.completed_on)
    return blocks


def _scaling_blocks(review: Review, family: Family) -> list[Block]:
    """Each person's scores on each worry about each child up to the end of the review's period: a chart and a table."""
    until = min(end_of(review.period_end), review.finalised_at) if review.finalised_at else end_of(review.period_end)
    blocks: list[Block] = []
    day = days("medium")

    def _day(score: WorryScore) -> str:
        return day(worries.day_of(score))

    english = translated.english_of(
        family.id, "worry-score", db_session().scalars(select(WorryScore.id).join(Worry).where(Worry.family_id == family.id))
    )
    for worry in db_session().scalars(select(Worry).where(Worry.family_id == family.id).order_by(Worry.created_at, Worry.id)):
        series = worries.worry_series(worry, until=until)
        if not series:
            continue
        blocks.append(Block(worry.wording, "person", "en"))
        for one in series:
            about = one.about.display_name if one.about else ""
            caption = _(
                "%(name)s (%(who)s) about %(child)s: baseline %(first)s on %(first_date)s, latest %(latest)s on %(latest_date)s, "
                "distance travelled %(change)s",
                name=one.scorer, who=worries.who_scored_series(one), child=about or "—", first=one.baseline.score,
                first_date=_day(one.baseline), latest=one.latest.score, latest_date=_day(one.latest), change=f"{one.distance:+d}",
            )
            head = (
                _("Date"),
                _("Score"),
                # Translators: table column: how far a worry score has moved since the baseline score.
                _("Since the baseline"),
                _("What makes it this number?"),
                _("What would make it one point higher?"),
            )
            start = one.scores.index(one.baseline)
            rows = tuple(
                (_day(s), str(s.score), _("Baseline") if i == start else f"{s.score - one.baseline.score:+d}" if i > start else "–",
                 s.what_makes_it, s.one_point_higher)
                for i, s in enumerate(one.scores)
            )
            points = [(worries.day_of(s), s.score) for s in one.scores]
            chart = score_chart(points, caption, _day(one.scores[0]), _day(one.scores[-1]), baseline=start)
            blocks.append(Block(caption, "table", rows=(head, *rows), chart=str(chart)))
            # The interpreter's English of a family member's reasons, under the table that holds their own words.
            for s in one.scores:
                blocks += english_blocks(translated.current_english(english.get(s.id), translated.member_words_source(s)[0]), about=f"{_day(s)} · {s.score}")
    if not blocks:
        # Translators: the review's scaling heading when nobody has scored a worry yet.
        blocks.append(Block(_("No scores yet."), "meta"))
    return blocks


def oversight_blocks(review: Review) -> list[Block]:
    """The management sign-off, step by step: who sent, returned or signed off the review, when, and their comment."""
    blocks: list[Block] = []
    for step in review.sign_offs:
        values = {"name": step.by.display_name, "when": format_datetime(step.at, "medium")}
        if step.kind == SignOffStep.SUBMITTED:
            # Translators: a step of a review's sign-off; %(name)s is the worker, %(when)s a date and time.
            label = _("Sent for sign-off by %(name)s, %(when)s", **values)
        elif step.kind == SignOffStep.RETURNED:
            # Translators: a step of a review's sign-off; %(name)s is the manager, %(when)s a date and time.
            label = _("Returned to the worker by %(name)s, %(when)s", **values)
        else:
            # Translators: a step of a review's sign-off; %(name)s is the manager, %(when)s a date and time.
            label = _("Signed off by %(name)s, %(when)s", **values)
        blocks += [Block(label, "person"), *(Block(part.strip()) for part in step.comment.split("\n\n") if part.strip())]
    if not blocks:
        if review.is_final:
            # A review made final before sign-off existed: the record says so rather than invent a sign-off.
            return [Block(_("Made final before reviews were signed off by a manager."), "meta")]
        return [Block(_("Not sent for sign-off yet."), "meta")]
    return blocks


def family_comment_blocks(review: Review) -> list[Block]:
    """The family's comments on the review once it was shared: who, when and their words in their language."""
    blocks: list[Block] = []
    comments = list(db_session().scalars(
        select(ReviewComment).where(ReviewComment.review_id == review.id).order_by(ReviewComment.created_at, ReviewComment.id)
    ))
    english = translated.english_of(review.family_id, "review-comment", (comment.id for comment in comments))
    for comment in comments:
        # Translators: who wrote a comment on their review and when; %(name)s is a family member, %(when)s a date and time.
        label = _("%(name)s, %(when)s", name=comment.member.display_name, when=format_datetime(comment.created_at, "medium"))
        blocks += [Block(label, "person"), Block(comment.body, "quote", comment.language), *english_blocks(translated.current_english(english.get(comment.id), comment.body))]
    # Translators: nobody in the family has commented on their review yet.
    return blocks or [Block(_("No comments yet."), "meta")]


def build(review: Review, family: Family) -> Record:
    analysis = review.analysis or {}
    plan = review_plan(review, family)

    def written(key: str) -> list[Block]:
        text = (analysis.get(key) or "").strip()
        # Translators: a review section that has no text yet.
        return [Block(part.strip()) for part in text.split("\n\n") if part.strip()] or [Block(_("Not written yet."), "meta")]

    voices = _voices(review, family)
    headings = [
        Heading("who_did_you_see", _("Who did you see"), written("who_did_you_see")),
        Heading("purpose", _("Purpose of visit"), written("purpose")),
        Heading("observed", _("What did you observe"), written("observed")),
        # Translators: review section heading used in case records: what the child said.
        Heading("voice_of_child", _("Voice of Child"), voices[True]),
        # Translators: review section heading: what the parents and carers think.
        Heading("parents_view", _("Parents view"), voices[False]),
        # Translators: review section heading: the worker's Signs of Safety mapping, from the family plan.
        Heading("mapping", _("Mapping"), _mapping_blocks(plan)),
        Heading("danger_statements", _("Danger statements and safety goals"), _pair_blocks(plan)),
        # Translators: review section heading: the child's own words quoted in the family plan.
        Heading("plan_voice_of_child", _("Voice of the child in the plan"), _plan_voice_blocks(plan)),
        Heading("family_safety_plan", _("Family safety plan"), _family_safety_blocks(review_family_safety_plan(review, family))),
        # Translators: review section heading: each person's worry scores about each child since the plan started (Signs of Safety scaling).
        Heading("scaling", _("Scaling: distance travelled from the baseline"), _scaling_blocks(review, family)),
        Heading("worker_analysis", _("Worker analysis"), written("worker_analysis")),
        Heading("actions_next_steps", _("Actions and next steps"), written("actions_next_steps")),
        # Translators: review section heading: the team manager's sign-off and comments (see GLOSSARY.md).
        Heading("management_oversight", _("Management oversight"), oversight_blocks(review)),
        Heading("family_comments", _("The family's comments on the review"), family_comment_blocks(review)),
    ]
    # Translators: a period between two dates, e.g. "1 May 2026 to 30 June 2026".
    period = _("%(start)s to %(end)s", start=format_date(review.period_start, "long"), end=format_date(review.period_end, "long"))
    # Translators: status of a finished review; %(when)s is the date it was made final.
    status = _("Final, %(when)s", when=format_datetime(review.finalised_at, "medium")) if review.finalised_at else _("Draft")
    if review.is_submitted:
        # Translators: status of a review the worker has sent to the team manager, not yet signed off.
        status = _("Waiting for sign-off")
    reference = f" ({family.reference})" if family.reference else ""
    return Record(
        # Translators: document title; %(family)s is the family's name, %(reference)s its case number in brackets or nothing.
        title=_("Review: %(family)s%(reference)s", family=family.name, reference=reference),
        subtitle=_("Period: %(period)s · %(status)s · Lead practitioner: %(worker)s", period=period, status=status, worker=family.lead_worker.display_name),
        headings=headings,
        language=locale.language if (locale := get_locale()) else None,
    )


def as_text_blocks(record: Record) -> list[tuple[str, str]]:
    """One plain-text block per heading, ready to paste into the case management system."""
    blocks = []
    for heading in record.headings:
        lines = []
        for block in heading.blocks:
            if block.style == "person":
                lines.append(f"{block.text}:")
            elif block.style == "table":
                lines.append(block.text)
                lines.extend(" | ".join(cell for cell in row) for row in block.rows)
            else:
                lines.append(block.text)
        blocks.append((heading.title, "\n".join(lines)))
    return blocks
