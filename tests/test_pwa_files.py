"""What makes the app installable and safe on a shared phone: the manifest and its icons, the
service worker and what it may keep, the offline page, and the quick exit on family pages."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from webapp import config
from webapp.db import db_session
from webapp.families import activation

from .conftest import FormClient
from .helpers import signed_in, text

QUICK_EXIT = "https://weather.example.org/today"
STATIC = Path(__file__).resolve().parent.parent / "static"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "QUICK_EXIT_URL": QUICK_EXIT}


def get_and_close(client: Any, url: str) -> Any:
    response = client.get(url)
    response.get_data()
    response.close()  # static files are served from open files
    return response


# --- The manifest and its icons.


def manifest(client: Any) -> dict[str, Any]:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return manifest


def test_the_manifest_makes_the_app_installable(client):
    body = manifest(client)
    assert body["name"] == "Family Voice"
    assert body["start_url"] == "/"
    assert body["display"] == "standalone"
    sizes = {icon["sizes"] for icon in body["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any("maskable" in icon.get("purpose", "").split() for icon in body["icons"])


def test_the_page_links_the_manifest(client):
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/signin").get_data(as_text=True)


def test_every_icon_in_the_manifest_is_a_png_of_its_stated_size(client):
    icons = manifest(client)["icons"]
    assert len(icons) >= 3
    for icon in icons:
        assert icon["src"].startswith("/static/") and "?v=" in icon["src"]
        response = get_and_close(client, icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == "image/png"
        with Image.open(io.BytesIO(response.get_data())) as image:
            assert image.format == "PNG"
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert image.size == (width, height), icon["src"]


# --- The service worker.


def precache_list(client: Any) -> list[str]:
    script = client.get("/sw.js").get_data(as_text=True)
    match = re.search(r"const PRECACHE = (\[.*?\]);", script, re.DOTALL)
    assert match, "the service worker names what it keeps"
    paths: list[str] = json.loads(match.group(1))
    return paths


def test_the_service_worker_is_javascript_served_from_the_site_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert response.headers.get("Service-Worker-Allowed", "/") == "/"
    assert "addEventListener(\"fetch\"" in response.get_data(as_text=True)
    app_js = (STATIC / "js" / "app.js").read_text()
    assert re.search(r"serviceWorker\.register\(\"/sw\.js\", \{ scope: \"/\" \}\)", app_js), "registered for the whole site"


def test_the_service_worker_keeps_only_versioned_static_files_and_the_offline_page(client):
    urls = precache_list(client)
    assert "/offline" in urls
    for url in urls:
        if url == "/offline":
            continue
        assert url.startswith("/static/") and re.search(r"\?v=[0-9a-f]+$", url), url
    for url in urls:
        assert get_and_close(client, url).status_code == 200, url


def test_the_service_worker_is_the_same_for_everyone(app, world, client):
    """Nothing about who is signed in goes into what the phone keeps."""
    anonymous = client.get("/sw.js").get_data(as_text=True)
    child = signed_in(app, world["child"].user).get("/sw.js").get_data(as_text=True)
    assert child == anonymous
    assert world["child"].display_name not in child


def test_a_changed_static_file_gets_a_new_url_in_the_precache_list(app, client):
    before = precache_list(client)
    versions = app.extensions["static_versions"]
    saved = versions["css/app.css"]
    versions["css/app.css"] = "0123456789"
    try:
        after = precache_list(client)
    finally:
        versions["css/app.css"] = saved
    assert "/static/css/app.css?v=0123456789" in after
    assert [u for u in before if "app.css" in u] != [u for u in after if "app.css" in u]


# --- The offline page.


def test_the_offline_page_is_public(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "You are offline" in text(response)
    assert "999" in text(response)


@pytest.mark.parametrize("who", ["child", "worker_a"])
def test_the_offline_page_shows_nothing_about_a_signed_in_user(app, world, who):
    user = world[who].user if who == "child" else world[who]
    browser = signed_in(app, user)
    page = browser.get("/offline")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "You are offline" in text(page)
    for private in (user.display_name, user.username, user.email, world["family"].name, "Sign out", "Settings"):
        if private:
            assert not re.search(rf"\b{re.escape(private)}\b", text(page)), private
    assert "data-outbox-user" not in html and "csrf" not in html.lower()
    # The same page, byte for byte, as a signed-out visitor gets.
    anonymous = app.test_client().get("/offline").get_data(as_text=True)
    assert html == anonymous


# --- Quick exit on every family page, none on staff pages.


def quick_exit_links(html: str) -> list[str]:
    return re.findall(r'<a class="quick-exit" href="([^"]+)"[^>]*>Quick exit</a>', html)


def test_the_quick_exit_is_on_the_sign_in_and_activation_pages(app, world, client: FormClient):
    code = activation.issue(world["child"], world["worker_a"])
    db_session().commit()
    for url in ("/signin", "/activate", f"/activate/{code}", "/offline", "/no-such-page"):
        page = client.get(url)
        assert quick_exit_links(page.get_data(as_text=True)) == [QUICK_EXIT], url


MEMBER_PAGES = ["/home", "/my/views", "/my/views/new/good_news", "/my/worries", "/my/photos", "/settings"]


@pytest.mark.parametrize(
    "who,pages",
    [
        ("child", [*MEMBER_PAGES, "/my/plan", "/my/safety-plan"]),
        ("parent", [*MEMBER_PAGES, "/my/plan"]),
        ("restricted_parent", MEMBER_PAGES),
    ],
)
def test_the_quick_exit_is_on_every_page_of_a_family_member(app, world, who, pages):
    browser = signed_in(app, world[who].user)
    for url in pages:
        page = browser.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert quick_exit_links(html) == [QUICK_EXIT], url
        assert 'rel="noreferrer"' in html.split('class="quick-exit"', 1)[1].split(">", 1)[0]


@pytest.mark.parametrize("who", ["worker_a", "manager_a"])
def test_staff_pages_have_no_quick_exit(app, world, who):
    browser = signed_in(app, world[who])
    family = world["family"]
    for url in ("/staff/", "/staff/inbox", f"/staff/families/{family.id}", f"/staff/families/{family.id}/plan", "/settings"):
        page = browser.get(url)
        assert page.status_code == 200, url
        assert quick_exit_links(page.get_data(as_text=True)) == [], url
        assert "Quick exit" not in text(page), url


def test_the_quick_exit_address_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("QUICK_EXIT_URL", "https://neutral.example.net/")
    assert config.from_environment(tmp_path)["QUICK_EXIT_URL"] == "https://neutral.example.net/"
    monkeypatch.delenv("QUICK_EXIT_URL")
    default = config.from_environment(tmp_path)["QUICK_EXIT_URL"]
    assert default.startswith("https://") and default != QUICK_EXIT


def test_the_quick_exit_address_is_the_configured_one(app, client):
    assert app.config["QUICK_EXIT_URL"] == QUICK_EXIT
    html = client.get("/signin").get_data(as_text=True)
    assert quick_exit_links(html) == [QUICK_EXIT]
    assert f'data-quick-exit-url="{QUICK_EXIT}"' in html, "the Escape-twice script leaves for the same address"
