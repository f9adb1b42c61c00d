"""The family and network safety plan: written in four steps by the worker, published, read by parents and carers
in their language, by network members only where it names them, and by no one else."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from typing import Any

import docx
import pypdf
import pytest
from flask import Flask
from sqlalchemy import select

from webapp.dataprotection.services import erase_member
from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.plans import family_safety_services as family_safety
from webapp.plans.family_safety import FamilySafetyPlanContent
from webapp.plans.models import FamilySafetyPlanVersion, SafetyPlanVersion
from webapp.plans.records import PlanContent, SafetyPlanContent
from webapp.translations_content import rules

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .review_steps import start_review, text_blocks

NOT_WRITTEN_YET = "Your worker hasn't written the family safety plan yet."
CHANGED = "The family safety plan has changed. Have a look."


@pytest.fixture
def worker(app: Flask, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


def url(family_id: int, rest: str = "") -> str:
    return f"/staff/families/{family_id}/family-safety-plan{rest}"


def draft_content(family_id: int) -> FamilySafetyPlanContent:
    version = db_session().scalar(select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family_id)
                                  .order_by(FamilySafetyPlanVersion.number.desc()).limit(1))
    assert version is not None
    return FamilySafetyPlanContent.from_json(version.content)


def fields(page: str) -> dict[str, Any]:
    """Every box of the editor as drawn (ticked boxes and chosen options too), so a test sends the page back as a browser would."""
    found: dict[str, Any] = {
        m.group(1): m.group(2) for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*type="(?:text|hidden|date)"[^>]*value="([^"]*)"', page)
    }
    found |= {m.group(1): m.group(2) for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', page)}
    for m in re.finditer(r'<input([^>]*type="checkbox"[^>]*)>', page):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        if " checked" in m.group(1):
            found.setdefault(attributes["name"], []).append(attributes["value"])
    for select_name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', options)
        if chosen:
            found[select_name] = chosen.group(1) or chosen.group(2) or ""
    found.pop("csrf_token", None)
    return found


FIRST = {
    "network-0-name": "Grandma Rose",
    "network-0-relationship": "Grandmother",
    "network-0-how_to_reach": "07700 900111",
    "network-0-seen_on": "2026-11-20",
    "network-1-name": "Mr Khan",
    "network-1-relationship": "Neighbour",
    "network-1-how_to_reach": "Number 12, next door",
    "timeline-0-week": "Week 1",
    "timeline-0-task": "Grandma Rose stays on Friday nights so Mum can rest",
    "timeline-0-monitoring": "Worker visits on Monday",
    "timeline-0-changes": "Dad sees the children at Grandma's house only",
    "rules-0-when": "Dad turns up after drinking",
    "rules-0-who_does_what": "Mum does not open the door and rings Mr Khan",
    "tasks-0-what": "Take Sam to school every day",
    "tasks-0-who": "Grandma Rose",
    "tasks-0-by_when": "2026-12-18",
}


def write_plan(worker: FormClient, family_id: int) -> FamilySafetyPlanContent:
    """The worker writes all four steps; a second save names the network people in the rows."""
    response = worker.submit(url(family_id), FIRST)
    assert response.status_code == 302, text(response)[:3000]
    content = draft_content(family_id)
    rose, khan = content.network
    page = text(worker.get(url(family_id)))
    data = fields(page)
    data |= {"timeline-0-people": rose.id, "rules-0-people": khan.id, "tasks-0-people": rose.id,
             "tasks-0-progress": "Sam was at school all week"}
    response = worker.submit(url(family_id), data)
    assert response.status_code == 302, text(response)[:3000]
    return draft_content(family_id)


def publish(worker: FormClient, family_id: int) -> None:
    response = worker.submit(url(family_id, "/publish"), page=url(family_id))
    assert response.status_code == 302, text(response)[:2000]
    assert "The family safety plan is published." in text(worker.get(response.headers["Location"]))


def test_worker_writes_four_steps_and_rows_publishes_and_a_parent_reads_it(app, world, worker):
    family, parent = world["family"], world["parent"]
    reader = signed_in(app, parent.user)
    assert NOT_WRITTEN_YET in text(reader.get("/my/family-safety-plan"))
    assert "Family safety plan" not in text(reader.get("/home")), "no tile before anything is published"

    content = write_plan(worker, family.id)
    assert [p.name for p in content.network] == ["Grandma Rose", "Mr Khan"]
    rose, khan = content.network
    assert content.timeline[0].people == [rose.id] and content.rules[0].people == [khan.id]
    task = content.tasks[0]
    assert task.people == [rose.id] and [u.text for u in task.progress] == ["Sam was at school all week"]
    assert task.progress[0].day is not None, "progress is dated"

    assert NOT_WRITTEN_YET in text(reader.get("/my/family-safety-plan")), "a draft is not shown"
    publish(worker, family.id)
    assert CHANGED in text(reader.get("/home"))
    response = reader.get("/my/family-safety-plan")
    assert response.status_code == 200
    page = text(response)
    for words in ("Grandma Rose", "Grandmother", "Mr Khan", "Week 1", "Grandma Rose stays on Friday nights so Mum can rest",
                  "Worker visits on Monday", "Dad sees the children at Grandma's house only", "When: Dad turns up after drinking",
                  "Mum does not open the door and rings Mr Khan", "Take Sam to school every day", "Sam was at school all week",
                  "Saw the plan on 20 November 2026"):
        assert words in page, words
    assert CHANGED not in text(reader.get("/home")), "opening the plan clears the notice"
    assert "/my/family-safety-plan" in text(reader.get("/home")), "the home page links to it once published"


def test_a_row_completed_with_a_date_and_a_second_version(app, world, worker):
    family = world["family"]
    write_plan(worker, family.id)
    publish(worker, family.id)
    data = fields(text(worker.get(url(family.id))))
    data |= {"tasks-0-completed_on": "2026-12-10", "timeline-0-completed_on": "2026-12-01"}
    assert worker.submit(url(family.id), data).status_code == 302
    content = draft_content(family.id)
    assert str(content.tasks[0].completed_on) == "2026-12-10" and str(content.timeline[0].completed_on) == "2026-12-01"
    assert [u.text for u in content.tasks[0].progress] == ["Sam was at school all week"], "progress is kept, not added twice"
    publish(worker, family.id)
    page = text(signed_in(app, world["parent"].user).get("/my/family-safety-plan"))
    assert "Completed on 10 December 2026" in page
    versions = text(worker.get(url(family.id, "/versions")))
    assert "Version 1" in versions and "Version 2" in versions
    assert "Take Sam to school every day" in text(worker.get(url(family.id, "/versions/1")))


def test_a_stale_row_id_gets_a_message_and_changes_nothing(app, world, worker):
    family = world["family"]
    write_plan(worker, family.id)
    before = draft_content(family.id).to_json()
    data = fields(text(worker.get(url(family.id))))
    data |= {"tasks-0-row_id": "deadbeef", "tasks-0-what": "Changed words", "timeline-0-week": "Week 9"}
    response = worker.submit(url(family.id), data)
    assert response.status_code == 409
    page = text(response)
    assert "Nothing was saved" in page
    assert "Changed words" in page and "Week 9" in page, "the words typed come back"
    assert draft_content(family.id).to_json() == before


def test_who_may_not_read_it(app, world, worker):
    family = world["family"]
    write_plan(worker, family.id)
    publish(worker, family.id)
    for who in ("child", "restricted_parent", "other_child"):
        assert signed_in(app, world[who].user).get("/my/family-safety-plan").status_code == 404, who
    other_parent = factories.member(world["other_family"], "parent", name="Other parent")
    page = signed_in(app, other_parent.user).get("/my/family-safety-plan")
    assert page.status_code == 200 and NOT_WRITTEN_YET in text(page), "another family's parent reads only their own family's"
    assert "Grandma Rose" not in text(page)
    assert app.test_client().get("/my/family-safety-plan").status_code == 302, "signed out: to sign in"
    assert signed_in(app, world["worker_b"]).get(url(family.id)).status_code == 404
    assert CHANGED not in text(signed_in(app, world["restricted_parent"].user).get("/home"))


def test_a_network_member_reads_only_the_parts_naming_them(app, world, worker):
    family = world["family"]
    grandma = factories.member(family, "network", name="Grandma Rose")
    write_plan(worker, family.id)
    data = fields(text(worker.get(url(family.id))))
    data["network-0-member_id"] = str(grandma.id)
    assert worker.submit(url(family.id), data).status_code == 302
    publish(worker, family.id)
    reader = signed_in(app, grandma.user)
    assert CHANGED in text(reader.get("/home")), "a network member the plan names is told"
    page = text(reader.get("/my/family-safety-plan"))
    assert "Take Sam to school every day" in page and "Grandma Rose stays on Friday nights" in page
    assert "Mr Khan" not in page and "Dad turns up after drinking" not in page, "not the rule naming only the neighbour"

    # Erasing the network member unlinks their account from every version; the worker's line about them stays.
    erase_member(grandma, "Asked to be removed")
    db_session().commit()
    for version in db_session().scalars(select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family.id)):
        network = FamilySafetyPlanContent.from_json(version.content).network
        assert [(p.name, p.member_id) for p in network] == [("Grandma Rose", None), ("Mr Khan", None)]


def test_a_polish_parent_reads_the_translation_and_english_with_a_note_when_out_of_date(app, world, worker):
    family = world["family"]
    pat = factories.member(family, "parent", name="Pat", language="pl")
    content = write_plan(worker, family.id)
    task = content.tasks[0]
    ref = f"family-safety:{task.id}:what"
    translations = text(worker.get(f"/staff/families/{family.id}/translations"))
    assert ref in translations or "Take Sam to school every day" in translations
    response = worker.submit(f"/staff/families/{family.id}/translations",
                             {"block": ref, "language": "pl", "text": "Codziennie zaprowadzić Sama do szkoły",
                              "source_hash": rules.source_hash(task.what)},
                             page=f"/staff/families/{family.id}/translations")
    assert response.status_code == 302, text(response)[:2000]
    publish(worker, family.id)
    reader = signed_in(app, pat.user)
    page = text(reader.get("/my/family-safety-plan"))
    assert 'lang="pl"' in page and "Codziennie zaprowadzić Sama do szkoły" in page
    assert "Take Sam to school every day" not in page

    data = fields(text(worker.get(url(family.id))))
    data["tasks-0-what"] = "Take Sam to school every day by 8.45"
    assert worker.submit(url(family.id), data).status_code == 302
    response = worker.submit(url(family.id, "/publish"), page=url(family.id))
    assert "Not everything is translated yet" in text(worker.get(response.headers["Location"]))
    page = text(reader.get("/my/family-safety-plan"))
    assert "Take Sam to school every day by 8.45" in page and "Codziennie" not in page
    assert "not-translated" in page, "with a note that it is in English"


def test_a_network_person_goes_into_a_young_persons_safety_plan_in_one_step(app, world, worker):
    family, child = world["family"], world["child"]
    content = write_plan(worker, family.id)
    rose = content.network[0]
    page = text(worker.get(f"/staff/members/{child.id}/safety-plan"))
    assert "Add someone from the family's network" in page
    response = worker.submit(f"/staff/members/{child.id}/safety-plan/network", {"network-person": rose.id},
                             page=f"/staff/members/{child.id}/safety-plan")
    assert response.status_code == 302
    version = db_session().scalar(select(SafetyPlanVersion).where(SafetyPlanVersion.member_id == child.id))
    assert version is not None
    people = SafetyPlanContent.from_json(version.content).safe_people
    assert [(p.name, p.how_to_reach) for p in people] == [("Grandma Rose", "07700 900111")]
    response = worker.submit(f"/staff/members/{child.id}/safety-plan/network", {"network-person": "gone0000"},
                             page=f"/staff/members/{child.id}/safety-plan")
    assert "That person is not in the family's network any more." in text(worker.get(response.headers["Location"]))


def member_of(world: dict[str, Any], key: str) -> FamilyMember:
    member: FamilyMember = world[key]
    return member


def test_the_review_and_every_export_hold_the_family_safety_plan(app, world, worker):
    family = world["family"]
    write_plan(worker, family.id)
    publish(worker, family.id)
    review = start_review(worker, family, "2026-11-01", "2026-11-30")
    blocks = dict(text_blocks(worker, review))
    held = blocks["Family safety plan"]
    for words in ("Grandma Rose", "Week 1", "Dad turns up after drinking", "Take Sam to school every day", "Sam was at school all week"):
        assert words in held, words
    printable = text(worker.get(review + "/print"))
    document = docx.Document(io.BytesIO(worker.get(review + "/review.docx").data))
    word = "\n".join(p.text for p in document.paragraphs)
    pdf = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(worker.get(review + "/review.pdf").data)).pages)
    for export in (printable, word, pdf):
        for words in ("Family safety plan", "Take Sam to school every day", "Grandma Rose"):
            assert words in export.replace("\n", " "), words


def test_a_parents_data_download_holds_the_plan_they_read_and_a_young_persons_does_not(app, world, worker):
    family = world["family"]
    write_plan(worker, family.id)
    publish(worker, family.id)

    def data_of(member: FamilyMember) -> dict[str, Any]:
        response = signed_in(app, member.user).get("/my/data")
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        response.close()
        loaded: dict[str, Any] = json.loads(archive.read("data.json"))
        assert ("Take Sam to school every day" in archive.read("index.html").decode()) == (loaded["family_safety_plan"] is not None)
        return loaded

    plan = data_of(world["parent"])["family_safety_plan"]
    assert plan["version"] == 1 and plan["tasks"][0]["what"] == "Take Sam to school every day"
    assert data_of(world["child"])["family_safety_plan"] is None


def test_marking_done_and_progress_through_the_services():
    content = FamilySafetyPlanContent.from_json({"timeline": [{"id": "s1", "week": "Week 1", "task": "Visit"}],
                                                 "tasks": [{"id": "t1", "what": "School run", "who": "Gran"}]})
    family_safety.complete(content, "s1", date(2026, 12, 1))
    family_safety.complete(content, "t1", date(2026, 12, 2))
    update = family_safety.add_progress(content, "t1", "  On time all week  ", date(2026, 11, 30))
    assert content.timeline[0].completed_on == date(2026, 12, 1) and content.tasks[0].completed_on == date(2026, 12, 2)
    assert (update.day, update.text) == (date(2026, 11, 30), "On time all week") and update.id not in {"s1", "t1"}
    with pytest.raises(family_safety.RowGone):
        family_safety.complete(content, "gone", None)
    with pytest.raises(family_safety.RowGone):
        family_safety.add_progress(content, "s1", "A timeline step has no progress rows")


def test_the_same_row_id_twice_is_refused_and_changes_nothing(app, world, worker):
    family = world["family"]
    content = write_plan(worker, family.id)
    before = draft_content(family.id).to_json()
    data = fields(text(worker.get(url(family.id))))
    data |= {"tasks-1-row_id": content.tasks[0].id, "tasks-1-what": "A copy"}
    assert worker.submit(url(family.id), data).status_code == 409
    assert draft_content(family.id).to_json() == before


def test_a_parent_reads_the_plans_bottom_lines_first_and_an_unlinked_network_member_reads_nothing(app, world, worker):
    from webapp.plans import services as plans

    family = world["family"]
    plan = plans.draft(family, world["worker_a"].id)
    words = PlanContent.from_json(plan.content)
    words.sections["bottom_lines"].parent = "No hitting, ever."
    plans.save_draft(plan, words)
    plans.publish(plan, world["worker_a"].id)
    db_session().commit()
    assert "No hitting, ever." in text(worker.get(url(family.id))), "step 1 shows the plan's bottom lines"
    write_plan(worker, family.id)
    publish(worker, family.id)
    page = text(signed_in(app, world["parent"].user).get("/my/family-safety-plan"))
    assert page.index("No hitting, ever.") < page.index("Take Sam to school every day")
    stranger = factories.member(family, "network", name="Not linked")
    page = text(signed_in(app, stranger.user).get("/my/family-safety-plan"))
    assert "Nothing in this plan names you yet." in page
    for words_ in ("No hitting, ever.", "Take Sam to school every day", "Grandma Rose", "Mr Khan"):
        assert words_ not in page


def test_a_bad_date_or_an_account_not_offered_is_a_message_and_saves_nothing(app, world, worker):
    family = world["family"]
    for bad in ({"tasks-0-by_when": "next week"}, {"network-0-member_id": str(world["child"].id)}):
        response = worker.submit(url(family.id), {**FIRST, **bad})
        assert response.status_code == 400
        page = text(response)
        assert "Please give a date like" in page or "is not on this page any more" in page
        assert "Grandma Rose" in page, "the words typed come back"
        assert db_session().scalar(select(FamilySafetyPlanVersion).where(FamilySafetyPlanVersion.family_id == family.id)) is None
