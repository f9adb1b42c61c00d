"""Translations of the worker's words into the family's languages, and the interpreter's English of a member's words.

Every change to a translation is made here; nothing here commits (the request does, once).
Which blocks a family has, and who reads each, is drawn from the plan, safety plans, worries,
meeting messages and replies as they stand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from webapp import audit, policy
from webapp.assessments.models import AssessmentComment
from webapp.closure.models import GoodbyeViews
from webapp.config import LANGUAGES
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import Family, FamilyMember
from webapp.plans import family_safety_services as family_safety
from webapp.plans import services as plans
from webapp.plans.family_safety import FamilySafetyPlanContent
from webapp.plans.models import SafetyPlanVersion
from webapp.plans.records import Action, PlanContent, SafetyPlanContent
from webapp.plans.sections import SECTIONS
from webapp.reviews.models import SHARE_FIELDS, SHARE_VERSIONS, MeetingMessage, Review, ReviewComment, ReviewShare
from webapp.translations_content import rules
from webapp.translations_content.models import TextTranslation
from webapp.translations_content.rules import Shown, State
from webapp.worries.models import Worry, WorryScore

# --- Block names: one for each piece of a worker's words, whatever the version it is in.


def section_block(key: str, version: str) -> str:
    return f"plan-section:{key}:{version}"


def pair_block(pair_id: str, part: str, version: str) -> str:
    """part: "danger" or "goal"; version: "young_person" or "parent" (the worker's own wording is staff's, never translated)."""
    return f"plan-pair:{pair_id}:{part}:{version}"


def action_block(action_id: str, part: str) -> str:
    """part: "text" (what will happen) or "young_person" (the same in the young people's words)."""
    return f"plan-action:{action_id}:{part}"


def safety_block(row_id: str, part: str) -> str:
    return f"safety-row:{row_id}:{part}"


def family_safety_block(row_id: str, part: str) -> str:
    """A part of a row of the family and network safety plan (a timeline step, a network line, a rule, a row, a progress update)."""
    return f"family-safety:{row_id}:{part}"


def worry_block(worry_id: int, part: str) -> str:
    """part: "wording", "meaning_0" or "meaning_10"."""
    return f"worry:{worry_id}:{part}"


def meeting_block(message_id: int) -> str:
    return f"meeting-message:{message_id}"


def review_share_block(review_id: int, field: str, version: str) -> str:
    """field: "happened" or "plan_changes"; version: "young_person" or "parent"."""
    return f"review-share:{review_id}:{field}:{version}"


def reply_block(reply_id: int) -> str:
    return f"reply:{reply_id}"


def entry_block(entry_id: int) -> str:
    return f"entry:{entry_id}"


def member_words_block(kind: str, source_id: int) -> str:
    """An interpreter's English of other words a family member wrote: kind is "worry-score" (the reasons for a score),
    "review-comment", "goodbye" (goodbye views) or "assessment-comment"."""
    return f"{kind}:{source_id}"


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


# --- A family's translations, loaded once per page.


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    name: str
    state: State
    translation: TextTranslation | None


@dataclass
class FamilyTranslations:
    """Every translation of one family, by (block, language)."""

    rows: dict[tuple[str, str], TextTranslation] = field(default_factory=dict)

    def get(self, block: str, language: str) -> TextTranslation | None:
        return self.rows.get((block, language))

    def shown(self, block: str, source: str, language: str) -> Shown:
        return rules.shown(source, language, self.get(block, language))

    def status(self, block: str, source: str, languages: Iterable[str]) -> list[LanguageStatus]:
        return [
            LanguageStatus(language, language_name(language), rules.state(self.get(block, language), source), self.get(block, language))
            for language in rules.languages_of(languages)
        ]


def for_family(family_id: int) -> FamilyTranslations:
    rows = db_session().scalars(select(TextTranslation).where(TextTranslation.family_id == family_id))
    return FamilyTranslations({(row.block, row.language): row for row in rows})


def save(family: Family, block: str, language: str, text: str, source: str, translator_id: int, interpreter_name: str = "") -> TextTranslation:
    """Add or update the translation of a block into a language, made from the English `source` as it stands now."""
    db = db_session()
    row = db.scalar(
        select(TextTranslation).where(TextTranslation.family_id == family.id, TextTranslation.block == block, TextTranslation.language == language)
    )
    if row is None:
        row = TextTranslation(family_id=family.id, block=block, language=language)
        db.add(row)
    row.text = text.strip()
    row.source_hash = rules.source_hash(source)
    row.translated_by_id = translator_id
    row.interpreter_name = interpreter_name.strip()
    row.updated_at = utcnow()
    db.flush()
    audit.record("translation_saved", family_id=family.id, target=f"{block}:{language}")
    return row


# --- A family member's own words, and the interpreter's English beside them.


def entry_source(entry: Entry) -> str:
    """The words of an entry that its English translates: every answer as sent, in a fixed order."""
    answers = entry.answers
    return "\n".join(f"{key}: {answers[key]}" for key in sorted(answers))


def entry_english(entry: Entry) -> TextTranslation | None:
    return db_session().scalar(
        select(TextTranslation).where(
            TextTranslation.family_id == entry.family_id, TextTranslation.block == entry_block(entry.id), TextTranslation.language == "en"
        )
    )


def entries_english(family_id: int, entry_ids: Iterable[int]) -> dict[int, TextTranslation]:
    """The interpreter's English of many entries of one family, by entry id, in one query."""
    return english_of(family_id, "entry", entry_ids)


def english_of(family_id: int, kind: str, source_ids: Iterable[int]) -> dict[int, TextTranslation]:
    """The interpreter's English of many of one kind of a family member's words (entries, worry scores, review comments,
    goodbye views, assessment comments), by their id, in one query."""
    return english_across_families(kind, ((family_id, source_id) for source_id in source_ids))


def english_across_families(kind: str, sources: Iterable[tuple[int, int]]) -> dict[int, TextTranslation]:
    """The interpreter's English of many of one kind of a family member's words, given as (family id, source id) pairs
    that may span families (an API page), by source id, with who translated each, in one query."""
    wanted = {member_words_block(kind, source_id): (family_id, source_id) for family_id, source_id in sources}
    if not wanted:
        return {}
    rows = db_session().scalars(
        select(TextTranslation)
        .where(
            TextTranslation.block.in_(wanted),
            TextTranslation.family_id.in_({family_id for family_id, _source in wanted.values()}),
            TextTranslation.language == "en",
        )
        .options(joinedload(TextTranslation.translated_by))
    )
    # A block names its source; the family is checked too, so a row is only ever the English of its own family's words.
    return {wanted[row.block][1]: row for row in rows if wanted[row.block][0] == row.family_id}


def save_entry_english(entry: Entry, text: str, translator_id: int, interpreter_name: str = "") -> TextTranslation:
    family = db_session().get_one(Family, entry.family_id)
    return save(family, entry_block(entry.id), "en", text, entry_source(entry), translator_id, interpreter_name)


def member_words_source(record: WorryScore | ReviewComment | GoodbyeViews | AssessmentComment) -> tuple[str, str]:
    """The words of a member's worry score reasons, review comment, goodbye views or assessment comment that their
    English translates, and the language they were written in."""
    if isinstance(record, WorryScore):
        return "\n".join(part for part in (record.what_makes_it, record.one_point_higher) if part.strip()), record.language
    if isinstance(record, ReviewComment):
        return record.body, record.language
    if isinstance(record, GoodbyeViews):
        parts = (record.what_was_good, record.could_be_better, record.what_will_help)
        return "\n".join(part for part in parts if part.strip()), record.language
    return record.text, record.language


def current_english(english: TextTranslation | None, source: str) -> TextTranslation | None:
    """The interpreter's English if it was made from the words as they stand: a parent may change an assessment comment
    after it was put into English, and a record never shows an English of words that are no longer there."""
    return english if english is not None and rules.state(english, source) is State.CURRENT else None


def english_out_of_date(english: TextTranslation | None, record: WorryScore | ReviewComment | GoodbyeViews | AssessmentComment) -> bool:
    return english is not None and current_english(english, member_words_source(record)[0]) is None


def save_member_english(
    family: Family, kind: str, record: WorryScore | ReviewComment | GoodbyeViews | AssessmentComment, text: str, translator_id: int,
    interpreter_name: str = "",
) -> TextTranslation:
    source, _language = member_words_source(record)
    return save(family, member_words_block(kind, record.id), "en", text, source, translator_id, interpreter_name)


def member_blocks(member: FamilyMember) -> list[str]:
    """Every block written by or for one member alone: their entries, worry scores, review comments, goodbye views and
    assessment comments (the interpreter's English of their words),
    the replies to them, their meeting messages and their safety plan's rows. Erasing the member erases these."""
    db = db_session()
    entry_ids = list(db.scalars(select(Entry.id).where(Entry.member_id == member.id)))
    blocks = [entry_block(i) for i in entry_ids]
    for kind, column in (("worry-score", WorryScore), ("review-comment", ReviewComment), ("goodbye", GoodbyeViews),
                         ("assessment-comment", AssessmentComment)):
        blocks += [member_words_block(kind, i) for i in db.scalars(select(column.id).where(column.member_id == member.id))]
    blocks += [reply_block(i) for i in db.scalars(select(EntryReply.id).where(EntryReply.entry_id.in_(entry_ids)))]
    blocks += [meeting_block(i) for i in db.scalars(select(MeetingMessage.id).where(MeetingMessage.member_id == member.id))]
    row_ids = set()
    for content in db.scalars(select(SafetyPlanVersion.content).where(SafetyPlanVersion.member_id == member.id)):
        row_ids |= SafetyPlanContent.from_json(content).ids()
    blocks += [safety_block(row_id, part) for row_id in row_ids for part in ("how_to_reach", "when", "what", "place")]
    return blocks


def delete_member_blocks(member: FamilyMember) -> None:
    blocks = member_blocks(member)
    if blocks:
        db_session().execute(
            delete(TextTranslation).where(TextTranslation.family_id == member.family_id, TextTranslation.block.in_(blocks)),
            execution_options={"synchronize_session": False},
        )


# --- What a member reads.


def reading_language(member: FamilyMember) -> str:
    """A member reads the worker's words in their preferred language (the one their worker set)."""
    return member.preferred_language or rules.SOURCE_LANGUAGE


def shown_action(translations: FamilyTranslations, action: Action, member: FamilyMember) -> Shown:
    """An action as a member reads it: a young person the young people's wording, where there is one."""
    language = reading_language(member)
    if member.is_young_person and action.what_young_person.strip():
        return translations.shown(action_block(action.id, "young_person"), action.what_young_person, language)
    return translations.shown(action_block(action.id, "text"), action.what, language)


def shown_worry(translations: FamilyTranslations, worry: Worry, member: FamilyMember) -> dict[str, Shown]:
    """A worry's wording and the meanings of 0 and 10 as a member reads them; a member's own worry is in their own words."""
    parts = {"wording": worry.wording, "meaning_0": worry.meaning_0, "meaning_10": worry.meaning_10}
    if worry.owner_member_id is not None:
        return {part: Shown(text, "", "auto") for part, text in parts.items()}
    language = reading_language(member)
    return {part: translations.shown(worry_block(worry.id, part), text, language) for part, text in parts.items()}


# --- Every block of a family, with who reads it: the translations page and the publishing warning.


@dataclass(frozen=True)
class Block:
    ref: str
    group: LazyString
    label: LazyString | str
    source: str
    languages: list[str]
    statuses: list[LanguageStatus]

    @property
    def needs_work(self) -> list[LanguageStatus]:
        return [s for s in self.statuses if s.state is not State.CURRENT]


def _languages(members: Iterable[FamilyMember]) -> list[str]:
    return rules.languages_of(reading_language(m) for m in members)


def plan_readers(family: Family, content: PlanContent, key: str, version: str) -> list[FamilyMember]:
    """Who reads one version of a plan section: the young people or the parents it is not hidden from."""
    hidden = content.sections[key].hidden_from
    return [
        m for m in family.members
        if policy.may_read_plan(m) and m.id not in hidden and (m.is_young_person == (version == "young_person"))
    ]


def pair_readers(family: Family, content: PlanContent, version: str) -> list[FamilyMember]:
    """Who reads one version of the danger statements and safety goals."""
    return [
        m for m in family.members
        if policy.may_read_plan(m) and m.id not in content.pairs_hidden_from and (m.is_young_person == (version == "young_person"))
    ]


def shown_pair(translations: FamilyTranslations, pair_id: str, danger: str, goal: str, member: FamilyMember) -> tuple[Shown, Shown]:
    """A danger statement and its safety goal in a member's version, as they read them (their language where translated)."""
    version, language = policy.plan_version_for(member), reading_language(member)
    return (translations.shown(pair_block(pair_id, "danger", version), danger, language),
            translations.shown(pair_block(pair_id, "goal", version), goal, language))


def action_readers(family: Family, content: PlanContent, action: Action, part: str) -> list[FamilyMember]:
    readers = [m for m in family.members if policy.may_read_plan(m) and m.id not in content.actions_hidden_from]
    if part == "young_person":
        return [m for m in readers if m.is_young_person]
    named = [m for m in family.members if action in policy.network_actions_for(content, m)]
    return [m for m in readers if not m.is_young_person or not action.what_young_person.strip()] + named


def plan_blocks(family: Family, content: PlanContent, translations: FamilyTranslations) -> list[Block]:
    blocks: list[Block] = []
    group = _l("Family plan")
    versions = {"young_person": _l("Young person's version"), "parent": _l("Parent version")}
    for section in SECTIONS:
        for version, version_label in versions.items():
            text = getattr(content.sections[section.key], version)
            if not text.strip():
                continue
            ref, languages = section_block(section.key, version), _languages(plan_readers(family, content, section.key, version))
            label = f"{section.title} · {version_label}"
            blocks.append(Block(ref, group, label, text, languages, translations.status(ref, text, languages)))
    for number, pair in enumerate(content.pairs, start=1):
        for version, version_label in versions.items():
            languages = _languages(pair_readers(family, content, version))
            danger, goal = pair.for_version(version)
            # Translators: labels on the Translations page; %(number)s counts the danger statements and safety goals of the plan.
            for part, label, text in (("danger", _l("Danger statement %(number)s", number=number), danger),
                                      # Translators: label on the Translations page; %(number)s counts the safety goals.
                                      ("goal", _l("Safety goal %(number)s", number=number), goal)):
                if text:
                    ref = pair_block(pair.id, part, version)
                    blocks.append(Block(ref, group, f"{label} · {version_label}", text, languages, translations.status(ref, text, languages)))
    for action in content.actions:
        for part, text in (("text", action.what), ("young_person", action.what_young_person)):
            if not text.strip():
                continue
            ref, languages = action_block(action.id, part), _languages(action_readers(family, content, action, part))
            # Translators: label on the Translations page for one step of the family plan (a plan action), in the worker's words.
            label = _l("Action") if part == "text" else _l("Action, in words for the young people")
            blocks.append(Block(ref, group, label, text, languages, translations.status(ref, text, languages)))
    return blocks


def safety_blocks(member: FamilyMember, content: SafetyPlanContent, translations: FamilyTranslations) -> list[Block]:
    group = _l("Safety plan for %(name)s", name=member.display_name)
    languages = _languages([member])
    rows: list[tuple[str, str, LazyString, str]] = []
    rows += [(p.id, "how_to_reach", _l("How to reach them"), p.how_to_reach) for p in content.safe_people]
    for r in content.rules:
        rows += [(r.id, "when", _l("When this happens"), r.when), (r.id, "what", _l("Who does what"), r.what)]
    rows += [(p.id, "place", _l("A place I feel safe"), p.place) for p in content.safe_places]
    return [
        Block(safety_block(row_id, part), group, label, text, languages, translations.status(safety_block(row_id, part), text, languages))
        for row_id, part, label, text in rows if text.strip()
    ]


def family_safety_rows(content: FamilySafetyPlanContent) -> list[tuple[str, str, LazyString, str]]:
    """Every translatable part of the family safety plan: (row id, part, label, the worker's English)."""
    rows: list[tuple[str, str, LazyString, str]] = []
    for s in content.timeline:
        rows += [(s.id, "week", _l("Week"), s.week), (s.id, "task", _l("Task: what, who and why"), s.task),
                 (s.id, "monitoring", _l("Meetings and monitoring"), s.monitoring), (s.id, "changes", _l("Changes to arrangements"), s.changes)]
    for p in content.network:
        rows += [(p.id, "relationship", _l("Relationship"), p.relationship), (p.id, "how_to_reach", _l("How to reach them"), p.how_to_reach)]
    for r in content.rules:
        rows += [(r.id, "when", _l("When this happens"), r.when), (r.id, "who_does_what", _l("Who does what"), r.who_does_what)]
    for t in content.tasks:
        rows += [(t.id, "what", _l("What will you do?"), t.what), (t.id, "who", _l("Who will do this?"), t.who)]
        rows += [(u.id, "text", _l("Progress update"), u.text) for u in t.progress]
    return [row for row in rows if row[3].strip()]


def family_safety_blocks(family: Family, content: FamilySafetyPlanContent, translations: FamilyTranslations) -> list[Block]:
    """The family safety plan's blocks, each with the languages of those who read it: parents and carers all of them,
    a network member the rows that name them."""
    # Translators: heading on the Translations page: the safety plan for the whole family and its network.
    group = _l("Family safety plan")
    parts = {m.id: p for m in family.members if (p := policy.family_safety_parts_for(content, m)) is not None}
    readers_ids = {member_id: p.ids() for member_id, p in parts.items()}
    blocks = []
    for row_id, part, label, text in family_safety_rows(content):
        languages = _languages(m for m in family.members if row_id in readers_ids.get(m.id, set()))
        ref = family_safety_block(row_id, part)
        blocks.append(Block(ref, group, label, text, languages, translations.status(ref, text, languages)))
    return blocks


def worry_blocks(family: Family, worry: Worry, translations: FamilyTranslations) -> list[Block]:
    readers = [m for m in family.members if m.id in {link.member_id for link in worry.applies_to} and not m.restricted]
    languages = _languages(readers)
    parts = (("wording", _l("Worry"), worry.wording), ("meaning_0", _l("What 0 means"), worry.meaning_0),
             ("meaning_10", _l("What 10 means"), worry.meaning_10))
    return [
        # Translators: heading on the Translations page: the family's worries (from the 0-10 worry scores).
        Block(worry_block(worry.id, part), _l("Worries"), label, text, languages, translations.status(worry_block(worry.id, part), text, languages))
        for part, label, text in parts if text.strip()
    ]


def meeting_messages(family: Family) -> list[MeetingMessage]:
    members = [m.id for m in family.members]
    return list(db_session().scalars(select(MeetingMessage).where(MeetingMessage.member_id.in_(members)).order_by(MeetingMessage.id)))


def replies(family: Family) -> list[EntryReply]:
    return list(db_session().scalars(
        select(EntryReply).join(Entry).where(Entry.family_id == family.id).order_by(EntryReply.id)
    ))


def message_blocks(family: Family, translations: FamilyTranslations) -> list[Block]:
    members = {m.id: m for m in family.members}
    blocks = []
    for message in meeting_messages(family):
        member = members[message.member_id]
        ref, languages = meeting_block(message.id), _languages([member])
        label = _l("Meeting message to %(name)s", name=member.display_name)
        # Translators: heading on the Translations page: the worker's meeting messages and replies to family members.
        blocks.append(Block(ref, _l("Messages and replies"), label, message.body, languages, translations.status(ref, message.body, languages)))
    for reply in replies(family):
        member = members[reply.entry.member_id]
        ref, languages = reply_block(reply.id), _languages([member])
        # Translators: label on the Translations page: the worker's reply to what a family member sent; %(name)s is the family member.
        label = _l("Reply to %(name)s", name=member.display_name)
        blocks.append(Block(ref, _l("Messages and replies"), label, reply.body, languages, translations.status(ref, reply.body, languages)))
    return blocks


def review_share_blocks(family: Family, translations: FamilyTranslations) -> list[Block]:
    """The plain-language versions of the family's final reviews, each read by the young people or the parents."""
    shares = db_session().scalars(
        select(ReviewShare).join(Review, Review.id == ReviewShare.review_id).where(Review.family_id == family.id).order_by(ReviewShare.review_id)
    )
    readers = policy.review_share_readers(family)
    labels = {
        ("happened", "young_person"): _l("What happened at my review · Young person's version"),
        ("happened", "parent"): _l("What happened at my review · Parent version"),
        ("plan_changes", "young_person"): _l("What changed in the plan · Young person's version"),
        ("plan_changes", "parent"): _l("What changed in the plan · Parent version"),
    }
    blocks = []
    for share in shares:
        # Translators: heading on the Translations page: one review in plain language for the family; %(number)s is its number.
        group = _l("Review %(number)s for the family", number=share.review_id)
        for part in SHARE_FIELDS:
            for version in SHARE_VERSIONS:
                text = share.text(part, version)
                if not text.strip():
                    continue
                ref = review_share_block(share.review_id, part, version)
                languages = _languages(m for m in readers if m.is_young_person == (version == "young_person"))
                blocks.append(Block(ref, group, labels[(part, version)], text, languages, translations.status(ref, text, languages)))
    return blocks


def family_blocks(family: Family) -> list[Block]:
    """Every block of the family's words as the worker's editors show them now (drafts included)."""
    translations = for_family(family.id)
    content, _draft = plans.current_plan(family)
    blocks = plan_blocks(family, content, translations)
    for worry in plans.plan_worries(family.id):
        blocks += worry_blocks(family, worry, translations)
    for member in family.members:
        if policy.has_safety_plan(member):
            blocks += safety_blocks(member, plans.current_safety_plan(member), translations)
    blocks += family_safety_blocks(family, family_safety.current(family.id), translations)
    return blocks + message_blocks(family, translations) + review_share_blocks(family, translations)


def family_languages(family: Family) -> list[str]:
    return _languages(family.members)


def missing_for(blocks: Iterable[Block]) -> dict[str, dict[State, int]]:
    """For the publishing warning: per language, how many blocks are not translated, and how many out of date."""
    counts: dict[str, dict[State, int]] = {}
    for block in blocks:
        for status in block.needs_work:
            per = counts.setdefault(status.language, {State.MISSING: 0, State.OUT_OF_DATE: 0})
            per[status.state] += 1
    return counts
