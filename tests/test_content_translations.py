"""The worker's words in the family's language: translations per block, their state, and what each member reads."""

from __future__ import annotations

import html as html_module
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, select

from webapp.db import db_session
from webapp.translations_content import rules
from webapp.translations_content.models import TextTranslation
from webapp.translations_content.rules import State

from .conftest import FormClient
from .helpers import signed_in, text
from .test_cli_commands import fresh_database
from .test_plan_records import migrate
from .test_plans import plan_url, publish, save

NOT_TRANSLATED = "Not translated into your language yet, so this is in English."
NOT_TRANSLATED_PL = "To nie jest jeszcze przetłumaczone na twój język, więc jest po angielsku."
NOT_TRANSLATED_AR = "لم تتم ترجمة هذا إلى لغتك بعد، لذلك هو بالإنجليزية."
PARENT_WORRY_EN = "Arguments at night are keeping the children awake."
PARENT_WORRY_PL = "Kłótnie w nocy nie pozwalają dzieciom spać."
CHILD_WORRY_EN = "Mum and Dad shout a lot at night."
CHILD_WORRY_AR = "أمي وأبي يصرخان كثيرًا في الليل."


# --- The rules, without a database.


class Row:
    def __init__(self, text: str, source: str) -> None:
        self.text, self.source_hash = text, rules.source_hash(source)


def test_a_translation_is_missing_current_or_out_of_date_after_the_english_changes():
    assert rules.state(None, "Hello") is State.MISSING
    assert rules.state(Row("   ", "Hello"), "Hello") is State.MISSING
    assert rules.state(Row("Cześć", "Hello"), "Hello") is State.CURRENT
    assert rules.state(Row("Cześć", "Hello"), "Hello \r\n") is State.CURRENT, "line endings and trailing spaces are no change"
    assert rules.state(Row("Cześć", "Hello"), "Hello there") is State.OUT_OF_DATE


def test_a_member_reads_their_language_or_the_new_english_with_a_note_never_an_old_translation():
    current = rules.shown("Hello", "pl", Row("Cześć", "Hello"))
    assert (current.text, current.lang, current.dir, current.not_translated) == ("Cześć", "pl", "ltr", False)
    arabic = rules.shown("Hello", "ar", Row("مرحبا", "Hello"))
    assert (arabic.text, arabic.lang, arabic.dir) == ("مرحبا", "ar", "rtl")
    missing = rules.shown("Hello", "pl", None)
    assert (missing.text, missing.lang, missing.dir, missing.not_translated) == ("Hello", "en", "ltr", True)
    stale = rules.shown("Hello there", "pl", Row("Cześć", "Hello"))
    assert (stale.text, stale.lang, stale.not_translated) == ("Hello there", "en", True)
    english = rules.shown("Hello", "en", None)
    assert (english.text, english.not_translated) == ("Hello", False)


# --- Pages.


class Blocks(HTMLParser):
    """Every element's text with the lang and dir it carries (its own or the nearest around it)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, str | None]] = []
        self.found: list[tuple[str, str | None, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        lang = a.get("lang") or (self.stack[-1][1] if self.stack else None)
        direction = a.get("dir") or (self.stack[-1][2] if self.stack else None)
        self.stack.append((tag, lang, direction))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and self.stack:
            self.found.append((data.strip(), self.stack[-1][1], self.stack[-1][2]))


def lang_of(html: str, words: str) -> tuple[str | None, str | None]:
    """The lang and dir of the element holding these words."""
    parser = Blocks()
    page_lang = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', html)
    assert page_lang
    parser.stack.append(("html", page_lang.group(1), page_lang.group(2)))
    parser.feed("<body" + html.split("<body", 1)[1])
    matches = [(lang, d) for data, lang, d in parser.found if words in data]
    assert matches, f"{words!r} not on the page"
    return matches[0]


@pytest.fixture
def family_languages(world: dict[str, Any]) -> dict[str, Any]:
    """The parent reads Polish, the older child Arabic; the younger child English."""
    for who, language in (("parent", "pl"), ("child", "ar")):
        member = world[who]
        member.preferred_language = language
        assert member.user is not None
        member.user.locale = language
    db_session().commit()
    return world


@pytest.fixture
def worker(app: Flask, family_languages: dict[str, Any]) -> FormClient:
    return signed_in(app, family_languages["worker_a"])


def translations_url(family: Any) -> str:
    return f"/staff/families/{family.id}/translations"


def translate(worker: FormClient, family: Any, block: str, language: str, words: str, interpreter: str = "") -> Any:
    page = worker.get(translations_url(family)).get_data(as_text=True)
    anchor = "t-" + block.replace(":", "-")
    assert f'id="{anchor}"' in page, f"no {block} on the translations page"
    start = page.index(f'id="{anchor}"')
    marker = f'name="language" value="{language}"'
    form_at = page.index(marker, start)
    hash_at = page.index('name="source_hash" value="', form_at) + len('name="source_hash" value="')
    source_hash = page[hash_at : page.index('"', hash_at)]
    return worker.submit(
        translations_url(family),
        {"block": block, "language": language, "source_hash": source_hash, "text": words, "interpreter_name": interpreter},
    )


def test_a_member_reads_the_plan_in_their_language_and_the_english_with_a_note_until_it_is_translated(app, family_languages, worker):
    world, family = family_languages, family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN, worried_about__young_person=CHILD_WORRY_EN)
    response = translate(worker, family, "plan-section:worried_about:parent", "pl", PARENT_WORRY_PL, interpreter="Anna Nowak")
    assert response.status_code == 302
    publish(worker, family)

    parent_page = signed_in(app, world["parent"].user).get("/my/plan").get_data(as_text=True)
    assert PARENT_WORRY_PL in text_of(parent_page) and PARENT_WORRY_EN not in text_of(parent_page)
    assert lang_of(parent_page, PARENT_WORRY_PL) == ("pl", "ltr")

    child_page = signed_in(app, world["child"].user).get("/my/plan").get_data(as_text=True)
    assert CHILD_WORRY_EN in child_page
    assert lang_of(child_page, CHILD_WORRY_EN) == ("en", "ltr"), "English on an Arabic page says it is English"
    assert 'dir="rtl"' in child_page.split("<body", 1)[0], "the page itself is Arabic"
    assert NOT_TRANSLATED_AR in text_of(child_page), "the note is in the page's language"

    english_child = text_of(signed_in(app, world["young_child"].user).get("/my/plan").get_data(as_text=True))
    assert CHILD_WORRY_EN in english_child and NOT_TRANSLATED not in english_child

    row = db_session().scalar(select(TextTranslation).where(TextTranslation.block == "plan-section:worried_about:parent"))
    assert row is not None and row.translated_by_id == world["worker_a"].id and row.interpreter_name == "Anna Nowak"



def test_a_member_who_chooses_another_language_reads_the_plan_in_it_and_the_worker_sees_it_needed(app, family_languages, worker):
    world, family = family_languages, family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    assert 'value="uk"' not in worker.get(translations_url(family)).get_data(as_text=True), "nobody reads Ukrainian yet"
    parent = signed_in(app, world["parent"].user)
    assert parent.submit("/language", {"language": "uk", "next": "/my/plan"}, page="/settings").status_code == 302
    db_session().refresh(world["parent"])
    assert world["parent"].preferred_language == "uk"
    assert translate(worker, family, "plan-section:worried_about:parent", "uk", "Крики вдома вночі").status_code == 302
    publish(worker, family)
    page = parent.get("/my/plan").get_data(as_text=True)
    assert "Крики вдома вночі" in text_of(page) and PARENT_WORRY_EN not in text_of(page)
    assert lang_of(page, "Крики вдома вночі") == ("uk", "ltr")


def text_of(html: str) -> str:
    return html_module.unescape(re.sub(r"</?bdi\b[^>]*>", "", html))


def words(response: Any) -> str:
    """The page's words as one line, without any tags."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split()).replace(" :", ":")


def test_when_the_english_changes_the_worker_sees_out_of_date_and_the_member_reads_the_new_english(app, family_languages, worker):
    world, family = family_languages, family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    translate(worker, family, "plan-section:worried_about:parent", "pl", PARENT_WORRY_PL)
    publish(worker, family)
    editor = words(worker.get(plan_url(family)))
    assert "Polski: ✅ translated" in editor

    changed = "Arguments at night keep the children awake before school."
    save(worker, family, worried_about__parent=changed)
    editor = words(worker.get(plan_url(family)))
    assert "Polski: ⚠️ out of date: the English changed" in editor
    assert "1 part out of date" in editor, "the publish box warns"

    response = worker.submit(plan_url(family, "/publish"), page=plan_url(family))
    assert response.status_code == 302
    assert "Not everything is translated yet (Polski)" in text(worker.get(response.headers["Location"]))

    parent_page = text_of(signed_in(app, world["parent"].user).get("/my/plan").get_data(as_text=True))
    assert changed in parent_page and PARENT_WORRY_PL not in parent_page, "never a translation of the old words"
    assert NOT_TRANSLATED_PL in parent_page

    translate(worker, family, "plan-section:worried_about:parent", "pl", "Kłótnie w nocy nie pozwalają dzieciom spać przed szkołą.")
    parent_page = text_of(signed_in(app, world["parent"].user).get("/my/plan").get_data(as_text=True))
    assert "Kłótnie w nocy nie pozwalają dzieciom spać przed szkołą." in parent_page



def test_the_editor_lists_per_block_which_languages_are_missing(app, family_languages, worker):
    family = family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN, worried_about__young_person=CHILD_WORRY_EN)
    editor = words(worker.get(plan_url(family)))
    assert "Polski: ➖ not translated yet" in editor, "the parent version needs Polish"
    assert "العربية: ➖ not translated yet" in editor, "the young people's version needs Arabic"
    assert "1 part not translated yet" in editor


def test_a_translation_of_english_that_changed_while_it_was_typed_is_not_saved_and_the_words_come_back(app, family_languages, worker):
    family = family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    response = worker.submit(
        translations_url(family),
        {"block": "plan-section:worried_about:parent", "language": "pl", "source_hash": rules.source_hash("older words"), "text": PARENT_WORRY_PL},
    )
    assert response.status_code == 409
    assert PARENT_WORRY_PL in text(response) and "The English changed while you were translating" in text(response)
    assert db_session().scalar(select(TextTranslation)) is None


def test_bad_translation_requests_change_nothing(app, family_languages, worker):
    family = family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    good = rules.source_hash(PARENT_WORRY_EN)
    empty = worker.submit(translations_url(family), {"block": "plan-section:worried_about:parent", "language": "pl", "source_hash": good, "text": " "})
    assert empty.status_code == 400 and "Please write the translation." in text(empty)
    # A language nobody in the family reads, and a block that is not there, are not found.
    for block, language in (("plan-section:worried_about:parent", "ar"), ("plan-section:nothing:parent", "pl")):
        response = worker.submit(translations_url(family), {"block": block, "language": language, "source_hash": good, "text": "x"})
        assert response.status_code == 404 and "That part is no longer there to translate" in text(response)
    assert db_session().scalar(select(TextTranslation)) is None


def test_only_staff_who_may_edit_the_plan_may_translate(app, family_languages):
    world, family = family_languages, family_languages["family"]
    lead = signed_in(app, world["worker_a"])
    save(lead, family, worried_about__parent=PARENT_WORRY_EN)
    data = {"block": "plan-section:worried_about:parent", "language": "pl", "source_hash": rules.source_hash(PARENT_WORRY_EN), "text": "Hacked"}
    for outsider in (world["other_worker_a"], world["worker_b"], world["manager_b"]):
        browser = signed_in(app, outsider)
        assert browser.get(translations_url(family)).status_code == 404
        assert browser.submit(translations_url(family), data, page="/staff/families").status_code == 404
    for member in (world["parent"], world["child"]):
        browser = signed_in(app, member.user)
        assert browser.get(translations_url(family)).status_code in (302, 403, 404)
        assert browser.submit(translations_url(family), data, page="/home").status_code in (302, 403, 404)
    assert db_session().scalar(select(TextTranslation)) is None
    # The team's manager may, as they may edit the plan.
    manager = signed_in(app, world["manager_a"])
    assert manager.get(translations_url(family)).status_code == 200


def test_the_migration_adds_the_translations_table_and_takes_it_away(fresh_database):
    migrate(fresh_database, "upgrade", "0010")
    assert "text_translations" not in tables(fresh_database)
    migrate(fresh_database, "upgrade", "0012")
    assert "text_translations" in tables(fresh_database)
    engine = create_engine(fresh_database)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("text_translations")}
        unique = [set(u["column_names"]) for u in inspect(engine).get_unique_constraints("text_translations")]
    finally:
        engine.dispose()
    assert {"family_id", "block", "language", "text", "source_hash", "translated_by_id", "interpreter_name", "created_at", "updated_at"} <= columns
    assert {"family_id", "block", "language"} in unique
    migrate(fresh_database, "downgrade", "0010")
    assert "text_translations" not in tables(fresh_database)


def tables(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def safety_row_id(member: Any, part: str, position: int = 0) -> str:
    from webapp.plans.models import SafetyPlanVersion

    db_session().rollback()
    version = db_session().scalars(
        select(SafetyPlanVersion).where(SafetyPlanVersion.member_id == member.id).order_by(SafetyPlanVersion.number.desc())
    ).first()
    assert version is not None
    return str(version.content[part][position]["id"])


def test_a_young_person_reads_their_safety_plan_rows_in_arabic_and_publishing_warns_of_the_rest(app, family_languages, worker):
    from . import test_safety_plan as safety

    world = family_languages
    child = world["child"]
    safety.save(worker, child)
    editor = words(worker.get(safety.url(child)))
    assert "العربية: ➖ not translated yet" in editor and "parts not translated yet" in editor
    rule = safety_row_id(child, "rules")
    assert translate(worker, world["family"], f"safety-row:{rule}:what", "ar", "أذهب إلى غرفتي وأرسل رسالة إلى الخالة جو").status_code == 302
    response = worker.submit(safety.url(child, "/publish"), page=safety.url(child))
    assert "Not everything is translated yet (العربية)" in text(worker.get(response.headers["Location"]))

    page = signed_in(app, child.user).get("/my/safety-plan").get_data(as_text=True)
    assert lang_of(page, "أذهب إلى غرفتي وأرسل رسالة إلى الخالة جو") == ("ar", "rtl")
    assert "I go to my room and text Auntie Jo" not in page
    assert lang_of(page, "Dad has been drinking") == ("en", "ltr"), "the English on an Arabic page keeps its own language and direction"
    assert NOT_TRANSLATED_AR in text_of(page)


def add_worry(worker: FormClient, world: dict[str, Any], wording: str = "Shouting at home at night") -> Any:
    from webapp.worries.models import Worry

    response = worker.submit(
        f"/staff/families/{world['family'].id}/worries",
        {"wording": wording, "danger_statement": "", "meaning_0": "Shouting every night", "meaning_10": "Calm evenings at home",
         "members": [str(world["child"].id), str(world["parent"].id)]},
    )
    assert response.status_code == 302
    db_session().rollback()
    worry = db_session().scalar(select(Worry).where(Worry.wording == wording))
    assert worry is not None
    return worry


def test_worry_wording_and_the_meanings_of_0_and_10_are_read_in_the_members_language(app, family_languages, worker):
    world = family_languages
    worry = add_worry(worker, world)
    edit = words(worker.get(f"/staff/worries/{worry.id}/edit"))
    assert "What 0 means" in edit and "Polski: ➖ not translated yet" in edit and "العربية: ➖ not translated yet" in edit
    translate(worker, world["family"], f"worry:{worry.id}:wording", "pl", "Krzyki w domu w nocy")
    translate(worker, world["family"], f"worry:{worry.id}:meaning_0", "pl", "Krzyki każdej nocy")
    translate(worker, world["family"], f"worry:{worry.id}:meaning_10", "pl", "Spokojne wieczory w domu")

    parent = signed_in(app, world["parent"].user)
    listing = parent.get("/my/worries").get_data(as_text=True)
    assert lang_of(listing, "Krzyki w domu w nocy") == ("pl", "ltr")
    score_page = parent.get(f"/my/worries/{worry.id}").get_data(as_text=True)
    assert lang_of(score_page, "Krzyki każdej nocy") == ("pl", "ltr") and "Spokojne wieczory w domu" in score_page
    assert NOT_TRANSLATED_PL not in text_of(score_page)

    child = signed_in(app, world["child"].user).get(f"/my/worries/{worry.id}").get_data(as_text=True)
    assert lang_of(child, "Shouting at home at night") == ("en", "ltr") and NOT_TRANSLATED_AR in text_of(child)

    # The worker changes the wording: the parent reads the new English, with the note, not the old Polish.
    response = worker.submit(
        f"/staff/worries/{worry.id}/edit",
        {"wording": "Loud arguments at night", "danger_statement": "", "meaning_0": "Shouting every night",
         "meaning_10": "Calm evenings at home", "members": [str(world["child"].id), str(world["parent"].id)]},
    )
    assert response.status_code == 302
    score_page = text_of(parent.get(f"/my/worries/{worry.id}").get_data(as_text=True))
    assert "Loud arguments at night" in score_page and "Krzyki w domu w nocy" not in score_page and NOT_TRANSLATED_PL in score_page
    assert "Krzyki każdej nocy" in score_page, "the meanings did not change, so their Polish stays"
    assert "Polski: ⚠️ out of date: the English changed" in words(worker.get(f"/staff/worries/{worry.id}/edit"))


def test_meeting_messages_and_replies_are_read_in_the_members_language(app, family_languages, worker):
    from webapp.entries.models import Entry, EntryReply
    from webapp.reviews.models import MeetingMessage

    world = family_languages
    child, parent = world["child"], world["parent"]
    sent = worker.submit(f"/staff/members/{child.id}/meeting-message", {"body": "We agreed you can stay at Gran's on Fridays."})
    assert sent.status_code in (200, 302)
    message = db_session().scalar(select(MeetingMessage))
    assert message is not None
    entry = Entry(member_id=parent.id, family_id=parent.family_id, kind="parent_views", language="pl", answers={"going_well": "Lepiej"})
    db_session().add(entry)
    db_session().commit()
    assert worker.submit(f"/staff/entries/{entry.id}/reply", {"body": "Thank you, that is good to hear."}).status_code == 302
    reply = db_session().scalar(select(EntryReply))
    assert reply is not None
    assert "Polski: ➖ not translated yet" in words(worker.get(f"/staff/entries/{entry.id}"))

    assert "Thank you, that is good to hear." in text(signed_in(app, parent.user).get(f"/my/views/{entry.id}"))
    translate(worker, world["family"], f"meeting-message:{message.id}", "ar", "اتفقنا أنه يمكنك البقاء عند جدتك أيام الجمعة.")
    translate(worker, world["family"], f"reply:{reply.id}", "pl", "Dziękuję, dobrze to słyszeć.")

    home = signed_in(app, child.user).get("/home").get_data(as_text=True)
    assert lang_of(home, "اتفقنا أنه يمكنك البقاء عند جدتك أيام الجمعة.") == ("ar", "rtl")
    assert "We agreed you can stay" not in home
    mine = signed_in(app, parent.user).get(f"/my/views/{entry.id}").get_data(as_text=True)
    assert lang_of(mine, "Dziękuję, dobrze to słyszeć.") == ("pl", "ltr")
    assert "Polski: ✅ translated" in words(worker.get(f"/staff/entries/{entry.id}"))


def test_read_it_to_me_knows_each_blocks_language_and_says_so_in_the_members_language_when_a_voice_is_missing(app, family_languages, worker):
    world, family = family_languages, family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN, working_well__parent="Gran helps every Saturday.")
    translate(worker, family, "plan-section:worried_about:parent", "pl", PARENT_WORRY_PL)
    publish(worker, family)
    page = signed_in(app, world["parent"].user).get("/my/plan").get_data(as_text=True)
    region = page.split("data-read-aloud ", 1)[1]
    # Inside what is read out, the Polish and the untranslated English each say their language.
    assert lang_of(page, PARENT_WORRY_PL) == ("pl", "ltr") and lang_of(page, "Gran helps every Saturday.") == ("en", "ltr")
    assert PARENT_WORRY_PL in region and "Gran helps every Saturday." in region
    button = re.search(r"<button[^>]*data-read-aloud-button[^>]*>", page, re.DOTALL)
    assert button
    no_voice = re.search(r'data-no-voice="([^"]*)"', button.group(0))
    assert no_voice and html_module.unescape(no_voice.group(1)) == (
        "Ten telefon nie ma głosu dla języka: {language}, więc części w tym języku nie zostaną przeczytane."
    )
    assert 'aria-describedby="read-aloud-note"' in button.group(0) and 'id="read-aloud-note" data-read-aloud-note role="status"' in page
    script = (Path(app.root_path).parent / "static/js/readaloud.js").read_text(encoding="utf-8")
    assert 'closest("[lang]")' in script and "utterance.lang = part.lang" in script


def test_the_workers_english_on_an_arabic_page_says_it_is_english(app, family_languages):
    """A worker who reads the app in Arabic sees the plan's English words marked as English, left to right."""
    world, family = family_languages, family_languages["family"]
    lead = world["worker_a"]
    lead.locale = "ar"
    db_session().commit()
    worker = signed_in(app, lead)
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    worker.submit(plan_url(family, "/actions"), {"what": "Parenting group on Tuesdays", "who": "Pat", "by_when": "2030-03-20"}, page=plan_url(family))
    editor = worker.get(plan_url(family)).get_data(as_text=True)
    assert 'dir="rtl"' in editor.split("<body", 1)[0]
    assert lang_of(editor, "Parenting group on Tuesdays") == ("en", "ltr")
    worker.submit(plan_url(family, "/publish"), page=plan_url(family))
    version = worker.get(plan_url(family, "/versions/1")).get_data(as_text=True)
    assert lang_of(version, PARENT_WORRY_EN) == ("en", "ltr") and lang_of(version, "Parenting group on Tuesdays") == ("en", "ltr")
    # Names keep their own direction.
    assert re.search(r'<a href="/staff/families/\d+" dir="auto">The Test family</a>', editor)


def test_erasing_a_member_erases_the_translations_of_their_words_and_of_what_was_written_to_them(app, family_languages, worker):
    from webapp.entries.models import Entry, EntryReply

    world, family = family_languages, family_languages["family"]
    parent = world["parent"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    translate(worker, family, "plan-section:worried_about:parent", "pl", PARENT_WORRY_PL)
    entry = Entry(member_id=parent.id, family_id=family.id, kind="parent_views", language="pl", answers={"going_well": "Lepiej w domu"})
    db_session().add(entry)
    db_session().commit()
    worker.submit(f"/staff/entries/{entry.id}/english", {"text": "Better at home"}, page=f"/staff/entries/{entry.id}")
    worker.submit(f"/staff/entries/{entry.id}/reply", {"body": "Good to hear."})
    reply = db_session().scalar(select(EntryReply))
    assert reply is not None
    translate(worker, family, f"reply:{reply.id}", "pl", "Dobrze to słyszeć.")
    db_session().rollback()
    assert {row.block for row in db_session().scalars(select(TextTranslation))} == {
        "plan-section:worried_about:parent", f"entry:{entry.id}", f"reply:{reply.id}"
    }

    manager = signed_in(app, world["manager_a"])
    assert manager.submit(f"/staff/members/{parent.id}/erase", {"reason": "Erasure request"}).status_code == 302
    db_session().rollback()
    assert {row.block for row in db_session().scalars(select(TextTranslation))} == {"plan-section:worried_about:parent"}, (
        "the family's plan keeps its translation; the member's words and the replies to them are gone"
    )


def test_an_action_is_read_in_the_parents_language_and_its_young_people_wording_in_the_childs(app, family_languages, worker):
    from .test_plans import action_id

    world, family = family_languages, family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    added = worker.submit(plan_url(family, "/actions"), {"what": "Pat goes to the parenting group on Tuesdays",
                                                         "what_young_person": "Mum goes to a group on Tuesdays", "who": "Pat",
                                                         "by_when": "2030-03-20"}, page=plan_url(family))
    assert added.status_code == 302
    action = action_id(family, 0)
    editor = words(worker.get(plan_url(family)))
    assert "Polski: ➖ not translated yet" in editor and "العربية: ➖ not translated yet" in editor
    translate(worker, family, f"plan-action:{action}:text", "pl", "Pat chodzi na grupę dla rodziców we wtorki")
    translate(worker, family, f"plan-action:{action}:young_person", "ar", "أمي تذهب إلى مجموعة أيام الثلاثاء")
    publish(worker, family)

    parent = signed_in(app, world["parent"].user).get("/my/plan").get_data(as_text=True)
    assert lang_of(parent, "Pat chodzi na grupę dla rodziców we wtorki") == ("pl", "ltr")
    assert "Pat goes to the parenting group" not in parent and "Mum goes to a group" not in parent
    child = signed_in(app, world["child"].user).get("/my/plan").get_data(as_text=True)
    assert lang_of(child, "أمي تذهب إلى مجموعة أيام الثلاثاء") == ("ar", "rtl"), "the young people's wording, in Arabic"
    assert "Mum goes to a group on Tuesdays" not in child and "Pat chodzi" not in child
    english_child = signed_in(app, world["young_child"].user).get("/my/plan").get_data(as_text=True)
    assert lang_of(english_child, "Mum goes to a group on Tuesdays") == ("en", "ltr")


def test_danger_statements_and_safety_goals_are_read_in_each_version_and_language(app, family_languages, worker):
    from .test_mapping import DANGER_PARENT, DANGER_YP, GOAL_PARENT, draft, mapping_form

    world, family = family_languages, family_languages["family"]
    save(worker, family, **mapping_form())
    pair = draft(family).pairs[0].id
    editor = words(worker.get(plan_url(family)))
    assert "Polski: ➖ not translated yet" in editor and "العربية: ➖ not translated yet" in editor
    translate(worker, family, f"plan-pair:{pair}:danger:parent", "pl", "Dzieci mogą się bać, gdy dorośli krzyczą.")
    translate(worker, family, f"plan-pair:{pair}:danger:young_person", "ar", "قد تخاف عندما يصرخ الكبار.")
    publish(worker, family)

    parent = signed_in(app, world["parent"].user).get("/my/plan").get_data(as_text=True)
    assert lang_of(parent, "Dzieci mogą się bać, gdy dorośli krzyczą.") == ("pl", "ltr") and DANGER_PARENT not in text_of(parent)
    assert lang_of(parent, GOAL_PARENT) == ("en", "ltr") and NOT_TRANSLATED_PL in text_of(parent), "the goal is not translated yet"
    child = signed_in(app, world["child"].user).get("/my/plan").get_data(as_text=True)
    assert lang_of(child, "قد تخاف عندما يصرخ الكبار.") == ("ar", "rtl") and DANGER_YP not in text_of(child)


def test_the_translations_page_says_who_translated_each_block_and_when(app, family_languages, worker):
    world, family = family_languages, family_languages["family"]
    save(worker, family, worried_about__parent=PARENT_WORRY_EN)
    translate(worker, family, "plan-section:worried_about:parent", "pl", PARENT_WORRY_PL, interpreter="Anna Nowak")
    row = db_session().scalar(select(TextTranslation))
    assert row is not None
    page = words(worker.get(translations_url(family)))
    assert f"Last saved by {world['worker_a'].display_name} on" in page and "Interpreter: Anna Nowak" in page
    assert re.search(r"Last saved by .{1,40} on \d\d/\d\d/\d{4}, \d\d:\d\d", page), "with the day and time"
    assert "Polski: ✅ translated" in page
