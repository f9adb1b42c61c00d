"""The JSON API a case management system polls for what families sent: /api/v1."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Blueprint, Response, current_app, g, jsonify, request
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from webapp import audit, policy
from webapp.api import DEFAULT_LIMIT, MAX_LIMIT, tokens
from webapp.contacts import services as chronology
from webapp.db import db_session
from webapp.entries.models import Entry, EntryReply
from webapp.extensions import csrf, login_manager
from webapp.families.models import Family
from webapp.reviews.models import Review
from webapp.worries.models import Worry, WorryScore

if TYPE_CHECKING:
    # The response models (pydantic) load with the first API request, not when the app starts.
    from webapp.api import schemas

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # tokens, not cookies, authenticate here: there is no session to forge requests with

F = TypeVar("F", bound=Callable[..., Any])
Record = TypeVar("Record", bound="schemas.Schema")


class BadRequest(ValueError):
    pass


@bp.before_request
def ignore_browser_sessions() -> None:
    # Only a token opens the API. A browser's session cookie must neither authenticate a request
    # nor make its audit events look like that person's (Flask-Login reads g._login_user first).
    g._login_user = login_manager.anonymous_user()


def error(status: int, message: str) -> Response:
    from webapp.api import schemas

    response = jsonify(schemas.Error(error=message).model_dump(mode="json"))
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="Family Voice API"'
    return response


def token_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = tokens.authenticate(request.headers.get("Authorization"))
        if token is None:
            return error(401, "A valid API token is needed: send 'Authorization: Bearer <token>'.")
        g.api_token = token
        try:
            return view(*args, **kwargs)
        except BadRequest as problem:
            return error(400, str(problem))

    return wrapped  # type: ignore[return-value]


def _since() -> datetime | None:
    raw = request.args.get("since")
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.strip().upper())
    except ValueError as problem:
        raise BadRequest("'since' must be a date and time in ISO 8601, for example 2026-11-01T09:00:00Z.") from problem
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # A valid moment whose offset takes it past the first or last day Python can count.
        return datetime.min.replace(tzinfo=UTC) if value.year == 1 else datetime.max.replace(tzinfo=UTC)


def _limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    # Only ASCII digits: str.isdigit() also accepts "²", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(f"'limit' must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def _cursors() -> URLSafeSerializer:
    """Signs cursors, so a page starts only where this API said the last one ended, in the same list."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"api-cursor:{request.endpoint}")


def _encode_cursor(when: datetime, row_id: int) -> str:
    return _cursors().dumps([when.isoformat(), row_id])


def _decode_cursor(raw: str) -> tuple[datetime, int]:
    try:
        when, row_id = _cursors().loads(raw)
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None or not isinstance(row_id, int) or isinstance(row_id, bool):
            raise ValueError
        return moment, row_id
    except (BadData, ValueError, TypeError) as problem:
        raise BadRequest("'cursor' is not one this API gave out for this list. Start again without it.") from problem


def _page(
    query: Select[Any], created: Any, key: Any, page: type[schemas.Page[Record]], present: Callable[[Sequence[Any]], list[Record]]
) -> Response:
    """Oldest first, `limit` at a time; `next_cursor` continues exactly after the last one sent."""
    since = _since()
    limit = _limit()
    if since is not None:
        query = query.where(created > since)
    cursor = request.args.get("cursor")
    if cursor:
        when, last_id = _decode_cursor(cursor)
        query = query.where(or_(created > when, and_(created == when, key > last_id)))
    rows = db_session().scalars(query.order_by(created, key).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode_cursor(getattr(rows[-1], created.key), getattr(rows[-1], key.key)) if more and rows else None
    return jsonify(page(data=present(rows), next_cursor=next_cursor).model_dump(mode="json"))


def _family(family_id: int) -> Family:
    return policy.api_family_or_404(g.api_token, family_id)


def _audit(action: str, family_id: int | None) -> None:
    audit.record(action, family_id=family_id, target=f"api-token:{g.api_token.id}:{g.api_token.name}", team_id=g.api_token.team_id)


@bp.route("/openapi.json")
def openapi() -> Response:
    from webapp.api.openapi import document

    return jsonify(document())


@bp.route("/families")
@token_required
def families() -> Response:
    from webapp.api import schemas

    query = policy.api_families(g.api_token).options(selectinload(Family.members), joinedload(Family.lead_worker))
    _audit("api_families_listed", None)
    return _page(query, Family.created_at, Family.id, schemas.FamilyPage, lambda rows: [schemas.Family.of(row) for row in rows])


def _entries(query: Select[Entry]) -> Select[Entry]:
    return query.options(selectinload(Entry.replies).selectinload(EntryReply.author))


@bp.route("/entries")
@token_required
def entries() -> Response:
    from webapp.api import schemas

    _audit("api_entries_read", None)
    return _page(_entries(policy.api_entries(g.api_token)), Entry.created_at, Entry.id, schemas.EntryPage, schemas.Entry.page)


@bp.route("/families/<int:family_id>/entries")
@token_required
def family_entries(family_id: int) -> Response:
    from webapp.api import schemas

    family = _family(family_id)
    _audit("api_entries_read", family.id)
    return _page(_entries(select(Entry).where(Entry.family_id == family.id)), Entry.created_at, Entry.id, schemas.EntryPage, schemas.Entry.page)


@bp.route("/families/<int:family_id>/worry-scores")
@token_required
def family_scores(family_id: int) -> Response:
    from webapp.api import schemas

    family = _family(family_id)
    _audit("api_scores_read", family.id)
    query = (
        select(WorryScore)
        .join(Worry, Worry.id == WorryScore.worry_id)
        .where(Worry.family_id == family.id)
        .options(selectinload(WorryScore.worry))
    )
    return _page(query, WorryScore.created_at, WorryScore.id, schemas.WorryScorePage, schemas.WorryScore.page)


@bp.route("/families/<int:family_id>/reviews")
@token_required
def family_reviews(family_id: int) -> Response:
    from webapp.api import schemas

    family = _family(family_id)
    _audit("api_reviews_read", family.id)
    query = select(Review).where(Review.family_id == family.id).options(selectinload(Review.items))
    return _page(query, Review.created_at, Review.id, schemas.ReviewPage, lambda rows: [schemas.Review.of(row) for row in rows])


@bp.route("/families/<int:family_id>/chronology")
@token_required
def family_chronology(family_id: int) -> Response:
    from webapp.api import schemas

    family = _family(family_id)
    _audit("api_chronology_read", family.id)
    lines = chronology.chronology(family, policy.api_entries(g.api_token))
    return jsonify(schemas.Chronology(family_id=family.id, data=[schemas.ChronologyLine.of(line) for line in lines]).model_dump(mode="json"))
