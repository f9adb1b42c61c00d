"""`make bench`: every figure of the performance goals, each a ratio against a baseline measured in the same round.

Seeds what it needs (bench/seed.py: 1,000 and 1,000,000 entries on PostgreSQL), starts the app twice
(one server per database) and a bare Flask "hello" app, all with gunicorn, the same config
(deploy/gunicorn.conf.py) and 2 sync workers; then measures each pair interleaved over ROUNDS rounds
and prints the median ratio, its spread (min-max), the goal and whether it is met, followed by the
query plans of the inbox and caseload pages at 1,000,000 entries.

Then the floor under the goals, measured in the same rounds: bench/floor.py, the libraries Family Voice
is built on with none of its code, served the same way. Its CSRF form page is the least the sign-in
page can cost, its one-row page the least a signed-in page can (the session's row is read on each),
its start the least the app's start can take: where a floor is already past a goal, no change to
Family Voice's own code can meet that goal on this machine.

Signed-in requests carry a session row inserted directly and a cookie signed as the app signs it.
wrk is the load generator. Settings: BENCH_ROUNDS (5), BENCH_SECONDS (per wrk run, 3),
BENCH_PG (the PostgreSQL server), BENCH_REDIS_URL (redis://127.0.0.1:6379/2).
Run: .venv/bin/python bench/table.py
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import floor  # noqa: E402
import seed  # noqa: E402
from PIL import Image  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
SECRET_KEY = "bench-" + secrets.token_hex(8)
BIN = Path(sys.executable).parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(95) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, summary.requests))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A gunicorn serving one app with the deploy config and 2 sync workers."""

    def __init__(self, app: str, env: dict[str, str] | None = None, pythonpath: str | None = None) -> None:
        self.app, self.extra_env, self.pythonpath = app, env or {}, pythonpath
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.port = free_port()
        env = {**os.environ, **self.extra_env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2",
               "GUNICORN_THREADS": "1", "GUNICORN_LOG_LEVEL": "warning", "GUNICORN_MAX_REQUESTS": "0",
               # On a loaded machine a review PDF may take longer than the deploy timeout; measured, not killed.
               "GUNICORN_TIMEOUT": "600"}
        env.pop("GUNICORN_ACCESS_LOG", None)
        command = [str(BIN / "gunicorn"), "-c", str(CONFIG)]
        if self.pythonpath:
            command += ["--pythonpath", self.pythonpath]
        self.process = subprocess.Popen([*command, self.app], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)

    def wait_ready(self, path: str, timeout: float = 300, since: float | None = None) -> float:
        """Seconds from `since` (else now) until `path` answers 200."""
        started = time.perf_counter() if since is None else since
        while time.perf_counter() - started < timeout:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} stopped while starting")
            try:
                if get(self.port, path)[0] == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"{self.app} did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def post_photo(port: int, cookie: str, csrf: str, photo: bytes) -> int:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nThe park\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode(),
        photo,
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/my/photos", body=b"".join(parts),
                     headers={"Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@dataclass
class Signed:
    cookie: str
    csrf: str


def sign_in(url: str, user_id: int) -> Signed:
    """A session row for the user, and the cookie the app would have set for it (see webapp/auth/sessions.py)."""
    from flask import Flask
    from itsdangerous import URLSafeTimedSerializer

    token = secrets.token_urlsafe(32)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO user_sessions (token_hash, user_id, created_at, last_seen_at) VALUES (:hash, :user, now(), now())"),
            {"hash": hashlib.sha256(token.encode()).hexdigest(), "user": user_id},
        )
    engine.dispose()
    app = Flask(__name__)
    app.secret_key = SECRET_KEY
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    raw_csrf = hashlib.sha1(os.urandom(64)).hexdigest()
    value = serializer.dumps({"_user_id": token, "_fresh": True, "_permanent": True, "csrf_token": raw_csrf})
    csrf = URLSafeTimedSerializer(SECRET_KEY, salt="wtf-csrf-token").dumps(raw_csrf)
    return Signed(f"fv_session={value}", str(csrf))


def wrk(port: int, path: str, cookie: str = "", connections: int = 4) -> tuple[float, float]:
    """Requests a second and the 95th percentile in ms, over SECONDS seconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "60s", "-s", script.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    rate, p95, errors, requests = line.split()[1:]
    if int(errors):
        raise RuntimeError(f"{path}: {errors} of {requests} requests failed")
    return float(rate), float(p95)


def sequential_ms(function: Callable[[], object], times: int) -> float:
    """Median milliseconds of `times` runs, one after another."""
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        function()
        taken.append(time.perf_counter() - started)
    return statistics.median(taken) * 1000


@dataclass
class Row:
    what: str
    goal: str
    met: Callable[[float], bool]
    unit: str = "x"
    values: list[float] = field(default_factory=list)

    def shown(self, value: float) -> str:
        if self.unit == "ms":
            return f"{value:.0f} ms"
        return f"{value:.2f}x" if "x" in self.goal else f"{value:.3f}"


def bare_draft_decode(photo: bytes) -> None:
    """Pillow decoding the JPEG at its smallest draft scale that still covers 1600 px."""
    with Image.open(io.BytesIO(photo)) as image:
        image.draft("RGB", (1600, 1600))
        image.load()


def expect_ok(port: int, path: str, cookie: str = "") -> None:
    status, body = get(port, path, cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}, not 200: is the seed's user signed in?")


@contextmanager
def running(*servers: Server) -> Iterator[None]:
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready("/" if server.app.startswith(("hello", "floor")) else "/signin")
        yield
    finally:
        for server in servers:
            server.stop()


def print_rows(rows: Iterable[Row], heading: str = "met?") -> None:
    print(f"{'what':<52} {'median':>9} {'spread':>19} {'goal':>10}  {heading}")
    for row in rows:
        median = statistics.median(row.values)
        spread = f"{row.shown(min(row.values))}-{row.shown(max(row.values))}"
        print(f"{row.what:<52} {row.shown(median):>9} {spread:>19} {row.goal:>10}  {'yes' if row.met(median) else 'NO'}")


def review_statements(url: str, review_id: int, worker_id: int, rounds: int = 15) -> None:
    """Where the review page's time goes: in-process, the page, the time its SQL statements take to be sent and
    answered, and the sign-in page, interleaved round after round (medians)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from webapp import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_STORAGE_URI": "memory://"})
    signed = sign_in(url, worker_id)
    reviewer, visitor = app.test_client(), app.test_client()
    reviewer.set_cookie("fv_session", signed.cookie.split("=", 1)[1], domain="localhost")
    sent: list[float] = []

    def before(conn: object, cursor: object, statement: str, parameters: object, context: Any, executemany: bool) -> None:
        context.bench_started = time.perf_counter()

    def after(conn: object, cursor: object, statement: str, parameters: object, context: Any, executemany: bool) -> None:
        sent.append(time.perf_counter() - context.bench_started)

    page, statements, counts, signin = [], [], [], []
    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    try:
        for round_ in range(rounds + 2):
            sent.clear()
            started = time.perf_counter()
            assert reviewer.get(f"/staff/reviews/{review_id}").status_code == 200
            taken, in_sql, count = time.perf_counter() - started, sum(sent), len(sent)
            started = time.perf_counter()
            assert visitor.get("/signin").status_code == 200
            if round_ >= 2:  # the first two warm the statements and templates
                page.append(taken)
                statements.append(in_sql)
                counts.append(count)
                signin.append(time.perf_counter() - started)
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)
    ms = {name: statistics.median(values) * 1000 for name, values in (("page", page), ("sql", statements), ("signin", signin))}
    print(f"\nWhere the review page's time goes, in-process on the 1M database ({rounds} rounds interleaved, medians): "
          f"the page {ms['page']:.1f} ms ({ms['page'] / ms['signin']:.1f}x the sign-in page's {ms['signin']:.1f} ms), "
          f"of which its {statistics.median(counts):.0f} SQL statements, sent and answered, {ms['sql']:.1f} ms "
          f"({ms['sql'] / ms['signin']:.1f}x the sign-in page on their own)")


def explain(url: str, worker_id: int) -> None:
    """The plan of every query the inbox and caseload pages send about families and entries, at 1M entries."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from webapp import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_STORAGE_URI": "memory://"})
    signed = sign_in(url, worker_id)
    statements: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, statement: str, parameters: object, context: object, executemany: bool) -> None:
        statements.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        for path in ("/staff/inbox", "/staff/"):
            statements.clear()
            client = app.test_client()
            client.set_cookie("fv_session", signed.cookie.split("=", 1)[1], domain="localhost")
            status = client.get(path).status_code
            # Each distinct statement once (the first parameters), with how often the page sent it.
            sent: dict[str, int] = {}
            shown = []
            for s, p in statements:
                if s.lstrip().upper().startswith("SELECT") and ("entries" in s or "families" in s):
                    sent[s] = sent.get(s, 0) + 1
                    if sent[s] == 1:
                        shown.append((s, p))
            print(f"\n== EXPLAIN ANALYZE of the {path} page's queries at 1,000,000 entries (answered {status}; "
                  f"{len(statements)} statements in all)")
            raw = create_engine(url).raw_connection()
            try:
                cursor = raw.cursor()
                for statement, parameters in shown:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    plan = "\n".join(str(row[0]) for row in cursor.fetchall())
                    times = f" (sent {sent[statement]} times)" if sent[statement] > 1 else ""
                    print("-- " + " ".join(statement.split())[:300] + times)
                    print(plan)
                    seq = [line.strip() for line in plan.splitlines() if "Seq Scan on" in line and ("entries" in line or "family_members" in line or "families" in line)]
                    print("index scans only" if not seq else f"SEQUENTIAL SCANS: {seq}")
                raw.rollback()
            finally:
                raw.close()
    finally:
        event.remove(Engine, "before_cursor_execute", capture)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (make bench installs it).")
    started = time.perf_counter()
    seed.ensure(seed.SMALL)
    seed.ensure(seed.LARGE)
    review_id, review_worker = seed.review_ids(seed.LARGE)
    young_person = seed.SMALL.workers + seed.SMALL.teams + 1  # family 1's first member
    worker = seed.BENCH_WORKER_ID
    photo = __import__("photo_pipeline").make_photo()

    common = {"SECRET_KEY": SECRET_KEY, "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": "fvbench" + secrets.token_hex(4),
              "PHOTO_LIMIT_PER_MEMBER": "100000 per hour", "FLASK_DEBUG": "0"}
    hello = Server("hello:app", pythonpath=str(ROOT / "bench"))
    floor.create_tables(seed.SMALL.url)
    bare = Server("floor:app", {"FLOOR_DATABASE_URL": seed.SMALL.url}, pythonpath=str(ROOT / "bench"))
    small = Server("webapp:create_app()", {**common, "DATABASE_URL": seed.SMALL.url})
    large = Server("webapp:create_app()", {**common, "DATABASE_URL": seed.LARGE.url})

    yp = sign_in(seed.SMALL.url, young_person)
    staff_small = sign_in(seed.SMALL.url, worker)
    staff_large = sign_in(seed.LARGE.url, worker)
    reviewer = sign_in(seed.LARGE.url, review_worker)

    rows = {
        "home": Row("Young person's home, req/s vs hello", ">= 0.40", lambda v: v >= 0.40),
        "inbox": Row("Worker inbox, req/s vs hello", ">= 0.40", lambda v: v >= 0.40),
        "signin": Row("Sign-in page, req/s vs hello", ">= 0.60", lambda v: v >= 0.60),
        "inbox_1m": Row("Inbox page 1 p95, 1M vs 1k entries", "<= 1.5x", lambda v: v <= 1.5),
        "caseload_1m": Row("Caseload page p95, 1M vs 1k entries", "<= 1.5x", lambda v: v <= 1.5),
        "photo": Row("Photo upload 12 MP vs Pillow draft decode", "<= 2.5x", lambda v: v <= 2.5),
        "review_ms": Row("Review page, 2,000 items (ms)", "< 300 ms", lambda v: v < 300, unit="ms"),
        "review_ratio": Row("Review page vs sign-in page", "< 5x", lambda v: v < 5),
        "pdf_ms": Row("Review PDF, 2,000 items (ms)", "< 1000 ms", lambda v: v < 1000, unit="ms"),
        "cold": Row("Cold start to first 200 vs hello", "< 2x", lambda v: v < 2),
    }
    floors = {
        "form": Row("CSRF form page (sign-in's floor), req/s vs hello", ">= 0.60", lambda v: v >= 0.60),
        "row": Row("One-row page (home's, inbox's floor), req/s vs hello", ">= 0.40", lambda v: v >= 0.40),
        "cold": Row("Libraries' cold start (the app's floor) vs hello", "< 2x", lambda v: v < 2),
    }
    absolute: dict[str, list[float]] = {key: [] for key in ("hello", "home", "inbox", "signin", "inbox_1k", "inbox_1m",
                                                            "caseload_1k", "caseload_1m", "photo", "decode", "signin_ms",
                                                            "cold_hello", "cold_app", "cold_floor")}

    with running(hello, bare, small, large):
        for port, path, cookie in ((small.port, "/home", yp.cookie), (small.port, "/staff/inbox", staff_small.cookie),
                                   (small.port, "/signin", ""), (large.port, "/staff/inbox", staff_large.cookie),
                                   (small.port, "/staff/", staff_small.cookie), (large.port, "/staff/", staff_large.cookie),
                                   (large.port, f"/staff/reviews/{review_id}", reviewer.cookie)):
            expect_ok(port, path, cookie)
        get(large.port, f"/staff/reviews/{review_id}/review.pdf", reviewer.cookie)  # warm: templates compiled, fonts read
        for _ in range(2):
            post_photo(small.port, yp.cookie, yp.csrf, photo)
        for number in range(1, ROUNDS + 1):
            print(f"round {number} of {ROUNDS}", flush=True)
            hello_before = wrk(hello.port, "/")[0]
            home = wrk(small.port, "/home", yp.cookie)[0]
            inbox = wrk(small.port, "/staff/inbox", staff_small.cookie)[0]
            signin = wrk(small.port, "/signin")[0]
            floor_form = wrk(bare.port, "/form")[0]
            floor_row = wrk(bare.port, "/row")[0]
            hello_after = wrk(hello.port, "/")[0]
            baseline = (hello_before + hello_after) / 2
            floors["form"].values.append(floor_form / baseline)
            floors["row"].values.append(floor_row / baseline)
            rows["home"].values.append(home / baseline)
            rows["inbox"].values.append(inbox / baseline)
            rows["signin"].values.append(signin / baseline)
            print(f"  req/s: hello {hello_before:.0f} and {hello_after:.0f}, home {home:.0f}, inbox {inbox:.0f}, sign-in {signin:.0f}; floor: form {floor_form:.0f}, "
                  f"row {floor_row:.0f}", flush=True)
            absolute["hello"].append(baseline)
            absolute["home"].append(home)
            absolute["inbox"].append(inbox)
            absolute["signin"].append(signin)

            for page, key in (("/staff/inbox", "inbox"), ("/staff/", "caseload")):
                at_1k = wrk(small.port, page, staff_small.cookie, connections=2)[1]
                at_1m = wrk(large.port, page, staff_large.cookie, connections=2)[1]
                print(f"  {page} p95: {at_1k:.1f} ms at 1k, {at_1m:.1f} ms at 1M", flush=True)
                rows[f"{key}_1m"].values.append(at_1m / at_1k)
                absolute[f"{key}_1k"].append(at_1k)
                absolute[f"{key}_1m"].append(at_1m)

            decode = sequential_ms(lambda: bare_draft_decode(photo), 3)
            upload = sequential_ms(lambda: post_photo(small.port, yp.cookie, yp.csrf, photo), 3)
            rows["photo"].values.append(upload / decode)
            absolute["photo"].append(upload)
            absolute["decode"].append(decode)

            signin_ms = sequential_ms(lambda: get(small.port, "/signin"), 5)
            review_ms = sequential_ms(lambda: get(large.port, f"/staff/reviews/{review_id}", reviewer.cookie), 3)
            rows["review_ms"].values.append(review_ms)
            rows["review_ratio"].values.append(review_ms / signin_ms)
            absolute["signin_ms"].append(signin_ms)
            rows["pdf_ms"].values.append(sequential_ms(lambda: get(large.port, f"/staff/reviews/{review_id}/review.pdf", reviewer.cookie), 1))

            cold = {}
            for name, server, path in (("hello", Server("hello:app", pythonpath=str(ROOT / "bench")), "/"),
                                       ("floor", Server("floor:app", {"FLOOR_DATABASE_URL": seed.SMALL.url}, pythonpath=str(ROOT / "bench")), "/"),
                                       ("app", Server("webapp:create_app()", {**common, "DATABASE_URL": seed.SMALL.url}), "/signin")):
                before = time.perf_counter()
                server.start()
                try:
                    cold[name] = server.wait_ready(path, since=before)
                finally:
                    server.stop()
            rows["cold"].values.append(cold["app"] / cold["hello"])
            absolute["cold_hello"].append(cold["hello"] * 1000)
            absolute["cold_app"].append(cold["app"] * 1000)
            floors["cold"].values.append(cold["floor"] / cold["hello"])
            absolute["cold_floor"].append(cold["floor"] * 1000)

    print(f"\nFamily Voice on PostgreSQL, gunicorn with 2 sync workers (deploy/gunicorn.conf.py), wrk {SECONDS} s per run, "
          f"{ROUNDS} rounds interleaved; median and spread (min-max) of the per-round figures")
    print_rows(rows.values())
    print("\nThe floor: the same libraries with none of Family Voice's code (bench/floor.py), same rounds; "
          "a floor past its goal means the goal cannot be met here by changing the app")
    print_rows(floors.values(), heading="goal reachable?")
    med = {key: statistics.median(values) for key, values in absolute.items() if values}
    print(f"\nAbsolute medians: hello {med['hello']:.0f} req/s; home {med['home']:.0f}, inbox {med['inbox']:.0f}, "
          f"sign-in {med['signin']:.0f} req/s; inbox p95 {med['inbox_1k']:.1f} ms at 1k, {med['inbox_1m']:.1f} ms at 1M; "
          f"caseload p95 {med['caseload_1k']:.1f} ms at 1k, {med['caseload_1m']:.1f} ms at 1M; photo upload {med['photo']:.0f} ms, "
          f"draft decode {med['decode']:.0f} ms; sign-in page {med['signin_ms']:.1f} ms; cold start hello {med['cold_hello']:.0f} ms, "
          f"app {med['cold_app']:.0f} ms, libraries alone {med['cold_floor']:.0f} ms")

    review_statements(seed.LARGE.url, review_id, review_worker)
    explain(seed.LARGE.url, worker)
    print(f"\n(bench took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
