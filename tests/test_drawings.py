"""Draw it and My three houses: drawings made on the screen reach the worker as clean PNGs, with any words."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import time_machine
from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.photos.models import Photo, PhotoData

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .review_steps import clock, family, start_review, text_blocks, utc, worker  # clock, family and worker are fixtures

NOTHING_SENT = "Draw something, or write some words, before you send."


def drawing_png(colour: tuple[int, int, int] = (214, 40, 40), *, secret: str = "") -> io.BytesIO:
    """A drawing as the page's canvas sends it; with `secret`, a text chunk that must not survive."""
    image = Image.new("RGBA", (600, 600), (255, 255, 255, 255))
    for x in range(100, 500):
        image.putpixel((x, 300), (*colour, 255))
    info = PngImagePlugin.PngInfo()
    if secret:
        info.add_text("Comment", secret)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    out.seek(0)
    return out


def entry_count() -> int:
    return db_session().scalar(select(func.count(Entry.id))) or 0


@pytest.fixture
def child_client(app: Any, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["young_child"].user)


def sent_entry(response: Any) -> Entry:
    assert response.status_code == 302, text(response)[:800]
    match = re.search(r"/my/views/(\d+)", response.headers["Location"])
    assert match
    entry = db_session().get(Entry, int(match.group(1)))
    assert entry is not None
    return entry


def test_a_drawing_is_sent_as_a_metadata_free_png_attached_to_its_entry(child_client, world):
    response = child_client.submit("/my/draw", {"drawing": (drawing_png(secret="12 Acacia Avenue"), "drawing.png"), "about_drawing": "My cat"})
    entry = sent_entry(response)
    assert entry.kind == "drawing" and entry.answers == {"about_drawing": "My cat"}
    photo = db_session().scalar(select(Photo).where(Photo.entry_id == entry.id))
    assert photo is not None and photo.member_id == world["young_child"].id
    data = db_session().get(PhotoData, photo.id)
    assert data is not None and data.mime_type == "image/png"
    stored = Image.open(io.BytesIO(data.image))
    assert stored.format == "PNG" and stored.size == (600, 600)
    assert b"Acacia" not in data.image and not stored.info.get("Comment")
    # The child sees it was sent, with the drawing itself.
    page = text(child_client.get(response.headers["Location"]))
    assert f"/photos/{photo.id}" in page and "My cat" in page


def test_the_worker_sees_the_drawing_in_the_inbox_and_on_the_entry_page(app, child_client, world):
    entry = sent_entry(child_client.submit("/my/draw", {"drawing": (drawing_png(), "drawing.png")}))
    photo = db_session().scalar(select(Photo).where(Photo.entry_id == entry.id))
    assert photo is not None
    staff = signed_in(app, world["worker_a"])
    inbox = text(staff.get("/staff/inbox"))
    assert "Draw it" in inbox and f"/photos/{photo.id}/thumbnail" in inbox
    page = text(staff.get(f"/staff/entries/{entry.id}"))
    assert f'src="/photos/{photo.id}"' in page and 'alt="A drawing"' in page
    served = staff.get(f"/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    # A worker who is not on the family sees none of it.
    other = signed_in(app, world["worker_b"])
    assert other.get(f"/photos/{photo.id}").status_code == 404
    assert f"/photos/{photo.id}" not in text(other.get("/staff/inbox"))


def test_the_worker_imports_a_drawing_into_a_review(app, worker, family, world):
    with time_machine.travel(utc(6, 10), tick=False):
        child_client = signed_in(app, world["child"].user)
        entry = sent_entry(child_client.submit("/my/draw", {"drawing": (drawing_png(), "drawing.png"), "about_drawing": "Me and Nan"}))
    photo = db_session().scalar(select(Photo).where(Photo.entry_id == entry.id))
    assert photo is not None
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    page = text(worker.get(url))
    assert f"/photos/{photo.id}/thumbnail" in page
    worker.submit(url, {"item": [f"entry-{entry.id}", f"photo-{photo.id}"]})
    voice = dict(text_blocks(worker, url))["Voice of Child"]
    assert "Draw it" in voice and "Me and Nan" in voice
    pdf = worker.get(url + "/review.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_nothing_drawn_and_no_words_sends_nothing_and_says_why(child_client):
    response = child_client.submit("/my/draw", {"about_drawing": ""})
    assert response.status_code == 400 and NOTHING_SENT in text(response)
    assert entry_count() == 0


def test_words_alone_are_sent_when_the_phone_could_not_draw(child_client):
    entry = sent_entry(child_client.submit("/my/draw", {"about_drawing": "I like drawing at school"}))
    assert entry.answers == {"about_drawing": "I like drawing at school"}


@pytest.mark.parametrize("upload", [b"not a picture", b""])
def test_something_that_is_not_a_png_is_refused_and_the_words_stay(child_client, upload):
    response = child_client.submit("/my/draw", {"drawing": (io.BytesIO(upload), "drawing.png"), "about_drawing": "My dog"})
    assert response.status_code == 400 and "My dog" in text(response)
    assert entry_count() == 0


def test_a_jpeg_is_not_a_drawing(child_client):
    out = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 0, 0)).save(out, "JPEG")
    out.seek(0)
    response = child_client.submit("/my/draw", {"drawing": (out, "drawing.png"), "about_drawing": "Words"})
    assert response.status_code == 400 and "Words" in text(response)
    assert entry_count() == 0


def test_the_same_drawing_sent_twice_is_stored_once(child_client):
    page = text(child_client.get("/my/draw"))
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page)
    assert client_id
    for _ in range(2):
        child_client.submit("/my/draw", {"client_id": client_id.group(1), "drawing": (drawing_png(), "drawing.png")})
    assert entry_count() == 1
    assert db_session().scalar(select(func.count(Photo.id))) == 1


def test_three_houses_are_three_drawings_with_optional_words_in_one_entry(app, world):
    child_client = signed_in(app, world["child"].user)
    response = child_client.submit("/my/three-houses", {
        "worries_drawing": (drawing_png((0, 0, 0)), "a.png"),
        "house_of_worries": "Shouting at night",
        "good_things_drawing": (drawing_png((30, 140, 60)), "b.png"),
        "dreams_drawing": (drawing_png((240, 180, 5)), "c.png"),
        "house_of_dreams": "A puppy",
    })
    entry = sent_entry(response)
    assert entry.kind == "three_houses_drawn"
    assert entry.answers == {"house_of_worries": "Shouting at night", "house_of_dreams": "A puppy"}
    photos = db_session().scalars(select(Photo).where(Photo.entry_id == entry.id).order_by(Photo.id)).all()
    assert [p.caption for p in photos] == ["House of worries", "House of good things", "House of dreams"]
    staff_page = text(signed_in(app, world["worker_a"]).get(f"/staff/entries/{entry.id}"))
    assert "My three houses" in staff_page and "Shouting at night" in staff_page
    assert all(f'src="/photos/{p.id}"' in staff_page for p in photos)


def test_the_usual_three_houses_form_stays_as_it_was(child_client):
    response = child_client.submit("/my/views/new/three_houses", {"house_of_worries": "School"})
    assert sent_entry(response).kind == "three_houses"


def test_drawn_kinds_are_not_text_forms_and_staff_cannot_draw(app, child_client, world):
    assert child_client.get("/my/views/new/drawing").status_code == 404
    assert child_client.get("/my/views/new/three_houses_drawn").status_code == 404
    staff = signed_in(app, world["worker_a"])
    assert staff.get("/my/draw").status_code == 404
    assert staff.get("/my/three-houses").status_code == 404


def test_the_drawing_pages_offer_their_tools_and_are_linked_from_my_views(child_client):
    views = text(child_client.get("/my/views"))
    assert 'href="/my/draw"' in views and 'href="/my/three-houses"' in views
    page = text(child_client.get("/my/draw"))
    for word in ("Black", "Red", "Blue", "Green", "Yellow", "Undo", "Clear"):
        assert word in page
    assert text(child_client.get("/my/three-houses")).count("<canvas") == 3


def test_a_picture_led_child_draws_on_a_picture_screen_and_the_worker_sees_which_way_was_used(app, world):
    six = factories.member(world["family"], "young_person", name="Sunny", age_band="5-7")
    browser = signed_in(app, six.user)
    for url in ("/my/draw", "/my/three-houses"):
        page = text(browser.get(url))
        # Said aloud when it opens and again on asking, with a big way home, as every picture screen.
        assert "data-picture-led" in page and "/js/picture.js" in page and "data-say-again" in page, url
        assert re.search(r"<h1 data-say>.*</h1>", page) and '<p class="breadcrumb"><a href="/home">' in page, url
    # Each house has its own speaker, for a child who cannot read its name yet.
    assert text(browser.get("/my/three-houses")).count("data-say-this=") == 3
    response = browser.submit("/my/draw", {"drawing": (drawing_png(), "drawing.png")})
    entry = sent_entry(response)
    assert entry.way == "picture"
    assert "picture-home" in text(browser.get(response.headers["Location"])), "a big button back to the pictures"
    staff = signed_in(app, world["worker_a"])
    assert "Made with pictures" in text(staff.get(f"/staff/entries/{entry.id}"))


def test_a_child_on_the_usual_way_draws_on_the_usual_page(child_client, world):
    page = text(child_client.get("/my/draw"))
    assert "data-picture-led" not in page and "/js/picture.js" not in page
    entry = sent_entry(child_client.submit("/my/draw", {"drawing": (drawing_png(), "drawing.png")}))
    assert entry.way is None
