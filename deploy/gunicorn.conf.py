"""gunicorn's settings for Family Voice: `make serve`, or `gunicorn -c deploy/gunicorn.conf.py 'webapp:create_app()'`.

Every figure comes from the environment, so one file serves a laptop and a council's servers:
  GUNICORN_BIND      where to listen (default 127.0.0.1:8000; behind the proxy, never on a public address)
  GUNICORN_WORKERS   processes (default 2 per CPU core + 1)
  GUNICORN_THREADS   threads per process (default 4: a request waiting on the database or SMTP does not hold a
                     process; 1 means plain sync workers)
  GUNICORN_TIMEOUT   seconds a request may take before its worker is restarted (default 60: a review PDF is the longest)
  GUNICORN_ACCESS_LOG  "-" for standard output, a path, or unset for none (the proxy keeps the access log)
The app's own settings (DATABASE_URL, RATELIMIT_STORAGE_URI, SECRET_KEY, SMTP_*, BEHIND_PROXY, ...) are read by
webapp/config.py from the same environment.

Graceful restart: `kill -HUP <master pid>` starts new workers with the new code and lets the old ones finish the
requests they hold (up to GUNICORN_GRACEFUL_TIMEOUT seconds); a worker is also replaced after max_requests.
"""

import gc
import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (spread out, so they are not all replaced at once):
# memory a long-lived process gathers is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max(max_requests // 10, 0)
# Requests whose first line or headers are too long are refused before they reach the app.
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn itself trusts X-Forwarded-Proto only from this address; the app trusts one proxy when BEHIND_PROXY=1.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "familyvoice"
# Restarts go by signals (HUP, TERM) to the master; no control socket in the home folder (gunicorn 27 on).
control_socket_disable = True


# A new worker loads the app without the garbage collector: the objects it builds while importing live as long as
# the process, so walking them over and over (a sixth of the start) finds next to nothing to free. Collection resumes once
# the app is loaded (create_app has frozen what was built by then).
def post_fork(server: Any, worker: Any) -> None:
    gc.disable()


def post_worker_init(worker: Any) -> None:
    gc.enable()
