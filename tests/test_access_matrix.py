"""Who may open what: every role against every page about one family, written out by hand.

The expected answers below are the rules of the spec (section 1), not the app's own policy code:
staff on the family see it; other staff, and family members on staff pages, get 404; a child's
unshared entry and photo are the child's and their workers' only; signed-out visitors go to
sign-in; staff who have not set up two-step sign-in are sent to set it up and see nothing.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from webapp.audit.models import AuditEvent
from webapp.db import db_session
from webapp.entries import services as entries
from webapp.families.models import ActivationCode
from webapp.photos import services as photos
from webapp.photos.processing import process
from webapp.reviews.models import DRAFT, SUBMITTED, Review, ReviewComment, ReviewShare, ReviewSignOff
from webapp.worries.models import Worry, WorryMember

from . import factories
from .conftest import FormClient, copies
from .helpers import signed_in, text

ENTRY_WORDS = "I scored a goal at football and nobody at home knows yet"
PHOTO_CAPTION = "Our trip to the beach"
MISSING = 999999

# Shorthand for the expected answers.
OK = 200
NO = 404
TOTP = "to /staff/totp"  # a redirect to two-step sign-in set-up, and nothing else
SIGNIN = "to /signin"  # a redirect to the sign-in page

URLS: dict[str, str] = {
    "family": "/staff/families/{family}",
    "new_member": "/staff/families/{family}/members/new",
    "edit_member": "/staff/members/{child}/edit",
    "worries": "/staff/families/{family}/worries",
    "photos": "/staff/families/{family}/photos",
    "plan": "/staff/families/{family}/plan",
    "reviews": "/staff/families/{family}/reviews",
    "scores_csv": "/staff/families/{family}/worry-scores.csv",
    "safety_plan": "/staff/members/{child}/safety-plan",
    "meeting_sheet": "/staff/members/{child}/meeting-sheet",
    "staff_entry": "/staff/entries/{entry}",
    "my_entry": "/my/views/{entry}",
    "photo": "/photos/{photo}",
    "issue_code": "POST /staff/members/{child}/code",
    "edit_worry": "/staff/worries/{worry}/edit",
    "assessments": "/staff/families/{family}/assessments",
    "meeting_message": "/staff/members/{child}/meeting-message",
    "plan_versions": "/staff/families/{family}/plan/versions",
    "translations": "/staff/families/{family}/translations",
}

# fmt: off
#                         family new_mem edit  worries photos plan  reviews csv  safety sheet staff_entry my_entry photo  issue_code edit_worry assess message versions translations
MATRIX: dict[str, tuple[Any, ...]] = {
    "child":              (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    OK,    OK,    NO, NO, NO, NO, NO, NO),
    "parent":             (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "restricted_parent":  (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "other_child":        (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "network":            (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "lead_worker":        (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    NO,    OK,    OK, OK, OK, OK, OK, OK),
    "co_worker":          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    NO,    OK,    OK, OK, OK, OK, OK, OK),
    "team_worker":        (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "team_manager":       (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    NO,    OK,    OK, OK, OK, OK, OK, OK),
    "other_team_worker":  (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "other_team_manager": (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "staff_without_totp": (TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  NO,    NO,    TOTP, TOTP, TOTP, TOTP, TOTP, TOTP),
    "signed_out":         (SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN),
}
# A record that does not exist: the same answer as one the user may not see.
MISSING_MATRIX: dict[str, tuple[Any, ...]] = {
    "child":              (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "parent":             (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "restricted_parent":  (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "other_child":        (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "network":            (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "lead_worker":        (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "co_worker":          (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "team_worker":        (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "team_manager":       (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "other_team_worker":  (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    "other_team_manager": (NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO,    NO, NO, NO, NO, NO, NO),
    # Not yet through two-step set-up: sent there first, whatever the id.
    "staff_without_totp": (TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  NO,    NO,    TOTP, TOTP, TOTP, TOTP, TOTP, TOTP),
}
# fmt: on

assert all(len(row) == len(URLS) for row in (*MATRIX.values(), *MISSING_MATRIX.values()))


def _cases(matrix: dict[str, tuple[Any, ...]]) -> list[Any]:
    return [
        pytest.param(role, name, expected, id=f"{role}-{name}")
        for role, row in matrix.items()
        for name, expected in zip(URLS, row, strict=True)
    ]


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def records(app: Flask, world: dict[str, Any]) -> dict[str, Any]:
    """An entry the child sent (not shared with the family), a photo with it, and the extra staff."""
    return copies.rows_of(__name__ + ".records", lambda: make_records(world))


def make_records(world: dict[str, Any]) -> dict[str, Any]:
    family = world["family"]
    child = world["child"]
    entry, _ = entries.create(child, "good_news", {"what_happened": ENTRY_WORDS, "who_with": "Jo"}, feeling=None, language="en")
    photo = photos.store(child, process(jpeg_bytes()), PHOTO_CAPTION, entry_id=entry.id)
    co_worker = factories.staff(world["team_a"], "worker", name="Co worker A")
    # On the family, but without two-step sign-in: only that keeps them out.
    no_totp = factories.staff(world["team_a"], "worker", name="No code worker", with_totp=False)
    factories.co_worker(family, co_worker)
    factories.co_worker(family, no_totp)
    worry = Worry(family_id=family.id, wording="Shouting at night", meaning_0="0", meaning_10="10", applies_to=[WorryMember(member_id=child.id)])
    db_session().add(worry)
    db_session().commit()
    assert not entry.shared_with_family
    # A grandmother in the family's safety network, with an account of her own.
    network = factories.member(family, "network", name="Grandmother")
    return {"entry": entry, "photo": photo, "worry": worry, "co_worker": co_worker, "staff_without_totp": no_totp, "network": network}


def user_for(role: str, world: dict[str, Any], records: dict[str, Any]) -> Any:
    return {
        "child": world["child"].user,
        "parent": world["parent"].user,
        "restricted_parent": world["restricted_parent"].user,
        "other_child": world["other_child"].user,
        "network": records["network"].user,
        "lead_worker": world["worker_a"],
        "co_worker": records["co_worker"],
        "team_worker": world["other_worker_a"],
        "team_manager": world["manager_a"],
        "other_team_worker": world["worker_b"],
        "other_team_manager": world["manager_b"],
        "staff_without_totp": records["staff_without_totp"],
        "signed_out": None,
    }[role]


def browser_for(app: Flask, role: str, world: dict[str, Any], records: dict[str, Any]) -> FormClient:
    user = user_for(role, world, records)
    if user is None:
        return app.test_client()  # type: ignore[return-value]
    return signed_in(app, user)


def open_url(browser: FormClient, role: str, template: str, ids: dict[str, int]) -> Any:
    method, _, path = template.rpartition(" ")
    url = path.format(**ids)
    if method == "POST":
        # A real form post, with the token a page gave this very browser.
        return browser.submit(url, page="/signin" if role == "signed_out" else "/settings")
    return browser.get(url)


def check(response: Any, expected: Any, family_name: str) -> None:
    if expected == OK:
        assert response.status_code == 200, text(response)[:500]
        return
    body = text(response)
    if expected == NO:
        assert response.status_code == 404
        assert "Page not found" in body
    elif expected == TOTP:
        assert response.status_code == 302
        assert response.headers["Location"] == "/staff/totp"
    else:
        assert expected == SIGNIN
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/signin")
    for secret in (ENTRY_WORDS, PHOTO_CAPTION, family_name):
        assert secret not in body


@pytest.mark.parametrize("role,url,expected", _cases(MATRIX))
def test_who_may_open_what(app, world, records, role, url, expected):
    browser = browser_for(app, role, world, records)
    ids = {"family": world["family"].id, "child": world["child"].id, "entry": records["entry"].id, "photo": records["photo"].id, "worry": records["worry"].id}
    response = open_url(browser, role, URLS[url], ids)
    check(response, expected, world["family"].name)
    if url in ("staff_entry", "my_entry") and expected == OK:
        assert ENTRY_WORDS in text(response)
    if url == "photo" and expected == OK:
        assert response.mimetype == "image/jpeg"
    if url == "issue_code":
        issued = db_session().scalars(select(ActivationCode).where(ActivationCode.member_id == world["child"].id)).all()
        assert len(issued) == (1 if expected == OK else 0)


@pytest.mark.parametrize("role", list(MISSING_MATRIX))
def test_a_record_that_does_not_exist_is_not_found(app, world, records, role):
    browser = browser_for(app, role, world, records)
    ids = {"family": MISSING, "child": MISSING, "entry": MISSING, "photo": MISSING, "worry": MISSING}
    for url, expected in zip(URLS.values(), MISSING_MATRIX[role], strict=True):
        check(open_url(browser, role, url, ids), expected, world["family"].name)


def security_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "webapp.security"]


def test_refused_access_is_written_to_the_security_log(app, world, records, caplog):
    caplog.set_level(logging.INFO, logger="webapp.security")
    family_id = world["family"].id
    entry_id = records["entry"].id

    other_team = signed_in(app, world["worker_b"])
    assert other_team.get(f"/staff/families/{family_id}").status_code == 404
    parent = signed_in(app, world["parent"].user)
    assert parent.get(f"/my/views/{entry_id}").status_code == 404
    assert parent.get(f"/staff/families/{family_id}").status_code == 404

    refused = [message for message in security_log(caplog) if message.startswith("refused")]
    assert any(f'account="{world["worker_b"].id}"' in m and f'record="family:{family_id}"' in m for m in refused)
    assert any(f'account="{world["parent"].user.id}"' in m and f'record="entry:{entry_id}"' in m for m in refused)
    assert any(f'account="{world["parent"].user.id}"' in m and "not staff" in m for m in refused)
    assert len(refused) == 3
    assert all(ENTRY_WORDS not in m for m in security_log(caplog))


def test_an_allowed_view_is_not_logged_as_refused(app, world, records, caplog):
    caplog.set_level(logging.INFO, logger="webapp.security")
    worker = signed_in(app, world["worker_a"])
    assert worker.get(f"/staff/families/{world['family'].id}").status_code == 200
    assert not [m for m in security_log(caplog) if m.startswith("refused")]


def test_staff_views_of_a_family_its_entries_and_photos_are_audited(app, world, records, time_machine):
    viewed_at = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
    time_machine.move_to(viewed_at, tick=False)
    family = world["family"]
    entry = records["entry"]
    photo = records["photo"]
    worker = signed_in(app, world["worker_a"])
    manager = signed_in(app, world["manager_a"])

    assert worker.get(f"/staff/families/{family.id}").status_code == 200
    assert worker.get(f"/staff/entries/{entry.id}").status_code == 200
    assert manager.get(f"/staff/families/{family.id}/photos").status_code == 200
    assert manager.get(f"/photos/{photo.id}").status_code == 200

    events = db_session().scalars(select(AuditEvent).where(AuditEvent.family_id == family.id).order_by(AuditEvent.id)).all()
    seen = {(event.actor_id, event.action, event.target, event.at) for event in events}
    assert (world["worker_a"].id, "family_viewed", "", viewed_at) in seen
    assert (world["worker_a"].id, "entry_viewed", f"entry:{entry.id}", viewed_at) in seen
    assert (world["manager_a"].id, "photos_viewed", "", viewed_at) in seen
    assert (world["manager_a"].id, "photo_viewed", f"photo:{photo.id}", viewed_at) in seen


def test_a_refused_view_leaves_no_audit_event_and_a_member_reading_their_own_entry_is_not_staff_access(app, world, records):
    family = world["family"]
    signed_in(app, world["worker_b"]).get(f"/staff/families/{family.id}")
    signed_in(app, world["manager_b"]).get(f"/staff/entries/{records['entry'].id}")
    assert signed_in(app, world["child"].user).get(f"/my/views/{records['entry'].id}").status_code == 200
    assert db_session().scalars(select(AuditEvent).where(AuditEvent.family_id == family.id)).all() == []


def caseload_names(app: Flask, user: Any, world: dict[str, Any]) -> set[str]:
    page = signed_in(app, user).get("/staff/")
    assert page.status_code == 200
    body = text(page)
    return {family.name for family in (world["family"], world["other_family"], world["family_b"]) if family.name in body}


def test_the_caseload_lists_a_workers_own_families_a_managers_whole_team_and_nothing_of_another_team(app, world, records):
    assert caseload_names(app, world["worker_a"], world) == {"The Test family"}
    assert caseload_names(app, records["co_worker"], world) == {"The Test family"}
    assert caseload_names(app, world["other_worker_a"], world) == {"The Other family"}
    assert caseload_names(app, world["manager_a"], world) == {"The Test family", "The Other family"}
    assert caseload_names(app, world["worker_b"], world) == {"Team B family"}
    assert caseload_names(app, world["manager_b"], world) == {"Team B family"}


def test_a_manager_without_a_team_sees_no_family(app, world):
    manager = world["manager_a"]
    manager.team_id = None
    db_session().commit()
    assert caseload_names(app, manager, world) == set()
    browser = signed_in(app, manager)
    for family in (world["family"], world["family_b"]):
        assert browser.get(f"/staff/families/{family.id}").status_code == 404


def test_a_manager_cannot_change_a_staff_account_of_another_team_and_it_is_logged(app, world, caplog):
    caplog.set_level(logging.INFO, logger="webapp.security")
    target = world["worker_a"]
    browser = signed_in(app, world["manager_b"])
    for action in ("disable", "enable"):
        assert browser.submit(f"/staff/people/{target.id}/{action}", page="/staff/").status_code == 404, action
    db_session().refresh(target)
    assert target.disabled_at is None
    refused = [m for m in security_log(caplog) if m.startswith("refused") and f'record="user:{target.id}"' in m]
    assert len(refused) == 2 and all(f'account="{world["manager_b"].id}"' in m for m in refused)


# --- The family and network safety plan: the family page (parents and carers only) and the staff editor.

FAMILY_SAFETY_WORDS = "Grandma Rose takes Sam to school every day"
FAMILY_SAFETY_URLS = {
    "my_family_safety_plan": "/my/family-safety-plan",
    "editor": "/staff/families/{family}/family-safety-plan",
    "versions": "/staff/families/{family}/family-safety-plan/versions",
    "version": "/staff/families/{family}/family-safety-plan/versions/1",
}
# fmt: off
#                         my page  editor  versions version
FAMILY_SAFETY_MATRIX: dict[str, tuple[Any, ...]] = {
    "child":              (NO,     NO,     NO,     NO),
    "parent":             (OK,     NO,     NO,     NO),
    "restricted_parent":  (NO,     NO,     NO,     NO),
    "other_child":        (NO,     NO,     NO,     NO),
    "lead_worker":        (NO,     OK,     OK,     OK),
    "co_worker":          (NO,     OK,     OK,     OK),
    "team_worker":        (NO,     NO,     NO,     NO),
    "team_manager":       (NO,     OK,     OK,     OK),
    "other_team_worker":  (NO,     NO,     NO,     NO),
    "other_team_manager": (NO,     NO,     NO,     NO),
    "staff_without_totp": (NO,     TOTP,   TOTP,   TOTP),
    "signed_out":         (SIGNIN, SIGNIN, SIGNIN, SIGNIN),
}
# fmt: on


@pytest.mark.parametrize("role", list(FAMILY_SAFETY_MATRIX))
def test_who_may_open_the_family_safety_plan_and_its_editor(app, world, records, role):
    from webapp.plans import family_safety_services as family_safety
    from webapp.plans.family_safety import FamilySafetyPlanContent, SafetyTask

    draft = family_safety.draft(world["family"], world["worker_a"].id)
    draft.content = FamilySafetyPlanContent(tasks=[SafetyTask("t1", FAMILY_SAFETY_WORDS, "Grandma Rose")]).to_json()
    family_safety.publish(draft, world["worker_a"].id)
    db_session().commit()
    browser = browser_for(app, role, world, records)
    for (name, template), expected in zip(FAMILY_SAFETY_URLS.items(), FAMILY_SAFETY_MATRIX[role], strict=True):
        response = open_url(browser, role, template, {"family": world["family"].id})
        check(response, expected, world["family"].name)
        assert (FAMILY_SAFETY_WORDS in text(response)) is (expected == OK and name != "versions"), name


# --- Statements: a complaint (and "Something happened"), sent with "share" ticked by hand, by every role.

COMPLAINT_WORDS = "My worker shouts at me on visits"
# fmt: off
#                         staff_entry my_entry told (in the app)
COMPLAINT_MATRIX: dict[str, tuple[Any, Any, bool]] = {
    "child":              (NO,     OK,     False),
    "parent":             (NO,     NO,     False),
    "restricted_parent":  (NO,     NO,     False),
    "other_child":        (NO,     NO,     False),
    "network":            (NO,     NO,     False),
    "lead_worker":        (OK,     NO,     True),
    "co_worker":          (OK,     NO,     False),
    "team_worker":        (NO,     NO,     False),
    "team_manager":       (OK,     NO,     True),
    "other_team_worker":  (NO,     NO,     False),
    "other_team_manager": (NO,     NO,     False),
    "staff_without_totp": (TOTP,   NO,     False),
    "signed_out":         (SIGNIN, SIGNIN, False),
}
# fmt: on


@pytest.mark.parametrize("kind", ["complaint", "something_happened"])
@pytest.mark.parametrize("role", list(COMPLAINT_MATRIX))
def test_who_may_open_a_complaint_or_what_happened_and_who_is_told(app, world, records, role, kind):
    from webapp.notifications.models import Notification

    words = {"complaint": {"about": COMPLAINT_WORDS}, "something_happened": {"what_happened": COMPLAINT_WORDS}}[kind]
    response = signed_in(app, world["child"].user).submit(f"/my/views/new/{kind}", {**words, "share_with_family": "y"})
    assert response.status_code == 302
    entry_id = int(response.headers["Location"].split("/")[3].split("?")[0])
    browser = browser_for(app, role, world, records)
    staff_entry, my_entry, told = COMPLAINT_MATRIX[role]
    for template, expected in (("/staff/entries/{entry}", staff_entry), ("/my/views/{entry}", my_entry)):
        page = open_url(browser, role, template, {"entry": entry_id})
        check(page, expected, world["family"].name)
        assert (COMPLAINT_WORDS in text(page)) is (expected == OK)
    user = user_for(role, world, records)
    notices = db_session().scalars(select(Notification).where(Notification.entry_id == entry_id)).all()
    is_told = user is not None and any(n.user_id == user.id for n in notices)
    assert is_told is (told and kind == "complaint")


# --- Network members: the family's own pages, by who asks. A network member opens their home, the safety plan
# parts naming them and their settings; everything a young person or parent sends or reads is a 404 for them,
# even a child's entry shared with the family. (A list page that is open shows only what that member may read:
# a child's assessments, and a restricted parent's assessments and shared entries, are empty lists.)

MEMBER_PAGES: dict[str, str] = {
    "home": "/home",
    "settings": "/settings",
    "my_plan": "/my/plan",
    "my_views": "/my/views",
    "new_entry": "/my/views/new/good_news",
    "shared": "/my/shared",
    "shared_entry": "/my/views/{shared}",
    "worries": "/my/worries",
    "photos": "/my/photos",
    "assessments": "/my/assessments",
    "draw": "/my/draw",
    "pictures": "/my/pictures/feel",
    "agree": "POST /my/family-safety-plan/agree",
}
# fmt: off
#                          home settings my_plan my_views new_entry shared shared_entry worries photos assessments draw pictures agree
MEMBER_MATRIX: dict[str, tuple[Any, ...]] = {
    "parent":             (OK,  OK,      OK,     OK,      OK,       OK,    OK,          OK,     OK,    OK,         OK,  OK,      "agreed"),
    "child":              (OK,  OK,      OK,     OK,      OK,       OK,    OK,          OK,     OK,    OK,         OK,  OK,      NO),
    "restricted_parent":  (OK,  OK,      NO,     OK,      OK,       OK,    NO,          OK,     OK,    OK,         OK,  OK,      NO),
    "network":            (OK,  OK,      NO,     NO,      NO,       NO,    NO,          NO,     NO,    NO,         NO,  NO,      "agreed"),
}
# fmt: on


@pytest.mark.parametrize("role", list(MEMBER_MATRIX))
def test_which_family_pages_a_network_member_and_the_others_may_open(app, world, records, role):
    from webapp.plans.family_safety import FamilySafetyPlanContent, NetworkPerson
    from webapp.plans.models import FamilySafetyPlanVersion, SafetyPlanAgreement

    shared_words = "Shared by a child with the whole family"
    shared, _ = entries.create(world["young_child"], "good_news", {"what_happened": shared_words}, feeling=None, language="en")
    shared.shared_with_family = True
    content = FamilySafetyPlanContent(network=[NetworkPerson(id="p1", name="Grandmother", member_id=records["network"].id)])
    version = FamilySafetyPlanVersion(family_id=world["family"].id, number=1, status="published", content=content.to_json())
    db_session().add(version)
    db_session().commit()
    browser = browser_for(app, role, world, records)
    for (name, template), expected in zip(MEMBER_PAGES.items(), MEMBER_MATRIX[role], strict=True):
        if name == "agree":
            response = browser.submit("/my/family-safety-plan/agree", {"version_id": str(version.id)}, page="/settings")
            agreed = db_session().scalar(select(SafetyPlanAgreement).where(SafetyPlanAgreement.member_id == user_for(role, world, records).member.id))
            assert (response.status_code, agreed is not None) == ((302, True) if expected == "agreed" else (404, False)), name
            continue
        response = open_url(browser, role, template, {"shared": shared.id})
        assert response.status_code == expected, name
        if expected == NO:
            assert shared_words not in text(response)


# --- Review sign-off: who may send a review to the manager, and who may sign it off (or return it).

DONE = "done"  # a redirect back to the review, and the step is taken
# fmt: off
#                         submit a draft  sign off a submitted review
SIGN_OFF_MATRIX: dict[str, tuple[Any, Any]] = {
    "child":              (NO,     NO),
    "parent":             (NO,     NO),
    "restricted_parent":  (NO,     NO),
    "other_child":        (NO,     NO),
    "network":            (NO,     NO),
    "lead_worker":        (DONE,   NO),
    "co_worker":          (DONE,   NO),
    "team_worker":        (NO,     NO),
    "team_manager":       (DONE,   DONE),
    "other_team_worker":  (NO,     NO),
    "other_team_manager": (NO,     NO),
    "staff_without_totp": (TOTP,   TOTP),
    "signed_out":         (SIGNIN, SIGNIN),
}
# fmt: on


def _review(world: dict[str, Any], *, submitted: bool) -> Any:
    review = Review(family_id=world["family"].id, period_start=date(2026, 5, 1), period_end=date(2026, 5, 31),
                    status=SUBMITTED if submitted else DRAFT, analysis={"worker_analysis": "Calmer mornings"}, created_by_id=world["worker_a"].id)
    if submitted:
        review.sign_offs.append(ReviewSignOff(step="submitted", by_id=world["worker_a"].id, comment="Please sign off"))
    db_session().add(review)
    db_session().commit()
    return review


@pytest.mark.parametrize("role", list(SIGN_OFF_MATRIX))
def test_who_may_submit_a_review_and_who_may_sign_it_off(app, world, records, role):
    draft, waiting = _review(world, submitted=False), _review(world, submitted=True)
    # A second manager in the team: a manager's own submission goes to them (nobody signs off their own).
    factories.staff(world["team_a"], "manager", name="Second manager A")
    browser = browser_for(app, role, world, records)
    for (review, path, data, status_after, steps_before), expected in zip(
        (
            (draft, "submit", {"comment": "Ready"}, "submitted", 0),
            (waiting, "sign-off", {"comment": "Agreed", "sign_off": "y"}, "final", 1),
        ),
        SIGN_OFF_MATRIX[role],
        strict=True,
    ):
        before = review.status
        url = f"/staff/reviews/{review.id}/{path}"
        response = browser.submit(url, data, page="/signin" if role == "signed_out" else "/settings")
        if expected == DONE:
            assert response.status_code == 302 and response.headers["Location"] == f"/staff/reviews/{review.id}"
        else:
            check(response, expected, world["family"].name)
        db_session().expire_all()
        after = db_session().get_one(Review, review.id)
        assert after.status == (status_after if expected == DONE else before), (role, path)
        assert len(after.sign_offs) == steps_before + (1 if expected == DONE else 0), (role, path)


# --- Statements: a family's chronology, its exports, recording contacts, writing up a visit, the manager's decision.

VISIT_WORDS = "Mum was tired; the children were at the table"
CONTACT_URLS: dict[str, str] = {
    "chronology": "/staff/families/{family}/chronology",
    "chronology_csv": "/staff/families/{family}/chronology.csv",
    "chronology_pdf": "/staff/families/{family}/chronology.pdf",
    "new_contact": "/staff/families/{family}/contacts/new",
    "write_up": "/staff/contacts/{contact}/write-up",
    "disengagement": "/staff/families/{family}/disengagement",
}
# fmt: off
#                         chronology csv    pdf    new    write_up decision
CONTACT_MATRIX: dict[str, tuple[Any, ...]] = {
    "child":              (NO,    NO,    NO,    NO,    NO,    NO),
    "parent":             (NO,    NO,    NO,    NO,    NO,    NO),
    "restricted_parent":  (NO,    NO,    NO,    NO,    NO,    NO),
    "other_child":        (NO,    NO,    NO,    NO,    NO,    NO),
    "network":            (NO,    NO,    NO,    NO,    NO,    NO),
    "lead_worker":        (OK,    OK,    OK,    OK,    OK,    NO),
    "co_worker":          (OK,    OK,    OK,    OK,    OK,    NO),
    "team_worker":        (NO,    NO,    NO,    NO,    NO,    NO),
    "team_manager":       (OK,    OK,    OK,    OK,    OK,    OK),
    "other_team_worker":  (NO,    NO,    NO,    NO,    NO,    NO),
    "other_team_manager": (NO,    NO,    NO,    NO,    NO,    NO),
    "staff_without_totp": (TOTP,  TOTP,  TOTP,  TOTP,  TOTP,  TOTP),
    "signed_out":         (SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN),
}
# fmt: on


@pytest.mark.parametrize("role", list(CONTACT_MATRIX))
def test_who_may_open_a_familys_chronology_and_its_contacts(app, world, records, role):
    from webapp.contacts.models import Contact

    visit = Contact(family_id=world["family"].id, kind="home_visit", happened_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
                    recorded_by_id=world["worker_a"].id, visit_json={"schema_version": 1, "observed": VISIT_WORDS})
    db_session().add(visit)
    db_session().commit()
    browser = browser_for(app, role, world, records)
    for (name, template), expected in zip(CONTACT_URLS.items(), CONTACT_MATRIX[role], strict=True):
        for ids in ({"family": world["family"].id, "contact": visit.id}, {"family": MISSING, "contact": MISSING}):
            response = open_url(browser, role, template, ids)
            shown = expected if ids["family"] != MISSING or expected in (TOTP, SIGNIN) else NO
            if shown == OK and name in ("chronology_csv", "chronology_pdf"):
                assert response.status_code == 200, name
                continue
            check(response, shown, world["family"].name)
            if name in ("chronology", "write_up"):
                assert (VISIT_WORDS in text(response)) is (shown == OK), name


# --- Closing a family: who may open its closure page and record, ask to close, decide, and say goodbye.

CLOSURE_SUMMARY = "We worked on calmer mornings"
# fmt: off
#                         page    ask     decide  print   pdf     goodbye
CLOSURE_MATRIX: dict[str, tuple[Any, ...]] = {
    "child":              (NO,    NO,     NO,     NO,     NO,     OK),
    "parent":             (NO,    NO,     NO,     NO,     NO,     OK),
    "restricted_parent":  (NO,    NO,     NO,     NO,     NO,     OK),
    "other_child":        (NO,    NO,     NO,     NO,     NO,     NO),
    "network":            (NO,    NO,     NO,     NO,     NO,     NO),
    "lead_worker":        (OK,    DONE,   NO,     OK,     OK,     NO),
    "co_worker":          (OK,    DONE,   NO,     OK,     OK,     NO),
    "team_worker":        (NO,    NO,     NO,     NO,     NO,     NO),
    "team_manager":       (OK,    DONE,   DONE,   OK,     OK,     NO),
    "other_team_worker":  (NO,    NO,     NO,     NO,     NO,     NO),
    "other_team_manager": (NO,    NO,     NO,     NO,     NO,     NO),
    "staff_without_totp": (TOTP,  TOTP,   TOTP,   TOTP,   TOTP,   NO),
    "signed_out":         (SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN),
}
# fmt: on


@pytest.mark.parametrize("role", list(CLOSURE_MATRIX))
def test_who_may_ask_to_close_a_family_decide_and_say_goodbye(app, world, records, role):
    from webapp.closure import services as closure_services
    from webapp.closure.models import ClosureRequest

    family = world["family"]
    page, ask, decide, print_page, pdf, goodbye = CLOSURE_MATRIX[role]
    browser = browser_for(app, role, world, records)
    form_page = "/signin" if role == "signed_out" else "/settings"

    check(browser.get(f"/staff/families/{family.id}/closure"), page, family.name)
    check(browser.get(f"/staff/families/{MISSING}/closure"), NO if page == OK else page, family.name)
    response = browser.submit(f"/staff/families/{family.id}/closure", {"summary": CLOSURE_SUMMARY, "reason": "moved_away"}, page=form_page)
    made = db_session().scalar(select(ClosureRequest).where(ClosureRequest.family_id == family.id))
    if ask == DONE:
        assert response.status_code == 302 and made is not None
    else:
        check(response, ask, family.name)
        assert made is None
        made = closure_services.request(family, world["worker_a"], CLOSURE_SUMMARY, "moved_away")
    # Whoever asked, the lead worker's request is the one decided (nobody decides their own).
    made.requested_by_id = world["worker_a"].id
    db_session().commit()
    closure_id = made.id

    for url, expected in ((f"/staff/closures/{closure_id}/print", print_page), (f"/staff/closures/{closure_id}/closure.pdf", pdf)):
        response = browser.get(url)
        if expected == OK:
            assert response.status_code == 200
        else:
            check(response, expected, family.name)
        check(browser.get(url.replace(str(closure_id), str(MISSING))), NO if expected == OK else expected, family.name)

    response = browser.submit(f"/staff/closures/{closure_id}/decide", {"comment": "Agreed", "approve": "y"}, page=form_page)
    db_session().expire_all()
    after = db_session().get_one(ClosureRequest, closure_id)
    if decide == DONE:
        assert response.status_code == 302 and after.status == "approved"
        assert db_session().get_one(type(family), family.id).closed_at is not None
    else:
        check(response, decide, family.name)
        assert after.status == "pending" and db_session().get_one(type(family), family.id).closed_at is None
        response = browser.get("/my/goodbye")
        if goodbye == OK:
            assert response.status_code == 200 and "Saying goodbye" in text(response)
        else:
            check(response, goodbye, family.name)


# --- A final review shared with the family in plain language: who reads it, who comments, who writes it.

SHARED_WORDS = "We talked about calmer mornings"
# fmt: off
#                         read shared   comment    read unshared  worker's page
REVIEW_SHARE_MATRIX: dict[str, tuple[Any, ...]] = {
    "child":              (OK,     DONE,   NO,     NO),
    "parent":             (OK,     DONE,   NO,     NO),
    "restricted_parent":  (NO,     NO,     NO,     NO),
    "other_child":        (NO,     NO,     NO,     NO),
    "network":            (NO,     NO,     NO,     NO),
    "lead_worker":        (NO,     NO,     NO,     OK),
    "co_worker":          (NO,     NO,     NO,     OK),
    "team_worker":        (NO,     NO,     NO,     NO),
    "team_manager":       (NO,     NO,     NO,     OK),
    "other_team_worker":  (NO,     NO,     NO,     NO),
    "other_team_manager": (NO,     NO,     NO,     NO),
    "staff_without_totp": (NO,     NO,     NO,     TOTP),
    "signed_out":         (SIGNIN, SIGNIN, SIGNIN, SIGNIN),
}
# fmt: on


def _final_review(world: dict[str, Any], *, shared: bool) -> Review:
    review = Review(family_id=world["family"].id, period_start=date(2026, 5, 1), period_end=date(2026, 5, 31), status="final",
                    analysis={}, created_by_id=world["worker_a"].id, finalised_at=datetime(2026, 6, 2, 10, tzinfo=UTC))
    db_session().add(review)
    db_session().flush()
    db_session().add(ReviewShare(review_id=review.id, happened_young_person=SHARED_WORDS, happened_parent=SHARED_WORDS,
                                 shared_at=datetime(2026, 6, 3, 10, tzinfo=UTC) if shared else None))
    db_session().commit()
    return review


@pytest.mark.parametrize("role", list(REVIEW_SHARE_MATRIX))
def test_who_may_read_and_comment_on_a_shared_review(app, world, records, role):
    shared, unshared = _final_review(world, shared=True), _final_review(world, shared=False)
    browser = browser_for(app, role, world, records)
    read, comment, read_unshared, worker_page = REVIEW_SHARE_MATRIX[role]
    for url, expected in ((f"/my/reviews/{shared.id}", read), (f"/my/reviews/{unshared.id}", read_unshared),
                          (f"/my/reviews/{MISSING}", NO if read == OK else read),
                          (f"/staff/reviews/{shared.id}/for-the-family", worker_page)):
        response = browser.get(url)
        check(response, expected, world["family"].name)
        if url.startswith("/my/"):
            assert (SHARED_WORDS in text(response)) is (expected == OK), url
    for review in (shared, unshared):
        url = f"/my/reviews/{review.id}"
        response = browser.submit(url, {"body": "I liked it"}, page="/signin" if role == "signed_out" else "/settings")
        allowed = comment == DONE and review is shared
        if allowed:
            assert response.status_code == 302 and response.headers["Location"] == url
        else:
            check(response, comment if comment in (TOTP, SIGNIN) else NO, world["family"].name)
        kept = db_session().scalars(select(ReviewComment).where(ReviewComment.review_id == review.id)).all()
        assert [c.body for c in kept] == (["I liked it"] if allowed else []), (role, review is shared)
