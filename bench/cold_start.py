"""Where a worker's start goes, until it has answered the sign-in page: the figures behind the
"cold start" row of `make bench` (bench/table.py), which times whole gunicorn servers.

Each round is a fresh process doing what a gunicorn worker does (garbage collector off while it loads,
templates read from the template cache an earlier process filled), and prints the processor time of
each part: Flask itself (all a bare "hello" app loads), the libraries and modules `import webapp`
brings, create_app (the models, the blueprints' views, forms and services, the database engine and
the rate-limit store), the first sign-in page and the second. Then the modules costing most to import.
Run: .venv/bin/python bench/cold_start.py   (SQLite in a temporary folder; set BENCH_DATABASE_URL and
BENCH_RATELIMIT_URI to load the PostgreSQL driver and the Redis client as `make bench` does.)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

_WORKER = """
import gc, json, resource, sys, time
gc.disable()
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
parts, last = {}, [cpu()]
def part(name):
    now = cpu()
    parts[name] = (now - last[0]) * 1000
    last[0] = now
import flask
part("Flask itself")
import webapp
part("import webapp")
app = webapp.create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "bench", "RATELIMIT_STORAGE_URI": sys.argv[2],
                         "TEMPLATE_CACHE_FOLDER": sys.argv[3]})
part("create_app")
gc.enable()
client = app.test_client()
assert client.get("/signin").status_code == 200
part("first sign-in page")
assert client.get("/signin").status_code == 200
part("second sign-in page")
print(json.dumps(parts))
"""


def worker(database_url: str, ratelimit_uri: str, template_cache: str, *python_options: str) -> tuple[dict[str, float], str]:
    result = subprocess.run(
        [sys.executable, *python_options, "-c", _WORKER, database_url, ratelimit_uri, template_cache],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def slowest_imports(importtime: str, count: int = 15) -> list[tuple[float, str]]:
    """The modules whose own import (not counting the modules they import) took longest, in ms."""
    rows = []
    for line in importtime.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, _total, name = line.removeprefix("import time:").split("|")
            rows.append((int(own) / 1000, name.strip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
        ratelimit_uri = os.environ.get("BENCH_RATELIMIT_URI") or "memory://"
        cache = str(Path(folder) / "template-cache")
        worker(database_url, ratelimit_uri, cache)  # the first process compiles the templates, as a first worker would
        rounds = [worker(database_url, ratelimit_uri, cache)[0] for _ in range(ROUNDS)]
        _parts, importtime = worker(database_url, ratelimit_uri, cache, "-X", "importtime")
    print(f"A worker's start, processor time in ms, median of {ROUNDS} fresh processes "
          f"({database_url.split(':')[0]}, rate limits in {ratelimit_uri.split(':')[0]}):")
    for name in rounds[0]:
        print(f"  {name:<22} {statistics.median(r[name] for r in rounds):7.1f}")
    print(f"  {'in all':<22} {statistics.median(sum(r.values()) for r in rounds):7.1f}")
    print("The modules costing most to import (their own time, one run):")
    for own, name in slowest_imports(importtime):
        print(f"  {own:7.1f}  {name}")


if __name__ == "__main__":
    main()
