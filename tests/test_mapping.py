"""The Signs of Safety mapping in the family plan: the worker's mapping, danger statements paired with safety goals,
and the voice of the child quoted from the young people's own entries."""

from __future__ import annotations

import copy
import html
import io
from datetime import UTC, date, datetime, timezone
from typing import Any

import docx
import pypdf
import pytest
from flask import Flask

from webapp import create_app
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.plans.models import PUBLISHED, PlanVersion
from webapp.plans.records import SCHEMA_VERSION, ChildQuote, DangerGoal, Mapping, PlanContent
from webapp.translations_content import services as translated

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .old_rows import OldRows
from .review_steps import start_review, text_blocks
from .test_cli_commands import fresh_database
from .test_content_translations import translate
from .test_plan_records import migrate, stored
from .test_plans import plan_form, plan_url, publish

DANGER = "Sam may be hurt or frightened if the adults' arguments turn physical at night."
DANGER_YP = "We are worried you could get hurt or scared if grown-ups fight at night."
DANGER_PARENT = "We are worried Sam could be hurt or frightened if arguments at night turn physical."
GOAL = "Pat and Jo settle disagreements calmly, away from the children, for three months."
GOAL_YP = "Grown-ups talk calmly, even when they disagree, and you feel safe at night."
GOAL_PARENT = "Disagreements are talked through calmly, away from the children, for three months."
PRIVATE_WORDS = "I hide under my duvet when they shout"
SHARED_WORDS = "I like it when we all eat together"


@pytest.fixture
def worker(app: Flask, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


def entry(member: Any, words: str, *, shared: bool, when: datetime | None = None) -> Entry:
    row = Entry(
        member_id=member.id, family_id=member.family_id, kind="good_news", language=member.preferred_language,
        shared_with_family=shared, created_at=when or datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
    )
    row.answers = {"what_happened": words}
    db_session().add(row)
    db_session().commit()
    return row


def mapping_form(**extra: Any) -> dict[str, Any]:
    return {**_mapping_form(), **extra}


def _mapping_form() -> dict[str, Any]:
    return plan_form(
        mapping__past_harm="Police were called twice in October after arguments.",
        mapping__complicating_factors="Money worries; Pat's low mood.",
        mapping__existing_strengths="Gran lives next door and helps every day.",
        mapping__existing_safety="The children go to Gran's when arguments start.",
        mapping__next_steps="Referral to the Calmer Homes parenting group.",
        genogram_date="2026-11-10",
        present="Pat (mum)\nGran (network)\n",
        absent="Jo (dad)",
        **{"pairs-0-row_id": "", "pairs-0-danger": DANGER, "pairs-0-danger_young_person": DANGER_YP, "pairs-0-danger_parent": DANGER_PARENT,
           "pairs-0-goal": GOAL, "pairs-0-goal_young_person": GOAL_YP, "pairs-0-goal_parent": GOAL_PARENT},
    )


def draft(family: Any) -> PlanContent:
    db_session().rollback()
    version = db_session().query(PlanVersion).filter_by(family_id=family.id).order_by(PlanVersion.number.desc()).first()
    assert version is not None
    return PlanContent.from_json(version.content)


def save(worker: FormClient, family: Any, data: dict[str, Any]) -> None:
    response = worker.submit(plan_url(family), data, page=plan_url(family))
    assert response.status_code == 302, text(response)[:3000]


# --- The records.


def test_a_full_mapping_reads_back_the_same_and_older_plans_read_with_every_word():
    content = PlanContent(
        mapping=Mapping(past_harm="Harm", complicating_factors="Factors", existing_strengths="Strengths", existing_safety="Safety",
                        next_steps="Steps", genogram_date=date(2026, 11, 10), present=["Pat (mum)"], absent=["Jo (dad)"]),
        pairs=[DangerGoal("aa11bb22", DANGER, GOAL, DANGER_YP, DANGER_PARENT, GOAL_YP, GOAL_PARENT)],
        pairs_hidden_from=[4],
        voice=[ChildQuote("cc33dd44", 9, 3, "Sam", date(2026, 11, 20), "Line one\nLine two", "pl", shared=False, family_may_read=True)],
        voice_hidden_from=[5],
    )
    stored_json = content.to_json()
    assert stored_json["schema_version"] == SCHEMA_VERSION
    assert PlanContent.from_json(copy.deepcopy(stored_json)) == content
    assert content.ids() == {"aa11bb22", "cc33dd44"}

    # Version 2 (and 1, without ids): the five sections stay the family's versions of each heading, nothing moves.
    old = {"schema_version": 2, "sections": {"worried_about": {"young_person": "Shouting", "parent": "Arguments", "hidden_from": [7]},
                                             "needs_to_happen": {"young_person": "Calm", "parent": "Calm evenings", "hidden_from": []}},
           "actions": [{"id": "0badcafe", "what": "Group", "who": "Pat", "by_when": "2026-03-20", "progress": []}],
           "worries": [{"id": 3, "wording": "Shouting", "danger_statement": "Sam could be hurt", "meaning_0": "a", "meaning_10": "b",
                        "is_safety": False, "members": [7]}]}
    for raw in (old, {k: v for k, v in old.items() if k != "schema_version"}):
        read = PlanContent.from_json(copy.deepcopy(raw))
        assert read.sections["worried_about"].parent == "Arguments" and read.sections["worried_about"].hidden_from == [7]
        assert read.sections["needs_to_happen"].young_person == "Calm"
        assert read.worries[0].danger_statement == "Sam could be hurt", "a published version's danger statements are kept"
        assert read.mapping.is_empty() and read.pairs == [] and read.voice == []
        again = PlanContent.from_json(read.to_json())
        assert again == read


# --- The editor.


def test_the_editor_saves_every_part_of_the_mapping_and_the_pairs_keep_their_ids(app, world, worker):
    family = world["family"]
    save(worker, family, mapping_form())
    content = draft(family)
    m = content.mapping
    assert (m.past_harm, m.existing_safety, m.next_steps) == (
        "Police were called twice in October after arguments.", "The children go to Gran's when arguments start.",
        "Referral to the Calmer Homes parenting group.")
    assert m.complicating_factors == "Money worries; Pat's low mood." and m.existing_strengths.startswith("Gran lives")
    assert m.genogram_date == date(2026, 11, 10) and m.present == ["Pat (mum)", "Gran (network)"] and m.absent == ["Jo (dad)"]
    assert len(content.pairs) == 1, "the empty pair rows are dropped"
    pair = content.pairs[0]
    assert (pair.danger, pair.danger_young_person, pair.danger_parent, pair.goal, pair.goal_young_person, pair.goal_parent) == (
        DANGER, DANGER_YP, DANGER_PARENT, GOAL, GOAL_YP, GOAL_PARENT)

    page = html.unescape(text(worker.get(plan_url(family))))
    for words in ("Past harm", "Complicating factors", "Existing strengths", "Existing safety", "Next steps", DANGER, GOAL_PARENT, "Jo (dad)"):
        assert words in page

    # Saved again with a second pair: the first keeps its id; emptied, it goes.
    second = {"pairs-1-row_id": "", "pairs-1-danger": "Second danger", "pairs-1-goal": "Second goal"}
    save(worker, family, mapping_form(**{"pairs-0-row_id": pair.id}, **second))
    content = draft(family)
    assert [p.id for p in content.pairs][0] == pair.id and [p.danger for p in content.pairs] == [DANGER, "Second danger"]
    emptied = {f"pairs-0-{f}": "" for f in ("danger", "danger_young_person", "danger_parent", "goal", "goal_young_person", "goal_parent")}
    save(worker, family, mapping_form(**{"pairs-0-row_id": pair.id, **emptied, "pairs-1-row_id": content.pairs[1].id,
                                          "pairs-1-danger": "Second danger", "pairs-1-goal": "Second goal"}))
    assert [p.danger for p in draft(family).pairs] == ["Second danger"]


def test_a_page_drawn_before_the_mapping_existed_leaves_the_mapping_pairs_and_quotes_as_they_are(app, world, worker):
    family, child = world["family"], world["child"]
    said = entry(child, SHARED_WORDS, shared=True)
    save(worker, family, mapping_form(voice_add=[str(said.id)]))
    before = draft(family)
    quote_id = before.voice[0].id
    save(worker, family, mapping_form(voice_family_may_read=[quote_id]))
    before = draft(family)
    save(worker, family, plan_form(worried_about__parent="New words for the parents"))  # the sections only
    after = draft(family)
    assert after.sections["worried_about"].parent == "New words for the parents"
    assert (after.mapping, after.pairs, after.voice) == (before.mapping, before.pairs, before.voice)
    assert after.voice[0].family_may_read


def test_the_worker_quotes_a_young_persons_entry_with_its_date_and_name_word_for_word(app, world, worker):
    family, child = world["family"], world["child"]
    private = entry(child, PRIVATE_WORDS, shared=False)
    parents = entry(world["parent"], "Parent's own words", shared=True)
    elsewhere = entry(world["other_child"], "Another family's child", shared=True)
    page = html.unescape(text(worker.get(plan_url(family))))
    assert PRIVATE_WORDS in page and "Parent's own words" not in page and "Another family's child" not in page, \
        "the picker offers the young people's entries of this family only"

    for refused in (parents.id, elsewhere.id):
        response = worker.submit(plan_url(family), mapping_form(voice_add=[str(refused)]), page=plan_url(family))
        assert response.status_code == 400 and "is not on this page any more" in text(response)
        assert db_session().query(PlanVersion).filter_by(family_id=family.id).count() == 0, "nothing saved"

    save(worker, family, mapping_form(voice_add=[str(private.id)]))
    [quote] = draft(family).voice
    assert (quote.entry_id, quote.member_id, quote.name, quote.day, quote.words, quote.shared) == (
        private.id, child.id, "Child", date(2026, 11, 20), PRIVATE_WORDS, False)
    page = html.unescape(text(worker.get(plan_url(family))))
    assert page.count(PRIVATE_WORDS) == 1, "a quoted entry is not offered again"

    # The child's words stay as they were even if the worker quotes again or the entry changes.
    private.answers = {"what_happened": "changed later"}
    db_session().commit()
    save(worker, family, mapping_form(voice_family_may_read=[quote.id]))
    [kept] = draft(family).voice
    assert kept.words == PRIVATE_WORDS and kept.family_may_read
    save(worker, family, mapping_form(voice_remove=[quote.id]))
    assert draft(family).voice == []


# --- What each family member reads.


def publish_mapping(worker: FormClient, family: Any, **extra: Any) -> None:
    save(worker, family, mapping_form(**extra))
    publish(worker, family)


def test_each_family_member_reads_the_pairs_in_their_own_version_never_the_workers_wording(app, world, worker):
    family = world["family"]
    publish_mapping(worker, family)
    child_page = html.unescape(text(signed_in(app, world["child"].user).get("/my/plan")))
    parent_page = html.unescape(text(signed_in(app, world["parent"].user).get("/my/plan")))
    assert DANGER_YP in child_page and GOAL_YP in child_page and DANGER_PARENT not in child_page
    assert DANGER_PARENT in parent_page and GOAL_PARENT in parent_page and GOAL_YP not in parent_page
    for page in (child_page, parent_page):
        assert DANGER not in page and GOAL not in page and "Police were called" not in page, "the worker's mapping is staff's"
    assert signed_in(app, world["restricted_parent"].user).get("/my/plan").status_code == 404

    # Hidden from the parent: the pairs go from their page only.
    publish_mapping(worker, family, pairs_hidden=[str(world["parent"].id)])
    assert DANGER_PARENT not in html.unescape(text(signed_in(app, world["parent"].user).get("/my/plan")))
    assert DANGER_YP in html.unescape(text(signed_in(app, world["child"].user).get("/my/plan")))


def test_pairs_are_blocks_to_translate_and_a_polish_parent_reads_them_in_polish(app, world, worker):
    family = world["family"]
    ewa = factories.member(family, "parent", name="Ewa", language="pl")
    publish_mapping(worker, family)
    pair = draft(family).pairs[0]
    with app.test_request_context():
        blocks = {b.ref: b for b in translated.family_blocks(family)}
    ref = translated.pair_block(pair.id, "danger", "parent")
    assert ref in blocks and blocks[ref].languages == ["pl"]
    assert translated.pair_block(pair.id, "goal", "young_person") in blocks
    assert translated.pair_block(pair.id, "danger", "young_person") in blocks and blocks[translated.pair_block(pair.id, "danger", "young_person")].languages == []
    # The editor shows the block's languages beside the parents' version, and links to the translations page.
    editor = worker.get(plan_url(family)).get_data(as_text=True)
    anchor = "t-" + ref.replace(":", "-")
    assert f"#{anchor}" in editor and "not translated yet" in editor

    response = translate(worker, family, ref, "pl", "Martwimy się, że Sam może zostać skrzywdzony.")
    assert response.status_code == 302, text(response)[:2000]
    page = html.unescape(text(signed_in(app, ewa.user).get("/my/plan")))
    assert "Martwimy się, że Sam może zostać skrzywdzony." in page and DANGER_PARENT not in page
    assert GOAL_PARENT in page, "the goal, not translated yet, shows in English"
    # Pat (English) reads the English.
    assert DANGER_PARENT in html.unescape(text(signed_in(app, world["parent"].user).get("/my/plan")))


def test_a_parent_never_reads_a_childs_private_words_through_the_plan_unless_the_worker_decides(app, world, worker):
    """The rule (policy.plan_quotes_for): another family member reads a quote only if the child shared the entry,
    or the worker ticked "the family may read it"; never a restricted child's words; the child always reads their own."""
    family, child, parent = world["family"], world["child"], world["parent"]
    private = entry(child, PRIVATE_WORDS, shared=False)
    shared = entry(child, SHARED_WORDS, shared=True)

    def reads(member: Any) -> str:
        return html.unescape(text(signed_in(app, member.user).get("/my/plan")))

    publish_mapping(worker, family, voice_add=[str(private.id), str(shared.id)])
    assert SHARED_WORDS in reads(parent) and PRIVATE_WORDS not in reads(parent)
    assert PRIVATE_WORDS not in reads(world["young_child"]), "nor a brother or sister"
    assert PRIVATE_WORDS in reads(child) and SHARED_WORDS in reads(child), "the child reads their own words"

    # Forcing the quote in by hand (a page sending the box without the worker's tick) changes nothing.
    quotes = {q.entry_id: q for q in draft(family).voice}
    publish_mapping(worker, family)
    assert PRIVATE_WORDS not in reads(parent)

    # The worker decides the family may read it.
    publish_mapping(worker, family, voice_family_may_read=[quotes[private.id].id])
    assert PRIVATE_WORDS in reads(parent)

    # A child who becomes restricted: nothing of theirs reaches the family, whatever the ticks.
    child.restricted = True
    db_session().commit()
    assert PRIVATE_WORDS not in reads(parent) and SHARED_WORDS not in reads(parent)
    child.restricted = False
    db_session().commit()

    # Hidden from the parent: no quotes at all.
    publish_mapping(worker, family, voice_family_may_read=[quotes[private.id].id], voice_hidden=[str(parent.id)])
    assert SHARED_WORDS not in reads(parent)


# --- The staff view of a version, the review and every export.


def test_the_version_the_review_and_every_export_hold_the_mapping_pairs_and_quotes(app, world, worker):
    family, child = world["family"], world["child"]
    said = entry(child, PRIVATE_WORDS, shared=False, when=datetime(2026, 6, 10, 12, 0, tzinfo=UTC))
    publish_mapping(worker, family, voice_add=[str(said.id)])
    version = draft(family)
    assert version.voice and version.pairs

    staff_view = html.unescape(text(worker.get(plan_url(family, "/versions/1"))))
    for words in (DANGER, GOAL, DANGER_YP, GOAL_PARENT, PRIVATE_WORDS, "Police were called", "Gran (network)"):
        assert words in staff_view

    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    blocks = dict(text_blocks(worker, url))
    assert "Police were called twice" in blocks["Mapping"] and "Pat (mum), Gran (network)" in blocks["Mapping"]
    pairs = blocks["Danger statements and safety goals"]
    for words in (DANGER, DANGER_YP, DANGER_PARENT, GOAL, GOAL_YP, GOAL_PARENT):
        assert words in pairs
    assert pairs.index(DANGER) < pairs.index(GOAL)
    assert "Child, 10 Jun 2026" in blocks["Voice of the child in the plan"] and f"“{PRIVATE_WORDS}”" in blocks["Voice of the child in the plan"]

    printable = html.unescape(text(worker.get(url + "/print")))
    document = docx.Document(io.BytesIO(worker.get(url + "/review.docx").data))
    word = "\n".join(p.text for p in document.paragraphs)
    pdf = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(worker.get(url + "/review.pdf").data)).pages)
    for export in (printable, word, pdf):
        for words in ("Danger statements and safety goals", "Voice of the child in the plan", DANGER[:40], GOAL[:40], PRIVATE_WORDS):
            assert words in export.replace("\n", " "), words


# --- The migration.


OLD_V2: dict[str, Any] = {
    "schema_version": 2,
    "sections": {
        "worried_about": {"young_person": "Sometimes there is shouting.", "parent": "Arguments get loud.", "hidden_from": []},
        "working_well": {"young_person": "You go to football.", "parent": "Gran helps.", "hidden_from": [7]},
        "needs_to_happen": {"young_person": "Calm evenings.", "parent": "Calm evenings, away from the children.", "hidden_from": []},
        "bottom_lines": {"young_person": "No hitting.", "parent": "No physical fighting.", "hidden_from": []},
        "contingency": {"young_person": "Go to Gran's.", "parent": "Call Will.", "hidden_from": []},
    },
    "actions": [{"id": "1a2b3c4d", "what": "Parenting group", "what_young_person": "Mum goes to a group", "who": "Pat",
                 "by_when": "2026-03-20", "progress": [{"id": "5e6f7a8b", "date": "2026-02-01", "text": "Pat went twice."}]}],
    "actions_hidden_from": [7],
    "next_review": "2026-12-14",
    "next_taf": None,
    "worries": [{"id": 3, "wording": "Shouting at night", "danger_statement": "Sam could be hurt at night", "meaning_0": "Every night",
                 "meaning_10": "Calm evenings", "is_safety": False, "members": [7]}],
}
OLD_SAFETY = {"schema_version": 2, "safe_people": [{"id": "9c8b7a6d", "name": "Gran", "how_to_reach": "Next door"}],
              "rules": [], "safe_places": [{"id": "0f1e2d3c", "place": "My room"}]}


def test_the_migration_keeps_every_plan_word_for_word_and_adds_an_empty_mapping(fresh_database):
    migrate(fresh_database, "upgrade", "0014")
    rows = OldRows(fresh_database)
    people = rows.family()
    rows.add_many("plan_versions", [
        {"family_id": people["family"], "number": 1, "status": PUBLISHED, "content": copy.deepcopy(OLD_V2)},
        {"family_id": people["family"], "number": 2, "status": "draft", "content": {"schema_version": 2, "sections": {}, "actions": []}},
    ])
    rows.add("safety_plan_versions", member_id=people["young_person"], family_id=people["family"], number=1, status=PUBLISHED,
             content=copy.deepcopy(OLD_SAFETY))
    rows.close()

    migrate(fresh_database, "upgrade", "0015")
    after = stored(fresh_database)
    plan = after["plan", 1]
    assert plan["schema_version"] == after["plan", 2]["schema_version"] == 3
    assert {k: v for k, v in plan.items() if k in OLD_V2 and k != "schema_version"} == {k: v for k, v in OLD_V2.items() if k != "schema_version"}
    assert plan["pairs"] == plan["voice"] == [] and plan["mapping"]["past_harm"] == "" and plan["mapping"]["present"] == []
    assert after["safety", 1] == OLD_SAFETY, "safety plans do not change"
    typed = PlanContent.from_json(plan)
    assert PlanContent.from_json(typed.to_json()) == typed
    assert typed.worries[0].danger_statement == "Sam could be hurt at night"

    migrate(fresh_database, "downgrade", "0014")
    back = stored(fresh_database)
    assert back["plan", 1] == OLD_V2 and back["safety", 1] == OLD_SAFETY


def test_erasing_a_child_takes_their_quoted_words_out_of_every_version_of_the_plan(app, world, worker):
    from webapp.dataprotection import services as dataprotection

    family, child = world["family"], world["child"]
    said = entry(child, SHARED_WORDS, shared=True)
    other = entry(world["young_child"], "Biscuit the cat sleeps on my bed", shared=True)
    publish_mapping(worker, family, voice_add=[str(said.id), str(other.id)])
    save(worker, family, mapping_form())  # a draft holding the quotes too
    with app.test_request_context():
        dataprotection.erase_member(db_session().get_one(type(child), child.id), "The family asked for it")
    db_session().commit()
    for version in db_session().query(PlanVersion).filter_by(family_id=family.id):
        assert [q["words"] for q in version.content["voice"]] == ["Biscuit the cat sleeps on my bed"]
    assert SHARED_WORDS not in html.unescape(text(signed_in(app, world["parent"].user).get("/my/plan")))
