"""How long the worker's review page takes to draw for a family with 2,000 entries in the period.

The page is asked for through the whole app (the test client, signed in as the family's worker),
against the sign-in page asked for the same way, interleaved round after round in the same run,
so the ratio holds on a busy machine. Also the size of the page, and the page that lists every
entry of the member with most of them (what "Show all" opens).
Run: .venv/bin/python bench/reviews.py   (SQLite in a temporary folder; set BENCH_DATABASE_URL to
measure PostgreSQL instead, pointing at an empty database.)
"""

from __future__ import annotations

import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from review_build import ENTRIES, seed  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.db import db_session, make_engine, utcnow  # noqa: E402
from webapp.models import Base  # noqa: E402

ROUNDS = 15


def signed_in_worker(app: Any, family_id: int) -> Any:
    """A browser signed in as the family's lead worker (a session row, as the sign-in pages make one)."""
    from webapp.auth import sessions
    from webapp.auth.models import UserSession
    from webapp.families.models import Family

    browser = app.test_client()
    token = secrets.token_urlsafe(32)
    with app.app_context():
        db = db_session()
        family = db.get(Family, family_id)
        family.lead_worker.totp_confirmed_at = utcnow()  # staff pages are for staff with a second factor
        db.add(UserSession(token_hash=sessions._hash(token), user_id=family.lead_worker_id))
        db.commit()
    with browser.session_transaction() as browser_session:
        browser_session["_user_id"] = token
        browser_session["_fresh"] = True
        browser_session.permanent = True
    return browser


def timed_pair(
    first: Callable[[], Any], second: Callable[[], Any], clock: Callable[[], float] = time.perf_counter
) -> tuple[list[float], list[float]]:
    first()
    second()
    firsts, seconds = [], []
    for _ in range(ROUNDS):
        start = clock()
        first()
        middle = clock()
        second()
        seconds.append(clock() - middle)
        firsts.append(middle - start)
    return firsts, seconds


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_NAME": "localhost", "RATELIMIT_STORAGE_URI": "memory://"})
    with app.test_request_context():
        family_id, review_id = seed()
    worker = signed_in_worker(app, family_id)
    visitor = app.test_client()
    page = f"/staff/reviews/{review_id}"

    def review_page() -> bytes:
        response = worker.get(page)
        assert response.status_code == 200, response.status_code
        return response.get_data()

    def sign_in_page() -> bytes:
        response = visitor.get("/signin")
        assert response.status_code == 200, response.status_code
        return response.get_data()

    html = review_page().decode()
    boxes = len(re.findall(r'name="item"', html))
    # "Save and show all" of the member with most entries: the page that lists every one of them.
    more = [f"{page}?member={member}" for member in re.findall(r'name="show" value="(\d+)"', html)]
    sign_in, review = timed_pair(sign_in_page, review_page)
    ratios = [r / s for r, s in zip(review, sign_in, strict=True)]
    ms = lambda values: statistics.median(values) * 1000  # noqa: E731
    print(f"Review page of a family with {ENTRIES} entries in the period on {url.split(':')[0]}, {ROUNDS} rounds interleaved (median)")
    print(f"  sign-in page:  {ms(sign_in):7.1f} ms")
    print(f"  review page:   {ms(review):7.1f} ms  ({len(html) / 1024:.0f} KiB, {boxes} tick boxes)  goal < 300 ms")
    quartiles = statistics.quantiles(ratios, n=4)
    print(f"  ratio: median {statistics.median(ratios):.1f}x (middle half {quartiles[0]:.1f}x to {quartiles[2]:.1f}x; goal < 5x)")
    # The processor time of the same two requests, which other work on a shared machine disturbs less.
    sign_in_cpu, review_cpu = timed_pair(sign_in_page, review_page, time.process_time)
    print(f"  processor time: sign-in {ms(sign_in_cpu):.1f} ms, review {ms(review_cpu):.1f} ms, ratio {ms(review_cpu) / ms(sign_in_cpu):.1f}x")
    if more:
        longest = more[0]
        whole = worker.get(longest).get_data()
        _, member_times = timed_pair(sign_in_page, lambda: worker.get(longest))
        print(f"  one member's every entry ({longest}): {ms(member_times):7.1f} ms ({len(whole) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
