"""What a load balancer or a monitor asks: is the process up (/healthz), can it serve (/readyz).

Both answer a few words of JSON, never cached, never a session cookie, never a record's data.
/readyz tries the database and, when the rate limits are kept in Redis, Redis too, each with a
short timeout: a server that cannot reach them answers 503 and the proxy sends people elsewhere.
"""

from __future__ import annotations

from typing import Any

import redis
from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

bp = Blueprint("health", __name__)

REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "unix://")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    return jsonify(status="ok"), 200


def _database_ok() -> bool:
    engine: Engine = current_app.extensions["db_engine"]
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def _redis_client() -> redis.Redis | None:
    """A client of the rate-limit store when it is Redis, made once per app; None when limits are kept in memory."""
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI") or "")
    if not uri.startswith(REDIS_SCHEMES):
        return None
    client: redis.Redis | None = current_app.extensions.get("health_redis")
    if client is None:
        client = redis.Redis.from_url(uri, socket_connect_timeout=1, socket_timeout=1)
        current_app.extensions["health_redis"] = client
    return client


def _redis_ok(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


@bp.route("/readyz")
def readyz() -> tuple[Response, int]:
    checks: dict[str, Any] = {"database": "ok" if _database_ok() else "unreachable"}
    client = _redis_client()
    checks["redis"] = "not used" if client is None else ("ok" if _redis_ok(client) else "unreachable")
    ready = "unreachable" not in checks.values()
    return jsonify(status="ready" if ready else "unavailable", **checks), 200 if ready else 503


@bp.before_app_request
def _answer_before_anything_else() -> tuple[Response, int] | None:
    """Answered before the other blueprints' checks, which would load the signed-in user from the database."""
    if request.endpoint == "health.healthz":
        return healthz()
    if request.endpoint == "health.readyz":
        return readyz()
    return None
