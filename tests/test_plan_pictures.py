"""Words and Pictures: the worker puts pictures beside the young people's words in the plan (shipped ones, or their
own drawing through the photo pipeline); the young person reads each picture with its words; an uploaded picture
reaches only those who read it in their plan."""

from __future__ import annotations

import copy
import html
import io
import re
from typing import Any

import pytest
from flask import Flask
from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.plans.models import PUBLISHED, PlanPicture, PlanVersion
from webapp.plans.records import SCHEMA_VERSION, DangerGoal, PictureRef, PlanContent, PlanSection

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .old_rows import OldRows
from .test_cli_commands import (
    fresh_database,  # a fixture: a new SQLite and PostgreSQL database each
    member_browser,
    run,
)
from .test_plan_records import migrate, revision_before, stored
from .test_plans import plan_form, plan_url, publish

CHILD_WORDS = "Sometimes Mum and Dad shout at night. Everyone wants home to feel calm."
PARENT_WORDS = "Arguments at night are keeping the children awake."
DRAWING_SAYS = "Sam's drawing of Gran's front door"
SECTION = "pictures-section-worried_about"
NOT_A_PICTURE = "That file is not a picture we can use. Please choose a JPEG, PNG, WebP or HEIC file. Nothing was saved."
TOO_BIG = "That picture is too big. Please choose a smaller one. Nothing was saved."


def drawing_png(size: tuple[int, int] = (300, 200)) -> bytes:
    """A drawing as a scanner or a phone's camera makes one: a PNG, with a comment that must not survive."""
    picture = Image.new("RGB", size, (255, 255, 255))
    picture.paste((30, 90, 200), (40, 40, size[0] - 40, size[1] - 40))
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Drawn at 12 Acacia Avenue")
    picture.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def picture_fields(block: str = SECTION, *, shipped: tuple[str, ...] = (), uploaded: tuple[int, ...] = (),
                   upload: bytes | None = None, description: str = "") -> dict[str, Any]:
    fields: dict[str, Any] = {f"{block}-drawn": "1", f"{block}-shipped": list(shipped), f"{block}-uploaded": [str(i) for i in uploaded],
                              f"{block}-description": description}
    if upload is not None:
        fields[f"{block}-upload"] = (io.BytesIO(upload), "drawing.png")
    return fields


def save(worker: FormClient, family: Any, **fields: Any) -> Any:
    data = plan_form(worried_about__young_person=CHILD_WORDS, worried_about__parent=PARENT_WORDS)
    data.update(fields)
    return worker.submit(plan_url(family), data, page=plan_url(family), content_type="multipart/form-data")


def pictures_on(page: str) -> list[tuple[str, str]]:
    """(src, alt) of each picture drawn beside the words of the young person's plan."""
    return [(html.unescape(src), html.unescape(alt)) for src, alt in re.findall(r'<img src="([^"]+)" alt="([^"]*)"[^>]*data-read-alt', page)]


@pytest.fixture
def worker(app: Flask, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


def uploaded_ids(family: Any) -> list[int]:
    db_session().rollback()
    return list(db_session().scalars(select(PlanPicture.id).where(PlanPicture.family_id == family.id).order_by(PlanPicture.id)))


def published_with_pictures(worker: FormClient, world: dict[str, Any]) -> int:
    """The worker puts the home picture and their own drawing beside "what we are worried about", and publishes."""
    family = world["family"]
    response = save(worker, family, **picture_fields(shipped=("home", "worried"), upload=drawing_png((1200, 800)), description=DRAWING_SAYS))
    assert response.status_code == 302, text(response)[:3000]
    publish(worker, family)
    [picture_id] = uploaded_ids(family)
    return picture_id


def test_the_young_person_sees_a_shipped_picture_and_the_workers_drawing_beside_their_words(app, world, worker):
    picture_id = published_with_pictures(worker, world)
    stored_picture = db_session().get(PlanPicture, picture_id)
    assert stored_picture is not None and stored_picture.uploaded_by_id == world["worker_a"].id
    assert stored_picture.mime_type == "image/jpeg" and b"Acacia" not in stored_picture.image, "re-encoded, nothing of the file kept"
    assert (stored_picture.width, stored_picture.height) == (320, 213), "small enough for the young person's page to stay light"

    child = signed_in(app, world["child"].user)
    page = child.get("/my/plan").get_data(as_text=True)
    assert CHILD_WORDS in text(child.get("/my/plan"))
    shown = pictures_on(page)
    assert [alt for _src, alt in shown] == ["A home", "A worried face", DRAWING_SAYS]
    assert shown[0][0].startswith("/static/img/plan/home.svg") and shown[2][0] == f"/plan-pictures/{picture_id}"
    # The picture and its words are one block, read aloud together; the worker's description is in English.
    block = page[page.index('<div class="words-pictures">'):]
    assert block.index("data-read-alt") < block.index(CHILD_WORDS) < block.index("</div>") + len("</div>")
    assert re.search(r'alt="[^"]*drawing of Gran[^"]*" lang="en"', page)
    answer = child.get(f"/plan-pictures/{picture_id}")
    assert answer.status_code == 200 and answer.mimetype == "image/jpeg" and answer.headers["Cache-Control"] == "private, no-store"
    Image.open(io.BytesIO(answer.data)).verify()

    # The parents read their own version: no pictures there.
    parent = signed_in(app, world["parent"].user)
    assert PARENT_WORDS in text(parent.get("/my/plan")) and pictures_on(parent.get("/my/plan").get_data(as_text=True)) == []


def test_the_names_of_the_pictures_are_read_in_the_young_persons_language(app, world, worker):
    published_with_pictures(worker, world)
    child = signed_in(app, world["child"].user)
    child.submit("/language", {"language": "pl", "next": "/my/plan"}, page="/settings")
    page = child.get("/my/plan").get_data(as_text=True)
    alts = [alt for _src, alt in pictures_on(page)]
    assert alts[0] != "A home" and alts[0].strip() and alts[2] == DRAWING_SAYS


def test_pictures_beside_an_action_and_a_safety_goal_in_the_young_peoples_words(app, world, worker):
    family = world["family"]
    db_session().add(PlanVersion(family_id=family.id, number=1, status="draft", content=PlanContent(
        pairs=[DangerGoal("aa11bb22", "Danger", "Goal", "You could get hurt", "", "Home feels calm", "")],
    ).to_json()))
    db_session().commit()
    worker.submit(plan_url(family, "/actions"), {**plan_form(), "what": "Mum goes to a group on Tuesdays", "who": "Pat",
                                                 "by_when": "2026-12-20", "what_young_person": "Mum learns new ways to stay calm"},
                  page=plan_url(family))
    action = PlanContent.from_json(db_session().scalar(select(PlanVersion.content).where(PlanVersion.family_id == family.id))).actions[0]
    editor = worker.get(plan_url(family)).get_data(as_text=True)
    assert f'name="pictures-action-{action.id}-shipped"' in editor and 'name="pictures-goal-aa11bb22-shipped"' in editor
    fields = {**picture_fields(f"pictures-action-{action.id}", shipped=("family",)), **picture_fields("pictures-goal-aa11bb22", shipped=("safe",))}
    fields |= {"pairs-0-row_id": "aa11bb22", "pairs-0-danger": "Danger", "pairs-0-goal": "Goal",
               "pairs-0-danger_young_person": "You could get hurt", "pairs-0-goal_young_person": "Home feels calm"}
    assert save(worker, family, **fields).status_code == 302
    publish(worker, family)

    page = signed_in(app, world["child"].user).get("/my/plan").get_data(as_text=True)
    assert [alt for _src, alt in pictures_on(page)] == ["Safe and looked after", "A family"]
    assert page.index('alt="Safe and looked after"') < page.index("Home feels calm") and page.index('alt="A family"') < page.index("Mum learns new ways")


@pytest.mark.parametrize("upload,message", [(b"GIF89a not really a picture", NOT_A_PICTURE), (None, TOO_BIG), (b"", TOO_BIG)])
def test_a_picture_that_cannot_be_used_gets_a_clear_message_and_changes_nothing(app, world, worker, upload, message):
    family = world["family"]
    if upload is None:  # more pixels than a drawing may have: refused from its header, before it is decoded
        out = io.BytesIO()
        Image.new("1", (4200, 4200)).save(out, "PNG")
        upload = out.getvalue()
    elif upload == b"":  # more bytes than a picture may have: refused before it is opened
        upload = b"\x89PNG" + b"\0" * (10 * 1024 * 1024 + 1)
    response = save(worker, family, **picture_fields(shipped=("home",), upload=upload))
    response.request.environ["wsgi.input"].close()  # the test browser keeps a big upload in a file of its own
    assert response.status_code == 400
    page = text(response)
    assert message in page and CHILD_WORDS in page, "the words typed are still there"
    db_session().rollback()
    assert uploaded_ids(family) == []
    assert db_session().scalar(select(func.count()).select_from(PlanVersion).where(PlanVersion.family_id == family.id)) == 0


def test_the_published_version_keeps_its_pictures_whatever_the_draft_does_next(app, world, worker):
    family = world["family"]
    picture_id = published_with_pictures(worker, world)
    # The worker takes the pictures out of the draft and changes the words.
    assert save(worker, family, **picture_fields(), worried_about__young_person="New words for the next version").status_code == 302
    child = signed_in(app, world["child"].user)
    page = child.get("/my/plan").get_data(as_text=True)
    assert [alt for _src, alt in pictures_on(page)] == ["A home", "A worried face", DRAWING_SAYS]
    assert child.get(f"/plan-pictures/{picture_id}").status_code == 200
    first = db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.number == 1))
    assert first is not None and PlanContent.from_json(first.content).sections["worried_about"].pictures == [
        PictureRef(shipped="home"), PictureRef(shipped="worried"), PictureRef(uploaded=picture_id)]

    publish(worker, family)
    assert pictures_on(child.get("/my/plan").get_data(as_text=True)) == []
    assert child.get(f"/plan-pictures/{picture_id}").status_code == 404, "no longer in the plan the child reads"
    # The worker still sees it, on the older version and offered again in the editor.
    assert worker.get(f"/plan-pictures/{picture_id}").status_code == 200
    assert [alt for _src, alt in pictures_on(worker.get(plan_url(family, "/versions/1")).get_data(as_text=True))] == [
        "A home", "A worried face", DRAWING_SAYS]
    assert pictures_on(worker.get(plan_url(family, "/versions/2")).get_data(as_text=True)) == []
    assert f'name="{SECTION}-uploaded" type="checkbox" value="{picture_id}"' in worker.get(plan_url(family)).get_data(as_text=True)


def test_a_page_drawn_without_pictures_leaves_them_as_they_are(app, world, worker):
    family = world["family"]
    published_with_pictures(worker, world)
    assert save(worker, family).status_code == 302  # no picture fields at all: a page from before they existed
    draft = db_session().scalar(select(PlanVersion).where(PlanVersion.family_id == family.id, PlanVersion.status == "draft"))
    assert draft is not None and len(PlanContent.from_json(draft.content).sections["worried_about"].pictures) == 3


# --- Who may fetch an uploaded picture: written out by hand.

OK, NO, SIGNIN = 200, 404, "to /signin"
WHO_MAY_FETCH = {
    "child": OK,               # reads it beside their words
    "young_child": OK,         # the other young person reads the young people's version too
    "parent": NO,              # the parents' version has no pictures
    "restricted_parent": NO,
    "other_child": NO,         # another family's young person
    "lead_worker": OK,
    "manager": OK,
    "team_worker": NO,         # not on this family
    "other_team_worker": NO,
    "signed_out": SIGNIN,
}


def fetcher(app: Flask, world: dict[str, Any], role: str, worker: FormClient) -> FormClient:
    if role == "lead_worker":
        return worker  # already signed in (a second sign-in with the same code would be refused)
    user = {
        "child": world["child"].user, "young_child": world["young_child"].user, "parent": world["parent"].user,
        "restricted_parent": world["restricted_parent"].user, "other_child": world["other_child"].user,
        "lead_worker": world["worker_a"], "manager": world["manager_a"], "team_worker": world["other_worker_a"],
        "other_team_worker": world["worker_b"], "signed_out": None,
    }[role]
    return app.test_client() if user is None else signed_in(app, user)  # type: ignore[return-value]


def check(response: Any, expected: Any) -> None:
    if expected == OK:
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
    elif expected == NO:
        assert response.status_code == 404 and "Page not found" in text(response)
    else:
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin")


@pytest.mark.parametrize("role,expected", list(WHO_MAY_FETCH.items()))
def test_who_may_fetch_an_uploaded_picture(app, world, worker, role, expected):
    picture_id = published_with_pictures(worker, world)
    browser = fetcher(app, world, role, worker)
    check(browser.get(f"/plan-pictures/{picture_id}"), expected)
    check(browser.get("/plan-pictures/987654"), NO if expected != SIGNIN else SIGNIN)
    assert browser.get("/plan-pictures/99999999999999999999").status_code == 404  # beyond the database's integers: not found


def test_a_picture_in_a_draft_or_beside_a_hidden_section_reaches_no_young_person(app, world, worker):
    family = world["family"]
    # Hidden from the younger child: the section's words and its pictures.
    fields = picture_fields(upload=drawing_png(), description=DRAWING_SAYS) | {"worried_about__hidden": [str(world["young_child"].id)]}
    assert save(worker, family, **fields).status_code == 302
    [picture_id] = uploaded_ids(family)
    child = signed_in(app, world["child"].user)
    assert child.get(f"/plan-pictures/{picture_id}").status_code == 404, "a draft is the worker's alone"
    publish(worker, family)
    assert child.get(f"/plan-pictures/{picture_id}").status_code == 200
    young = signed_in(app, world["young_child"].user)
    assert young.get(f"/plan-pictures/{picture_id}").status_code == 404
    assert pictures_on(young.get("/my/plan").get_data(as_text=True)) == []


# --- The records and the migration.


def test_pictures_read_back_the_same_and_older_plans_read_with_none():
    content = PlanContent()
    content.sections["working_well"] = PlanSection("Football", "Gran helps", [], [PictureRef(shipped="happy"), PictureRef(uploaded=7)])
    content.pairs = [DangerGoal("aa11bb22", goal_young_person="Calm", goal_pictures=[PictureRef(shipped="safe")])]
    stored_json = content.to_json()
    assert stored_json["schema_version"] == SCHEMA_VERSION == 4
    assert stored_json["sections"]["working_well"]["pictures"] == [{"shipped": "happy"}, {"uploaded": 7}]
    assert PlanContent.from_json(copy.deepcopy(stored_json)) == content
    assert content.uploaded_pictures() == {7}
    # Anything else in a list of pictures is left out; a picture chosen twice is there once.
    stored_json["sections"]["working_well"]["pictures"] += [{"uploaded": "7"}, {"shipped": ""}, "home", {"uploaded": 7}, {"uploaded": True}]
    assert PlanContent.from_json(stored_json).sections["working_well"].pictures == [PictureRef(shipped="happy"), PictureRef(uploaded=7)]
    old = {"schema_version": 3, "sections": {"working_well": {"young_person": "Football", "parent": "Gran", "hidden_from": []}},
           "actions": [{"id": "0badcafe", "what": "Group", "who": "Pat", "by_when": None, "progress": []}],
           "pairs": [{"id": "aa11bb22", "danger": "D", "goal": "G"}]}
    read = PlanContent.from_json(old)
    assert read.sections["working_well"].pictures == read.actions[0].pictures == read.pairs[0].goal_pictures == []


OLD_V3: dict[str, Any] = {
    "schema_version": 3,
    "sections": {"worried_about": {"young_person": "Shouting at night", "parent": "Arguments", "hidden_from": [7]}},
    "actions": [{"id": "0badcafe", "what": "Group", "what_young_person": "Mum goes to a group", "who": "Pat", "by_when": "2026-03-20",
                 "progress": [{"id": "1badcafe", "date": "2026-02-01", "text": "Went twice"}]}],
    "actions_hidden_from": [], "next_review": None, "next_taf": None, "worries": [],
    "mapping": {"past_harm": "Harm", "complicating_factors": "", "existing_strengths": "", "existing_safety": "", "next_steps": "",
                "genogram_date": None, "present": [], "absent": []},
    "pairs": [{"id": "aa11bb22", "danger": "D", "goal": "G", "danger_young_person": "d", "danger_parent": "", "goal_young_person": "g",
               "goal_parent": ""}],
    "pairs_hidden_from": [], "voice": [], "voice_hidden_from": [],
}


def test_the_migration_keeps_every_plan_word_for_word_with_no_pictures_yet(fresh_database):
    migrate(fresh_database, "upgrade", revision_before("0019"))
    rows = OldRows(fresh_database)
    people = rows.family()
    rows.add("plan_versions", family_id=people["family"], number=1, status=PUBLISHED, content=copy.deepcopy(OLD_V3))
    rows.close()

    migrate(fresh_database, "upgrade", "0019")
    plan = stored(fresh_database)["plan", 1]
    assert plan["schema_version"] == SCHEMA_VERSION
    assert plan["sections"]["worried_about"]["pictures"] == plan["actions"][0]["pictures"] == []
    assert plan["pairs"][0]["danger_pictures"] == plan["pairs"][0]["goal_pictures"] == []
    unpictured = copy.deepcopy(plan)
    for block in (*unpictured["sections"].values(), *unpictured["actions"]):
        del block["pictures"]
    for pair in unpictured["pairs"]:
        del pair["danger_pictures"], pair["goal_pictures"]
    assert {**unpictured, "schema_version": 3} == OLD_V3, "every word as it was"
    typed = PlanContent.from_json(plan)
    assert {**typed.to_json(), "sections": {}} == {**plan, "sections": {}}

    migrate(fresh_database, "downgrade", revision_before("0019"))
    assert stored(fresh_database)["plan", 1] == OLD_V3


def test_every_shipped_picture_is_small_has_no_words_and_a_name_in_every_language(app):
    from pathlib import Path

    from flask_babel import force_locale

    from webapp.config import LANGUAGES
    from webapp.plans.pictures import SHIPPED

    static = Path(app.static_folder or "")
    assert {p.key for p in SHIPPED} >= {"child", "grown_up", "family", "worker", "home", "school", "phone", "door", "car",
                                         "happy", "sad", "worried", "safe"}
    for picture in SHIPPED:
        svg = (static / picture.file).read_text()
        assert len(svg.encode()) < 1500 and "<text" not in svg and "<script" not in svg and "href" not in svg
    with app.test_request_context():
        for language in LANGUAGES:
            with force_locale(language):
                names = [str(p.label) for p in SHIPPED]
                assert all(names) and len(set(names)) == len(names)
                assert language == "en" or "A car" not in names, language


def test_the_demo_young_people_read_a_words_and_pictures_version_and_the_parents_do_not(app):
    assert run(app, "demo-data", "--quiet").exit_code == 0
    page = member_browser(app, "demo.sam").get("/my/plan").get_data(as_text=True)
    alts = [alt for _src, alt in pictures_on(page)]
    assert len(alts) >= 10 and "A home" in alts and "Gran's house, next door, with its blue door" in alts
    drawing = next(src for src, alt in pictures_on(page) if alt.startswith("Gran's house"))
    assert member_browser(app, "demo.sam").get(drawing).status_code == 200
    assert member_browser(app, "demo.parent").get(drawing).status_code == 404
    assert pictures_on(member_browser(app, "demo.parent").get("/my/plan").get_data(as_text=True)) == []
