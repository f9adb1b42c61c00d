"""Data protection: closing families, retention, erasure of a member's data, and "my data" downloads.

Deletion is proven table by table over every table the app has (Base.metadata), so a table added
later is checked too: no row that belonged to the deleted family or member may be left, and no
row left may point at one.
"""

from __future__ import annotations

import html
import io
import json
import secrets
import zipfile
from datetime import date, timedelta
from typing import Any

import time_machine
from PIL import Image
from sqlalchemy import Table, select

from webapp.assessments.models import (
    Assessment,
    AssessmentComment,
    AssessmentSection,
    AssessmentShare,
)
from webapp.audit.models import AuditEvent
from webapp.auth.models import UserSession
from webapp.closure.models import ClosureRequest
from webapp.contacts.models import Contact, DisengagementDecision
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.families import services as family_services
from webapp.families.models import (
    ActivationCode,
    ConsentRecord,
    Family,
    FamilyMember,
)
from webapp.models import Base
from webapp.notifications.models import Notification, OutgoingEmail
from webapp.photos import services as photo_store
from webapp.photos.processing import process
from webapp.plans.models import (
    FamilySafetyPlanVersion,
    PlanPicture,
    PlanVersion,
    SafetyPlanAgreement,
    SafetyPlanVersion,
)
from webapp.reviews.models import MeetingMessage, Review, ReviewComment, ReviewItem, ReviewShare, ReviewSignOff
from webapp.safeguarding.models import SafeguardingDecision
from webapp.translations_content.models import TextTranslation
from webapp.worries.models import Worry, WorryChild, WorryMember, WorryScore

from . import closing, factories
from .conftest import FormClient
from .helpers import signed_in, text

RETENTION_DAYS = 2190
SECRET_TEXT = '<script>alert("hi")</script> Me & my "brother"'

Rows = dict[str, set[Any]]





# --- Every table, table by table.


def _key(table: Table) -> Any:
    columns = list(table.primary_key.columns)
    assert len(columns) == 1, f"{table.name}: the check expects a one-column primary key"
    return columns[0]


def belonging(seeds: Rows) -> Rows:
    """Primary keys, per table, of the seed rows and of every row that points at a row that belongs."""
    found: Rows = {name: set(ids) for name, ids in seeds.items()}
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            key = _key(table)
            for fk in table.foreign_keys:
                targets = found.get(fk.column.table.name)
                if not targets:
                    continue
                ids = set(db_session().scalars(select(key).where(fk.parent.in_(targets))))
                if not ids <= found.setdefault(table.name, set()):
                    found[table.name] |= ids
                    changed = True
    return found


def assert_gone(before: Rows) -> None:
    """No row that belonged is left (audit events stay, detached), and no row left points at one."""
    db_session().expire_all()
    for table in Base.metadata.sorted_tables:
        key = _key(table)
        ids = before.get(table.name, set())
        if ids and table.name != AuditEvent.__tablename__:
            left = set(db_session().scalars(select(key).where(key.in_(ids))))
            assert not left, f"{table.name}: rows {sorted(left)} are still there"
        for fk in table.foreign_keys:
            gone = before.get(fk.column.table.name)
            if gone:
                pointing = set(db_session().scalars(select(key).where(fk.parent.in_(gone))))
                assert not pointing, f"{table.name}.{fk.parent.name}: rows {sorted(pointing)} still point at deleted rows"


def family_seeds(family: Family) -> Rows:
    user_ids = set(db_session().scalars(select(FamilyMember.user_id).where(FamilyMember.family_id == family.id, FamilyMember.user_id.is_not(None))))
    return {"families": {family.id}, "users": user_ids}


def member_seeds(member: FamilyMember) -> Rows:
    return {"family_members": {member.id}, "users": {member.user_id} if member.user_id else set()}


def jpeg_bytes(colour: str = "orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def fill(family: Family, members: list[FamilyMember], worker: Any, co_worker: Any) -> dict[str, Any]:
    """Records of a family in every table: what members send and what workers write about them."""
    db = db_session()
    family_services.add_co_worker(family, co_worker)
    plan = PlanVersion(family_id=family.id, number=1, content={"worried": "The worker's words"}, created_by_id=worker.id)
    review = Review(family_id=family.id, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), created_by_id=worker.id)
    worry = Worry(family_id=family.id, wording="Shouting at night", meaning_0="Really worried", meaning_10="No worries", created_by_id=worker.id)
    assessment = Assessment(family_id=family.id, title="Assessment", created_by_id=worker.id)
    assessment.sections = [AssessmentSection(heading="Home life", body="The worker's words")]
    family_safety_plan = FamilySafetyPlanVersion(family_id=family.id, number=1, content={"rules": [{"when": "Shouting", "who_does_what": "Nan comes"}]},
                                                 created_by_id=worker.id, status="published", published_at=utcnow())
    # Words and Pictures: the worker's own drawing for the young people's version of the plan.
    drawing = PlanPicture(family_id=family.id, uploaded_by_id=worker.id, description="Gran's front door", mime_type="image/png",
                          width=40, height=30, image=jpeg_bytes())
    db.add_all([plan, review, worry, assessment, family_safety_plan, drawing])
    # The chronology: a home visit still to write up (with its reminder), and the manager's decision about disengagement.
    visit = Contact(family_id=family.id, kind="home_visit", happened_at=utcnow(), recorded_by_id=worker.id, visit_json={"who_seen": SECRET_TEXT})
    db.add_all([visit, DisengagementDecision(family_id=family.id, decision=SECRET_TEXT, decided_on=date(2026, 3, 1), decided_by_id=worker.id)])
    db.flush()
    # The review's sign-off steps, and the notice naming the review: they go with the family.
    db.add(ReviewSignOff(review_id=review.id, step="submitted", by_id=worker.id, comment="Ready for sign-off"))
    db.add(ReviewShare(review_id=review.id, happened_young_person=SECRET_TEXT, shared_at=utcnow(), shared_by_id=worker.id))
    db.add(Notification(user_id=worker.id, kind="review_returned", review_id=review.id))
    db.add(Notification(user_id=worker.id, kind="visit_write_up", contact_id=visit.id))
    made: dict[str, Any] = {"review": review, "worry": worry, "entries": {}}
    for member in members:
        assert member.user_id is not None
        entry = Entry(member_id=member.id, family_id=family.id, kind="good_news", answers={"what_happened": f"{member.display_name}: {SECRET_TEXT}"}, language="en", urgent=True)
        own_worry = Worry(family_id=family.id, wording=f"{member.display_name}'s own worry", meaning_0="0", meaning_10="10", owner_member_id=member.id, created_by_id=member.user_id)
        db.add_all([entry, own_worry])
        db.flush()
        made["entries"][member.id] = entry
        photo = photo_store.store(member, process(jpeg_bytes()), f"{member.display_name}'s photo", entry_id=entry.id)
        db.add_all([
            EntryReply(entry_id=entry.id, author_id=worker.id, body=f"Thank you, {member.display_name}"),
            Notification(user_id=worker.id, kind="urgent", entry_id=entry.id),
            OutgoingEmail(recipient=worker.email, subject="Urgent: a family member needs you", body=f"/staff/entries/{entry.id}", entry_id=entry.id),
            Notification(user_id=member.user_id, kind="plan_published"),
            WorryMember(worry_id=worry.id, member_id=member.id),
            WorryChild(worry_id=worry.id, member_id=member.id),
            WorryScore(worry_id=worry.id, member_id=member.id, about_member_id=member.id, score=4, one_point_higher="Less shouting", entry_id=entry.id),
            WorryScore(worry_id=worry.id, member_id=None, about_member_id=member.id, score=5, scorer_kind="network", scorer_name="Gran",
                       scorer_role="Grandmother", recorded_by_id=worker.id),
            WorryScore(worry_id=own_worry.id, member_id=member.id, score=6),
            ReviewItem(review_id=review.id, member_id=member.id, source="entry", source_id=entry.id, quote={"text": SECRET_TEXT}),
            MeetingMessage(member_id=member.id, review_id=review.id, body="What happened at your meeting", created_by_id=worker.id),
            ReviewComment(review_id=review.id, member_id=member.id, body=SECRET_TEXT, language="en"),
            SafetyPlanVersion(member_id=member.id, family_id=family.id, number=1, content={}, created_by_id=worker.id),
            SafetyPlanAgreement(version_id=family_safety_plan.id, member_id=member.id),
            SafeguardingDecision(entry_id=entry.id, actions=["called"], notes=SECRET_TEXT, decided_by_id=worker.id),
            TextTranslation(family_id=family.id, block=f"entry:{entry.id}", language="en", text=SECRET_TEXT, source_hash="0" * 64,
                            translated_by_id=worker.id, interpreter_name="An interpreter"),
            ActivationCode(member_id=member.id, code_hash=secrets.token_hex(32), created_by_id=worker.id, expires_at=utcnow() + timedelta(days=14)),
            ConsentRecord(member_id=member.id, agreed=True, notice_version="2026-11", locale="en"),
            UserSession(token_hash=secrets.token_hex(32), user_id=member.user_id),
            AuditEvent(actor_id=member.user_id, action="my_data_downloaded", family_id=family.id, target=f"member:{member.id}"),
            AuditEvent(actor_id=worker.id, action="photo_viewed", family_id=family.id, target=f"photo:{photo.id}"),
            AssessmentShare(assessment_id=assessment.id, member_id=member.id),
            AssessmentComment(assessment_id=assessment.id, member_id=member.id, section_id=assessment.sections[0].id,
                              section_key=assessment.sections[0].id, agree="partly", text=f"{member.display_name}: {SECRET_TEXT}"),
        ])
    db.commit()
    return made


# --- Closing a family.


def test_the_lead_worker_asks_the_manager_approves_and_the_family_leaves_the_caseload(app, world):
    worker = signed_in(app, world["worker_a"])
    family = world["family"]
    response = closing.ask_to_close(worker, family)
    assert response.status_code == 302
    db_session().refresh(family)
    assert family.closed_at is None  # asking is not closing
    assert "The Test family" in text(worker.get("/staff/"))
    closing.close_family(app, world, family, worker)
    assert family.closed_at is not None
    assert "The Test family" not in text(worker.get("/staff/"))
    page = text(worker.get(f"/staff/families/{family.id}"))
    assert "will be deleted for good on" in page
    assert "Reopen this family" in page

    worker.submit(f"/staff/families/{family.id}/reopen", page=f"/staff/families/{family.id}")
    db_session().refresh(family)
    assert family.closed_at is None
    assert "The Test family" in text(worker.get("/staff/"))
    actions = db_session().scalars(select(AuditEvent.action).where(AuditEvent.family_id == family.id)).all()
    assert {"closure_requested", "closure_approved", "family_closed", "family_reopened"} <= set(actions)


def test_the_team_manager_can_ask_to_close_a_family_and_others_cannot(app, world):
    family = world["family"]
    for outsider in (world["other_worker_a"], world["manager_b"]):
        browser = signed_in(app, outsider)
        response = browser.post(f"/staff/families/{family.id}/closure", data={"csrf_token": browser.csrf_token("/settings"),
                                                                              "summary": "x", "reason": "moved_away"})
        assert response.status_code == 404
    db_session().refresh(family)
    assert family.closed_at is None
    assert db_session().scalar(select(ClosureRequest)) is None

    manager = signed_in(app, world["manager_a"])
    assert closing.ask_to_close(manager, family).status_code == 302
    # A second manager of the team approves: nobody approves their own request.
    second = factories.staff(world["team_a"], "manager", name="Second manager A")
    closure = db_session().scalar(select(ClosureRequest))
    assert closure is not None
    assert closing.approve(manager, closure.id).status_code == 400
    assert closing.approve(signed_in(app, second), closure.id).status_code == 302
    db_session().refresh(family)
    assert family.closed_at is not None


# --- Retention.


def test_retention_deletes_every_record_of_a_family_closed_too_long_ago(app, world):
    app.config["RETENTION_DAYS"] = RETENTION_DAYS
    family, other_family = world["family"], world["other_family"]
    members = [world["parent"], world["child"], world["young_child"], world["restricted_parent"]]
    fill(family, members, world["worker_a"], world["other_worker_a"])
    fill(other_family, [world["other_child"]], world["other_worker_a"], world["worker_a"])
    recent = factories.family(world["team_a"], world["worker_a"], name="The Recently closed family")
    fill(recent, [factories.member(recent, name="Recent child")], world["worker_a"], world["other_worker_a"])

    # The worker asks to close the family today, and the manager approves.
    closing.close_family(app, world, family)
    family_id = family.id
    doomed = belonging(family_seeds(family))
    # Teams and their API tokens belong to the organisation, not to any family.
    missing = {table.name for table in Base.metadata.sorted_tables} - {"teams", "api_tokens"} - {name for name, ids in doomed.items() if ids}
    assert not missing, f"give the test family rows in {sorted(missing)} so retention is proven for them"

    start = utcnow()
    with time_machine.travel(start + timedelta(days=RETENTION_DAYS - 90), tick=False):
        recent.closed_at = utcnow()
        db_session().commit()
    kept = {f.id: belonging(family_seeds(f)) for f in (other_family, recent, world["family_b"])}

    # A day short of the period, nothing goes.
    runner = app.test_cli_runner()
    with time_machine.travel(start + timedelta(days=RETENTION_DAYS - 1), tick=False):
        result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "0 closed families deleted" in result.output
    assert db_session().get(Family, family_id) is not None

    with time_machine.travel(start + timedelta(days=RETENTION_DAYS + 1), tick=False):
        result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "1 closed families deleted" in result.output

    assert_gone(doomed)
    for family_id_kept, rows in kept.items():
        assert belonging(family_seeds(db_session().get_one(Family, family_id_kept))) == rows
    events = db_session().scalars(select(AuditEvent).where(AuditEvent.action == "family_deleted_retention")).all()
    assert [(e.target, e.team_id, e.family_id) for e in events] == [(f"family:{family_id}", world["team_a"].id, None)]
    assert "Test" not in events[0].target + events[0].details
    # The audit log outlives the family: its events are kept, pointing at nothing.
    detached = db_session().scalars(select(AuditEvent).where(AuditEvent.id.in_(doomed["audit_events"]))).all()
    assert detached and all(e.family_id is None for e in detached)


def test_retention_leaves_open_families_alone_however_old(app, world):
    fill(world["family"], [world["child"]], world["worker_a"], world["other_worker_a"])
    before = belonging(family_seeds(world["family"]))
    with time_machine.travel(utcnow() + timedelta(days=RETENTION_DAYS * 3), tick=False):
        result = app.test_cli_runner().invoke(args=["retention"])
    assert "0 closed families deleted" in result.output
    assert belonging(family_seeds(world["family"])) == before


def test_retention_refuses_a_period_of_zero_days(app, world):
    app.config["RETENTION_DAYS"] = 0
    world["family"].closed_at = utcnow() - timedelta(days=5)
    db_session().commit()
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code != 0
    assert "RETENTION_DAYS" in result.output
    assert db_session().get(Family, world["family"].id) is not None


# --- Erasure of one member.


def erase_url(member: FamilyMember) -> str:
    return f"/staff/members/{member.id}/erase"


def test_a_manager_erases_one_members_data_and_the_reason_is_audited(app, world):
    family, child, parent = world["family"], world["child"], world["parent"]
    made = fill(family, [child, parent], world["worker_a"], world["other_worker_a"])
    child_id = child.id
    child_entry, parent_entry = made["entries"][child.id].id, made["entries"][parent.id].id
    child_rows = belonging(member_seeds(child))
    parent_rows = belonging(member_seeds(parent))
    child_browser = signed_in(app, child.user)

    manager = signed_in(app, world["manager_a"])
    page = manager.get(erase_url(child))
    assert page.status_code == 200
    words = text(page)
    assert "This cannot be undone" in words
    assert "1 entry they sent" in words and "1 photo" in words and "3 worry scores" in words
    reason = "Erasure request ref DP-2026-14"
    response = manager.submit(erase_url(child), {"reason": reason})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/families/{family.id}")

    assert_gone(child_rows)
    assert db_session().get(FamilyMember, child_id) is None
    # The interpreter's English of the child's words goes with them; the parent's stays.
    english = set(db_session().scalars(select(TextTranslation.block)))
    assert f"entry:{child_entry}" not in english and f"entry:{parent_entry}" in english
    # Everyone else's records stay, and so does what the worker wrote for the family.
    assert belonging(member_seeds(parent)) == parent_rows
    assert db_session().get(Entry, made["entries"][parent.id].id) is not None
    assert db_session().get(Review, made["review"].id) is not None
    assert db_session().get(Worry, made["worry"].id) is not None
    event = db_session().scalar(select(AuditEvent).where(AuditEvent.action == "member_erased"))
    assert event is not None
    assert (event.details, event.target, event.family_id, event.actor_id) == (reason, f"member:{child_id}", family.id, world["manager_a"].id)
    assert "Child" not in event.target
    # The child was signed in: that session has ended with the account.
    assert child_browser.get("/home").status_code == 302
    audit_page = text(manager.get("/staff/audit"))
    assert f"Reason: {reason}" in audit_page


def test_erasure_without_a_reason_deletes_nothing(app, world):
    child = world["child"]
    fill(world["family"], [child], world["worker_a"], world["other_worker_a"])
    before = belonging(member_seeds(child))
    manager = signed_in(app, world["manager_a"])
    response = manager.submit(erase_url(child), {"reason": "   "})
    assert response.status_code == 400
    assert "Please say why you are deleting this data. Nothing was deleted." in text(response)
    assert belonging(member_seeds(child)) == before
    assert db_session().scalar(select(AuditEvent).where(AuditEvent.action == "member_erased")) is None


def test_only_a_manager_of_the_members_team_can_erase(app, world):
    child = world["child"]
    for user in (world["worker_a"], world["manager_b"]):
        browser = signed_in(app, user)
        assert browser.get(erase_url(child)).status_code == 404
        token = browser.csrf_token("/settings")
        assert browser.post(erase_url(child), data={"csrf_token": token, "reason": "Because"}).status_code == 404
    member_browser = signed_in(app, world["parent"].user)
    assert member_browser.get(erase_url(child)).status_code == 404
    assert db_session().get(FamilyMember, child.id) is not None


def test_the_family_page_offers_erasure_to_managers_only(app, world):
    family = world["family"]
    assert "Delete their data" in text(signed_in(app, world["manager_a"]).get(f"/staff/families/{family.id}"))
    assert "Delete their data" not in text(signed_in(app, world["worker_a"]).get(f"/staff/families/{family.id}"))


# --- My data.


def download(browser: FormClient) -> zipfile.ZipFile:
    response = browser.get("/my/data")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    content = response.data
    response.close()  # as a server does: it closes the file the zip was written to
    return zipfile.ZipFile(io.BytesIO(content))


def test_a_member_downloads_everything_they_sent(app, world):
    child, parent = world["child"], world["parent"]
    made = fill(world["family"], [child, parent], world["worker_a"], world["other_worker_a"])
    shared = made["entries"][child.id]
    shared.shared_with_family = True
    db_session().commit()
    browser = signed_in(app, child.user)
    assert "/my/data" in text(browser.get("/settings"))

    archive = download(browser)
    names = set(archive.namelist())
    assert {"index.html", "data.json"} <= names
    page = archive.read("index.html").decode()
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert html.escape(f"Child: {SECRET_TEXT}", quote=False) in page.replace("&#34;", '"').replace("&#39;", "'")
    assert "Thank you, Child" in page
    assert "Child's photo" in page.replace("&#39;", "'")
    assert "Parent" not in page

    data = json.loads(archive.read("data.json"))
    assert [e["answers"][0]["value"] for e in data["entries"]] == [f"Child: {SECRET_TEXT}"]
    assert data["entries"][0]["replies"][0]["text"] == "Thank you, Child"
    assert sorted(s["score"] for s in data["worry_scores"]) == [4, 6]
    assert len(data["photos"]) == 1
    photo_files = [name for name in names if name.startswith("photos/")]
    assert photo_files == [data["photos"][0]["file"]]
    for name in photo_files:
        content = archive.read(name)
        assert content[:3] == b"\xff\xd8\xff"
        assert Image.open(io.BytesIO(content)).format == "JPEG"
    assert db_session().scalar(
        select(AuditEvent).where(AuditEvent.action == "my_data_downloaded", AuditEvent.actor_id == child.user_id, AuditEvent.target == f"member:{child.id}")
    )


def test_a_download_never_holds_another_members_entries_even_shared_ones(app, world):
    child, parent = world["child"], world["parent"]
    made = fill(world["family"], [child, parent], world["worker_a"], world["other_worker_a"])
    made["entries"][child.id].shared_with_family = True
    db_session().commit()
    parent_browser = signed_in(app, parent.user)
    # The parent may read the child's shared entry in the app, but it is not theirs to download.
    assert f"Child: {SECRET_TEXT}" in text(parent_browser.get(f"/my/views/{made['entries'][child.id].id}"))

    archive = download(parent_browser)
    data = json.loads(archive.read("data.json"))
    everything = archive.read("index.html").decode() + json.dumps(data)
    assert "Child" not in everything
    assert [e["id"] for e in data["entries"]] == [made["entries"][parent.id].id]
    assert [p["entry_id"] for p in data["photos"]] == [made["entries"][parent.id].id]


def test_the_download_is_in_the_members_language(app, world):
    member = factories.member(world["family"], "young_person", name="Ola", language="pl")
    archive = download(signed_in(app, member.user))
    assert '<html lang="pl"' in archive.read("index.html").decode()
    assert json.loads(archive.read("data.json"))["entries"] == []


def test_staff_have_no_my_data_download(app, world):
    assert signed_in(app, world["worker_a"]).get("/my/data").status_code == 404
    assert signed_in(app, world["manager_a"]).get("/my/data").status_code == 404
