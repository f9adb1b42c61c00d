"""A server starts answering quickly: what only some pages need is loaded when they are first asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Libraries for exports, the plain-language meter and the API's response models: seconds of importing, needed by few pages.
LOADED_WHEN_USED = ("fpdf", "docx", "uharfbuzz", "fontTools", "textstat", "zxcvbn.frequency_lists", "webapp.reviews.exports", "webapp.fonts", "pydantic", "webapp.api.schemas")

_STARTED = """
import json, sys
from webapp import create_app
from webapp.auth import passwords
app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})
client = app.test_client()
status = client.get("/signin").status_code
print(json.dumps({
    "status": status,
    "loaded": [name for name in sys.argv[1:] if name in sys.modules],
    "dummy_hashes_made": passwords._dummy_hash.cache_info().currsize,
}))
"""


def _start(*names: str) -> dict[str, object]:
    # A key of its own, so that nothing is written to the instance folder.
    environment = {**os.environ, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test"}
    result = subprocess.run(
        [sys.executable, "-c", _STARTED, *names], cwd=ROOT, env=environment, capture_output=True, text=True, check=True, timeout=120
    )
    started: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return started


def test_a_started_server_answers_without_loading_the_export_libraries_or_hashing_a_password() -> None:
    started = _start(*LOADED_WHEN_USED)
    assert started["status"] == 200
    assert started["loaded"] == []
    # The hash that keeps unknown usernames as slow as wrong passwords is made at the first sign-in.
    assert started["dummy_hashes_made"] == 0
