"""The JSON API: team-scoped tokens, cursor pages, clear errors, and responses that match the document."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.result import Ok
from sqlalchemy import select

from webapp.api import tokens
from webapp.api.models import ApiToken
from webapp.audit.models import AuditEvent
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.reviews.models import Review, ReviewItem
from webapp.worries.models import Worry, WorryMember, WorryScore

from . import factories
from .helpers import signed_in, text


def make_token(world: dict[str, Any], team: str = "team_a") -> str:
    manager = world["manager_a" if team == "team_a" else "manager_b"]
    _token, secret = tokens.create(world[team].id, "Case system", manager.id)
    db_session().commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def add_entries(member: Any, count: int, start_minutes_ago: int = 600, *, same_time: bool = False) -> list[Entry]:
    now = utcnow()
    rows = [
        Entry(member_id=member.id, family_id=member.family_id, kind="good_news", language="en",
              answers={"what_happened": f"Entry {n}"},
              created_at=now - timedelta(minutes=start_minutes_ago - (0 if same_time else n)))
        for n in range(count)
    ]
    db_session().add_all(rows)
    db_session().commit()
    return rows


def add_score_and_review(world: dict[str, Any], entry: Entry) -> None:
    """A reply, a worry with a score, and a finished review, so every field has a value."""
    entry.read_at = utcnow()
    entry.feeling = "happy"
    db_session().add(EntryReply(entry_id=entry.id, author_id=world["worker_a"].id, body="Well done"))
    worry = Worry(family_id=world["family"].id, wording="Shouting", meaning_0="0", meaning_10="10",
                  applies_to=[WorryMember(member_id=world["child"].id)])
    db_session().add(worry)
    db_session().flush()
    db_session().add(WorryScore(worry_id=worry.id, member_id=world["child"].id, score=7, one_point_higher="Less shouting"))
    review = Review(family_id=world["family"].id, period_start=utcnow().date() - timedelta(days=30),
                    period_end=utcnow().date(), analysis={"worker_analysis": "Better"}, status="final", finalised_at=utcnow())
    review.items = [ReviewItem(member_id=world["child"].id, source="entry", source_id=entry.id, quote={"title": "Good news"})]
    db_session().add(review)
    world["family"].reference = "EH-123"
    world["other_family"].closed_at = utcnow()
    db_session().commit()


def all_pages(client: Any, url: str, secret: str, **query: Any) -> list[int]:
    """The ids of every record, following next_cursor to the end."""
    seen: list[int] = []
    while True:
        body = client.get(url, query_string=query, headers=bearer(secret)).get_json()
        seen += [row["id"] for row in body["data"]]
        if body["next_cursor"] is None:
            return seen
        query["cursor"] = body["next_cursor"]


# --- Tokens, made and revoked by managers.


def test_a_manager_makes_a_token_that_is_shown_once_and_stored_only_as_a_hash(app, world):
    manager = signed_in(app, world["manager_a"])
    page = text(manager.submit("/staff/api-tokens/", {"name": "Nightly import"}))
    found = re.search(r'data-testid="api-token">([^<]+)<', page)
    assert found is not None, "the new token is shown"
    secret = found.group(1)
    assert "shown only this once" in page
    stored = db_session().scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (stored.team_id, stored.name, stored.created_by_id) == (world["team_a"].id, "Nightly import", world["manager_a"].id)
    listing = text(manager.get("/staff/api-tokens/"))
    assert secret not in listing, "never shown again"
    assert "Nightly import" in listing and stored.prefix in listing and stored.prefix != secret
    assert app.test_client().get("/api/v1/families", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name(app, world):
    response = signed_in(app, world["manager_a"]).submit("/staff/api-tokens/", {"name": "  "})
    assert response.status_code == 400
    assert "Please say what the token is for." in text(response)
    assert db_session().scalar(select(ApiToken)) is None


def test_revoking_a_token_stops_it_working(app, world):
    secret = make_token(world)
    manager = signed_in(app, world["manager_a"])
    token_id = db_session().scalar(select(ApiToken.id))
    manager.submit(f"/staff/api-tokens/{token_id}/revoke", page="/staff/api-tokens/")
    response = app.test_client().get("/api/v1/families", headers=bearer(secret))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]
    assert db_session().scalar(select(AuditEvent).where(AuditEvent.action == "api_token_revoked")) is not None


@pytest.mark.parametrize("who", ["worker_a", "child", "parent"])
def test_only_managers_can_manage_tokens(app, world, who):
    make_token(world)
    token_id = db_session().scalar(select(ApiToken.id))
    user = world[who] if who == "worker_a" else world[who].user
    browser = signed_in(app, user)
    assert browser.get("/staff/api-tokens/").status_code == 404
    assert browser.submit(f"/staff/api-tokens/{token_id}/revoke", page="/settings").status_code == 404
    assert db_session().get_one(ApiToken, token_id).revoked_at is None


def test_another_teams_manager_neither_sees_nor_revokes_a_token(app, world):
    make_token(world)
    token = db_session().scalars(select(ApiToken)).one()
    other = signed_in(app, world["manager_b"])
    assert token.prefix not in text(other.get("/staff/api-tokens/"))
    assert other.submit(f"/staff/api-tokens/{token.id}/revoke", page="/staff/api-tokens/").status_code == 404
    db_session().refresh(token)
    assert token.revoked_at is None


# --- Who gets in.


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer fv_" + "x" * 40, "Bearer"])
def test_requests_without_a_valid_token_get_401_json(client, world, header):
    response = client.get("/api/v1/entries", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.get_json()["error"]


def test_the_bearer_scheme_is_case_insensitive(client, world):
    secret = make_token(world)
    assert client.get("/api/v1/families", headers={"Authorization": f"bearer {secret}"}).status_code == 200


@pytest.mark.parametrize("who", ["manager_a", "worker_a", "child", "parent"])
def test_a_signed_in_browser_session_does_not_open_the_api(app, world, who):
    user = world[who] if who in ("manager_a", "worker_a") else world[who].user
    browser = signed_in(app, user)
    for url in ("/api/v1/families", "/api/v1/entries", f"/api/v1/families/{world['family'].id}/entries"):
        response = browser.get(url)
        assert response.status_code == 401, url
        assert "error" in response.get_json()


def test_a_browser_session_beside_a_token_is_not_written_as_the_reader(app, world):
    secret = make_token(world)
    browser = signed_in(app, world["manager_a"])
    assert browser.get(f"/api/v1/families/{world['family'].id}/entries", headers=bearer(secret)).status_code == 200
    event = db_session().scalars(select(AuditEvent).where(AuditEvent.action == "api_entries_read")).one()
    assert event.actor_id is None and event.target.startswith("api-token:")


def test_a_token_sees_only_its_own_teams_families(client, world):
    secret = make_token(world)
    add_entries(world["child"], 2)
    add_entries(factories.member(world["family_b"], "young_person"), 2)
    listed = client.get("/api/v1/families", headers=bearer(secret)).get_json()["data"]
    assert {f["name"] for f in listed} == {"The Test family", "The Other family"}
    family_b = world["family_b"].id
    for path in ("entries", "worry-scores", "reviews"):
        for family_id in (family_b, 999999, 2**40):
            response = client.get(f"/api/v1/families/{family_id}/{path}", headers=bearer(secret))
            assert response.status_code == 404, (path, family_id)
            assert response.get_json() == {"error": "Not found."}
    everything = client.get("/api/v1/entries", headers=bearer(secret)).get_json()["data"]
    assert {e["family_id"] for e in everything} == {world["family"].id}


def test_team_b_token_sees_nothing_of_team_a(client, world):
    secret = make_token(world, "team_b")
    add_entries(world["child"], 2)
    assert [f["name"] for f in client.get("/api/v1/families", headers=bearer(secret)).get_json()["data"]] == ["Team B family"]
    assert client.get("/api/v1/entries", headers=bearer(secret)).get_json()["data"] == []
    assert client.get(f"/api/v1/families/{world['family'].id}/entries", headers=bearer(secret)).status_code == 404


# --- Pages, since and cursors.


def test_pages_follow_a_cursor_and_send_each_entry_exactly_once(client, world):
    secret = make_token(world)
    made = add_entries(world["child"], 7)
    assert all_pages(client, f"/api/v1/families/{world['family'].id}/entries", secret, limit=3) == [e.id for e in made]


def test_entries_written_at_the_same_moment_are_neither_lost_nor_repeated(client, world):
    secret = make_token(world)
    made = add_entries(world["child"], 5, same_time=True) + add_entries(world["other_child"], 4, same_time=True)
    seen = all_pages(client, "/api/v1/entries", secret, limit=2)
    assert sorted(seen) == sorted(e.id for e in made) and len(seen) == len(set(seen))


def test_polling_with_since_brings_only_what_is_new(client, world):
    secret = make_token(world)
    first = add_entries(world["child"], 3, start_minutes_ago=60)
    body = client.get("/api/v1/entries", headers=bearer(secret)).get_json()
    assert [e["id"] for e in body["data"]] == [e.id for e in first]
    last_seen = body["data"][-1]["created_at"]
    later = add_entries(world["other_child"], 2, start_minutes_ago=10)
    assert all_pages(client, "/api/v1/entries", secret, since=last_seen, limit=1) == [e.id for e in later]


def test_since_returns_only_newer_entries(client, world):
    secret = make_token(world)
    made = add_entries(world["child"], 4)
    since = made[1].created_at.isoformat()
    body = client.get("/api/v1/entries", query_string={"since": since}, headers=bearer(secret)).get_json()
    assert [e["id"] for e in body["data"]] == [made[2].id, made[3].id]
    assert body["next_cursor"] is None


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2026-11-01T09:00:00z", "2026-11-01"])
def test_any_real_moment_is_accepted_as_since(client, world, since):
    secret = make_token(world)
    assert client.get("/api/v1/entries", query_string={"since": since}, headers=bearer(secret)).status_code == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("since", "yesterday"), ("since", "2026-13-01T00:00:00Z"), ("limit", "0"), ("limit", "201"), ("limit", "ten"),
        ("limit", "²"), ("limit", "-1"), ("cursor", "not-a-cursor"), ("cursor", "W10"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, world, name, value):
    secret = make_token(world)
    response = client.get("/api/v1/entries", query_string={name: value}, headers=bearer(secret))
    assert response.status_code == 400
    assert f"'{name}'" in response.get_json()["error"]


def test_a_cursor_works_only_unchanged_and_in_its_own_list(client, world):
    secret = make_token(world)
    add_entries(world["child"], 3)
    family_entries = f"/api/v1/families/{world['family'].id}/entries"
    cursor = client.get(family_entries, query_string={"limit": 1}, headers=bearer(secret)).get_json()["next_cursor"]
    assert client.get(family_entries, query_string={"cursor": cursor}, headers=bearer(secret)).status_code == 200
    # Change a whole character of the signature: the last one of base64 may carry only padding bits.
    payload, signature = cursor.rsplit(".", 1)
    tampered = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert client.get(family_entries, query_string={"cursor": tampered}, headers=bearer(secret)).status_code == 400
    assert client.get("/api/v1/families", query_string={"cursor": cursor}, headers=bearer(secret)).status_code == 400


# --- What the API says.


def test_entries_scores_and_reviews_carry_what_families_sent(client, world):
    secret = make_token(world)
    entry = add_entries(world["child"], 1)[0]
    add_score_and_review(world, entry)
    family = world["family"].id
    entries = client.get(f"/api/v1/families/{family}/entries", headers=bearer(secret)).get_json()["data"]
    assert entries[0]["answers"] == {"what_happened": "Entry 0"} and entries[0]["replies"][0]["body"] == "Well done"
    assert entries[0]["replies"][0]["author"] == "Worker A" and entries[0]["read_at"] and entries[0]["feeling"] == "happy"
    scores = client.get(f"/api/v1/families/{family}/worry-scores", headers=bearer(secret)).get_json()["data"]
    assert (scores[0]["worry"], scores[0]["score"], scores[0]["one_point_higher"]) == ("Shouting", 7, "Less shouting")
    reviews = client.get(f"/api/v1/families/{family}/reviews", headers=bearer(secret)).get_json()["data"]
    assert reviews[0]["analysis"] == {"worker_analysis": "Better"} and reviews[0]["items"][0]["source"] == "entry"
    assert reviews[0]["status"] == "final" and reviews[0]["finalised_at"]
    families = {f["name"]: f for f in client.get("/api/v1/families", headers=bearer(secret)).get_json()["data"]}
    test_family = families["The Test family"]
    assert (test_family["reference"], test_family["lead_worker"], test_family["closed_at"]) == ("EH-123", "Worker A", None)
    assert families["The Other family"]["closed_at"]
    absent = next(m for m in test_family["members"] if m["display_name"] == "Absent parent")
    assert (absent["role"], absent["restricted"], absent["age_band"]) == ("parent", True, "adult")


@pytest.mark.parametrize(
    ("path", "action"), [("entries", "api_entries_read"), ("worry-scores", "api_scores_read"), ("reviews", "api_reviews_read"), ("chronology", "api_chronology_read")]
)
def test_every_read_of_a_familys_records_is_audited(client, world, path, action):
    secret = make_token(world)
    client.get(f"/api/v1/families/{world['family'].id}/{path}", headers=bearer(secret))
    event = db_session().scalar(select(AuditEvent).where(AuditEvent.action == action))
    assert event is not None and event.family_id == world["family"].id and event.team_id == world["team_a"].id
    assert event.actor_id is None and event.target.endswith(":Case system")


def test_unknown_api_urls_and_methods_answer_json(client, world):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not found."}
    response = client.post("/api/v1/families", headers=bearer(make_token(world)))
    assert response.status_code == 405
    assert response.get_json()["error"]


# --- The document, and every response checked against it.


def test_the_api_matches_its_openapi_document(app, world):
    """Schemathesis generates requests for every operation: no 500s, every response as documented."""
    secret = make_token(world)
    add_score_and_review(world, add_entries(world["child"], 3)[0])
    add_entries(world["other_child"], 2)
    family_id = world["family"].id
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() if isinstance(result, Ok) else pytest.fail(str(result.err())) for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            # A cursor is a value the API itself signed; any other string is rightly a 400, which
            # the document describes but cannot rule out in advance. Cursors are tested above.
            excluded = [positive_data_acceptance] if (case.query or {}).get("cursor") is not None else []
            response = case.call_and_validate(headers=bearer(secret), excluded_checks=excluded)
            assert response.status_code < 500
            if case.path_parameters:
                # Random ids are almost never the family's: ask for the real one too.
                case.path_parameters["family_id"] = family_id
                case.call_and_validate(headers=bearer(secret), excluded_checks=excluded)

        check()


def test_the_document_lists_every_api_route(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = {re.sub(r"<int:(\w+)>", r"{\1}", r.rule).removeprefix("/api/v1") for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    assert routes - {"/openapi.json"} == set(document["paths"])
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "A token made by a team manager."
    }


def _named(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema itself, or the component its $ref names."""
    return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema


def _fields_missing_from(document: dict[str, Any], schema: dict[str, Any], value: Any, where: str) -> list[str]:
    """Every field in `value`, however deep, that `schema` does not describe."""
    schema = _named(document, schema)
    if isinstance(value, dict) and "properties" in schema:
        missing = [f"{where}.{key}" for key in value if key not in schema["properties"]]
        return missing + [
            problem for key, item in value.items() if key in schema["properties"]
            for problem in _fields_missing_from(document, schema["properties"][key], item, f"{where}.{key}")
        ]
    if isinstance(value, list) and "items" in schema:
        return [problem for n, item in enumerate(value) for problem in _fields_missing_from(document, schema["items"], item, f"{where}[{n}]")]
    return []


def test_every_field_the_api_sends_is_in_its_document(client, world):
    secret = make_token(world)
    add_score_and_review(world, add_entries(world["child"], 2)[0])
    document = client.get("/api/v1/openapi.json").get_json()
    family = world["family"].id
    for path in ("/families", "/entries", f"/families/{family}/entries", f"/families/{family}/worry-scores", f"/families/{family}/reviews"):
        body = client.get(f"/api/v1{path}", query_string={"limit": 1}, headers=bearer(secret)).get_json()
        assert body["data"], path
        operation = document["paths"][re.sub(r"/families/\d+/", "/families/{family_id}/", path)]["get"]
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert _fields_missing_from(document, page, body, path) == []
        record = _named(document, _named(document, page)["properties"]["data"]["items"])
        assert set(body["data"][0]) == set(record["required"]) == set(record["properties"]), path


def test_the_document_is_valid_openapi_3(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.0")
    # Each record says what it is, for the developer who reads the document.
    assert all(schema.get("description") for schema in document["components"]["schemas"].values())


def test_the_interpreters_english_of_entries_and_score_reasons_comes_with_them_found_in_one_query_a_page(app, client, world):
    """A case system reads the interpreter's English beside a family member's own words (entries, and the reasons for a
    worry score); only an English of the words as they stand; the statements a page sends do not grow with its rows."""
    from sqlalchemy import event

    from webapp.translations_content import services as translated

    secret = make_token(world)
    family, child, worker = world["family"], world["child"], world["worker_a"]
    worry = Worry(family_id=family.id, wording="Shouting", meaning_0="0", meaning_10="10", applies_to=[WorryMember(member_id=child.id)])
    db_session().add(worry)
    db_session().flush()
    polish = WorryScore(worry_id=worry.id, member_id=child.id, score=4, what_makes_it="Tata krzyczy mniej", one_point_higher="Cisza")
    other = WorryScore(worry_id=worry.id, member_id=child.id, score=5, what_makes_it="Nie wiem")
    db_session().add_all([polish, other])
    db_session().flush()
    translated.save_member_english(family, "worry-score", polish, "Dad shouts less / Quiet", worker.id, "Anna Nowak")
    db_session().commit()

    scores = {s["id"]: s for s in client.get(f"/api/v1/families/{family.id}/worry-scores", headers=bearer(secret)).get_json()["data"]}
    assert scores[polish.id]["what_makes_it"] == "Tata krzyczy mniej", "the member's own words, as they wrote them"
    assert scores[polish.id]["english"]["text"] == "Dad shouts less / Quiet"
    assert scores[polish.id]["english"]["interpreter_name"] == "Anna Nowak"
    assert scores[polish.id]["english"]["translated_by"] == worker.display_name
    assert scores[other.id]["english"] is None
    # Reasons changed after the English was made: the API sends no English of words that are no longer there.
    polish.what_makes_it = "Tata krzyczy tak samo"
    db_session().commit()
    scores = {s["id"]: s for s in client.get(f"/api/v1/families/{family.id}/worry-scores", headers=bearer(secret)).get_json()["data"]}
    assert scores[polish.id]["english"] is None

    sent: list[str] = []

    def counted(path: str) -> tuple[int, list[dict[str, Any]]]:
        sent.clear()
        data = client.get(path, headers=bearer(secret)).get_json()["data"]
        return len(sent), data

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    def with_english(count_of: int) -> None:
        for entry in add_entries(child, count_of):
            translated.save_entry_english(entry, f"In English: {entry.answers['what_happened']}", worker.id)
        db_session().commit()

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        with_english(2)
        few, data = counted("/api/v1/entries")
        assert [e["english"]["text"] for e in data] == ["In English: Entry 0", "In English: Entry 1"]
        with_english(10)
        many, data = counted("/api/v1/entries")
        assert len(data) == 12 and all(e["english"]["translated_by"] == worker.display_name for e in data)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert many == few, "the English of a page of entries is found in one query, not one per entry"
