"""Photos of activities: only real photos are taken, nothing of the original's metadata survives,
and each photo is served only to the people allowed to see it."""

from __future__ import annotations

import io
import os
import threading
import tracemalloc
from typing import Any

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile
from PIL.JpegImagePlugin import JpegImageFile
from sqlalchemy import event, func, select

from webapp.audit.models import AuditEvent
from webapp.db import db_session
from webapp.photos.models import Photo, PhotoData

from . import factories
from .helpers import signed_in, text

pillow_heif.register_heif_opener()

GPS_LATITUDE = (51.0, 30.0, 12.5)
XMP_SECRET = "Behind-the-red-door-at-12-Acacia-Avenue"
COMMENT_SECRET = b"Taken-at-grandmas-flat"
MAKER_SECRET = b"Serial-SN-998877-owner-J-Smith"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    f'exif:GPSLatitude="51,30.2N" exif:GPSLongitude="0,7.65W"><dc:description>{XMP_SECRET}</dc:description>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()

NOT_A_PHOTO = "That file is not a photo we can use. Please choose a JPEG, PNG, WebP or HEIC photo."
BROKEN = "That photo seems to be broken. Please try another one."
TOO_MANY_PIXELS = "That photo is too big. Please choose a smaller one."


# --- Making test images.


def two_colour_picture(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """Red on the left half, blue on the right: enough to tell which way up a picture is."""
    picture = Image.new("RGB", size, (255, 0, 0))
    picture.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return picture


def exif_with_gps(orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.MakerNote] = MAKER_SECRET
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    return exif.tobytes()


def encode(picture: Image.Image, image_format: str, **params: Any) -> bytes:
    out = io.BytesIO()
    picture.save(out, image_format, **params)
    return out.getvalue()


def jpeg_full_of_secrets(size: tuple[int, int] = (400, 300)) -> bytes:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(two_colour_picture(size), "JPEG", exif=exif_with_gps(), icc_profile=icc, comment=COMMENT_SECRET, xmp=XMP)
    # The test is only worth something if the upload really carries all of it.
    opened = Image.open(io.BytesIO(data))
    assert {"exif", "xmp", "icc_profile", "comment"} <= set(opened.info)
    assert opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == GPS_LATITUDE
    return data


def heic_full_of_secrets() -> bytes:
    data = encode(two_colour_picture(), "HEIF", exif=exif_with_gps(), xmp=XMP)
    opened = Image.open(io.BytesIO(data))
    assert opened.format == "HEIF"
    assert opened.info.get("xmp") and opened.info.get("exif")
    assert opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == GPS_LATITUDE
    return data


def jpeg_segments(data: bytes) -> list[int]:
    """The JPEG markers before the image data starts (APPn, COM, DQT, SOF, DHT...)."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    markers, position = [], 2
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: pixels from here on
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        position += 2 + length
    return markers


def assert_nothing_but_pixels(data: bytes) -> None:
    """The stored file carries no EXIF, GPS, XMP, ICC profile, comment or maker notes."""
    for secret in (b"Exif", b"xmpmeta", b"adobe:ns:meta", XMP_SECRET.encode(), b"ICC_PROFILE", COMMENT_SECRET, MAKER_SECRET, b"PhoneMaker"):
        assert secret not in data, secret
    markers = jpeg_segments(data)
    app_segments = [m for m in markers if 0xE1 <= m <= 0xEF]  # APP1 EXIF/XMP, APP2 ICC, APP13 IPTC...
    assert app_segments == [], [hex(m) for m in app_segments]
    assert 0xFE not in markers, "a JPEG comment is left"
    opened = Image.open(io.BytesIO(data))
    for key in ("exif", "xmp", "icc_profile", "comment", "photoshop"):
        assert key not in opened.info, key
    exif = opened.getexif()
    assert len(exif) == 0
    assert len(exif.get_ifd(ExifTags.IFD.GPSInfo)) == 0


# --- Helpers.


def upload(client: Any, data: bytes, name: str = "photo.jpg", caption: str = "") -> Any:
    return client.submit(
        "/my/photos", {"photo": (io.BytesIO(data), name), "caption": caption}, content_type="multipart/form-data"
    )


def rgb(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    """The colour of one pixel of an RGB picture."""
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def stored() -> list[tuple[Photo, PhotoData]]:
    photos = db_session().scalars(select(Photo).order_by(Photo.id)).all()
    return [(photo, db_session().get_one(PhotoData, photo.id)) for photo in photos]


def only_photo() -> tuple[Photo, PhotoData]:
    rows = stored()
    assert len(rows) == 1
    return rows[0]


def nothing_stored() -> bool:
    return db_session().scalar(select(func.count(Photo.id))) == 0 and db_session().scalar(select(func.count(PhotoData.photo_id))) == 0


@pytest.fixture
def child(auth, world):
    auth.sign_in(world["child"].user)
    return world["child"]


# --- Cleaning.


def test_a_jpeg_loses_gps_exif_xmp_icc_comment_and_maker_notes(client, child):
    response = upload(client, jpeg_full_of_secrets(), caption="At the park")
    assert response.status_code == 302
    assert "Your photo is sent to your worker." in text(client.get(response.headers["Location"]))
    photo, data = only_photo()
    assert photo.caption == "At the park"
    assert data.mime_type == "image/jpeg"
    assert_nothing_but_pixels(data.image)
    assert_nothing_but_pixels(data.thumbnail)


def test_a_heic_photo_is_taken_and_loses_its_gps_exif_and_xmp(client, child):
    response = upload(client, heic_full_of_secrets(), name="IMG_0001.HEIC")
    assert response.status_code == 302
    photo, data = only_photo()
    assert data.mime_type == "image/jpeg"
    assert Image.open(io.BytesIO(data.image)).format == "JPEG"
    assert_nothing_but_pixels(data.image)
    assert_nothing_but_pixels(data.thumbnail)
    assert (photo.width, photo.height) == (400, 300)


def test_a_big_photo_is_stored_at_most_1600_pixels_long_with_a_small_thumbnail(client, child):
    # 4000 x 3000 is what a phone takes; the JPEG is decoded at a reduced scale, then shrunk.
    response = upload(client, jpeg_full_of_secrets((4000, 3000)))
    assert response.status_code == 302
    photo, data = only_photo()
    image = Image.open(io.BytesIO(data.image))
    thumbnail = Image.open(io.BytesIO(data.thumbnail))
    assert image.size == (1600, 1200) == (photo.width, photo.height)
    assert max(thumbnail.size) <= 320
    assert thumbnail.size == (320, 240)
    assert_nothing_but_pixels(data.image)


def test_a_tall_png_keeps_its_shape_when_shrunk(client, child):
    response = upload(client, encode(two_colour_picture((1000, 2500)), "PNG"), name="tall.png")
    assert response.status_code == 302
    _photo, data = only_photo()
    assert Image.open(io.BytesIO(data.image)).size == (640, 1600)
    assert Image.open(io.BytesIO(data.thumbnail)).size == (128, 320)


def test_a_photo_turned_sideways_by_its_exif_comes_out_upright(client, child):
    # Orientation 6: the camera was held on its side; the picture must be turned to be seen right.
    sideways = encode(two_colour_picture((400, 200)), "JPEG", exif=exif_with_gps(orientation=6))
    assert upload(client, sideways).status_code == 302
    photo, data = only_photo()
    image = Image.open(io.BytesIO(data.image)).convert("RGB")
    assert image.size == (200, 400) == (photo.width, photo.height)
    top, bottom = rgb(image, (100, 50)), rgb(image, (100, 350))
    assert top[0] > 200 and top[2] < 60, "the left (red) side of the sensor is at the top"
    assert bottom[2] > 200 and bottom[0] < 60
    assert_nothing_but_pixels(data.image)


def test_a_png_with_transparency_is_taken_on_a_white_background(client, child):
    picture = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    picture.paste((0, 128, 0, 255), (100, 0, 300, 200))
    assert upload(client, encode(picture, "PNG"), name="drawing.png").status_code == 302
    _photo, data = only_photo()
    image = Image.open(io.BytesIO(data.image)).convert("RGB")
    assert min(rgb(image, (20, 100))) > 245, "the see-through part is white"
    assert rgb(image, (250, 100))[1] > 100 > rgb(image, (250, 100))[0]


def test_a_webp_photo_is_taken(client, child):
    response = upload(client, encode(two_colour_picture(), "WEBP"), name="photo.webp")
    assert response.status_code == 302
    _photo, data = only_photo()
    assert Image.open(io.BytesIO(data.image)).format == "JPEG"


# --- Refusals.


def gif() -> bytes:
    return encode(two_colour_picture(), "GIF")


def bmp() -> bytes:
    return encode(two_colour_picture(), "BMP")


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


def text_file() -> bytes:
    return b"Dear diary, this is not a photo at all.\n" * 50


def truncated_jpeg() -> bytes:
    data = encode(Image.effect_noise((400, 300), 64).convert("RGB"), "JPEG", quality=95)
    return data[: len(data) // 2]


def png_of_56_megapixels() -> bytes:
    # A solid one-bit picture compresses to a few kilobytes, whatever its size.
    return encode(Image.new("1", (8000, 7000), 1), "PNG")


def png_of_120_megapixels() -> bytes:
    return encode(Image.new("1", (12000, 10000), 1), "PNG")


@pytest.mark.parametrize(
    "make,name,message",
    [
        (gif, "animation.gif", NOT_A_PHOTO),
        (gif, "renamed-gif.jpg", NOT_A_PHOTO),
        (bmp, "renamed-bitmap.png", NOT_A_PHOTO),
        (svg, "drawing.svg", NOT_A_PHOTO),
        (svg, "drawing.jpg", NOT_A_PHOTO),
        (text_file, "diary.jpg", NOT_A_PHOTO),
        (truncated_jpeg, "half.jpg", BROKEN),
        (png_of_56_megapixels, "huge.png", TOO_MANY_PIXELS),
        (png_of_120_megapixels, "bomb.png", TOO_MANY_PIXELS),
        (lambda: b"", "empty.jpg", "That file is empty. Please choose a photo."),
    ],
    ids=["gif", "gif-named-jpg", "bmp-named-png", "svg", "svg-named-jpg", "text-named-jpg", "truncated-jpeg", "56-megapixels", "120-megapixels", "empty"],
)
def test_anything_but_a_usable_photo_gets_a_clear_message_and_nothing_is_stored(client, child, make, name, message):
    response = upload(client, make(), name=name, caption="Should not be kept")
    assert response.status_code == 400
    assert message in text(response)
    assert nothing_stored()


def test_a_request_larger_than_the_limit_gets_the_too_big_page(app, client, child):
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    noisy = encode(Image.effect_noise((300, 300), 80).convert("RGB"), "PNG")
    assert len(noisy) > 20_000
    response = upload(client, noisy, name="big.png")
    assert response.status_code == 413
    assert "That file is too big" in text(response)
    assert nothing_stored()


def decoded_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, tuple[int, int]]]:
    """The format and size of every picture Pillow decodes from now on."""
    sizes: list[tuple[str | None, tuple[int, int]]] = []
    real_load = ImageFile.ImageFile.load

    def recording_load(image: ImageFile.ImageFile) -> Any:
        if image.tile:  # a picture not decoded yet
            sizes.append((image.format, image.size))
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return sizes


def heif_claiming(size: tuple[int, int]) -> bytes:
    """A small HEIC whose header says it is `size`: encoding a real one that big takes seconds."""
    data = encode(Image.new("RGB", (64, 64)), "HEIF")
    box = data.index(b"ispe") + 8  # after the box's version and flags: width, height
    return data[:box] + size[0].to_bytes(4, "big") + size[1].to_bytes(4, "big") + data[box + 8 :]


def test_a_7000_by_7000_png_is_refused_from_its_header_without_being_decoded(client, child, monkeypatch):
    # 49 megapixels that compress to a few hundred kilobytes: decoding them took 700 MB and seconds.
    picture = Image.linear_gradient("L").resize((7000, 7000)).convert("RGB")
    data = encode(picture, "PNG")
    del picture
    assert len(data) < 400_000
    decoded = decoded_sizes(monkeypatch)
    tracemalloc.start()
    try:
        response = upload(client, data, name="screenshot.png")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert TOO_MANY_PIXELS in text(response)
    assert decoded == []
    assert peak < 20 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"
    assert nothing_stored()


@pytest.mark.parametrize(
    "data,name",
    [
        (lambda: encode(Image.new("L", (5000, 5001), 128), "JPEG"), "big.jpg"),
        (lambda: encode(Image.new("L", (5000, 5001), 128), "JPEG", progressive=True), "progressive.jpg"),
        (lambda: heif_claiming((5000, 5001)), "big.heic"),
        (lambda: encode(Image.new("1", (4000, 4001), 1), "PNG"), "big.png"),
        (lambda: encode(Image.new("RGB", (4000, 3001), (9, 9, 9)), "WEBP", quality=1, method=0), "big.webp"),
    ],
    ids=["jpeg-over-25-megapixels", "progressive-jpeg-over-25-megapixels", "heic-over-25-megapixels", "png-over-16-megapixels", "webp-over-12-megapixels"],
)
def test_each_format_has_a_pixel_limit_checked_before_decoding(client, child, monkeypatch, data, name):
    upload_data = data()
    decoded = decoded_sizes(monkeypatch)
    response = upload(client, upload_data, name=name)
    assert response.status_code == 400
    assert TOO_MANY_PIXELS in text(response)
    assert decoded == []
    assert nothing_stored()


@pytest.mark.parametrize(
    "data,decoded_size",
    [
        # A phone's 24-megapixel photo is taken; a JPEG is decoded at a reduced scale.
        (lambda: encode(Image.new("L", (5000, 5000), 128), "JPEG"), (2500, 2500)),
        (lambda: encode(Image.new("1", (4000, 4000), 1), "PNG"), (4000, 4000)),
    ],
    ids=["jpeg-of-25-megapixels", "png-of-16-megapixels"],
)
def test_a_photo_at_its_formats_limit_is_taken(client, child, monkeypatch, data, decoded_size):
    decoded = decoded_sizes(monkeypatch)
    assert upload(client, data()).status_code == 302
    assert [size for _format, size in decoded] == [decoded_size]
    _photo, stored_data = only_photo()
    assert Image.open(io.BytesIO(stored_data.image)).size == (1600, 1600)


# --- Serving.


@pytest.fixture
def childs_photo(app, world) -> Photo:
    """A photo the child sent on its own, not attached to any entry."""
    browser = signed_in(app, world["child"].user)
    assert upload(browser, encode(two_colour_picture(), "JPEG")).status_code == 302
    return only_photo()[0]


@pytest.mark.parametrize("suffix", ["", "/thumbnail"])
def test_photos_are_served_as_private_jpegs_that_browsers_must_not_sniff(app, world, childs_photo, suffix):
    response = signed_in(app, world["child"].user).get(f"/photos/{childs_photo.id}{suffix}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]
    assert response.data[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize("viewer", ["child", "worker_a", "manager_a"])
@pytest.mark.parametrize("suffix", ["", "/thumbnail"])
def test_the_sender_and_the_familys_staff_can_see_a_photo(app, world, childs_photo, viewer, suffix):
    user = world[viewer].user if viewer == "child" else world[viewer]
    assert signed_in(app, user).get(f"/photos/{childs_photo.id}{suffix}").status_code == 200


@pytest.mark.parametrize(
    "viewer", ["parent", "young_child", "restricted_parent", "other_child", "other_worker_a", "worker_b", "manager_b"]
)
@pytest.mark.parametrize("suffix", ["", "/thumbnail"])
def test_nobody_else_can_see_a_photo_sent_on_its_own(app, world, childs_photo, viewer, suffix):
    user = world[viewer] if viewer in ("other_worker_a", "worker_b", "manager_b") else world[viewer].user
    assert signed_in(app, user).get(f"/photos/{childs_photo.id}{suffix}").status_code == 404


def test_a_photo_that_does_not_exist_is_404(app, world, childs_photo):
    assert signed_in(app, world["worker_a"]).get(f"/photos/{childs_photo.id + 1000}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "/thumbnail"])
def test_signed_out_people_are_sent_to_sign_in(client, childs_photo, suffix):
    response = client.get(f"/photos/{childs_photo.id}{suffix}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin")


def send_entry_with_photo(app: Any, member: Any, *, share: bool) -> Photo:
    browser = signed_in(app, member.user)
    form = {"what_happened": "We baked a cake", "photo": (io.BytesIO(encode(two_colour_picture(), "JPEG")), "cake.jpg"), "caption": "Our cake"}
    if share:
        form["share_with_family"] = "y"
    response = browser.submit("/my/views/new/good_news", form, content_type="multipart/form-data")
    assert response.status_code == 302
    return only_photo()[0]


def test_a_parent_sees_a_childs_photo_attached_to_an_entry_the_child_shared(app, world):
    photo = send_entry_with_photo(app, world["child"], share=True)
    parent = signed_in(app, world["parent"].user)
    assert parent.get(f"/photos/{photo.id}").status_code == 200
    assert parent.get(f"/photos/{photo.id}/thumbnail").status_code == 200
    page = text(parent.get(f"/my/views/{photo.entry_id}"))
    assert f'src="/photos/{photo.id}"' in page
    assert "Our cake" in page


def test_a_parent_never_sees_a_photo_attached_to_an_entry_the_child_did_not_share(app, world):
    photo = send_entry_with_photo(app, world["child"], share=False)
    parent = signed_in(app, world["parent"].user)
    assert parent.get(f"/photos/{photo.id}").status_code == 404
    assert parent.get(f"/photos/{photo.id}/thumbnail").status_code == 404


def test_a_restricted_parent_and_another_family_never_see_a_shared_entrys_photo(app, world):
    photo = send_entry_with_photo(app, world["child"], share=True)
    other_parent = factories.member(world["other_family"], "parent", name="Other parent")
    team_b_parent = factories.member(world["family_b"], "parent", name="Team B parent")
    for member in (world["restricted_parent"], other_parent, team_b_parent):
        browser = signed_in(app, member.user)
        assert browser.get(f"/photos/{photo.id}").status_code == 404, member.display_name
        assert browser.get(f"/photos/{photo.id}/thumbnail").status_code == 404, member.display_name


@pytest.mark.parametrize("suffix", ["", "/thumbnail"])
def test_staff_looking_at_a_photo_or_its_thumbnail_is_written_to_the_audit_log(app, world, childs_photo, suffix):
    worker = world["worker_a"]
    assert signed_in(app, worker).get(f"/photos/{childs_photo.id}{suffix}").status_code == 200
    events = db_session().scalars(select(AuditEvent).where(AuditEvent.action == "photo_viewed")).all()
    assert [(e.actor_id, e.family_id, e.target) for e in events] == [(worker.id, world["family"].id, f"photo:{childs_photo.id}")]


def test_the_sender_sees_their_photos_with_captions_on_their_page(client, child):
    upload(client, encode(two_colour_picture(), "JPEG"), caption="Me at <b>football</b>")
    photo, _data = only_photo()
    page = client.get("/my/photos").get_data(as_text=True)
    assert f'src="/photos/{photo.id}/thumbnail"' in page
    assert "Me at &lt;b&gt;football&lt;/b&gt;" in page
    assert "<b>football</b>" not in page


def test_a_big_jpeg_is_decoded_at_a_reduced_scale_before_it_is_shrunk(client, child, monkeypatch):
    decoded_sizes = []
    real_load = JpegImageFile.load

    def recording_load(image: JpegImageFile) -> Any:
        decoded_sizes.append(image.size)  # after draft(): the size the decoder really produces
        return real_load(image)

    monkeypatch.setattr(JpegImageFile, "load", recording_load)
    assert upload(client, jpeg_full_of_secrets((4000, 3000))).status_code == 302
    assert decoded_sizes and decoded_sizes[0] == (2000, 1500), "decoded at 1/2 scale, still over 1600 px long"


@pytest.mark.parametrize("page", ["/my/photos", "/staff/families/{family}/photos", "/staff/inbox", "/staff/entries/{entry}"])
def test_lists_of_photos_never_read_the_pictures_from_the_database(app, world, page):
    child_browser = signed_in(app, world["child"].user)
    assert upload(child_browser, encode(two_colour_picture(), "JPEG"), caption="Football").status_code == 302
    entry_id = child_browser.submit("/my/views/new/good_news", {"what_happened": "A goal"}).headers["Location"].split("/")[-1].split("?")[0]
    browser = child_browser if page.startswith("/my/") else signed_in(app, world["worker_a"])
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = db_session().get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = browser.get(page.format(family=world["family"].id, entry=entry_id))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    assert statements, "the page did query the database"
    assert not [s for s in statements if "photo_data" in s], "only the photo view reads picture bytes"


def test_a_jpeg_is_decoded_at_the_smallest_scale_that_still_covers_the_long_side(client, child, monkeypatch):
    decoded_sizes = []
    real_load = JpegImageFile.load

    def recording_load(image: JpegImageFile) -> Any:
        decoded_sizes.append(image.size)
        return real_load(image)

    monkeypatch.setattr(JpegImageFile, "load", recording_load)
    # Half of 3200 x 2400 is exactly 1600 long: decoded at 1/2, then nothing left to shrink.
    assert upload(client, jpeg_full_of_secrets((3200, 2400))).status_code == 302
    assert decoded_sizes[0] == (1600, 1200)
    _photo, data = only_photo()
    assert Image.open(io.BytesIO(data.image)).size == (1600, 1200)


@pytest.mark.parametrize(("orientation", "top_colour"), [(3, "blue"), (6, "red"), (8, "blue")])
def test_a_big_photo_turned_by_its_exif_is_shrunk_and_comes_out_upright(client, child, orientation, top_colour):
    # Red on the left of the sensor, blue on the right; 3400 x 1700 is decoded at 1/2 and shrunk to 1600 long.
    sideways = encode(two_colour_picture((3400, 1700)), "JPEG", exif=exif_with_gps(orientation=orientation))
    assert upload(client, sideways).status_code == 302
    photo, data = only_photo()
    image = Image.open(io.BytesIO(data.image)).convert("RGB")
    expected = (1600, 800) if orientation == 3 else (800, 1600)
    assert image.size == expected == (photo.width, photo.height)
    top = rgb(image, (image.width // 2, 40) if orientation != 3 else (40, image.height // 2))
    assert (top[0] > 200) == (top_colour == "red") and (top[2] > 200) == (top_colour == "blue")
    thumbnail = Image.open(io.BytesIO(data.thumbnail))
    assert max(thumbnail.size) == 320 and (thumbnail.width > thumbnail.height) == (orientation == 3)
    assert_nothing_but_pixels(data.image)


def test_no_more_photos_are_decoded_at_once_than_the_machine_has_cores(app):
    """Uploads beyond one per core wait their turn holding only their file, not a full-size picture each."""
    from webapp.photos import processing

    cores = len(os.sched_getaffinity(0))
    held = 0
    while processing.decoding.acquire(blocking=False):
        held += 1
    try:
        assert held == cores, "one photo per core at a time"
        finished: list[processing.ProcessedPhoto] = []
        waiting = threading.Thread(target=lambda: finished.append(processing.process(encode(two_colour_picture(), "JPEG"))))
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and not finished, "with every core busy, the next photo waits"
        processing.decoding.release()
        held -= 1
        waiting.join(timeout=30)
        assert finished and finished[0].width == 400
    finally:
        for _ in range(held):
            processing.decoding.release()
