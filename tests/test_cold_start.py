"""A server starts answering quickly: what only some pages need is loaded when they are first asked for."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest

from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent

# Libraries for exports, the plain-language meter and the API's response models: seconds of importing, needed by few pages.
# The bank-holiday calendars (every country's), read only when a page counts working days; Pillow, for photos and
# drawings as they come; the QR code library, for the page setting up two-step sign-in.
LOADED_WHEN_USED = ("fpdf", "docx", "uharfbuzz", "fontTools", "textstat", "zxcvbn.frequency_lists", "webapp.reviews.exports", "webapp.fonts", "pydantic", "webapp.api.schemas", "holidays", "PIL", "pillow_heif", "qrcode")

_STARTED = """
import json, sys
import jinja2
# Which templates this process compiles from their source, rather than reading them compiled.
compiled = []
_compile = jinja2.Environment.compile
def _counted(self, source, name=None, *args, **kwargs):
    compiled.append(name)
    return _compile(self, source, name, *args, **kwargs)
jinja2.Environment.compile = _counted
from webapp import create_app
from webapp.auth import passwords
app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})
client = app.test_client()
response = client.get("/signin")
print(json.dumps({
    "status": response.status_code,
    "page": response.get_data(as_text=True),
    "compiled": compiled,
    "loaded": [name for name in sys.argv[1:] if name in sys.modules],
    "dummy_hashes_made": passwords._dummy_hash.cache_info().currsize,
}))
"""


def _start(template_cache: Path, *names: str) -> dict[str, Any]:
    # A key and a template cache of its own, so that nothing is written to the instance folder.
    environment = {**os.environ, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test", "TEMPLATE_CACHE_FOLDER": str(template_cache)}
    result = subprocess.run(
        [sys.executable, "-c", _STARTED, *names], cwd=ROOT, env=environment, capture_output=True, text=True, check=True, timeout=120
    )
    started: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return started


def _without_csrf_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", page)


def test_a_started_server_answers_without_loading_the_export_libraries_or_hashing_a_password(tmp_path: Path) -> None:
    started = _start(tmp_path, *LOADED_WHEN_USED)
    assert started["status"] == 200
    assert started["loaded"] == []
    # The hash that keeps unknown usernames as slow as wrong passwords is made at the first sign-in.
    assert started["dummy_hashes_made"] == 0


def test_a_new_server_reads_the_templates_an_earlier_one_compiled(tmp_path: Path) -> None:
    first = _start(tmp_path)
    assert first["status"] == 200
    assert {"base.html", "auth/sign_in.html"} <= set(first["compiled"])
    second = _start(tmp_path)
    assert second["status"] == 200
    assert second["compiled"] == [], "every template of the sign-in page came compiled from the cache"
    assert _without_csrf_tokens(second["page"]) == _without_csrf_tokens(first["page"])
    assert "<h1>Sign in</h1>" in second["page"]


def test_a_template_cache_that_cannot_be_made_only_means_templates_are_compiled(tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "test", "TEMPLATE_CACHE_FOLDER": str(in_the_way / "cache")})
    try:
        response = app.test_client().get("/signin")
        assert response.status_code == 200
        assert "<h1>Sign in</h1>" in response.get_data(as_text=True)
    finally:
        app.extensions["db_engine"].dispose()


def test_templates_compiled_under_other_settings_are_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str | None] = []
    compile_from_source = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return compile_from_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)

    def sign_in_page(trim_blocks: bool) -> str:
        app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "test", "TEMPLATE_CACHE_FOLDER": str(tmp_path)})
        app.jinja_env.trim_blocks = trim_blocks  # as a release changing how templates are read would
        try:
            response = app.test_client().get("/signin")
            assert response.status_code == 200
            return _without_csrf_tokens(response.get_data(as_text=True))
        finally:
            app.extensions["db_engine"].dispose()

    as_before = sign_in_page(trim_blocks=False)
    assert "auth/sign_in.html" in compiled
    compiled.clear()
    assert sign_in_page(trim_blocks=False) == as_before
    assert compiled == [], "the same settings: read from the cache"
    trimmed = sign_in_page(trim_blocks=True)
    assert "auth/sign_in.html" in compiled, "other settings: compiled again, not read as the earlier settings wrote it"
    assert trimmed != as_before
