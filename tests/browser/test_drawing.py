"""A young child draws on a small touch phone and sends it; the worker sees the drawing in the inbox and
imports it into a review. The same by keyboard alone, and done together on the worker's own phone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext, Page
from sqlalchemy import select

from webapp.auth.models import UserSession
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.families.models import FamilyMember
from webapp.photos.models import Photo

from .. import factories
from .conftest import PHONE, LiveServer, Phones
from .steps import follow, sign_in_member, sign_in_staff, submit
from .test_picture_led import RECORD_SPEECH, said

pytestmark = pytest.mark.browser


@pytest.fixture
def child(app) -> FamilyMember:
    team = factories.team()
    family = factories.family(team, factories.staff(team, "worker", name="Jo Worker"), name="The Rivers family")
    return factories.member(family, "young_person", name="Alex", age_band="8-10")


@pytest.fixture
def six_year_old(child: FamilyMember) -> FamilyMember:
    """Alex's little sister, who uses the picture-led way (under 8) and cannot read yet."""
    return factories.member(child.family, "young_person", name="Mia", age_band="5-7")


@pytest.fixture
def touch_phone(phones: Phones, browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A phone with a touch screen, where a finger draws."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_SPEECH)
    yield context
    context.close()


def finger_line(page: Page, selector: str, points: list[tuple[float, float]]) -> None:
    """Draw with one finger through points given as fractions of the canvas, with real touch events."""
    # A child sees what they draw on: the canvas is on the screen first (a tapped colour below may have scrolled it off).
    page.eval_on_selector(selector, "(canvas) => canvas.scrollIntoView({ block: 'center' })")
    box = page.locator(selector).bounding_box()
    assert box
    at = [{"x": box["x"] + box["width"] * x, "y": box["y"] + box["height"] * y, "id": 7} for x, y in points]
    cdp = page.context.new_cdp_session(page)
    clock = page.evaluate("Date.now() / 1000")
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [at[0]], "timestamp": clock})
    for n, point in enumerate(at[1:], start=1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point], "timestamp": clock + n * 0.05})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": [], "timestamp": clock + len(at) * 0.05 + 0.3})
    cdp.detach()


def coloured_pixels(page: Page, selector: str = ".drawing canvas") -> int:
    """How many pixels of the canvas are not white (sampled)."""
    count: int = page.eval_on_selector(selector, """(canvas) => {
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 16) if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) n++;
        return n;
    }""")
    return count


def sent_drawing(member: FamilyMember) -> tuple[Entry, Photo]:
    db_session().rollback()
    entry = db_session().scalars(select(Entry).where(Entry.member_id == member.id)).one()
    photo = db_session().scalars(select(Photo).where(Photo.entry_id == entry.id)).one()
    return entry, photo


def loaded(page: Page, src: str) -> int:
    """Wait until the picture at src has loaded on the page; its width in pixels."""
    selector = f"img[src='{src}']"
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_function("(selector) => { const img = document.querySelector(selector); return img && img.complete && img.naturalWidth > 0; }", arg=selector)
    width: int = page.eval_on_selector(selector, "(img) => img.naturalWidth")
    return width


def worker_imports(page: Page, member: FamilyMember, entry: Entry, photo: Photo, checked: Callable[..., None]) -> None:
    """The worker sees the drawing in the inbox and on the entry page, then ticks it into a review."""
    worker = member.family.lead_worker
    sign_in_staff(page, worker)
    page.goto("/staff/inbox")
    loaded(page, f"/photos/{photo.id}/thumbnail")
    checked(page)
    follow(page, page.get_by_role("link", name="Draw it"))
    assert page.locator(f"img[src='/photos/{photo.id}']").is_visible()
    assert loaded(page, f"/photos/{photo.id}") == 600
    checked(page)
    page.goto(f"/staff/families/{member.family_id}/reviews")
    submit(page, "#submit")
    page.check(f"#item-entry-{entry.id}")
    page.check(f"#item-photo-{photo.id}")
    submit(page, "#submit")
    assert page.get_by_text("Review saved.").is_visible()
    checked(page)
    follow(page, page.get_by_role("link", name="Printable page"))
    record = page.locator("article.case-record")
    assert "Draw it" in record.inner_text()
    assert record.locator(f"img[src='/photos/{photo.id}/thumbnail']").count() == 1


def test_a_child_draws_with_a_finger_and_sends_and_the_worker_imports_it(touch_phone, phones, six_year_old, checked):
    child = six_year_old
    page = touch_phone.new_page()
    sign_in_member(page, child.user)
    # The picture-led home: the "Draw it" tile, a picture and two words.
    follow(page, page.locator("#tile-draw"), tap=True)
    page.locator(".drawing-tools:not([hidden])").wait_for()
    checked(page)
    # A picture screen like the others: its words said when it opens, every target 64 px.
    assert said(page) == [["Draw it. Draw a picture for your worker.", "en"]]
    for button in page.locator(".drawing-tools button, #submit, .say-again, .breadcrumb a, #quick-exit").all():
        box = button.bounding_box()
        assert box and box["width"] >= 64 and box["height"] >= 64, f"too small to tap: {box}"
    assert page.get_by_role("button", name="Undo").is_disabled()

    page.get_by_role("button", name="Red").tap()
    assert page.get_by_role("button", name="Red").get_attribute("aria-pressed") == "true"
    page.eval_on_selector(".drawing canvas", "(canvas) => canvas.scrollIntoView({ block: 'center' })")
    scroll_before = page.evaluate("window.scrollY")
    finger_line(page, ".drawing canvas", [(0.2, 0.2), (0.4, 0.4), (0.6, 0.5), (0.8, 0.8)])
    assert page.evaluate("window.scrollY") == scroll_before, "drawing does not scroll the page"
    red = coloured_pixels(page)
    assert red > 50
    page.get_by_role("button", name="Blue").tap()
    finger_line(page, ".drawing canvas", [(0.8, 0.2), (0.2, 0.8)])
    assert coloured_pixels(page) > red
    page.get_by_role("button", name="Undo").tap()
    assert coloured_pixels(page) == red, "Undo takes back the last line only"
    page.get_by_role("button", name="Clear").tap()
    assert coloured_pixels(page) == 0 and page.get_by_role("button", name="Undo").is_disabled(), "Clear rubs it all out"
    page.get_by_role("button", name="Red").tap()
    finger_line(page, ".drawing canvas", [(0.2, 0.2), (0.4, 0.4), (0.6, 0.5), (0.8, 0.8)])
    assert coloured_pixels(page) == red

    page.fill("#about_drawing", "Me and my cat")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to my worker").tap()
    entry, photo = sent_drawing(child)
    assert entry.kind == "drawing" and photo.width == 600
    assert page.locator(f"img[src='/photos/{photo.id}']").is_visible()
    assert "Me and my cat" in page.content()
    checked(page)

    worker_imports(phones.new().new_page(), child, entry, photo, checked)


def test_by_keyboard_alone_a_child_draws_picks_colours_undoes_and_sends(page: Page, six_year_old, checked):
    child = six_year_old  # on the picture-led way, as a 6-year-old who uses a switch would be
    sign_in_member(page, child.user)
    # From the picture-led home, by keyboard: the "Draw it" tile.
    page.locator("#tile-draw").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator(".drawing-tools:not([hidden])").wait_for()
    page.locator(".drawing canvas").focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    black = coloured_pixels(page)
    assert black > 0
    page.keyboard.press("Tab")  # to the first colour
    for _ in range(2):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Blue"
    page.keyboard.press("Space")
    assert page.get_by_role("button", name="Blue").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back to the drawing
    page.keyboard.press("ArrowLeft")
    assert coloured_pixels(page) > black
    for _ in range(6):  # Black, Red, Blue, Green, Yellow, Undo
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()").endswith("Undo")
    page.keyboard.press("Enter")
    assert coloured_pixels(page) == black
    page.keyboard.press("Tab")  # Clear
    page.keyboard.press("Tab")  # the words
    page.keyboard.type("A road")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    entry, photo = sent_drawing(child)
    assert entry.answers == {"about_drawing": "A road"} and photo.width == 600
    checked(page)


@pytest.mark.parametrize("locale, rtl", [("en-GB", False), ("ar", True)])
def test_the_drawing_pages_are_accessible_in_english_and_arabic(phones: Phones, child, checked, locale, rtl):
    child.user.locale = locale.split("-")[0]
    db_session().commit()
    page = phones.new(locale=locale).new_page()
    sign_in_member(page, child.user)
    for url in ("/my/draw", "/my/three-houses"):
        page.goto(url)
        page.locator(".drawing-tools:not([hidden])").first.wait_for()
        checked(page, rtl=rtl)
    # Nothing drawn and no words: the page says so, and stays accessible.
    page.goto("/my/draw")
    submit(page, "#submit")
    assert page.locator(".flash-error:not([hidden])").is_visible()
    checked(page, rtl=rtl)


def test_three_houses_are_drawn_one_by_one_and_sent_together(page: Page, child, checked):
    sign_in_member(page, child.user)
    page.goto("/my/three-houses")
    page.locator(".drawing-tools:not([hidden])").first.wait_for()
    canvases = page.locator(".drawing canvas")
    for index in (0, 2):
        canvases.nth(index).scroll_into_view_if_needed()
        box = canvases.nth(index).bounding_box()
        assert box
        page.mouse.move(box["x"] + 50, box["y"] + 50)
        page.mouse.down()
        page.mouse.move(box["x"] + 200, box["y"] + 150, steps=5)
        page.mouse.up()
    page.fill("#house_of_good_things", "My friends")
    submit(page, "#submit")
    db_session().rollback()
    entry = db_session().scalars(select(Entry).where(Entry.member_id == child.id)).one()
    photos = db_session().scalars(select(Photo).where(Photo.entry_id == entry.id).order_by(Photo.id)).all()
    assert entry.kind == "three_houses_drawn" and [p.caption for p in photos] == ["House of worries", "House of dreams"]
    checked(page)


def test_done_together_on_the_workers_phone(phones: Phones, child, checked):
    worker = child.family.lead_worker
    page = phones.new().new_page()
    sign_in_staff(page, worker)
    page.goto(f"/staff/families/{child.family_id}")
    checked(page)
    submit(page, "text=Do it together with Alex")
    assert page.url.endswith("/home")
    assert page.get_by_text("You are doing this together with Jo Worker.").is_visible()
    assert page.locator("a[href^='/staff/']").count() == 0
    checked(page)
    page.goto("/my/draw")
    page.locator(".drawing canvas").focus()
    page.keyboard.press("ArrowUp")
    submit(page, "#submit")
    entry, _photo = sent_drawing(child)
    assert entry.done_together_with_id == worker.id
    assert page.goto("/staff/inbox").status == 404  # type: ignore[union-attr]
    page.goto("/home")
    follow(page, page.get_by_role("link", name="Finish (worker)"))
    checked(page)
    page.fill("#password", "not the password")
    submit(page, "#submit")
    assert page.get_by_text("That is not the right password.").is_visible()
    checked(page)
    page.fill("#password", factories.PASSWORD)
    submit(page, "#submit")
    assert page.url.endswith(f"/staff/families/{child.family_id}")
    page.goto("/staff/inbox")
    assert page.get_by_text("Done together with Jo Worker").is_visible()


def test_offline_the_drawing_stays_on_the_screen(page: Page, context: BrowserContext, child):
    sign_in_member(page, child.user)
    page.goto("/my/draw")
    page.locator(".drawing canvas").focus()
    page.keyboard.press("ArrowDown")
    drawn = coloured_pixels(page)
    context.set_offline(True)
    page.get_by_role("button", name="Send to my worker").click()
    # The page finds out it is offline when its request fails, a moment after the tap.
    page.get_by_text("No internet right now. Your drawing is still here").wait_for()
    assert page.url.endswith("/my/draw") and coloured_pixels(page) == drawn
    context.set_offline(False)
    with page.expect_navigation():
        page.get_by_role("button", name="Send to my worker").click()
    entry, _photo = sent_drawing(child)
    assert entry.kind == "drawing"


@pytest.mark.neutral_site
def test_quick_exit_works_while_done_together(phones: Phones, child):
    page = phones.new().new_page()
    sign_in_staff(page, child.family.lead_worker)
    page.goto(f"/staff/families/{child.family_id}")
    submit(page, "text=Do it together with Alex")
    with page.expect_navigation():
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    assert page.url.startswith("https://weather.example/")
    # The beacon that ends the session goes on its way out: wait for it as the server sees it.
    worker = child.family.lead_worker
    for _ in range(50):
        db_session().rollback()
        if db_session().scalar(select(UserSession).where(UserSession.user_id == worker.id, UserSession.ended_at.is_(None))) is None:
            break
        page.wait_for_timeout(100)
    page.goto("/home")
    assert "/signin" in page.url
    page.goto("/staff/inbox")
    assert "/signin" in page.url, "the worker's session ended too"
