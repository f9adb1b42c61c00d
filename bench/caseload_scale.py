"""How a worker's inbox and caseload pages grow with the size of the database, for the same 25-family caseload.

Seeds a PostgreSQL database (already at the latest migration, empty) with set-based SQL: FAMILIES families of
3 members and 10 entries each, one worker per 20 families, every worker lead on 20 families and co-worker on 5
(so every caseload is 25 families, whatever the size), 10% of entries unread and 3% urgent. Then signs a worker
in on a small and a large database and times the inbox (pages 1 and 2) and the caseload through the app, the two
interleaved, and with --explain prints the plan of every statement each page runs on the large one.

    .venv/bin/python bench/caseload_scale.py seed postgresql+psycopg://.../fv_big 20000    # 200,000 entries
    .venv/bin/python bench/caseload_scale.py seed postgresql+psycopg://.../fv_small 100    # 1,000 entries
    .venv/bin/python bench/caseload_scale.py measure postgresql+psycopg://.../fv_small postgresql+psycopg://.../fv_big [--explain]
"""

from __future__ import annotations

import hashlib
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, text

from webapp import create_app
from webapp.auth import sessions
from webapp.auth.models import UserSession
from webapp.db import db_session

TEAM_SIZE = 20
FAMILIES_PER_WORKER = 20
ENTRIES_PER_FAMILY = 10
ROUNDS = 40
PAGES = {"inbox, page 1": "/staff/inbox", "inbox, page 2": "/staff/inbox?page=2", "caseload": "/staff/"}

SEED = [
    "SELECT setseed(0.42)",
    """INSERT INTO teams (id, name, created_at) SELECT t, 'Team ' || t, now() FROM generate_series(1, :teams) t""",
    """INSERT INTO users (id, role, display_name, email, team_id, totp_secret, totp_confirmed_at, must_change_password,
                          totp_last_step, is_demo, created_at)
       SELECT w, 'worker', 'Worker ' || w, 'worker' || w || '@example.org', (w - 1) / :team_size + 1, 'JBSWY3DPEHPK3PXP', now(),
              false, 0, false, now()
       FROM generate_series(1, :workers) w""",
    """INSERT INTO families (id, name, team_id, lead_worker_id, created_at)
       SELECT f, 'Family ' || f, ((f - 1) % :workers) / :team_size + 1, (f - 1) % :workers + 1, now() - interval '2 years'
       FROM generate_series(1, :families) f""",
    # The first 5 of each worker's 20 families have a co-worker: the next worker of the same team.
    """INSERT INTO family_workers (id, family_id, user_id)
       SELECT f, f, ((l - 1) / :team_size) * :team_size + ((l - 1) % :team_size + 1) % :team_size + 1
       FROM (SELECT f, (f - 1) % :workers + 1 AS l FROM generate_series(1, :workers * 5) f) s""",
    """INSERT INTO family_members (id, family_id, display_name, role, age_band, preferred_language, restricted, created_at,
                                   safety_plan_offline_allowed, safety_plan_offline_chosen, bigger_text, calmer_colours)
       SELECT m, (m - 1) / 3 + 1, 'Person ' || m, CASE WHEN m % 3 = 0 THEN 'parent' ELSE 'young_person' END,
              CASE WHEN m % 3 = 0 THEN 'adult' ELSE '11-13' END, 'en', false, now(), false, false, false, false
       FROM generate_series(1, :families * 3) m""",
    # Every member signs in: their accounts are most of the users table.
    """INSERT INTO users (id, role, display_name, username, must_change_password, totp_last_step, is_demo, created_at)
       SELECT :workers + id, role, display_name, 'member' || id, false, 0, false, now() FROM family_members""",
    "UPDATE family_members SET user_id = :workers + id",
    """INSERT INTO entries (id, member_id, family_id, kind, answers, language, shared_with_family, urgent, created_at, read_at,
                           acknowledged_at)
       SELECT i, ((i - 1) / :per_family) * 3 + i % 3 + 1, (i - 1) / :per_family + 1, CASE WHEN urgent THEN 'talk_to_worker' ELSE 'good_news' END,
              '{"schema_version": 1, "answers": {"what_happened": "Something good"}}'::json, 'en', false, urgent, created,
              CASE WHEN unread THEN NULL ELSE created + interval '2 hours' END,
              CASE WHEN urgent AND NOT unread THEN created + interval '2 hours' END
       FROM (SELECT i, random() < 0.03 AS urgent, random() < 0.1 AS unread, now() - random() * interval '700 days' AS created
             FROM generate_series(1, :families * :per_family) i) s""",
]


def seed(url: str, families: int) -> None:
    workers = families // FAMILIES_PER_WORKER
    team_size = min(TEAM_SIZE, workers)
    values = {"teams": -(-workers // team_size), "workers": workers, "team_size": team_size, "families": families,
              "per_family": ENTRIES_PER_FAMILY}
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as connection:
        for statement in SEED:
            for name, value in values.items():  # whole numbers of this script's own, written into the SQL
                statement = statement.replace(f":{name}", str(int(value)))
            connection.exec_driver_sql(statement.replace("%", "%%"))
        has_staff = connection.execute(text("SELECT to_regclass('family_staff') IS NOT NULL")).scalar()
        if has_staff:
            # The relation the services keep: what the migration fills from the lead and co-workers.
            connection.execute(text("""INSERT INTO family_staff (family_id, user_id, role)
                                       SELECT id, lead_worker_id, 'lead' FROM families
                                       UNION ALL SELECT family_id, user_id, 'co' FROM family_workers"""))
        for table in ("teams", "users", "families", "family_workers", "family_members", "entries"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"Seeded {families:,} families, {workers:,} workers, {families * ENTRIES_PER_FAMILY:,} entries in "
          f"{time.perf_counter() - started:.0f} s")


def signed_in_worker(url: str) -> tuple[Any, Any]:
    """The app on that database and a browser signed in as worker 1 (a 25-family caseload)."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_NAME": "localhost", "RATELIMIT_STORAGE_URI": "memory://"})
    token = secrets.token_urlsafe(32)
    with app.app_context():
        db = db_session()
        db.add(UserSession(token_hash=sessions._hash(token), user_id=1))
        db.commit()
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["_user_id"] = token
        browser_session["_fresh"] = True
        browser_session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
    return app, client


def measure(small_url: str, large_url: str, explain: bool) -> None:
    """Each page on the small and the large database in turn, round after round, so both see the same load."""
    sides = {"small": signed_in_worker(small_url), "large": signed_in_worker(large_url)}
    for name, (app, _client) in sides.items():
        with app.extensions["db_engine"].connect() as connection:
            entries = connection.execute(text("SELECT count(*) FROM entries")).scalar_one()
            families = connection.execute(text("SELECT count(*) FROM families")).scalar_one()
        print(f"{name}: {entries:,} entries, {families:,} families")
    print(f"worker 1 (25 families); {ROUNDS} rounds, interleaved, after a warm-up")
    for label, path in PAGES.items():
        times: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(5):
            for _app, client in sides.values():
                assert client.get(path).status_code == 200
        for _ in range(ROUNDS):
            for name, (_app, client) in sides.items():
                started = time.perf_counter()
                response = client.get(path)
                times[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
        p95 = {}
        for name, (app, client) in sides.items():
            values = sorted(times[name])
            p95[name] = values[int(len(values) * 0.95) - 1]
            statements: list[tuple[str, Any]] = []

            def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
                statements.append((statement, parameters))  # noqa: B023  (listened to only in this iteration)

            engine = app.extensions["db_engine"]
            event.listen(engine, "before_cursor_execute", keep)
            client.get(path)
            event.remove(engine, "before_cursor_execute", keep)
            print(f"{label:<16} {name:<6} median {statistics.median(values):7.1f} ms   p95 {p95[name]:7.1f} ms   "
                  f"{len(statements)} statements")
            if explain and name == "large":
                explain_all(engine, statements)
        print(f"{label:<16} p95 large / small: {p95['large'] / p95['small']:.2f}")


def explain_all(engine: Any, statements: list[tuple[str, Any]]) -> None:
    """EXPLAIN ANALYZE of each statement of the page that reads entries or families."""
    with engine.connect() as connection:
        for statement, parameters in statements:
            if "FROM entries" not in statement and "FROM families" not in statement:
                continue
            cursor = connection.connection.dbapi_connection.cursor()
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) " + statement, parameters)
            print("    " + " ".join(statement.split())[:300])
            for (line,) in cursor.fetchall():
                print("      " + line)
            cursor.close()


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(sys.argv[2], int(sys.argv[3]))
    else:
        measure(sys.argv[2], sys.argv[3], "--explain" in sys.argv)
