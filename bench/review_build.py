"""How long building a review takes for a family with 2,000 entries.

Measured in one run against a baseline: loading the same 2,000 entries with one plain query.
Run: .venv/bin/python bench/review_build.py   (SQLite in a temporary folder; set BENCH_DATABASE_URL
to measure PostgreSQL instead, pointing at an empty database.)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from webapp import create_app
from webapp.db import db_session, make_engine, utcnow
from webapp.entries.models import Entry
from webapp.models import Base

ENTRIES = 2000
ROUNDS = 5


def seed() -> tuple[int, object]:
    from webapp.auth.models import Role, User
    from webapp.families import services as families
    from webapp.families.models import Family, FamilyMember
    from webapp.reviews.models import Review
    from webapp.staff.models import Team
    from webapp.worries.models import Worry, WorryMember, WorryScore

    db = db_session()
    team = Team(name="Bench team")
    worker = User(role=Role.WORKER, display_name="Bench worker", email="bench@example.org", team=team)
    family = Family(name="Bench family", team=team, lead_worker=worker)
    members = [
        FamilyMember(family=family, display_name=name, role=role, age_band=band, preferred_language="en")
        for name, role, band in (("Sam", "young_person", "14-15"), ("Alex", "young_person", "8-10"), ("Pat", "parent", "adult"))
    ]
    db.add_all([team, worker, family, *members])
    db.flush()
    families.refresh_staff(family)  # the worker sees the family as the family page's services would have it
    rng = random.Random(7)
    now = utcnow()
    kinds = ["good_news", "worries", "meeting", "three_houses", "plan_going"]
    for i in range(ENTRIES):
        member = members[i % 3]
        kind = "parent_views" if member.role == "parent" else kinds[i % len(kinds)]
        db.add(Entry(
            member_id=member.id, family_id=family.id, kind=kind, language="en", feeling="ok",
            answers={"what_happened": f"Something happened on day {i}. " * rng.randint(1, 6), "going_well": "School", "worried_about": "Money"},
            created_at=now - timedelta(minutes=i * 30),
        ))
    worries = [Worry(family_id=family.id, wording=f"Worry {n}", meaning_0="0", meaning_10="10", applies_to=[WorryMember(member_id=m.id) for m in members]) for n in range(4)]
    db.add_all(worries)
    db.flush()
    for i in range(600):
        db.add(WorryScore(worry_id=worries[i % 4].id, member_id=members[i % 3].id, score=rng.randint(0, 10), created_at=now - timedelta(hours=i * 2)))
    review = Review(family_id=family.id, period_start=(now - timedelta(days=120)).date(), period_end=now.date(), analysis={}, created_by_id=worker.id)
    db.add(review)
    db.commit()
    return family.id, review.id


def timed(function) -> list[float]:  # type: ignore[no-untyped-def]
    function()
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    from webapp.families.models import Family
    from webapp.reviews import exports, record, services
    from webapp.reviews.models import Review

    folder = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_NAME": "localhost"})
    with app.test_request_context():
        family_id, review_id = seed()
        db = db_session()

        def baseline() -> None:
            db.expunge_all()
            db.scalars(select(Entry).where(Entry.family_id == family_id)).all()

        def gather() -> None:
            db.expunge_all()
            review = db.get(Review, review_id)
            services.gather(db.get(Family, family_id), review.period_start, review.period_end)

        def build_and_save() -> None:
            db.expunge_all()
            family = db.get(Family, family_id)
            review = db.get(Review, review_id)
            voices = services.gather(family, review.period_start, review.period_end)
            everything = {f"entry-{e.id}" for v in voices for e in v.entries} | {s.key for v in voices for s in v.worries}
            services.import_items(review, voices, everything)
            db.commit()

        def laid_out() -> record.Record:
            db.expunge_all()
            return record.build(db.get(Review, review_id), db.get(Family, family_id))

        def pdf() -> None:
            exports.pdf(laid_out())

        def docx() -> None:
            exports.docx(laid_out())

        base = timed(baseline)
        gathered = timed(gather)
        built = timed(build_and_save)
        pdf_times = timed(pdf)
        docx_times = timed(docx)
        items = len(db.get(Review, review_id).items)
    ms = lambda values: statistics.median(values) * 1000  # noqa: E731
    print(f"Family with {ENTRIES} entries and 600 worry scores on {url.split(':')[0]}, {ROUNDS} rounds each (median)")
    print(f"Baseline: load the {ENTRIES} entries with one query:   {ms(base):8.1f} ms")
    print(f"Gather everything for the review period:             {ms(gathered):8.1f} ms  ({ms(gathered) / ms(base):.1f}x baseline)")
    print(f"Gather + import all {items} items + save:            {ms(built):8.1f} ms  ({ms(built) / ms(base):.1f}x baseline)")
    print(f"Lay out the record + write the PDF:                 {ms(pdf_times):8.1f} ms  ({ms(pdf_times) / ms(base):.1f}x baseline)")
    print(f"Lay out the record + write the DOCX:                {ms(docx_times):8.1f} ms  ({ms(docx_times) / ms(base):.1f}x baseline)")


if __name__ == "__main__":
    main()
