"""Each family member may send only so many photos an hour; the page that says so loses nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.photos.models import Photo

from .helpers import RATE_LIMIT_STORES as STORES
from .helpers import redis_keys, signed_in, text

TOO_MANY = "You have sent a lot of photos in a short time."




@pytest.fixture
def app_config(app_config: dict[str, Any], rate_limit_store: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "PHOTO_LIMIT_PER_MEMBER": "3 per hour", **rate_limit_store}




def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 60)).save(out, "JPEG")
    return out.getvalue()


def send_photo(browser: Any) -> Any:
    return browser.submit("/my/photos", {"photo": (io.BytesIO(jpeg()), "me.jpg")}, content_type="multipart/form-data")


def photo_count() -> int:
    return db_session().scalar(select(func.count(Photo.id))) or 0


@STORES
def test_a_member_who_sent_too_many_photos_gets_a_friendly_429_and_others_at_home_still_send(app, world, rate_limit_store):
    child = signed_in(app, world["child"].user)
    for _ in range(3):
        assert send_photo(child).status_code == 302
    refused = send_photo(child)
    assert refused.status_code == 429
    page = text(refused)
    assert TOO_MANY in page
    assert "The photos you sent before are safe." in page
    assert "Traceback" not in page
    assert photo_count() == 3
    # The parent shares the home's address but has an allowance of their own.
    assert send_photo(signed_in(app, world["parent"].user)).status_code == 302
    assert photo_count() == 4
    if "redis" in rate_limit_store["RATELIMIT_STORAGE_URI"]:
        assert redis_keys(app), "counted in Redis"


def test_an_entry_with_a_photo_over_the_limit_keeps_the_words_and_sends_without_the_photo(app, world):
    child = signed_in(app, world["child"].user)
    for _ in range(3):
        assert send_photo(child).status_code == 302
    refused = child.submit(
        "/my/views/new/good_news", {"what_happened": "We went to the beach", "photo": (io.BytesIO(jpeg()), "beach.jpg")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 429
    page = text(refused)
    assert TOO_MANY in page and "Nothing is lost: your words are still here." in page
    assert "We went to the beach" in page
    assert db_session().scalar(select(func.count(Entry.id))) == 0
    # Words alone are never limited.
    for _ in range(5):
        assert child.submit("/my/views/new/good_news", {"what_happened": "We went to the beach"}).status_code == 302
    assert photo_count() == 3


def test_a_photo_form_sent_again_after_it_went_through_does_not_use_up_the_allowance(app, world):
    child = signed_in(app, world["child"].user)
    page = child.get("/my/photos").get_data(as_text=True)
    client_id = page.split('name="client_id" type="hidden" value="', 1)[1].split('"', 1)[0]
    for _ in range(5):
        response = child.submit("/my/photos", {"client_id": client_id, "photo": (io.BytesIO(jpeg()), "me.jpg")}, content_type="multipart/form-data")
        assert response.status_code == 302
    assert photo_count() == 1
    assert send_photo(child).status_code == 302
    assert send_photo(child).status_code == 302
    assert send_photo(child).status_code == 429
