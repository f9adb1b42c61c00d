"""Done together: the worker's own device shows one family member's pages and nothing else, what is sent
is the member's and says it was done together with the worker, and only the worker's password ends it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.db import db_session, utcnow
from webapp.entries.models import Entry
from webapp.families import services as family_services
from webapp.photos.models import Photo
from webapp.reviews.models import Review

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .test_api import bearer, make_token
from .test_drawings import drawing_png

WRONG = "That is not the right password."


def start_together(app: Flask, worker: Any, member: Any) -> FormClient:
    device = signed_in(app, worker)
    response = device.submit(f"/staff/members/{member.id}/together", page=f"/staff/families/{member.family_id}")
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    return device


@pytest.fixture
def device(app: Flask, world: dict[str, Any]) -> FormClient:
    """Worker A's phone, doing it together with the young child."""
    return start_together(app, world["worker_a"], world["young_child"])


def send(device: FormClient, kind: str = "good_news", **answers: str) -> Entry:
    response = device.submit(f"/my/views/new/{kind}", answers)
    assert response.status_code == 302, text(response)[:500]
    match = re.search(r"/my/views/(\d+)", response.headers["Location"])
    assert match
    entry = db_session().get(Entry, int(match.group(1)))
    assert entry is not None
    return entry


def test_the_device_shows_the_members_own_pages_and_no_staff_navigation(device, world):
    page = text(device.get("/home"))
    assert "Hello Young child" in page
    assert "You are doing this together with Worker A." in page
    for staff_link in ('href="/staff/', "Inbox", "My families", "Settings", "Sign out"):
        assert staff_link not in page
    assert 'href="/together/leave"' in page and 'id="quick-exit"' in page
    assert device.get("/my/views").status_code == 200 and device.get("/my/draw").status_code == 200


def _arguments(world: dict[str, Any], records: dict[str, int]) -> dict[str, Any]:
    return {
        "family_id": world["family"].id, "member_id": world["child"].id, "entry_id": records["entry"], "review_id": records["review"],
        "assessment_id": records["assessment"], "worry_id": records["worry"], "photo_id": records["photo"], "action_id": "a1",
        "number": 1, "kind_key": "good_news", "code": "ABCD-EFGH", "filename": "css/app.css", "token_id": records["token"],
        "account_id": world["worker_a"].id, "contact_id": records["contact"], "picture_id": 1, "closure_id": 1,
        "kind": "review-comment", "source_id": 1,
    }


def _records(app: Flask, world: dict[str, Any]) -> dict[str, int]:
    """Something of every kind to ask for: another member's entry (shared with the family) and photo, a review, a worry."""
    from webapp.api.models import ApiToken
    from webapp.assessments.models import Assessment
    from webapp.contacts.models import Contact
    from webapp.worries.models import Worry

    other = signed_in(app, world["child"].user)
    other.submit("/my/views/new/good_news", {"what_happened": "Sibling's secret", "share_with_family": "y"})
    other.submit("/my/photos", {"photo": (drawing_png(), "p.png"), "caption": "Sibling's photo"})
    entry = db_session().scalars(select(Entry).where(Entry.member_id == world["child"].id)).one()
    photo = db_session().scalars(select(Photo).where(Photo.member_id == world["child"].id)).one()
    review = Review(family_id=world["family"].id, period_start=utcnow().date(), period_end=utcnow().date(), analysis={})
    worry = Worry(family_id=world["family"].id, wording="School", meaning_0="Bad", meaning_10="Good")
    assessment = Assessment(family_id=world["family"].id, title="Assessment")
    contact = Contact(family_id=world["family"].id, kind="home_visit", happened_at=utcnow(), recorded_by_id=world["worker_a"].id)
    db_session().add_all([review, worry, assessment, contact])
    db_session().commit()
    make_token(world)
    token = db_session().scalars(select(ApiToken)).first()
    assert token is not None
    return {"entry": entry.id, "photo": photo.id, "review": review.id, "worry": worry.id, "assessment": assessment.id, "token": token.id,
            "contact": contact.id}


OPEN = {"home.index", "home.member_home", "photos.image", "photos.thumbnail", "plans.plan_picture", "auth.quick_exit", "auth.set_language",
        "pwa.manifest", "pwa.offline", "pwa.service_worker", "static", "together.leave",
        "health.healthz", "health.readyz"}  # a monitor's questions: no page, no data


def test_every_other_page_is_404_whatever_it_is(app, device, world):
    records = _records(app, world)
    arguments = _arguments(world, records)
    tried = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN or (rule.rule.startswith("/my/") and rule.endpoint not in ("entries.shared_with_me", "dataprotection.my_data")):
            continue
        url = rule.build({name: arguments[name] for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = device.get(url) if method == "GET" else device.submit(url, {}, page="/home")
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            tried += 1
    assert tried > 60, "every staff page, settings, sign-in and sign-out, the API, activation"
    # Still doing it together after all that.
    assert "Hello Young child" in text(device.get("/home"))


def test_no_other_members_entries_or_photos(app, device, world):
    records = _records(app, world)
    assert device.get(f"/my/views/{records['entry']}").status_code == 404
    assert device.get(f"/photos/{records['photo']}").status_code == 404
    assert device.get(f"/photos/{records['photo']}/thumbnail").status_code == 404
    assert "Shared with me" not in text(device.get("/home"))
    other_family_entry = send(signed_in(app, world["other_child"].user), what_happened="Other family")
    assert device.get(f"/my/views/{other_family_entry.id}").status_code == 404
    # Without it, the young child would see what their sibling shared.
    assert signed_in(app, world["young_child"].user).get(f"/my/views/{records['entry']}").status_code == 200


def test_what_is_sent_is_the_members_and_says_done_together_everywhere(app, device, world):
    entry = send(device, what_happened="We baked a cake")
    assert entry.member_id == world["young_child"].id and entry.done_together_with_id == world["worker_a"].id
    own_page = text(device.get(f"/my/views/{entry.id}"))
    assert "We baked a cake" in own_page and "Done together with Worker A" in own_page
    staff = signed_in(app, world["manager_a"])
    assert "Done together with Worker A" in text(staff.get("/staff/inbox"))
    assert "Done together with Worker A" in text(staff.get(f"/staff/entries/{entry.id}"))
    # A review quotes it so, and its exports say so.
    day = utcnow().date().isoformat()
    response = staff.submit(f"/staff/families/{entry.family_id}/reviews", {"period_start": day, "period_end": day})
    review_url = response.headers["Location"]
    assert "Done together with Worker A" in text(staff.get(review_url))
    staff.submit(review_url, {"item": [f"entry-{entry.id}"]})
    assert "Done together with Worker A" in text(staff.get(review_url + "/text"))
    assert "Done together with Worker A" in text(staff.get(review_url + "/print"))
    from docx import Document

    docx = Document(io.BytesIO(staff.get(review_url + "/review.docx").data))
    assert any("Done together with Worker A" in p.text for p in docx.paragraphs)
    assert staff.get(review_url + "/review.pdf").data.startswith(b"%PDF")
    # And the API.
    secret = make_token(world)
    body = app.test_client().get("/api/v1/entries", headers=bearer(secret)).get_json()
    assert [e["done_together_with"] for e in body["data"]] == ["Worker A"]


def test_an_entry_sent_alone_is_not_done_together(app, world):
    entry = send(signed_in(app, world["young_child"].user), what_happened="On my own")
    assert entry.done_together_with_id is None
    assert "Done together" not in text(signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}"))


def test_a_drawing_done_together_is_marked_too(device, world):
    response = device.submit("/my/draw", {"drawing": (drawing_png(), "d.png")})
    entry = db_session().scalars(select(Entry)).one()
    assert response.status_code == 302 and entry.kind == "drawing" and entry.done_together_with_id == world["worker_a"].id


def test_leaving_needs_the_workers_password(device, world):
    response = device.submit("/together/leave", {"password": world["young_child"].user and "not-it"})
    assert response.status_code == 400 and WRONG in text(response)
    assert device.get("/staff/inbox").status_code == 404, "still doing it together"
    response = device.submit("/together/leave", {"password": factories.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/families/{world['family'].id}"
    assert device.get("/staff/inbox").status_code == 200, "the worker has their own pages back"
    assert device.get("/together/leave").status_code == 404


def test_too_many_wrong_passwords_sign_the_device_out(device):
    for _ in range(4):
        assert device.submit("/together/leave", {"password": "guess"}).status_code == 400
    response = device.submit("/together/leave", {"password": "guess"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert device.get("/home").headers["Location"].startswith("/signin")
    assert device.get("/staff/inbox").headers["Location"].startswith("/signin")


def test_quick_exit_still_works_and_ends_the_session(device):
    assert device.submit("/quick-exit", page="/home").status_code == 204
    assert device.get("/home").headers["Location"].startswith("/signin")
    assert device.get("/staff/inbox").headers["Location"].startswith("/signin")


def test_a_member_who_never_signed_up_can_do_it_together(app, world):
    member = factories.member(world["family"], "young_person", name="Little one", age_band="8-10", activated=False, language="pl")
    device = start_together(app, world["worker_a"], member)
    page = device.get("/home")
    assert page.status_code == 200 and 'lang="pl"' in text(page)
    assert send(device, what_happened="Hej").member_id == member.id


@pytest.mark.parametrize("who", ["worker_b", "manager_b", "other_worker_a"])
def test_staff_not_on_the_family_cannot_start_it(app, world, who):
    staff = signed_in(app, world[who])
    response = staff.submit(f"/staff/members/{world['young_child'].id}/together", page="/staff/families")
    assert response.status_code == 404
    assert staff.get("/staff/inbox").status_code == 200


def test_family_members_cannot_start_it(app, world):
    member = signed_in(app, world["child"].user)
    assert member.submit(f"/staff/members/{world['young_child'].id}/together", page="/home").status_code == 404


def test_a_closed_family_cannot_be_done_together(app, world):
    world["family"].closed_at = utcnow()
    db_session().commit()
    staff = signed_in(app, world["worker_a"])
    assert staff.submit(f"/staff/members/{world['young_child'].id}/together", page="/staff/families").status_code == 404


def test_the_family_page_offers_it_for_each_member(app, world):
    page = text(signed_in(app, world["worker_a"]).get(f"/staff/families/{world['family'].id}"))
    assert "Do it together with Young child" in page
    assert f'action="/staff/members/{world["young_child"].id}/together"' in page


def test_a_worry_scored_together_says_so_in_the_csv_and_the_api(app, device, world):
    from webapp.worries.models import Worry, WorryMember

    worry = Worry(family_id=world["family"].id, wording="Bedtime", meaning_0="Bad", meaning_10="Good",
                  applies_to=[WorryMember(member_id=world["young_child"].id)])
    db_session().add(worry)
    db_session().commit()
    assert device.submit(f"/my/worries/{worry.id}", {"score": "6"}).status_code == 302
    alone = signed_in(app, world["child"].user)
    worry.applies_to.append(WorryMember(member_id=world["child"].id))
    db_session().commit()
    assert alone.submit(f"/my/worries/{worry.id}", {"score": "3"}).status_code == 302
    staff = signed_in(app, world["worker_a"])
    rows = staff.get(f"/staff/families/{world['family'].id}/worry-scores.csv").data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("member,worry,score,date,done together with,")
    assert sorted(row.split(",")[0:5:4] for row in rows[1:]) == [["Child", ""], ["Young child", "Worker A"]]
    secret = make_token(world)
    body = app.test_client().get(f"/api/v1/families/{world['family'].id}/worry-scores", headers=bearer(secret)).get_json()
    assert sorted((s["score"], s["done_together_with"]) for s in body["data"]) == [(3, None), (6, "Worker A")]


@pytest.mark.parametrize("change", ["taken off the family", "family closed", "account disabled"])
def test_the_device_signs_out_when_the_worker_may_no_longer_do_it(app, device, world, change):
    family = world["family"]
    if change == "taken off the family":
        family_services.change_lead_worker(family, world["other_worker_a"])
    elif change == "family closed":
        family.closed_at = utcnow()
    else:
        world["worker_a"].disabled_at = utcnow()
    db_session().commit()
    response = device.get("/my/views")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert device.get("/home").headers["Location"].startswith("/signin")


def test_with_a_picture_led_child_the_device_shows_their_picture_screens_and_what_is_sent_says_both(app, world):
    six = factories.member(world["family"], "young_person", name="Sunny", age_band="5-7", activated=False)
    device = start_together(app, world["worker_a"], six)
    home = text(device.get("/home"))
    assert 'id="tile-feel"' in home and 'id="tile-draw"' in home and 'href="/together/leave"' in home
    assert 'href="/staff/' not in home
    response = device.submit("/my/pictures/feel", {"feeling": "happy"})
    assert response.status_code == 302
    entry = db_session().scalars(select(Entry).where(Entry.member_id == six.id)).one()
    assert entry.way == "picture" and entry.done_together_with_id == world["worker_a"].id
    page = text(signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}"))
    assert "Made with pictures" in page and "Done together with Worker A" in page
