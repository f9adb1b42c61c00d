"""Steps shared by the review and export tests: what a family sends at a known moment, what the worker sees."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from PIL import Image
from sqlalchemy import func, select

from webapp.assessments.models import Assessment, AssessmentSection, AssessmentShare
from webapp.auth.models import User
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember
from webapp.photos.models import Photo
from webapp.reviews.models import Review, ReviewItem
from webapp.worries.models import Worry, WorryMember

from .conftest import FormClient
from .helpers import signed_in, text

HEADINGS = [
    "Who did you see",
    "Purpose of visit",
    "What did you observe",
    "Voice of Child",
    "Parents view",
    "Mapping",
    "Danger statements and safety goals",
    "Voice of the child in the plan",
    "Family safety plan",
    "Scaling: distance travelled from the baseline",
    "Worker analysis",
    "Actions and next steps",
    "Management oversight",
    "The family's comments on the review",
]

# The tests' clock: a summer morning, when UK days and UTC days differ by an hour.
NOW = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
FAMILY_ADDED = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


# Fixtures for the modules that import them: the clock at NOW, the test family, its lead worker.
@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def family(world: dict[str, Any]) -> Family:
    """The test family, known to the service since 1 April."""
    row: Family = world["family"]
    row.created_at = FAMILY_ADDED
    db_session().commit()
    return row


@pytest.fixture
def worker(app: Any, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


def utc(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# --- What the family sends, through their own pages, at a known moment.


def send_entry(app: Any, member: FamilyMember, when: datetime, kind: str = "good_news", **answers: str) -> Entry:
    with time_machine.travel(when, tick=False):
        response = signed_in(app, member.user).submit(f"/my/views/new/{kind}", answers)
    assert response.status_code == 302, text(response)[:800]
    match = re.search(r"/my/views/(\d+)", response.headers["Location"])
    assert match
    entry = db_session().get(Entry, int(match.group(1)))
    assert entry is not None
    return entry


def send_score(app: Any, member: FamilyMember, worry: Worry, when: datetime, score: int) -> None:
    with time_machine.travel(when, tick=False):
        response = signed_in(app, member.user).submit(f"/my/worries/{worry.id}", {"score": str(score)})
    assert response.status_code == 302, text(response)[:800]


def jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    out.seek(0)
    return out


def send_photo(app: Any, member: FamilyMember, when: datetime, caption: str) -> Photo:
    with time_machine.travel(when, tick=False):
        response = signed_in(app, member.user).submit("/my/photos", {"photo": (jpeg(), "baking.jpg"), "caption": caption})
    assert response.status_code == 302, text(response)[:800]
    photo = db_session().scalar(select(Photo).where(Photo.caption == caption))
    assert photo is not None
    return photo


def family_worry(family: Family, wording: str, *members: FamilyMember) -> Worry:
    worry = Worry(
        family_id=family.id,
        wording=wording,
        meaning_0="I am really worried about this",
        meaning_10="This is working well, no worries",
        applies_to=[WorryMember(member_id=m.id) for m in members],
    )
    db_session().add(worry)
    db_session().commit()
    return worry


def shared_assessment(family: Family, parent: FamilyMember, heading: str = "Home life") -> tuple[Assessment, int]:
    """An assessment with one section, shared with one parent. Returns it and the section's id."""
    assessment = Assessment(family_id=family.id, title="Family assessment", sections=[AssessmentSection(position=0, heading=heading, body="Mornings are calmer.")])
    db_session().add(assessment)
    db_session().flush()
    db_session().add(AssessmentShare(assessment_id=assessment.id, member_id=parent.id))
    db_session().commit()
    return assessment, assessment.sections[0].id


def send_comment(app: Any, parent: FamilyMember, assessment: Assessment, section_id: int, when: datetime, words: str, agree: str = "partly") -> None:
    with time_machine.travel(when, tick=False):
        response = signed_in(app, parent.user).submit(f"/my/assessments/{assessment.id}", {f"agree-{section_id}": agree, f"text-{section_id}": words})
    assert response.status_code == 302, text(response)[:800]


# --- What the worker does and sees.


def start_review(worker: FormClient, family: Family, start: str, end: str) -> str:
    response = worker.submit(f"/staff/families/{family.id}/reviews", {"period_start": start, "period_end": end})
    assert response.status_code == 302, text(response)[:800]
    return str(response.headers["Location"])


SUBMIT_COMMENT = "Ready for sign-off: the children's words are all in."
SIGN_OFF_COMMENT = "Signed off: the analysis follows from what the children said."


def submit_for_sign_off(worker: FormClient, review_url: str, comment: str = SUBMIT_COMMENT) -> Any:
    """The worker sends the review to the team manager with a comment."""
    return worker.submit(review_url + "/submit", {"comment": comment}, page=review_url)


def decide(manager: FormClient, review_url: str, comment: str = SIGN_OFF_COMMENT, *, button: str = "sign_off") -> Any:
    """The manager signs the review off (button "sign_off") or returns it ("send_back"), with a comment."""
    return manager.submit(review_url + "/sign-off", {"comment": comment, button: "y"}, page=review_url)


def make_final(app: Any, worker: FormClient, review_url: str, manager: User) -> None:
    """A review made final as it now must be: submitted by the worker, signed off by the team manager."""
    assert submit_for_sign_off(worker, review_url).status_code == 302
    assert decide(signed_in(app, manager), review_url).status_code == 302
    db_session().expire_all()


def default_start_and_end(worker: FormClient, family: Family) -> tuple[str, str]:
    """The period the start form offers."""
    page = worker.get(f"/staff/families/{family.id}/reviews").get_data(as_text=True)
    values = []
    for name in ("period_start", "period_end"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert tag, name
        value = re.search(r'value="([^"]*)"', tag.group(0))
        values.append(value.group(1) if value else "")
    return values[0], values[1]


def label_of(page: str, key: str) -> str:
    """The words beside one tick box on the review page."""
    match = re.search(rf'<label for="item-{re.escape(key)}">(.*?)</label>', page, re.DOTALL)
    assert match, f"no tick box for {key}"
    return html.unescape(match.group(1))


def ticked(page: str) -> set[str]:
    boxes = re.findall(r'<input type="checkbox" name="item" value="([^"]+)"[^>]*>', page)
    checked = re.findall(r'<input type="checkbox" name="item" value="([^"]+)"[^>]*\schecked[^>]*>', page)
    assert set(checked) <= set(boxes)
    return set(checked)


def text_blocks(worker: FormClient, review_url: str) -> list[tuple[str, str]]:
    """The text to paste, as (heading, block) in the order shown."""
    page = worker.get(review_url + "/text").get_data(as_text=True)
    pairs = re.findall(r'<label for="block-\d+">(.*?)</label>\s*<textarea[^>]*>(.*?)</textarea>', page, re.DOTALL)
    return [(html.unescape(title), html.unescape(body)) for title, body in pairs]


def items() -> set[tuple[str, int]]:
    return {(i.source, i.source_id) for i in db_session().scalars(select(ReviewItem))}


def review_count() -> int:
    return db_session().scalar(select(func.count(Review.id))) or 0
