"""The three statements on a 360 px phone, in English and Arabic: a young person tells "My life" and
"Something happened" (not safe now: urgent), a parent asks for an advocate, and the manager finds it in
their inbox. A complaint written offline is sent once the phone is back online. Every page axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries.models import Entry
from webapp.notifications.models import Notification

from .. import factories
from .steps import sign_in_member, sign_in_staff, submit

pytestmark = pytest.mark.browser

ADVOCACY = "Speak Up Advocacy 0300 555 0199"


@pytest.fixture
def people(app, live_server):
    live_server.app.config["LOCAL_ADVOCACY_SERVICE"] = ADVOCACY
    team = factories.team()
    worker = factories.staff(team, "worker", name="Will")
    manager = factories.staff(team, "manager", name="Maya")
    family = factories.family(team, worker, name="The Phone family")
    return {"team": team, "worker": worker, "manager": manager, "family": family}


def entry_of(member, kind: str) -> Entry:
    db_session().rollback()
    return db_session().scalars(select(Entry).where(Entry.member_id == member.id, Entry.kind == kind)).one()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_statement_is_sent_from_a_phone_and_reaches_the_right_people(phones, people, checked, lang):
    rtl = lang == "ar"
    child = factories.member(people["family"], "young_person", name="Sami", language=lang)
    parent = factories.member(people["family"], "parent", name="Pat", language=lang)

    page: Page = phones.new().new_page()
    sign_in_member(page, child.user)
    page.goto("/my/views")
    checked(page, rtl=rtl)
    for kind in (kinds.MY_LIFE, kinds.SOMETHING_HAPPENED, kinds.COMPLAINT):
        assert page.locator(f'a.tile[href$="/new/{kind}"]').count() == 1, kind

    page.goto(f"/my/views/new/{kinds.MY_LIFE}")
    checked(page, rtl=rtl)
    page.fill("#school", "Year 9 is hard")
    page.fill("#enjoy", "Football")
    submit(page)
    assert re.search(r"/my/views/\d+\?sent=1$", page.url), page.url
    checked(page, rtl=rtl)
    assert entry_of(child, kinds.MY_LIFE).urgent is False

    page.goto(f"/my/views/new/{kinds.SOMETHING_HAPPENED}")
    checked(page, rtl=rtl)
    assert page.locator(".help-now").count() == 1, "who to contact now is shown before sending"
    page.fill("#what_happened", "A door got broken")
    page.check("#safe_now-1")  # No, I am not safe now
    submit(page)
    checked(page, rtl=rtl)
    upset = entry_of(child, kinds.SOMETHING_HAPPENED)
    assert upset.urgent is True
    assert page.locator(".help-now").count() == 1

    grown_up: Page = phones.new().new_page()
    sign_in_member(grown_up, parent.user)
    grown_up.goto(f"/my/views/new/{kinds.COMPLAINT}")
    checked(grown_up, rtl=rtl)
    assert "0300 555 0199" in grown_up.locator(".complaint-next").inner_text()
    grown_up.check("#wants-1")  # To have an advocate
    grown_up.fill("#about", "Nobody explains the plan")
    submit(grown_up)
    checked(grown_up, rtl=rtl)
    complaint = entry_of(parent, kinds.COMPLAINT)
    assert grown_up.locator(".complaint-next").count() == 1
    db_session().rollback()
    told = {n.user_id for n in db_session().scalars(select(Notification).where(Notification.entry_id == complaint.id))}
    assert told == {people["worker"].id, people["manager"].id}

    people["manager"].locale = lang
    db_session().commit()
    desk: Page = phones.new().new_page()
    sign_in_staff(desk, people["manager"])
    desk.goto("/staff/inbox")
    checked(desk, rtl=rtl)
    assert desk.locator(f'.alerts a[href="/staff/entries/{complaint.id}"]').count() == 1
    desk.goto(f"/staff/entries/{complaint.id}")
    checked(desk, rtl=rtl)
    assert desk.locator(".notice-complaint").count() == 1
    desk.goto(f"/staff/entries/{upset.id}")
    checked(desk, rtl=rtl)
    assert "Nobody explains the plan" not in desk.content()


def test_a_complaint_written_offline_is_sent_once_and_told_to_the_manager(phones, people, checked):
    child = factories.member(people["family"], "young_person", name="Sami")
    context = phones.new()
    page = context.new_page()
    sign_in_member(page, child.user)
    page.goto(f"/my/views/new/{kinds.COMPLAINT}")
    context.set_offline(True)
    page.check("#wants-0")
    page.fill("#about", "Written on the bus")
    page.click("#submit")
    message = page.locator("[data-offline-message]")
    message.wait_for(state="visible")
    checked(page)
    context.set_offline(False)
    page.goto("/my/views")
    page.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('fv-outbox:'))")
    complaint = entry_of(child, kinds.COMPLAINT)
    assert complaint.answers == {"wants": "complain", "about": "Written on the bus"}
    told = {n.user_id for n in db_session().scalars(select(Notification).where(Notification.entry_id == complaint.id))}
    assert told == {people["worker"].id, people["manager"].id}
