"""Getting in, through the pages: a worker sets up a family and hands out codes; members read the
privacy notice, agree or not, and choose their sign-in; staff accounts, two-step sign-in, languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from flask import Flask
from sqlalchemy import func, select

from webapp.auth.models import User
from webapp.db import db_session, utcnow
from webapp.families.models import ActivationCode, ConsentRecord, Family, FamilyMember

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text

NOTICE = "Who will see what you write"
CODE_DOES_NOT_WORK = "This code doesn't work"
NEW_PASSWORD = "blue-harbour-lantern"
CODE_PATTERN = re.compile(r'data-testid="activation-code">([A-Z2-9]{4}-[A-Z2-9]{4})<')
LINK_PATTERN = re.compile(r'data-testid="activation-link">https?://[^/]+(/activate/[A-Z2-9]+)<')


@pytest.fixture
def worker(app: Flask, world: dict[str, Any]) -> FormClient:
    return signed_in(app, world["worker_a"])


def new_browser(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


def issue_code(worker: FormClient, member: FamilyMember) -> tuple[str, str]:
    """The code as the page shows it ("ABCD-EFGH") and the path of the link it gives."""
    page = worker.submit(f"/staff/members/{member.id}/code", page=f"/staff/families/{member.family_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    code = CODE_PATTERN.search(html)
    link = LINK_PATTERN.search(html)
    assert code and link, html[:1000]
    return code.group(1), link.group(1)


def agree(browser: FormClient, link: str) -> None:
    notice = browser.get(link)
    assert notice.status_code == 200 and NOTICE in text(notice)
    response = browser.submit(link, {"agree": "I agree"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{link}/account"


def consents(member: FamilyMember) -> list[ConsentRecord]:
    return list(db_session().scalars(select(ConsentRecord).where(ConsentRecord.member_id == member.id).order_by(ConsentRecord.id)))


def user_count() -> int:
    return db_session().scalar(select(func.count(User.id))) or 0


def new_member(family: Any, role: str = "young_person", age_band: str = "14-15", name: str = "Robin") -> FamilyMember:
    return factories.member(family, role, name=name, age_band=age_band, activated=False)


# --- The worker sets up the family.


def test_a_worker_creates_a_family_adds_its_people_and_gives_each_a_code(app, world, worker):
    response = worker.submit(
        "/staff/families/new", {"name": "The Rivers family", "reference": "EH-2041", "lead_worker": str(world["worker_a"].id)}
    )
    assert response.status_code == 302
    family = db_session().scalar(select(Family).where(Family.name == "The Rivers family"))
    assert family is not None and family.reference == "EH-2041" and family.lead_worker_id == world["worker_a"].id
    assert response.headers["Location"] == f"/staff/families/{family.id}"

    people = [
        {"display_name": "Robin", "role": "young_person", "age_band": "11-13", "preferred_language": "pl"},
        {"display_name": "Jo", "role": "parent", "age_band": "adult", "preferred_language": "en"},
        {"display_name": "Sam", "role": "parent", "age_band": "adult", "preferred_language": "ar", "restricted": "y"},
    ]
    for person in people:
        added = worker.submit(f"/staff/families/{family.id}/members/new", person)
        assert added.status_code == 302
    members = {m.display_name: m for m in db_session().scalars(select(FamilyMember).where(FamilyMember.family_id == family.id))}
    assert set(members) == {"Robin", "Jo", "Sam"}
    robin, jo, sam = members["Robin"], members["Jo"], members["Sam"]
    assert (robin.role, robin.age_band, robin.preferred_language, robin.restricted) == ("young_person", "11-13", "pl", False)
    assert (jo.role, jo.age_band, jo.restricted) == ("parent", "adult", False)
    assert (sam.role, sam.preferred_language, sam.restricted) == ("parent", "ar", True)
    assert all(m.user_id is None for m in members.values()), "nobody can sign in before using a code"
    family_page = text(worker.get(f"/staff/families/{family.id}"))
    assert "Robin" in family_page and "Jo" in family_page and "Sam" in family_page

    codes = set()
    for member in (robin, jo, sam):
        page = worker.submit(f"/staff/members/{member.id}/code", page=f"/staff/families/{family.id}")
        html = page.get_data(as_text=True)
        code = CODE_PATTERN.search(html)
        assert code, "a code like ABCD-EFGH"
        assert re.search(r'<svg class="qr"[^>]*role="img"', html), "an inline SVG QR code"
        assert "<img" not in html.split('class="qr-box"', 1)[1].split("</div>", 1)[0]
        codes.add(code.group(1))
    assert len(codes) == 3
    # Only a hash of each code is kept.
    stored = db_session().scalars(select(ActivationCode.code_hash)).all()
    assert not any(code.replace("-", "") in value for code in codes for value in stored)


@pytest.mark.parametrize(
    "form,message",
    [
        ({"display_name": "Jo", "role": "parent", "age_band": "8-10", "preferred_language": "en"}, "A parent or carer can't be that young."),
        ({"display_name": "   ", "role": "young_person", "age_band": "8-10", "preferred_language": "en"}, "Please type a name."),
        ({"display_name": "Robin", "role": "young_person", "age_band": "adult", "preferred_language": "en"}, "Please choose the young person's age."),
    ],
)
def test_a_member_form_with_mistakes_says_what_to_fix_and_adds_nobody(world, worker, form, message):
    family = world["family"]
    before = len(family.members)
    response = worker.submit(f"/staff/families/{family.id}/members/new", form)
    assert response.status_code == 400
    assert message in text(response)
    db_session().refresh(family)
    assert len(family.members) == before


def test_changing_a_member_with_mistakes_changes_nothing(world, worker):
    child = world["child"]
    response = worker.submit(
        f"/staff/members/{child.id}/edit", {"display_name": "", "role": "young_person", "age_band": "14-15", "preferred_language": "en"}
    )
    assert response.status_code == 400
    assert "Please type a name." in text(response)
    db_session().refresh(child)
    assert child.display_name == "Child"


# --- The member uses the code.


def test_a_member_who_does_not_agree_gets_no_account_and_the_code_still_works(app, world, worker):
    robin = new_member(world["family"])
    _code, link = issue_code(worker, robin)
    browser = new_browser(app)
    notice = browser.get(link)
    assert NOTICE in text(notice)
    assert "Your worker, Worker A, will see what you write" in text(notice)

    refused = browser.submit(link, {"refuse": "I don't agree"})
    assert refused.status_code == 200
    assert "That's OK" in text(refused)
    [record] = consents(robin)
    assert record.agreed is False and record.recorded_at is not None
    db_session().refresh(robin)
    assert robin.user_id is None
    assert browser.get(f"{link}/account").headers["Location"] == link, "refusing does not open the account step"
    assert new_browser(app).get(link).status_code == 200, "they can still change their mind"


def test_a_young_person_agrees_chooses_a_sign_in_and_lands_on_their_home(app, world, worker):
    robin = new_member(world["family"])
    code, link = issue_code(worker, robin)
    assert link == "/activate/" + code.replace("-", "")
    browser = new_browser(app)
    before = utcnow()
    agree(browser, link)
    [record] = consents(robin)
    assert record.agreed is True
    assert before <= record.recorded_at <= utcnow(), "the consent is dated"

    response = browser.submit(f"{link}/account", {"username": "Robin.Rivers", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    home = browser.get("/home")
    assert home.status_code == 200 and "Hello Robin" in text(home)
    db_session().refresh(robin)
    assert robin.user is not None and robin.user.username == "robin.rivers" and robin.activated_at is not None

    # The code is spent.
    again = new_browser(app).get(link)
    assert again.status_code == 404 and CODE_DOES_NOT_WORK in text(again)
    # And the new sign-in works from another phone.
    other = new_browser(app)
    signed = other.submit("/signin", {"login": "robin.rivers", "password": NEW_PASSWORD})
    assert signed.status_code == 302 and signed.headers["Location"] == "/home"


def test_the_privacy_notice_opens_in_the_language_the_worker_noted_until_they_pick_another(app, world, worker):
    nadia = factories.member(world["family"], "parent", name="Nadia", activated=False, language="ar")
    _code, link = issue_code(worker, nadia)
    browser = new_browser(app)
    notice = browser.get(link, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="ar" dir="rtl">' in notice.get_data(as_text=True)
    browser.submit("/language", {"language": "pl", "next": link}, page=link)
    assert '<html lang="pl"' in browser.get(link).get_data(as_text=True), "their own choice wins"


def test_the_code_can_be_typed_with_its_dash_on_the_code_page(app, world, worker):
    robin = new_member(world["family"])
    code, link = issue_code(worker, robin)
    browser = new_browser(app)
    response = browser.submit("/activate", {"code": code.lower()})
    assert response.status_code == 302 and response.headers["Location"] == link
    assert NOTICE in text(browser.get(link))


def test_nobody_chooses_a_password_before_agreeing(app, world, worker):
    robin = new_member(world["family"])
    _code, link = issue_code(worker, robin)
    browser = new_browser(app)
    users_before = user_count()
    assert browser.get(f"{link}/account").headers["Location"] == link
    posted = browser.submit(f"{link}/account", {"username": "robin", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=link)
    assert posted.status_code == 302 and posted.headers["Location"] == link
    assert user_count() == users_before
    db_session().refresh(robin)
    assert robin.user_id is None and consents(robin) == []


@pytest.mark.parametrize(
    "username,password,message",
    [
        ("taken", NEW_PASSWORD, "Somebody already has that username. Please choose another one."),
        ("robin", "password", "That password is too easy to guess."),
        ("robin", "short", "Your password needs at least 8 characters."),
        ("a", NEW_PASSWORD, "Use 3 to 30 letters or numbers"),
    ],
)
def test_a_taken_username_or_a_weak_password_gets_a_clear_message_and_nothing_is_stored(app, world, worker, username, password, message):
    if username == "taken":
        username = world["child"].user.username.upper()
    robin = new_member(world["family"])
    _code, link = issue_code(worker, robin)
    browser = new_browser(app)
    agree(browser, link)
    users_before = user_count()
    response = browser.submit(f"{link}/account", {"username": username, "password": password, "confirm": password})
    assert response.status_code in (200, 400)
    assert message in text(response)
    assert user_count() == users_before
    db_session().refresh(robin)
    assert robin.user_id is None
    assert db_session().scalar(select(ActivationCode.used_at).where(ActivationCode.member_id == robin.id)) is None
    # Fixing it then works, with the same code.
    fixed = browser.submit(f"{link}/account", {"username": "robin.fixed", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert fixed.status_code == 302 and fixed.headers["Location"] == "/home"


def test_a_code_works_for_fourteen_days_only(app, world, worker, time_machine):
    robin = new_member(world["family"])
    issued_at = utcnow()
    time_machine.move_to(issued_at, tick=True)
    _code, link = issue_code(worker, robin)
    time_machine.move_to(issued_at + timedelta(days=13, hours=23), tick=True)
    assert NOTICE in text(new_browser(app).get(link))
    time_machine.move_to(issued_at + timedelta(days=14, minutes=1), tick=True)
    late = new_browser(app).get(link)
    assert late.status_code == 404 and CODE_DOES_NOT_WORK in text(late)
    assert NOTICE not in text(late)


def test_a_new_code_makes_the_old_one_stop_working(app, world, worker):
    robin = new_member(world["family"])
    _old, old_link = issue_code(worker, robin)
    _new, new_link = issue_code(worker, robin)
    assert old_link != new_link
    assert new_browser(app).get(old_link).status_code == 404
    assert NOTICE in text(new_browser(app).get(new_link))


def test_a_code_cannot_be_used_twice_even_by_the_browser_that_used_it(app, world, worker):
    robin = new_member(world["family"])
    _code, link = issue_code(worker, robin)
    browser = new_browser(app)
    agree(browser, link)
    browser.submit(f"{link}/account", {"username": "robin", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert browser.get(link).status_code == 404
    assert browser.get(f"{link}/account").status_code == 404


def test_forgotten_password_a_new_code_sets_a_new_one_keeps_the_username_and_ends_old_sessions(app, world, worker):
    child = world["child"]
    username = child.user.username
    old_phone = signed_in(app, child.user)
    assert old_phone.get("/home").status_code == 200

    _code, link = issue_code(worker, child)
    browser = new_browser(app)
    agree(browser, link)
    page = browser.get(f"{link}/account")
    assert f"Your username is {username}. Choose a new password." in text(page)
    assert 'name="username"' not in page.get_data(as_text=True)
    response = browser.submit(f"{link}/account", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert "Hello Child" in text(browser.get("/home"))

    assert old_phone.get("/home").status_code == 302, "the old sessions have ended"
    db_session().refresh(child)
    assert child.user.username == username
    wrong = new_browser(app).submit("/signin", {"login": username, "password": factories.PASSWORD})
    assert "That username or password is not right." in text(wrong)
    right = new_browser(app).submit("/signin", {"login": username, "password": NEW_PASSWORD})
    assert right.status_code == 302 and right.headers["Location"] == "/home"
    assert db_session().scalar(select(func.count(User.id)).where(User.username == username)) == 1


# --- Staff accounts and two-step sign-in.


def wrong_totp_code(secret: str) -> str:
    """A six-digit code that is not valid at any moment near now."""
    otp = pyotp.TOTP(secret)
    step = otp.timecode(utcnow())
    valid = {otp.generate_otp(s) for s in range(step - 3, step + 4)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 1000000)) if code not in valid)


def test_a_manager_creates_a_worker_who_changes_password_then_sets_up_totp_before_seeing_families(app, world):
    manager = signed_in(app, world["manager_a"])
    created = manager.submit("/staff/people", {"display_name": "Nia New", "email": "Nia.New@Example.org", "role": "worker"})
    assert created.status_code == 200
    one_time = re.search(r'data-testid="one-time-password">([^<]+)<', created.get_data(as_text=True))
    assert one_time
    password = one_time.group(1)
    assert password not in manager.get("/staff/people").get_data(as_text=True), "shown once only"
    nia = db_session().scalar(select(User).where(User.email == "nia.new@example.org"))
    assert nia is not None and nia.role == "worker" and nia.team_id == world["team_a"].id and nia.must_change_password
    assert password not in (nia.password_hash or "")

    family = world["family"]
    manager.submit(f"/staff/families/{family.id}/co-workers", {"worker": str(nia.id)}, page=f"/staff/families/{family.id}")
    family_url = f"/staff/families/{family.id}"

    browser = new_browser(app)
    signed = browser.submit("/signin", {"login": "nia.new@example.org", "password": password})
    assert signed.status_code == 302
    # First a password of their own.
    assert browser.get(family_url).headers["Location"] == "/settings"
    assert browser.get("/staff/").headers["Location"] == "/settings"
    changed = browser.submit("/settings", {"pw-current": password, "pw-password": NEW_PASSWORD, "pw-confirm": NEW_PASSWORD, "pw-submit": "1"})
    assert changed.status_code == 302
    # Then two-step sign-in.
    assert browser.get(family_url).headers["Location"] == "/staff/totp"
    setup = browser.get("/staff/totp")
    html = setup.get_data(as_text=True)
    assert re.search(r'<svg class="qr"', html), "an inline SVG QR code"
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', html)
    assert key
    secret = key.group(1).replace(" ", "")
    assert len(secret) >= 16

    wrong = browser.submit("/staff/totp", {"code": wrong_totp_code(secret)})
    assert wrong.status_code == 400 and "That code is not right." in text(wrong)
    assert browser.get(family_url).headers["Location"] == "/staff/totp"
    db_session().refresh(nia)
    assert nia.totp_confirmed_at is None

    confirmed = browser.submit("/staff/totp", {"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/staff/"
    page = browser.get(family_url)
    assert page.status_code == 200 and family.name in text(page)
    assert family.name in text(browser.get("/staff/"))
    db_session().refresh(nia)
    assert nia.totp_confirmed_at is not None and not nia.must_change_password


def test_a_worker_cannot_open_staff_accounts(app, world):
    assert signed_in(app, world["worker_a"]).get("/staff/people").status_code == 404
    assert signed_in(app, world["worker_a"]).submit(
        "/staff/people", {"display_name": "Eve", "email": "eve@example.org", "role": "manager"}, page="/settings"
    ).status_code == 404
    assert db_session().scalar(select(User).where(User.email == "eve@example.org")) is None


# --- Languages.


# Every language offered, as the page's html element names it (Portuguese as written in Portugal).
OFFERED = [("pl", "pl", "ltr"), ("ro", "ro", "ltr"), ("pt", "pt-PT", "ltr"), ("ar", "ar", "rtl"),
           ("ur", "ur", "rtl"), ("pa", "pa", "ltr"), ("uk", "uk", "ltr")]


@pytest.mark.parametrize("language,tag,direction", OFFERED)
def test_choosing_a_language_on_the_sign_in_page_changes_the_page(client, language, tag, direction):
    english = client.get("/signin").get_data(as_text=True)
    assert '<html lang="en-GB" dir="ltr">' in english and "<h1>Sign in</h1>" in english
    response = client.submit("/language", {"language": language}, page="/signin")
    assert response.status_code == 302 and response.headers["Location"] == "/signin"
    page = client.get("/signin").get_data(as_text=True)
    assert f'<html lang="{tag}" dir="{direction}">' in page
    assert "<h1>Sign in</h1>" not in page, "the page itself is in the chosen language"


@pytest.mark.parametrize("language,tag,direction", OFFERED)
def test_the_browsers_language_picks_any_offered_language(client, language, tag, direction):
    page = client.get("/signin", headers={"Accept-Language": f"{language}-GB,{language};q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert f'<html lang="{tag}" dir="{direction}">' in page
    assert "<h1>Sign in</h1>" not in page


def test_the_chooser_names_each_language_in_its_own_name_and_script(client, app, world):
    names = {"en": ("English", "ltr"), "pl": ("Polski", "ltr"), "ro": ("Română", "ltr"), "pt": ("Português", "ltr"),
             "ar": ("العربية", "rtl"), "ur": ("اردو", "rtl"), "pa": ("ਪੰਜਾਬੀ", "ltr"), "uk": ("Українська", "ltr")}
    for page in (client.get("/signin").get_data(as_text=True),
                 signed_in(app, world["parent"].user).get("/settings").get_data(as_text=True)):
        for code, (name, direction) in names.items():
            assert re.search(rf'<option value="{code}" lang="{code}" dir="{direction}"( selected)?>{name}</option>', page), code


def test_dates_follow_the_language_of_the_page(app, world):
    from webapp.entries.models import Entry

    parent = world["parent"]
    db_session().add(Entry(member_id=parent.id, family_id=parent.family_id, kind="good_news", language="pt",
                           answers={"what_happened": "Fomos ao parque."}, created_at=datetime(2026, 12, 2, 10, 0, tzinfo=UTC)))
    parent.user.locale = "uk"
    db_session().commit()
    page = signed_in(app, parent.user).get("/my/views").get_data(as_text=True)
    assert "груд." in page, "the month in Ukrainian"


@pytest.mark.parametrize(("language", "shown"), [
    ("en", "2 Dec 2026"), ("pl", "2 gru 2026"), ("ro", "2 dec. 2026"), ("pt", "02/12/2026"), ("ar", "02\u200f/12\u200f/2026"),
    ("ur", "2 دسمبر، 2026"), ("pa", "2 ਦਸੰ 2026"), ("uk", "2 груд. 2026"),
])
def test_every_language_shows_a_date_the_way_its_readers_write_it(app, world, language, shown):
    """The day an entry was sent, in each of the eight languages: the month in its words and script, in its order
    (Portuguese as in Portugal, day first)."""
    from webapp.entries.models import Entry

    parent = world["parent"]
    db_session().add(Entry(member_id=parent.id, family_id=parent.family_id, kind="good_news", language="en",
                           answers={"what_happened": "We went to the park."}, created_at=datetime(2026, 12, 2, 10, 0, tzinfo=UTC)))
    parent.user.locale = language
    db_session().commit()
    assert shown in signed_in(app, parent.user).get("/my/views").get_data(as_text=True)


def test_a_signed_in_users_language_is_remembered_at_the_next_sign_in(app, world):
    user = world["parent"].user
    browser = signed_in(app, user)
    browser.submit("/language", {"language": "ar", "next": "/home"}, page="/settings")
    assert '<html lang="ar" dir="rtl">' in browser.get("/home").get_data(as_text=True)
    db_session().refresh(user)
    assert user.locale == "ar"

    fresh = new_browser(app)
    assert '<html lang="en-GB"' in fresh.get("/signin").get_data(as_text=True)
    fresh.submit("/signin", {"login": user.username, "password": factories.PASSWORD})
    assert '<html lang="ar" dir="rtl">' in fresh.get("/home").get_data(as_text=True)
