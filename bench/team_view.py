"""How long a manager's team view and audit log take with a million entries in the database.

1,000 families in 20 teams, 1,000,000 entries (2% unread, a few urgent), 200,000 audit events.
Run: .venv/bin/python bench/team_view.py   (SQLite in a temporary folder; set BENCH_DATABASE_URL
to measure PostgreSQL instead, pointing at an empty database.) Seeding takes a minute or two.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from webapp import create_app
from webapp.db import db_session, make_engine, utcnow
from webapp.entries.records import EntryAnswers
from webapp.models import Base

TEAMS = 20
FAMILIES_PER_TEAM = 50
MEMBERS_PER_FAMILY = 3
ENTRIES = 1_000_000
AUDIT_EVENTS = 200_000
ROUNDS = 5
BATCH = 20_000


def seed() -> int:
    """Fill the database; returns the id of a manager of the first team."""
    from webapp.audit.models import AuditEvent
    from webapp.auth.models import Role, User
    from webapp.entries.models import Entry
    from webapp.families import services as families
    from webapp.families.models import Family, FamilyMember
    from webapp.staff.models import Team

    db = db_session()
    now = utcnow()
    rng = random.Random(7)
    manager_id = 0
    members: list[tuple[int, int]] = []
    staff: list[int] = []
    for t in range(TEAMS):
        team = Team(name=f"Team {t}")
        manager = User(role=Role.MANAGER, display_name=f"Manager {t}", email=f"manager{t}@example.org", team=team, totp_confirmed_at=now)
        workers = [User(role=Role.WORKER, display_name=f"Worker {t}-{w}", email=f"worker{t}-{w}@example.org", team=team, totp_confirmed_at=now) for w in range(8)]
        db.add_all([team, manager, *workers])
        db.flush()
        manager_id = manager_id or manager.id
        staff += [manager.id] + [w.id for w in workers]
        for f in range(FAMILIES_PER_TEAM):
            family = Family(name=f"Family {t}-{f}", team_id=team.id, lead_worker_id=workers[f % len(workers)].id)
            db.add(family)
            db.flush()
            families.refresh_staff(family)
            for m in range(MEMBERS_PER_FAMILY):
                member = FamilyMember(family_id=family.id, display_name=f"Person {m}", role="young_person", age_band="14-15")
                db.add(member)
                db.flush()
                members.append((member.id, family.id))
    db.commit()
    rows = []
    for i in range(ENTRIES):
        member_id, family_id = members[i % len(members)]
        created = now - timedelta(minutes=i)
        unread = rng.random() < 0.02
        urgent = rng.random() < 0.01
        rows.append({
            "member_id": member_id, "family_id": family_id, "kind": "good_news", "answers_json": EntryAnswers.of({"what_happened": "Something good"}).to_json(),
            "language": "en", "urgent": urgent, "created_at": created,
            "read_at": None if unread else created + timedelta(hours=2),
            "acknowledged_at": None if (urgent and unread) else (created + timedelta(hours=2) if urgent else None),
            "escalated_at": created + timedelta(hours=4) if (urgent and unread) else None,
        })
        if len(rows) == BATCH:
            db.execute(insert(Entry), rows)
            rows = []
    if rows:
        db.execute(insert(Entry), rows)
    db.commit()
    events = []
    family_ids = sorted({family_id for _member, family_id in members})
    for i in range(AUDIT_EVENTS):
        events.append({"action": "entry_viewed", "actor_id": staff[i % len(staff)], "family_id": family_ids[i % len(family_ids)],
                       "at": now - timedelta(minutes=i), "target": f"entry:{i}", "address": "10.0.0.1"})
        if len(events) == BATCH:
            db.execute(insert(AuditEvent), events)
            events = []
    if events:
        db.execute(insert(AuditEvent), events)
    db.commit()
    return manager_id


def timed(function: Callable[[], object]) -> float:
    """Median milliseconds over ROUNDS runs, after one warm-up run."""
    function()
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    from webapp.auth.models import User
    from webapp.entries.models import Entry
    from webapp.notifications.services import escalated_entries
    from webapp.oversight import services

    folder = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_NAME": "localhost"})
    with app.test_request_context():
        started = time.perf_counter()
        manager_id = seed()
        print(f"Seeded in {time.perf_counter() - started:.0f} s")
        db = db_session()
        if url.startswith("postgresql"):
            db.execute(select(1).where(False))
            db.connection().exec_driver_sql("ANALYZE")
        manager = db.get(User, manager_id)
        assert manager is not None
        a_family = services.family_rows(manager)[0].family.id

        def team_view() -> None:
            families = services.family_rows(manager)
            services.worker_rows(manager, families)
            db.scalars(escalated_entries(manager)).all()
            services.waiting_longest(manager)

        def baseline() -> None:
            db.scalars(select(Entry.id).where(Entry.family_id == a_family).order_by(Entry.created_at.desc()).limit(25)).all()

        results = {
            "Baseline: one family's newest 25 entry ids": timed(baseline),
            "Families with unread and urgent counts": timed(lambda: services.family_rows(manager)),
            "Workers with families and unread": timed(lambda: services.worker_rows(manager, services.family_rows(manager))),
            "Escalation list": timed(lambda: db.scalars(escalated_entries(manager)).all()),
            "Waiting longest (top 10)": timed(lambda: services.waiting_longest(manager)),
            "The whole team view": timed(team_view),
            "Audit log, first page": timed(lambda: services.audit_events(manager, services.AuditFilter(), page=1, size=50)),
            "Audit log, one family": timed(lambda: services.audit_events(manager, services.AuditFilter(family_id=a_family), page=1, size=50)),
            "Audit log, page 20": timed(lambda: services.audit_events(manager, services.AuditFilter(), page=20, size=50)),
        }
    print(f"{ENTRIES:,} entries, {AUDIT_EVENTS:,} audit events, {TEAMS * FAMILIES_PER_TEAM} families on {url.split(':')[0]}; median of {ROUNDS}")
    for label, ms in results.items():
        print(f"{label:<48} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
