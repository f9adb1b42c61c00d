"""The JSON API: team-scoped tokens, cursor pages, clear errors, and responses that match the document."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from webapp.api import tokens
from webapp.api.models import ApiToken
from webapp.audit.models import AuditEvent
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.reviews.models import Review, ReviewItem
from webapp.worries.models import Worry, WorryMember, WorryScore

from .helpers import signed_in, text


def make_token(world: dict[str, Any], team: str = "team_a") -> str:
    _token, secret = tokens.create(world[team].id, "Case system", world["manager_a"].id)
    db_session().commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def add_entries(member: Any, count: int, start_minutes_ago: int = 600) -> list[Entry]:
    now = utcnow()
    rows = [
        Entry(member_id=member.id, family_id=member.family_id, kind="good_news", language="en",
              answers={"what_happened": f"Entry {n}"}, created_at=now - timedelta(minutes=start_minutes_ago - n))
        for n in range(count)
    ]
    db_session().add_all(rows)
    db_session().commit()
    return rows


def test_a_manager_makes_a_token_that_is_shown_once_and_stored_only_as_a_hash(app, world):
    manager = signed_in(app, world["manager_a"])
    page = manager.submit("/staff/api-tokens/", {"name": "Nightly import"})
    secret = re.search(r'data-testid="api-token">([^<]+)<', text(page)).group(1)
    stored = db_session().scalar(select(ApiToken))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in text(manager.get("/staff/api-tokens/")), "never shown again"
    assert app.test_client().get("/api/v1/families", headers=bearer(secret)).status_code == 200


def test_revoking_a_token_stops_it_working(app, world):
    secret = make_token(world)
    manager = signed_in(app, world["manager_a"])
    token_id = db_session().scalar(select(ApiToken.id))
    manager.submit(f"/staff/api-tokens/{token_id}/revoke", page="/staff/api-tokens/")
    response = app.test_client().get("/api/v1/families", headers=bearer(secret))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("who", ["worker_a", "child", "parent"])
def test_only_managers_can_manage_tokens(app, world, who):
    user = world[who] if who == "worker_a" else world[who].user
    assert signed_in(app, user).get("/staff/api-tokens/").status_code == 404


def test_another_teams_manager_cannot_revoke_a_token(app, world):
    make_token(world)
    token_id = db_session().scalar(select(ApiToken.id))
    other = signed_in(app, world["manager_b"])
    assert other.submit(f"/staff/api-tokens/{token_id}/revoke", page="/staff/api-tokens/").status_code == 404
    assert db_session().get(ApiToken, token_id).revoked_at is None


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer fv_" + "x" * 40])
def test_requests_without_a_valid_token_get_401_json(client, world, header):
    response = client.get("/api/v1/entries", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert "token" in response.get_json()["error"]


def test_a_signed_in_browser_session_does_not_open_the_api(app, world):
    browser = signed_in(app, world["manager_a"])
    assert browser.get("/api/v1/families").status_code == 401


def test_a_token_sees_only_its_own_teams_families(client, world):
    secret = make_token(world)
    add_entries(world["child"], 2)
    family_b_member = __import__("tests.factories", fromlist=["member"]).member(world["family_b"], "young_person")
    add_entries(family_b_member, 2)
    listed = client.get("/api/v1/families", headers=bearer(secret)).get_json()["data"]
    assert {f["name"] for f in listed} == {"The Test family", "The Other family"}
    assert client.get(f"/api/v1/families/{world['family_b'].id}/entries", headers=bearer(secret)).status_code == 404
    assert client.get("/api/v1/families/999999/entries", headers=bearer(secret)).status_code == 404
    everything = client.get("/api/v1/entries", headers=bearer(secret)).get_json()["data"]
    assert {e["family_id"] for e in everything} == {world["family"].id}


def test_pages_follow_a_cursor_and_send_each_entry_exactly_once(client, world):
    secret = make_token(world)
    made = add_entries(world["child"], 7)
    seen: list[int] = []
    url = f"/api/v1/families/{world['family'].id}/entries?limit=3"
    while url:
        body = client.get(url, headers=bearer(secret)).get_json()
        seen += [e["id"] for e in body["data"]]
        url = f"/api/v1/families/{world['family'].id}/entries?limit=3&cursor={body['next_cursor']}" if body["next_cursor"] else ""
    assert seen == [e.id for e in made]


def test_since_returns_only_newer_entries(client, world):
    secret = make_token(world)
    made = add_entries(world["child"], 4)
    since = made[1].created_at.isoformat()
    body = client.get("/api/v1/entries", query_string={"since": since}, headers=bearer(secret)).get_json()
    assert [e["id"] for e in body["data"]] == [made[2].id, made[3].id]


@pytest.mark.parametrize(
    "query",
    [{"since": "yesterday"}, {"limit": "0"}, {"limit": "201"}, {"limit": "ten"}, {"cursor": "not-a-cursor"}, {"cursor": "W10"}],
)
def test_bad_parameters_get_a_clear_400(client, world, query):
    secret = make_token(world)
    response = client.get("/api/v1/entries", query_string=query, headers=bearer(secret))
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_entries_scores_and_reviews_carry_what_families_sent(client, world):
    secret = make_token(world)
    entry = add_entries(world["child"], 1)[0]
    db_session().add(EntryReply(entry_id=entry.id, author_id=world["worker_a"].id, body="Well done"))
    worry = Worry(family_id=world["family"].id, wording="Shouting", meaning_0="0", meaning_10="10",
                  applies_to=[WorryMember(member_id=world["child"].id)])
    db_session().add(worry)
    db_session().flush()
    db_session().add(WorryScore(worry_id=worry.id, member_id=world["child"].id, score=7, one_point_higher="Less shouting"))
    review = Review(family_id=world["family"].id, period_start=utcnow().date(), period_end=utcnow().date(), analysis={"worker_analysis": "Better"})
    review.items = [ReviewItem(member_id=world["child"].id, source="entry", source_id=entry.id, quote={"title": "Good news"})]
    db_session().add(review)
    db_session().commit()
    family = world["family"].id
    entries = client.get(f"/api/v1/families/{family}/entries", headers=bearer(secret)).get_json()["data"]
    assert entries[0]["answers"] == {"what_happened": "Entry 0"} and entries[0]["replies"][0]["body"] == "Well done"
    scores = client.get(f"/api/v1/families/{family}/worry-scores", headers=bearer(secret)).get_json()["data"]
    assert (scores[0]["worry"], scores[0]["score"], scores[0]["one_point_higher"]) == ("Shouting", 7, "Less shouting")
    reviews = client.get(f"/api/v1/families/{family}/reviews", headers=bearer(secret)).get_json()["data"]
    assert reviews[0]["analysis"] == {"worker_analysis": "Better"} and reviews[0]["items"][0]["source"] == "entry"


def test_every_read_of_a_familys_records_is_audited(client, world):
    secret = make_token(world)
    client.get(f"/api/v1/families/{world['family'].id}/entries", headers=bearer(secret))
    event = db_session().scalar(select(AuditEvent).where(AuditEvent.action == "api_entries_read"))
    assert event is not None and event.family_id == world["family"].id and event.team_id == world["team_a"].id


def test_unknown_api_urls_answer_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not found."}


# --- The document, and every response checked against it.


def test_the_api_matches_its_openapi_document(app, world):
    """Schemathesis generates requests for every operation: no 500s, every response as documented."""
    secret = make_token(world)
    add_entries(world["child"], 3)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            # A cursor is an opaque value the API itself gave out, so any other string is rightly a
            # 400 that the document can only describe as "a string"; cursors are tested above.
            if case.query:
                case.query.pop("cursor", None)
            response = case.call_and_validate(headers=bearer(secret))
            assert response.status_code < 500

        check()


def test_the_document_lists_every_api_route(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = {re.sub(r"<int:(\w+)>", r"{\1}", r.rule).removeprefix("/api/v1") for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    assert routes - {"/openapi.json"} == set(document["paths"])


def test_no_test_left_a_token_behind(world):
    assert db_session().scalar(select(func.count(ApiToken.id))) == 0
