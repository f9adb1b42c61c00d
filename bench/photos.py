"""A phone photo sent through the real upload page, against Pillow's bare draft-mode decode of it.

1. Time: a 12-megapixel phone JPEG (EXIF orientation 6, GPS) posted to /my/photos by a signed-in
   young person through the whole app (form, CSRF, rate limit, processing, the database, the
   redirect), against the least any upload can cost: Pillow opening the same file and decoding it
   at the draft scale that still covers 1600 px, nothing else. Both run interleaved, round after
   round, so the ratio holds on a busy machine.
2. Memory: ten young people sending a photo at the same moment (ten threads, as a threaded app
   server would run them), in a fresh process of its own: how far the process's peak resident
   memory rose above what it held before, with decoding bounded to one photo per core (the app's
   own setting) and, for comparison, unbounded.
Run: .venv/bin/python bench/photos.py   (SQLite in a temporary folder; set BENCH_DATABASE_URL to
measure PostgreSQL instead, pointing at an empty database.)
"""

from __future__ import annotations

import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from photo_pipeline import _gradient, _save, make_photo  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.db import db_session, make_engine  # noqa: E402
from webapp.models import Base  # noqa: E402
from webapp.photos import processing  # noqa: E402

ROUNDS = 15
AT_ONCE = 10
PASSWORD = "bench-photos-password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def app_with_members(count: int) -> tuple[Any, list[str]]:
    """The app on an empty database with a family of `count` young people; their usernames."""
    from webapp.auth.models import Role, User
    from webapp.auth.passwords import hash_password
    from webapp.db import utcnow
    from webapp.families.models import Family, FamilyMember
    from webapp.staff.models import Team

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app({
        "DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_NAME": "localhost",
        "RATELIMIT_STORAGE_URI": "memory://", "PHOTO_LIMIT_PER_MEMBER": "100000 per hour",
        "SIGNIN_LIMIT_PER_ADDRESS": "100000 per minute",
    })
    with app.app_context():
        db = db_session()
        team = Team(name="Bench team")
        worker = User(role=Role.WORKER, display_name="Bench worker", email="bench@example.org", team=team)
        family = Family(name="Bench family", team=team, lead_worker=worker)
        password = hash_password(PASSWORD)
        names = [f"bench{n}" for n in range(count)]
        for name in names:
            db.add(FamilyMember(
                family=family, display_name=name.title(), role="young_person", age_band="14-15", preferred_language="en",
                activated_at=utcnow(),
                user=User(role=Role.YOUNG_PERSON, display_name=name.title(), username=name, password_hash=password, locale="en"),
            ))
        db.add_all([team, worker, family])
        db.commit()
    return app, names


def csrf(browser: Any, page: str) -> str:
    match = CSRF.search(browser.get(page).get_data(as_text=True))
    assert match, f"no form on {page}"
    return match.group(1)


def signed_in(app: Any, username: str) -> Any:
    browser = app.test_client()
    response = browser.post("/signin", data={"login": username, "password": PASSWORD, "csrf_token": csrf(browser, "/signin")})
    assert response.status_code == 302, response.status_code
    return browser


def upload(browser: Any, token: str, data: bytes) -> None:
    response = browser.post(
        "/my/photos", data={"photo": (io.BytesIO(data), "IMG_0001.JPG"), "caption": "", "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def draft_decode(data: bytes) -> None:
    """Pillow alone: open the file, decode it at the draft scale that still covers the long side, nothing else."""
    with Image.open(io.BytesIO(data)) as image:
        scale = next((s for s in (8, 4, 2) if -(-max(image.size) // s) >= processing.LONG_SIDE), 1)
        image.draft("RGB", (image.width // scale, image.height // scale))
        image.load()


def timing() -> None:
    data = make_photo()
    app, names = app_with_members(1)
    browser = signed_in(app, names[0])
    token = csrf(browser, "/my/photos")
    upload(browser, token, data)
    draft_decode(data)
    ratios, endpoint, bare = [], [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        draft_decode(data)
        middle = time.perf_counter()
        upload(browser, token, data)
        end = time.perf_counter()
        bare.append(middle - start)
        endpoint.append(end - middle)
        ratios.append((end - middle) / (middle - start))
    with Image.open(io.BytesIO(data)) as probe:
        size = probe.size
    print(f"12 MP phone JPEG ({size[0]}x{size[1]}, {len(data) / 1024:.0f} KiB, EXIF orientation 6), {ROUNDS} rounds interleaved:")
    print(f"  Pillow's bare draft-mode decode: median {statistics.median(bare) * 1000:7.1f} ms")
    print(f"  upload through /my/photos:       median {statistics.median(endpoint) * 1000:7.1f} ms")
    quartiles = statistics.quantiles(ratios, n=4)
    print(f"  ratio: median {statistics.median(ratios):.2f}x (middle half {quartiles[0]:.2f}x to {quartiles[2]:.2f}x; goal <= 2.5x)")


def rss_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def concurrent(path: str, slots: int) -> None:
    """In a fresh process: AT_ONCE young people send the photo at the same moment; prints the MiB it added."""
    data = Path(path).read_bytes()
    processing.decoding = threading.BoundedSemaphore(slots)
    app, names = app_with_members(AT_ONCE)
    browsers = [signed_in(app, name) for name in names]
    tokens = [csrf(browser, "/my/photos") for browser in browsers]
    upload(browsers[0], tokens[0], data)  # every import and first-time cost before the measure
    before = rss_mib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    gate = threading.Barrier(AT_ONCE)

    def send(number: int) -> None:
        gate.wait()
        upload(browsers[number], tokens[number], data)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(AT_ONCE)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{rss_mib('VmHWM') - before} {time.perf_counter() - start}")


def memory() -> None:
    cases = {
        "12 MP phone JPEG": make_photo,
        "24 MP HEIC (a phone's)": lambda: _save(_gradient((5712, 4284), "RGB"), "HEIF", quality=50),
    }
    cores = len(os.sched_getaffinity(0))
    print(f"\n{AT_ONCE} uploads at once (threads of one process), peak resident memory above what the process held before:")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in cases.items():
            path = Path(folder) / "photo"
            path.write_bytes(make())
            figures = []
            for slots in (cores, AT_ONCE):
                out = subprocess.run(
                    [sys.executable, __file__, "--concurrent", str(path), str(slots)], capture_output=True, text=True, check=True, cwd=ROOT
                )
                added, seconds = (float(value) for value in out.stdout.split()[-2:])
                figures.append(f"{added:5.0f} MiB in {seconds:4.1f} s with {slots} decoding at once")
            print(f"  {name:<24} {figures[0]}  (unbounded: {figures[1]})")


def main() -> None:
    timing()
    if Path("/proc/self/clear_refs").exists():
        memory()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--concurrent":
        concurrent(sys.argv[2], int(sys.argv[3]))
    else:
        main()
