"""Gathering a family's voice for a review period, and importing what the worker ticks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import to_utc
from sqlalchemy import Select, and_, func, or_, select, union_all
from sqlalchemy.orm import joinedload

from webapp import policy
from webapp.clock import local_day, local_today
from webapp.db import MAX_ID, db_session
from webapp.entries.models import Entry
from webapp.entries.presenter import present
from webapp.families.models import Family, FamilyMember
from webapp.photos.models import Photo
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.reviews.models import FINAL, Review, ReviewItem
from webapp.reviews.quotes import CommentQuote, EntryQuote, PhotoQuote, Quote, QuotedAnswer, WorryQuote
from webapp.worries.models import Worry, WorryScore


# A period is made of whole days where the service is (TIMEZONE), as the dates on every page are.
def _start_of(day: date) -> datetime:
    return to_utc(datetime.combine(day, time.min)).replace(tzinfo=UTC)


def _end_of(day: date) -> datetime:
    return _start_of(day + timedelta(days=1))


def end_of(day: date) -> datetime:
    """The moment a day ends, in the service's time zone."""
    return _end_of(day)


def default_period(family: Family) -> tuple[date, date]:
    """Since the last review, or since the plan started, or since the family was added; up to today."""
    db = db_session()
    last = db.scalar(
        select(Review).where(Review.family_id == family.id, Review.status == FINAL).order_by(Review.period_end.desc()).limit(1)
    )
    if last is not None:
        start = last.period_end + timedelta(days=1)
    else:
        first_plan = db.scalar(
            select(PlanVersion.published_at)
            .where(PlanVersion.family_id == family.id, PlanVersion.status == PUBLISHED)
            .order_by(PlanVersion.published_at)
            .limit(1)
        )
        start = local_day(first_plan or family.created_at)
    today = local_today()
    return min(start, today), today


@dataclass
class WorrySummary:
    """One person's distance travelled on one worry: first and latest score in the period."""

    worry: Worry
    first: WorryScore
    latest: WorryScore

    @property
    def change(self) -> int:
        return self.latest.score - self.first.score

    @property
    def about(self) -> FamilyMember | None:
        return self.first.about

    @property
    def key(self) -> str:
        return worry_key(self.worry.id, self.first.member_id, self.first.about_member_id)


def worry_key(worry_id: int, member_id: int | None, about_id: int | None) -> str:
    """The name of a tick box for one person's scores on one worry (about one child)."""
    return f"worry-{worry_id}-{member_id}" + (f"-{about_id}" if about_id is not None else "")


@dataclass
class MemberVoice:
    member: FamilyMember
    entries: list[Entry] = field(default_factory=list)
    worries: list[WorrySummary] = field(default_factory=list)
    comments: list[CommentQuote] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    # How many entries the member sent in the period: more than `entries` holds when only the latest were gathered.
    entry_count: int = 0
    # How many of the entries left out are ticked (they stay in the review as they are).
    ticked_left_out: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.entry_count or self.worries or self.comments or self.photos)

    @property
    def entries_left_out(self) -> int:
        return self.entry_count - len(self.entries)


def _assessment_comments(family: Family, start: date, end: date) -> list[dict[str, Any]]:
    try:
        from webapp.assessments.services import comments_in_period
    except ImportError:  # assessments are optional for a review
        return []
    return list(comments_in_period(family.id, _start_of(start), _end_of(end)))


def entry_key(entry_id: int) -> str:
    """The name of an entry's tick box."""
    return f"entry-{entry_id}"


def _entry_ids(keys: Collection[str]) -> list[int]:
    """The entries named by tick boxes' keys (a key naming no possible entry names none)."""
    numbers = (key.removeprefix("entry-") for key in keys if key.startswith("entry-"))
    return sorted({int(number) for number in numbers if number.isascii() and number.isdigit() and int(number) <= MAX_ID})


def gather(
    family: Family,
    start: date,
    end: date,
    *,
    latest: int | None = None,
    keep: Collection[str] = (),
    whole: int | None = None,
    ticked: Collection[str] | Select[int] = (),
) -> list[MemberVoice]:
    """Everything each member sent in the period, ready for the worker to tick.

    With `latest`, only each member's latest entries are gathered (and the counts of all of them),
    with the entries named in `keep` and every entry of the member `whole`: a long period's
    thousands of entries are not all loaded to draw a page that shows a few. Of the entries named
    in `ticked` (the ticked boxes' keys, or a statement selecting the ticked entries' ids, such as
    `ticked_entries(review)`), those left out are only counted, per member.
    """
    db = db_session()
    voices = {m.id: MemberVoice(m) for m in family.members}
    window = (_start_of(start), _end_of(end))
    in_period = (Entry.family_id == family.id, Entry.created_at >= window[0], Entry.created_at < window[1])
    order = (Entry.created_at, Entry.id)
    if latest is None:
        entries = list(db.scalars(select(Entry).where(*in_period).order_by(*order)))
        for entry in entries:
            voices[entry.member_id].entry_count += 1
    else:
        # Each member's latest (by the index on member and time, newest first, stopping at `latest`; the
        # members are the family's), the kept ones and every one of the member asked for, loaded in one
        # statement; their counts in another.
        newest_first = (Entry.created_at.desc(), Entry.id.desc())
        parts = []
        for member_id in voices:
            mine = (
                select(Entry.id)
                .where(Entry.member_id == member_id, Entry.created_at >= window[0], Entry.created_at < window[1])
                .order_by(*newest_first)
            )
            parts.append(select((mine if member_id == whole else mine.limit(latest)).subquery().c.id))
        if kept := _entry_ids(keep):
            parts.append(select(Entry.id).where(*in_period, Entry.id.in_(kept)))
        wanted = union_all(*parts).subquery()
        entries = list(db.scalars(select(Entry).where(Entry.id.in_(select(wanted.c.id))).order_by(*order))) if parts else []
        # Each member's entries in the period, and of them the ticked ones not listed, counted in one pass.
        named = ticked if isinstance(ticked, Select) else _entry_ids(ticked)
        ticked_left_out = func.count().filter(Entry.id.in_(named), Entry.id.not_in([entry.id for entry in entries]))
        for member_id, count, left_out in db.execute(
            select(Entry.member_id, func.count(), ticked_left_out).where(*in_period).group_by(Entry.member_id)
        ):
            voices[member_id].entry_count = count
            voices[member_id].ticked_left_out = left_out
    for entry in entries:
        voices[entry.member_id].entries.append(entry)
    # Each person's first and latest score on each worry (about each child) in the period: the
    # moments found by the database, then only the scores given at them loaded. The family's voices
    # only: the worker's and the network's scores are in the scaling heading.
    in_window = (WorryScore.created_at >= window[0], WorryScore.created_at < window[1])
    person = (WorryScore.worry_id, WorryScore.member_id, WorryScore.about_member_id)
    ends = (
        select(*person, func.min(WorryScore.created_at).label("first"), func.max(WorryScore.created_at).label("latest"))
        .join(Worry, Worry.id == WorryScore.worry_id)
        .where(Worry.family_id == family.id, WorryScore.member_id.is_not(None), *in_window)
        .group_by(*person)
        .subquery()
    )
    scores = db.scalars(
        select(WorryScore)
        .join(ends, and_(
            WorryScore.worry_id == ends.c.worry_id,
            WorryScore.member_id == ends.c.member_id,
            WorryScore.about_member_id.is_not_distinct_from(ends.c.about_member_id),
            or_(WorryScore.created_at == ends.c.first, WorryScore.created_at == ends.c.latest),
        ))
        .where(*in_window)
        .options(joinedload(WorryScore.worry))
        .order_by(WorryScore.created_at, WorryScore.id)
    )
    by_person: dict[tuple[int, int, int | None], list[WorryScore]] = defaultdict(list)
    for score in scores:
        if score.member_id is not None:
            by_person[(score.worry_id, score.member_id, score.about_member_id)].append(score)
    for (_worry_id, member_id, _about), series in by_person.items():
        voices[member_id].worries.append(WorrySummary(series[0].worry, series[0], series[-1]))
    for comment in _assessment_comments(family, start, end):
        if comment["member_id"] in voices:
            voices[comment["member_id"]].comments.append(comment_quote(comment))
    photos = db.scalars(
        select(Photo)
        .where(Photo.family_id == family.id, Photo.created_at >= window[0], Photo.created_at < window[1])
        .order_by(Photo.created_at)
    )
    for photo in photos:
        voices[photo.member_id].photos.append(photo)
    # Network members send nothing: a review gathers the young people's and parents' voices only.
    return [voice for voice in voices.values() if policy.counts_as_family(voice.member)]


def entry_quote(entry: Entry) -> EntryQuote:
    """An entry as it will stand in the review: the child's own words, and the language they used."""
    # A review takes photos in as items of their own, so a quote needs none (and asks for none).
    shown = present(entry, photos=())
    return EntryQuote(
        kind=shown.kind,
        title=shown.title,
        language=shown.language,
        created_at=shown.created_at,
        feeling=shown.feeling.key if shown.feeling else None,
        answers=tuple(QuotedAnswer(answer.question, answer.answer, answer.sentence) for answer in shown.answers),
        done_together_with=shown.done_together_with,
    )


def worry_quote(summary: WorrySummary) -> WorryQuote:
    return WorryQuote(
        worry=summary.worry.wording,
        danger_statement=summary.worry.danger_statement,
        first=summary.first.score,
        first_at=summary.first.created_at,
        latest=summary.latest.score,
        latest_at=summary.latest.created_at,
        about=summary.about.display_name if summary.about else None,
        about_id=summary.first.about_member_id,
    )


def comment_quote(comment: Mapping[str, Any]) -> CommentQuote:
    """A comment on an assessment, as the assessments give it for a period, as it will stand in the review."""
    return CommentQuote(
        id=comment["id"],
        member_id=comment["member_id"],
        assessment_title=comment["assessment_title"],
        section_heading=comment["section_heading"],
        agree=comment["agree"],
        agree_label=comment["agree_label"],
        text=comment["text"],
        language=comment["language"],
        updated_at=comment["updated_at"],
    )


def photo_quote(photo: Photo) -> PhotoQuote:
    return PhotoQuote(caption=photo.caption, created_at=photo.created_at, photo_id=photo.id)


def _item(member_id: int, source_id: int, quote: Quote) -> ReviewItem:
    return ReviewItem(member_id=member_id, source=quote.source, source_id=source_id, quote=quote.to_json())


def import_items(review: Review, voices: list[MemberVoice], chosen: set[str]) -> None:
    """Replace the review's imported items with those ticked (keys like "entry-12")."""
    review.items.clear()
    db_session().flush()
    for voice in voices:
        member_id = voice.member.id
        for entry in voice.entries:
            if entry_key(entry.id) in chosen:
                review.items.append(_item(member_id, entry.id, entry_quote(entry)))
        for summary in voice.worries:
            if summary.key in chosen:
                review.items.append(_item(member_id, summary.worry.id, worry_quote(summary)))
        for comment in voice.comments:
            if f"comment-{comment.id}" in chosen:
                review.items.append(_item(member_id, comment.id, comment))
        for photo in voice.photos:
            if f"photo-{photo.id}" in chosen:
                review.items.append(_item(member_id, photo.id, photo_quote(photo)))


def chosen_after_save(before: set[str], ticked: set[str], voices: list[MemberVoice], listed_entries: str | None) -> set[str]:
    """What is chosen once the review page is saved: the boxes it showed as they were sent, the others as before.

    The page lists every worry, comment and photo, and the entries named in `listed_entries` (their
    ids, space-separated); a page that does not say which entries it listed listed them all.
    `voices` must hold every worry, comment and photo of the period.
    """
    if listed_entries is None:
        return set(ticked)
    shown = {entry_key(int(number)) for number in listed_entries.split() if number.isascii() and number.isdigit()}
    for voice in voices:
        shown |= {summary.key for summary in voice.worries}
        shown |= {f"comment-{comment.id}" for comment in voice.comments}
        shown |= {f"photo-{photo.id}" for photo in voice.photos}
    return (before - shown) | (ticked & shown)


def ticked_entries(review: Review) -> Select[int]:
    """The ids of the entries a review holds, as a statement (a review may hold thousands)."""
    return select(ReviewItem.source_id).where(ReviewItem.review_id == review.id, ReviewItem.source == "entry")


def chosen_keys(review: Review, entries: Collection[int] | None = None) -> set[str]:
    """The tick boxes of what the review holds; with `entries`, of those entries only (the ones a page lists)
    and everything else it holds. Only worry items' quotes are read (they say which child the scores are
    about): a review of thousands of entries is not loaded to name its boxes."""
    db = db_session()
    in_review = ReviewItem.review_id == review.id
    named = select(ReviewItem.source, ReviewItem.source_id).where(in_review, ReviewItem.source != "worry")
    if entries is not None:
        named = named.where(or_(ReviewItem.source != "entry", ReviewItem.source_id.in_(sorted(set(entries)))))
    keys = {f"{source}-{source_id}" for source, source_id in db.execute(named)}
    for item in db.scalars(select(ReviewItem).where(in_review, ReviewItem.source == "worry")):
        quote = item.quoted
        keys.add(worry_key(item.source_id, item.member_id, quote.about_id if isinstance(quote, WorryQuote) else None))
    return keys


def used_in_reviews(entry_ids: list[int]) -> dict[int, list[Review]]:
    """For staff: which reviews each entry was imported into ("used in review on <date>")."""
    if not entry_ids:
        return {}
    rows = db_session().execute(
        select(ReviewItem.source_id, Review)
        .join(Review, Review.id == ReviewItem.review_id)
        .where(ReviewItem.source == "entry", ReviewItem.source_id.in_(entry_ids))
        .order_by(Review.created_at)
    ).all()
    used: dict[int, list[Review]] = defaultdict(list)
    for entry_id, review in rows:
        used[entry_id].append(review)
    return dict(used)


def latest_meeting_entry(member: FamilyMember) -> Entry | None:
    return db_session().scalar(
        select(Entry).where(Entry.member_id == member.id, Entry.kind == "meeting").order_by(Entry.created_at.desc(), Entry.id.desc()).limit(1)
    )


def items_by_member(review: Review) -> dict[int, dict[str, list[ReviewItem]]]:
    grouped: dict[int, dict[str, list[ReviewItem]]] = defaultdict(lambda: defaultdict(list))
    for item in review.items:
        grouped[item.member_id][item.source].append(item)
    return grouped
