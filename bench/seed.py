"""The PostgreSQL databases `make bench` measures, built once and kept while the schema is current.

Two databases, each made by the app's own migrations (`flask db upgrade`) and filled with set-based
SQL (INSERT ... SELECT generate_series), so a million entries take minutes, not hours:

- small: 1,000 entries, 100 families, 300 members, 4 workers;
- large: 1,000,000 entries, 100,000 families, 300,000 members, 2,000 workers, and a family with
  2,000 entries and a review of all of them (built through the review's own services).

In both, worker 1 ("the bench worker") has the same caseload of 25 families (lead on 20,
co-worker on 5) holding the same 250 entries, so the two inboxes differ only in what is around them.
Each family's first member is a young person with an account. A database is rebuilt when the
migration head or this seed changed (both are kept in the database's comment).

Run: .venv/bin/python bench/seed.py   (BENCH_PG: the server's URL without a database name)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, text  # noqa: E402

SEED_VERSION = "4"
SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/")
# Where CREATE DATABASE and DROP DATABASE are sent from.
MAINTENANCE_DB = os.environ.get("BENCH_MAINTENANCE_DB", "postgres")
CASELOAD = 25
BENCH_WORKER_ID = 1


@dataclass(frozen=True)
class Scale:
    name: str
    database: str
    families: int
    workers: int
    teams: int
    entries: int
    with_review: bool

    @property
    def url(self) -> str:
        return SERVER + self.database


SMALL = Scale("1k", "fv_bench_1k", families=100, workers=4, teams=1, entries=1_000, with_review=False)
LARGE = Scale("1M", "fv_bench_1m", families=100_000, workers=2_000, teams=40, entries=1_000_000, with_review=True)


def migration_head() -> str:
    from alembic.script import ScriptDirectory

    from webapp.cli import alembic_config

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()  # type: ignore[arg-type]
    return str(head)


def _marker(scale: Scale) -> str:
    return f"family voice bench seed {SEED_VERSION} head {migration_head()} entries {scale.entries}"


def _maintenance() -> Engine:
    return create_engine(SERVER + MAINTENANCE_DB, isolation_level="AUTOCOMMIT")


def is_seeded(scale: Scale) -> bool:
    with _maintenance().connect() as conn:
        comment = conn.execute(
            text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"), {"name": scale.database}
        ).scalar()
    return comment == _marker(scale)


def _recreate(scale: Scale) -> None:
    engine = _maintenance()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scale.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{scale.database}"'))
    engine.dispose()


def _upgrade(scale: Scale) -> None:
    env = {**os.environ, "DATABASE_URL": scale.url, "FLASK_APP": "webapp", "SECRET_KEY": "bench"}
    subprocess.run([str(Path(sys.executable).parent / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _answers_json() -> str:
    from webapp.entries.records import EntryAnswers

    return json.dumps(EntryAnswers.of({"what_happened": "We went to the park and it was good", "going_well": "School"}).to_json())


def _plan_json() -> str:
    from webapp.plans.records import PlanContent

    return json.dumps(PlanContent().to_json())


def _table_exists(conn: object, name: str) -> bool:
    return bool(conn.execute(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name}).scalar())  # type: ignore[attr-defined]


def fill(scale: Scale) -> None:
    """Every table the inbox, caseload and visibility rules read, set-based."""
    engine = create_engine(scale.url)
    params = {
        "F": scale.families, "W": scale.workers, "T": scale.teams, "E": scale.entries,
        "now": datetime.now(UTC), "answers": _answers_json(), "plan": _plan_json(),
    }
    # The workers' ids are 1..W, the managers' W+1..W+T, the young people's W+T+1..W+T+F (one per family);
    # family f's members are 3f-2 (a young person with an account), 3f-1 (a young person) and 3f (a parent).
    steps = [
        ("teams", "INSERT INTO teams (id, name, created_at) SELECT t, 'Team ' || t, :now FROM generate_series(1, :T) t"),
        ("workers", """
            INSERT INTO users (id, role, display_name, email, must_change_password, locale, team_id, totp_confirmed_at,
                               totp_last_step, is_demo, created_at)
            SELECT w, 'worker', 'Worker ' || w, 'worker' || w || '@example.org', false, 'en', 1 + (w - 1) % :T, :now, 0, false, :now
            FROM generate_series(1, :W) w"""),
        ("managers", """
            INSERT INTO users (id, role, display_name, email, must_change_password, locale, team_id, totp_confirmed_at,
                               totp_last_step, is_demo, created_at)
            SELECT :W + t, 'manager', 'Manager ' || t, 'manager' || t || '@example.org', false, 'en', t, :now, 0, false, :now
            FROM generate_series(1, :T) t"""),
        ("young people's accounts", """
            INSERT INTO users (id, role, display_name, username, must_change_password, locale, totp_last_step, is_demo, created_at)
            SELECT :W + :T + f, 'young_person', 'Young person ' || f, 'young' || f, false, 'en', 0, false, :now
            FROM generate_series(1, :F) f"""),
        # The bench worker leads families 1-20 and works with worker 2 on 21-25; the rest go round the others.
        ("families", """
            INSERT INTO families (id, name, reference, team_id, lead_worker_id, created_at)
            SELECT f, 'Family ' || f, 'REF' || f, 1 + (lead - 1) % :T, lead, :now - make_interval(days => f % 400)
            FROM (SELECT f, CASE WHEN f <= 20 THEN 1 WHEN f <= 25 THEN 2 ELSE 2 + f % (:W - 1) END AS lead
                  FROM generate_series(1, :F) f) s"""),
        ("co-workers", """
            INSERT INTO family_workers (family_id, user_id)
            SELECT f, 1 FROM generate_series(21, 25) f
            UNION ALL
            SELECT f, 2 + (f + 1) % (:W - 1) FROM generate_series(26, :F) f WHERE f % 10 = 0"""),
        ("members", """
            INSERT INTO family_members (id, family_id, user_id, display_name, role, age_band, preferred_language, restricted,
                                        created_at, activated_at, safety_plan_offline_allowed, safety_plan_offline_chosen,
                                        bigger_text, calmer_colours)
            SELECT 3 * (f - 1) + k, f, CASE WHEN k = 1 THEN :W + :T + f END,
                   (ARRAY['Sam', 'Alex', 'Pat'])[k] || ' ' || f,
                   CASE WHEN k = 3 THEN 'parent' ELSE 'young_person' END,
                   (ARRAY['14-15', '11-13', 'adult'])[k], 'en', false, :now, :now, false, false, false, false
            FROM generate_series(1, :F) f CROSS JOIN generate_series(1, 3) k"""),
        # Entry e is in family 1 + (e - 1) % F, one a minute going back; 2% unread, 1% urgent (half of them
        # not yet acknowledged).
        ("entries", """
            INSERT INTO entries (id, member_id, family_id, kind, answers, feeling, language, shared_with_family, urgent,
                                 created_at, read_at, read_by_id, acknowledged_at, acknowledged_by_id)
            SELECT e, 3 * (f - 1) + 1 + ((e - 1) / :F) % 3, f, 'good_news', CAST(:answers AS json), 'ok', 'en', e % 7 = 0,
                   urgent, created, CASE WHEN unread THEN NULL ELSE created + interval '2 hours' END,
                   CASE WHEN unread THEN NULL ELSE 1 END,
                   CASE WHEN urgent AND NOT unread THEN created + interval '2 hours' END,
                   CASE WHEN urgent AND NOT unread THEN 1 END
            FROM (SELECT e, 1 + (e - 1) % :F AS f, e % 100 = 7 OR e % 100 = 50 AS urgent, e % 50 = 0 AS unread,
                         :now - make_interval(mins => e) AS created
                  FROM generate_series(1, :E) e) s"""),
        ("notifications", """
            INSERT INTO notifications (user_id, kind, entry_id, created_at, read_at)
            SELECT fam.lead_worker_id, 'urgent', e.id, e.created_at, e.read_at
            FROM entries e JOIN families fam ON fam.id = e.family_id WHERE e.urgent"""),
        ("plans", """
            INSERT INTO plan_versions (family_id, number, status, content, created_by_id, created_at, updated_at,
                                       published_at, published_by_id)
            SELECT f.id, 1, 'published', CAST(:plan AS json), f.lead_worker_id, f.created_at, f.created_at,
                   f.created_at + interval '3 days', f.lead_worker_id
            FROM families f WHERE f.id % 2 = 1"""),
        ("reviews", """
            INSERT INTO reviews (family_id, period_start, period_end, status, analysis, created_by_id, created_at, updated_at,
                                 finalised_at)
            SELECT f.id, CAST(f.created_at AS date), CAST(f.created_at + interval '40 days' AS date), 'final', CAST('{}' AS json),
                   f.lead_worker_id, f.created_at + interval '40 days', f.created_at + interval '40 days',
                   f.created_at + interval '42 days'
            FROM families f WHERE f.id % 4 = 1"""),
    ]
    with engine.begin() as conn:
        for label, sql in steps:
            started = time.perf_counter()
            needed = {name for name in params if f":{name}" in sql}
            conn.execute(text(sql), {name: params[name] for name in needed})
            print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
        if _table_exists(conn, "family_staff"):
            # Who works with each family as one relation, where the schema has it: the lead and the co-workers.
            conn.execute(text("""
                INSERT INTO family_staff (family_id, user_id, role)
                SELECT id, lead_worker_id, 'lead' FROM families
                UNION ALL SELECT family_id, user_id, 'co' FROM family_workers
                ON CONFLICT DO NOTHING"""))
            print("  family_staff filled", flush=True)
        for table in ("teams", "users", "families", "family_workers", "family_members", "entries", "notifications", "plan_versions", "reviews"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"))
    engine.dispose()


def add_review(scale: Scale) -> None:
    """A family with 2,000 entries and a review of every one of them, made by the review's own services."""
    sys.path.insert(0, str(ROOT / "bench"))
    import review_build

    from webapp import create_app
    from webapp.auth.models import User
    from webapp.db import db_session
    from webapp.families.models import Family
    from webapp.reviews import services
    from webapp.reviews.models import Review

    app = create_app({"DATABASE_URL": scale.url, "SECRET_KEY": "bench", "SERVER_NAME": "localhost"})
    with app.test_request_context():
        family_id, review_id = review_build.seed()
        db = db_session()
        family = db.get(Family, family_id)
        review = db.get(Review, review_id)
        assert family is not None and review is not None
        voices = services.gather(family, review.period_start, review.period_end)
        everything = {f"entry-{e.id}" for v in voices for e in v.entries} | {s.key for v in voices for s in v.worries}
        services.import_items(review, voices, everything)
        worker = db.get(User, family.lead_worker_id)
        assert worker is not None
        worker.totp_confirmed_at = worker.created_at
        db.commit()
    from sqlalchemy.orm import close_all_sessions

    close_all_sessions()


def review_ids(scale: Scale) -> tuple[int, int]:
    """The review's id and its worker's id."""
    engine = create_engine(scale.url)
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT r.id, f.lead_worker_id FROM reviews r JOIN families f ON f.id = r.family_id WHERE f.name = 'Bench family'"
        )).one()
    engine.dispose()
    return int(row[0]), int(row[1])


def ensure(scale: Scale) -> None:
    """Build the database unless it is already seeded for the current schema."""
    if is_seeded(scale):
        print(f"{scale.database}: already seeded ({scale.entries:,} entries, migration {migration_head()})", flush=True)
        return
    started = time.perf_counter()
    print(f"{scale.database}: building ({scale.entries:,} entries, {scale.families:,} families)", flush=True)
    _recreate(scale)
    _upgrade(scale)
    fill(scale)
    if scale.with_review:
        add_review(scale)
        print("  the review of 2,000 entries: done", flush=True)
    engine = create_engine(scale.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    with _maintenance().connect() as conn:
        conn.execute(text(f"COMMENT ON DATABASE \"{scale.database}\" IS '{_marker(scale)}'"))
    print(f"{scale.database}: built in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    for scale in (SMALL, LARGE):
        ensure(scale)


if __name__ == "__main__":
    main()
