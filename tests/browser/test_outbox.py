"""Sending views through the outbox in the browser: what the server says is what the family sees.

Online, every kind of entry goes through the outbox's fetch: a refused form shows the server's own
messages next to the words typed, and an accepted one lands on the "sent" page. Offline drafts the
server refuses are kept for fixing; a server error keeps them queued and tries again later.
"""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from playwright.sync_api import Page, Route
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.entries import kinds
from webapp.entries.models import Entry
from webapp.notifications.models import Notification

from .. import factories
from .conftest import Phones
from .steps import sign_in_member

pytestmark = pytest.mark.browser

TOO_LONG = "Please write at most 5000 characters."
SENT = re.compile(r".*/my/views/\d+\?sent=1$")
NO_PROMISE = "will reply by"


@pytest.fixture
def family(app) -> dict[str, Any]:
    team = factories.team()
    worker = factories.staff(team, "worker", name="Worker")
    home = factories.family(team, worker)
    return {
        "worker": worker,
        "young_person": factories.member(home, "young_person", name="Sam"),
        "parent": factories.member(home, "parent", name="Alex"),
    }


@pytest.fixture
def routed_page(phones: Phones) -> Page:
    """A phone for a test that routes the page's own requests: no service worker to take them where routing cannot."""
    return phones.new(service_workers="block").new_page()


def lift_the_length_limit(page: Page) -> None:
    """The page stops typing at 5000 characters; a browser that ignores the limit is stopped by the server."""
    page.evaluate("() => document.querySelectorAll('textarea[maxlength]').forEach((box) => box.removeAttribute('maxlength'))")


def stored(member: Any) -> list[Entry]:
    db_session().rollback()
    return list(db_session().scalars(select(Entry).where(Entry.member_id == member.id).order_by(Entry.id)))


def kept_drafts(page: Page) -> list[dict[str, Any]]:
    return cast("list[dict[str, Any]]", page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('fv-outbox:'))"
        ".flatMap((k) => JSON.parse(localStorage.getItem(k)))"
    ))


@pytest.mark.parametrize("role", ["young_person", "parent"])
def test_every_kind_sent_online_shows_a_refusal_with_the_words_then_lands_on_the_sent_page(page, family, role, checked):
    member = family[role]
    sign_in_member(page, member.user)
    offered = kinds.kinds_for(role)
    for number, kind in enumerate(offered, start=1):
        page.goto(f"/my/views/new/{kind.key}")
        texts = [q.key for q in kind.questions if q.kind == "text"]
        choices = {q.key: q.choices[0][0] for q in kind.questions if q.kind == "choice"}
        words = {key: f"My words for {key} in {kind.key}" for key in texts}
        first = texts[0]
        long_words = words[first] + " " + "x" * 5000
        for key, value in words.items():
            page.fill(f"#{key}", value)
        lift_the_length_limit(page)
        page.fill(f"#{first}", long_words)
        for key, value in choices.items():
            page.check(f"input[name={key}][value={value}]")
        page.click("#submit")

        error = page.locator(f"#{first}-error-1")
        error.wait_for()
        assert error.inner_text() == TOO_LONG, kind.key
        assert page.locator("[data-offline-message]").is_hidden(), f"{kind.key}: no 'No internet' while online"
        assert "No internet" not in page.inner_text("main")
        assert page.input_value(f"#{first}") == long_words, f"{kind.key}: the words are still on screen"
        for key in texts[1:]:
            assert page.input_value(f"#{key}") == words[key], kind.key
        for key, value in choices.items():
            assert page.is_checked(f"input[name={key}][value={value}]"), kind.key
        assert len(stored(member)) == number - 1, f"{kind.key}: nothing stored when refused"
        if number == 1:
            checked(page)

        page.fill(f"#{first}", words[first])
        page.click("#submit")
        page.wait_for_url(SENT)
        assert "Sent! Thank you for telling us." in page.inner_text("main")
        entries = stored(member)
        assert len(entries) == number, f"{kind.key}: stored once"
        assert (entries[-1].kind, dict(entries[-1].answers)) == (kind.key, {**words, **choices})
        if kind.urgent:
            assert NO_PROMISE not in page.inner_text("main")
    # With the statements: "Something happened" and a complaint for both, "My life" for young people.
    assert len(offered) == (8 + 2 if role == "parent" else 7 + 3)


def test_talk_pressed_with_nothing_typed_reaches_the_worker(page, family, checked):
    child = family["young_person"]
    sign_in_member(page, child.user)
    page.goto("/my/views/new/talk")
    page.click("#submit")
    page.wait_for_url(SENT)
    main = page.inner_text("main")
    assert "Sent! Thank you for telling us." in main
    assert "Your worker has been told today." in main and NO_PROMISE not in main
    assert "999" in main and "0800 1111" in main
    [entry] = stored(child)
    assert (entry.kind, entry.urgent, dict(entry.answers)) == ("talk", True, {})
    told = db_session().scalars(select(Notification).where(Notification.user_id == family["worker"].id)).all()
    assert [(n.kind, n.entry_id) for n in told] == [("urgent", entry.id)]
    checked(page)


def _write_offline(page: Page, words: str) -> None:
    page.fill("#what_happened", words)
    page.click("#submit")
    page.locator("[data-offline-message]").wait_for(state="visible")


def test_a_refused_offline_draft_is_kept_to_fix_and_the_next_draft_still_goes(page, context, family, checked):
    child = family["young_person"]
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    first_id = page.input_value("input[name=client_id]")
    context.set_offline(True)
    long_words = "The longest day " + "x" * 5000
    lift_the_length_limit(page)
    _write_offline(page, long_words)
    _write_offline(page, "We made pancakes")
    ids = [d["fields"]["client_id"] for d in kept_drafts(page)]
    assert ids[0] == first_id and len(set(ids + [page.input_value("input[name=client_id]")])) == 3, "a new id after each kept draft"

    context.set_offline(False)
    page.goto("/my/views")
    page.wait_for_function(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('fv-outbox:'))"
        ".flatMap((k) => JSON.parse(localStorage.getItem(k))).every((d) => d.refused)"
    )
    refused = page.locator("[data-outbox-refused] li")
    refused.wait_for()
    assert [e.answers for e in stored(child)] == [{"what_happened": "We made pancakes"}], "the next draft is not held up"
    [kept] = kept_drafts(page)
    assert kept["fields"]["what_happened"] == long_words and kept["refused"] == TOO_LONG
    listed = refused.inner_text()
    assert "Good news" in listed and TOO_LONG in listed
    assert page.locator("[data-outbox-status]").is_hidden(), "nothing is waiting to be sent"
    checked(page)

    page.click("[data-outbox-refused] li a")
    page.wait_for_url(re.compile(r".*/my/views/new/good_news#draft=.*"))
    assert page.input_value("#what_happened") == long_words
    assert TOO_LONG in page.locator("[data-draft-refused]").inner_text()
    checked(page)
    page.fill("#what_happened", "The longest day of the summer")
    page.click("#submit")
    page.wait_for_url(SENT)
    assert [e.answers["what_happened"] for e in stored(child)] == ["We made pancakes", "The longest day of the summer"]
    assert kept_drafts(page) == []
    page.goto("/my/views")
    assert page.locator("[data-outbox-refused] li").count() == 0


def test_a_server_error_keeps_the_draft_and_it_is_tried_again_after_5_10_20_seconds(routed_page, family):
    page, context = routed_page, routed_page.context
    child = family["young_person"]
    failures: list[str] = []

    def fail_three_times(route: Route) -> None:
        if len(failures) < 3:
            failures.append(route.request.url)
            route.fulfill(status=503, content_type="text/html", body="<h1>Down for a moment</h1>")
        else:
            route.continue_()

    page.clock.install()
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    context.set_offline(True)
    _write_offline(page, "Written while the server was down")
    page.route("**/my/outbox", fail_three_times)
    with page.expect_response("**/my/outbox"):
        context.set_offline(False)  # the phone's "online" event sends it at once
    page.evaluate("() => 1")  # let the answer arrive
    assert len(failures) == 1 and len(kept_drafts(page)) == 1

    page.clock.run_for(4_000)
    assert len(failures) == 1, "no second try before 5 seconds"
    with page.expect_response("**/my/outbox"):
        page.clock.run_for(1_500)
    page.clock.run_for(9_000)
    assert len(failures) == 2, "then 10 seconds"
    with page.expect_response("**/my/outbox"):
        page.clock.run_for(1_500)
    page.clock.run_for(19_000)
    assert len(failures) == 3 and stored(child) == [], "then 20 seconds"
    with page.expect_response("**/my/outbox"):
        page.clock.run_for(1_500)
    page.clock.resume()  # the page's clock runs again, so that waiting below can poll
    page.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('fv-outbox:'))")
    assert [e.answers for e in stored(child)] == [{"what_happened": "Written while the server was down"}]
    assert db_session().scalar(select(func.count(Entry.id))) == 1


def test_a_refused_draft_is_deleted_only_when_the_family_member_says_so(page, family):
    sign_in_member(page, family["young_person"].user)
    page.goto("/my/views")
    page.evaluate(
        """() => localStorage.setItem('fv-outbox:' + document.body.dataset.outboxUser, JSON.stringify([{
          kind: 'good_news', language: 'en', saved_at: Date.now(),
          fields: {client_id: 'refused-draft-1', what_happened: 'Too long'}, refused: 'Please write at most 5000 characters.'}]))"""
    )
    page.reload()
    item = page.locator("[data-outbox-refused] li")
    assert "Good news" in item.inner_text(), "a draft kept by an older page still shows its kind's name"
    page.once("dialog", lambda dialog: dialog.dismiss())
    item.get_by_role("button", name="Delete it").click()
    assert len(kept_drafts(page)) == 1 and item.count() == 1, "kept when they change their mind"
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Delete it").click()
    assert kept_drafts(page) == [] and page.locator("[data-outbox-refused]").is_hidden()


def _on_post(status: int, body: str) -> Any:
    """Answer the form's POST with this status and page; let every other request through."""

    def handle(route: Route) -> None:
        if route.request.method == "POST":
            route.fulfill(status=status, content_type="text/html", body=body)
        else:
            route.continue_()

    return handle


def test_a_server_error_while_online_keeps_the_words_and_says_so_truthfully(routed_page, family):
    page = routed_page
    child = family["young_person"]
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    page.route("**/my/views/new/good_news", _on_post(500, "<main><h1>Something went wrong</h1></main>"))
    page.fill("#what_happened", "We went to the seaside")
    page.click("#submit")
    message = page.locator("[data-offline-message]")
    message.wait_for(state="visible")
    assert "Something went wrong on our side" in message.inner_text() and "No internet" not in message.inner_text()
    assert [d["fields"]["what_happened"] for d in kept_drafts(page)] == ["We went to the seaside"]
    page.unroute("**/my/views/new/good_news")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('fv-outbox:'))")
    assert [e.answers for e in stored(child)] == [{"what_happened": "We went to the seaside"}]


def test_a_refusal_that_is_not_the_form_shows_the_servers_words_and_leaves_the_childs(routed_page, family):
    page = routed_page
    sign_in_member(page, family["young_person"].user)
    page.goto("/my/views/new/good_news")
    page.route("**/my/views/new/good_news", _on_post(404, "<main><h1>Page not found</h1><p>It may have moved.</p></main>"))
    page.fill("#what_happened", "We went to the seaside")
    page.click("#submit")
    message = page.locator("[data-offline-message]")
    message.wait_for(state="visible")
    assert message.inner_text() == "Page not found It may have moved."
    assert page.input_value("#what_happened") == "We went to the seaside"
    assert kept_drafts(page) == [] and stored(family["young_person"]) == []


def test_an_expired_form_is_sent_with_a_fresh_token_once(page, family):
    child = family["young_person"]
    sign_in_member(page, child.user)
    page.goto("/my/views/new/good_news")
    page.evaluate("() => { document.querySelector('form[data-offline-form] input[name=csrf_token]').value = 'expired-token'; }")
    page.fill("#what_happened", "Left the page open all afternoon")
    page.click("#submit")
    page.wait_for_url(SENT)
    assert [e.answers for e in stored(child)] == [{"what_happened": "Left the page open all afternoon"}]


def test_an_id_the_server_put_in_the_form_is_kept_and_a_new_one_made_after_a_draft_is_kept(routed_page, family):
    child = family["young_person"]
    page, context = routed_page, routed_page.context
    served: list[str] = []

    def note_the_server_id(route: Route) -> None:
        answer = route.fetch()
        served.extend(re.findall(r'name="client_id" type="hidden" value="([^"]+)"', answer.text()))
        route.fulfill(response=answer)

    sign_in_member(page, child.user)
    page.route("**/my/views/new/good_news", note_the_server_id)
    page.goto("/my/views/new/good_news")
    assert len(served) == 1 and served[0], "the server draws the form with its own id"
    server_id = served[0]
    assert page.input_value("input[name=client_id]") == server_id
    context.set_offline(True)
    _write_offline(page, "Written on the bus")
    assert [d["fields"]["client_id"] for d in kept_drafts(page)] == [server_id]
    assert page.input_value("input[name=client_id]") not in ("", server_id), "the next draft is a new one"
    _write_offline(page, "Written on the way home")
    context.set_offline(False)
    page.unroute("**/my/views/new/good_news")
    page.goto("/my/views")
    page.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('fv-outbox:'))")
    assert [(e.client_id == server_id, e.answers["what_happened"]) for e in stored(child)] == [
        (True, "Written on the bus"),
        (False, "Written on the way home"),
    ]
