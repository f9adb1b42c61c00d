"""The command-line tasks an operator runs: demo data, demo codes, the first manager, migrations."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyotp
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, func, inspect, make_url, select, text

from webapp import demo
from webapp.assessments.models import Assessment
from webapp.auth.models import Role, User
from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember
from webapp.models import Base
from webapp.photos.models import Photo
from webapp.plans import services as plans
from webapp.plans.models import SafetyPlanAgreement
from webapp.reviews.models import Review
from webapp.staff.models import Team
from webapp.worries.models import Worry, WorryScore

from .conftest import Auth, FormClient
from .helpers import text as page_text

ROOT = Path(__file__).resolve().parent.parent
STAFF_LINE = re.compile(r"^\s+(manager|worker)\s+(\S+@\S+)\s+(\S+)\s+TOTP secret: ([A-Z2-7 ]+?)\s*$", re.MULTILINE)
MEMBER_LINE = re.compile(r"^\s+\S+\s+(?:young_person|parent|network)\s+age \S+\s+(demo\.\S+)\s+(\S+)\s*$", re.MULTILINE)


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=list(args))


def browser(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


def demo_counts() -> tuple[int, int, int, int]:
    db = db_session()
    db.rollback()
    return (
        db.scalar(select(func.count(Team.id)).where(Team.name == "Demo team")) or 0,
        db.scalar(select(func.count(User.id)).where(User.is_demo.is_(True))) or 0,
        db.scalar(select(func.count(Family.id)).where(Family.name == "The Demo family")) or 0,
        db.scalar(select(func.count(Entry.id))) or 0,
    )


# --- demo-data


def test_demo_data_loads_once_and_prints_working_sign_ins(app):
    first = run(app, "demo-data")
    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output
    counts = demo_counts()
    assert counts[:3] == (1, 8, 1) and counts[3] > 0

    staff = STAFF_LINE.findall(first.output)
    members = MEMBER_LINE.findall(first.output)
    assert {role for role, *_ in staff} == {"manager", "worker"}
    assert {username for username, _ in members} == {"demo.parent", "demo.sam", "demo.alex", "demo.oksana", "demo.nani", "demo.mia"}

    for _role, email, password, grouped_secret in staff:
        user = db_session().scalar(select(User).where(User.email == email))
        assert user is not None and user.is_demo
        secret = grouped_secret.replace(" ", "")
        assert secret == user.totp_secret
        phone = browser(app)
        assert phone.submit("/signin", {"login": email, "password": password}).headers["Location"].startswith("/signin/code")
        signed = phone.submit("/signin/code", {"code": pyotp.TOTP(secret).now()})
        assert signed.status_code == 302 and signed.headers["Location"] == "/staff/"
        assert "The Demo family" in phone.get("/staff/").get_data(as_text=True)

    for username, password in members:
        signed = browser(app).submit("/signin", {"login": username, "password": password})
        assert signed.status_code == 302 and signed.headers["Location"] == "/home", username

    second = run(app, "demo-data")
    assert second.exit_code == 0, second.output
    assert "Demo data was already there." in second.output
    assert demo_counts() == counts, "nothing is added twice"
    assert STAFF_LINE.findall(second.output) == staff, "the same secrets, not new ones"


def test_demo_data_quietly(app):
    result = run(app, "demo-data", "--quiet")
    assert result.exit_code == 0
    assert "TOTP secret" not in result.output and "demo-sam-pass" not in result.output
    assert demo_counts()[:3] == (1, 8, 1)


def member_browser(app: Flask, username: str) -> FormClient:
    """A demo family member signed in with the password the demo-data command prints."""
    password = {"demo.parent": "demo-parent-pass", "demo.sam": "demo-sam-pass", "demo.alex": "demo-alex-pass",
                "demo.oksana": "demo-oksana-pass", "demo.nani": "demo-nani-pass",
                "demo.mia": "demo-mia-pass"}[username]
    phone = browser(app)
    assert phone.submit("/signin", {"login": username, "password": password}).status_code == 302
    return phone


def test_the_demo_family_shows_a_newcomer_every_feature(app):
    assert run(app, "demo-data", "--quiet").exit_code == 0
    db = db_session()
    family = db.scalar(select(Family).where(Family.name == "The Demo family"))
    assert family is not None
    members = {m.user.username: m for m in family.members if m.user}

    # A published plan with a young person's and a parent's version of every section.
    plan = plans.latest_published(family.id)
    assert plan is not None and plan.content["actions"]
    assert all(section["young_person"] and section["parent"] for section in plan.content["sections"].values())
    # A full mapping, two danger statements each with its safety goal in every version, and two quotes of Sam's own words.
    assert all(plan.content["mapping"][part] for part in ("past_harm", "complicating_factors", "existing_strengths", "existing_safety", "next_steps"))
    assert plan.content["mapping"]["genogram_date"] and plan.content["mapping"]["present"] and plan.content["mapping"]["absent"]
    assert len(plan.content["pairs"]) == 2 and all(all(pair.values()) for pair in plan.content["pairs"])
    assert [q["name"] for q in plan.content["voice"]] == ["Sam", "Sam"] and all(q["words"] and q["date"] for q in plan.content["voice"])
    young = plan.content["sections"]["worried_about"]["young_person"]
    adult = plan.content["sections"]["worried_about"]["parent"]
    for username in ("demo.sam", "demo.alex"):
        page = page_text(member_browser(app, username).get("/my/plan"))
        assert young in page and adult not in page, username
    # Pat reads Polish: the parent version as the interpreter translated it, and the new English (with a
    # note) where the English changed after it was translated.
    page = page_text(member_browser(app, "demo.parent").get("/my/plan"))
    assert demo.POLISH["worried_about"] in page and adult not in page and young not in page
    assert plan.content["sections"]["contingency"]["parent"] in page
    assert "To nie jest jeszcze przetłumaczone na twój język, więc jest po angielsku." in page
    # Oksana reads it in Ukrainian.
    oksana = page_text(member_browser(app, "demo.oksana").get("/my/plan"))
    assert '<html lang="uk" dir="ltr">' in oksana
    assert all(words in oksana for words in demo.PARENT_VERSION["uk"].values()) and adult not in oksana
    # Nani, the grandmother, is a network member: no plan page, but her home in Urdu shows the action naming her
    # (in Urdu), the safety plan's parts naming her, and the day she agreed to it; nothing else of the plan.
    nani_phone = member_browser(app, "demo.nani")
    assert nani_phone.get("/my/plan").status_code == 404
    nani = page_text(nani_phone.get("/home"))
    assert '<html lang="ur" dir="rtl">' in nani
    assert demo.ACTION_WORDS["ur"][demo.NANI_ACTION] in nani
    # She is the plan's Gran: the steps, rules and rows naming Gran, not those naming only Mrs Begum or Ms Reed.
    assert "Gran has Sam and Alex after school on Tuesdays, so Pat can go to the parenting group" in nani
    assert "Pat texts Gran and takes the children to her house. Gran calls Will the next morning." in nani
    assert "Mrs Begum" not in nani and "Tell Will if Sam seems worried or tired at school" not in nani
    assert "Pat goes to the Calmer Homes parenting group every Tuesday" not in nani and adult not in nani
    nani_member = members["demo.nani"]
    assert nani_member.role == "network"
    agreed = db.scalars(select(SafetyPlanAgreement).where(SafetyPlanAgreement.member_id == nani_member.id)).all()
    assert len(agreed) == 1

    # A safety plan for each young person, on their own page.
    for username in ("demo.sam", "demo.alex"):
        safety = plans.latest_published_safety_plan(members[username].id)
        assert safety is not None and safety.content["safe_people"], username
        page = page_text(member_browser(app, username).get("/my/safety-plan"))
        assert safety.content["safe_people"][0]["name"] in page and safety.content["safe_places"][0]["place"] in page, username

    # An assessment shared with the parent, who has commented on it.
    assessment = db.scalar(select(Assessment).where(Assessment.family_id == family.id))
    assert assessment is not None and [share.member_id for share in assessment.shares] == [members["demo.parent"].id]
    [comment] = assessment.comments
    parent = member_browser(app, "demo.parent")
    assert assessment.title in page_text(parent.get("/my/assessments"))
    assert comment.text in page_text(parent.get(f"/my/assessments/{assessment.id}"))

    # Worry scores over several weeks, from several members, shown as each one's history.
    weeks: dict[int, set[int]] = {}
    for score in db.scalars(select(WorryScore).join(Worry).where(Worry.family_id == family.id)):
        if score.member_id is not None:
            weeks.setdefault(score.member_id, set()).add(score.created_at.isocalendar()[1])
    assert len([member for member, seen in weeks.items() if len(seen) >= 3]) >= 3
    worry = db.scalar(select(Worry).where(Worry.family_id == family.id, Worry.is_safety.is_(True)))
    assert worry is not None
    assert worry.wording in page_text(member_browser(app, "demo.sam").get(f"/my/worries/{worry.id}"))
    # Scaling per child by four people: the parent about Sam and about Alex, Sam himself, the worker, and Gran recorded by the worker.
    about_sam = {(s.member_id, s.scorer_kind, s.scorer_name) for s in worry_scores_about(db, worry, members["demo.sam"])}
    assert {(members["demo.parent"].id, "member", ""), (members["demo.sam"].id, "member", "")} <= about_sam
    assert {kind for _member, kind, _name in about_sam} >= {"member", "worker", "network"}
    assert worry_scores_about(db, worry, members["demo.alex"])

    # A finished review, with the family's words, scores and comment imported.
    review = db.scalar(select(Review).where(Review.family_id == family.id))
    assert review is not None and review.is_final
    assert {item.source for item in review.items} == {"entry", "worry", "comment"}
    worker_user = db.scalar(select(User).where(User.email == "worker@demo.familyvoice.test"))
    worker = browser(app)
    Auth(worker).sign_in(worker_user, password="demo-worker-pass")
    assert "Final since" in page_text(worker.get(f"/staff/reviews/{review.id}"))
    assert "Voice of Child" in page_text(worker.get(f"/staff/reviews/{review.id}/print"))
    # The worker sees which translations are done and which are out of date, and the interpreter's English
    # beside what Pat wrote in Polish.
    editor = " ".join(re.sub(r"<[^>]+>", " ", worker.get(f"/staff/families/{family.id}/plan").get_data(as_text=True)).split())
    assert "Polski : ✅ translated" in editor and "Polski : ⚠️ out of date: the English changed" in editor
    assert demo.PAT_IN_ENGLISH in page_text(worker.get(f"/staff/reviews/{review.id}/print"))


def worry_scores_about(db: Any, worry: Worry, child: Any) -> list[WorryScore]:
    return list(db.scalars(select(WorryScore).where(WorryScore.worry_id == worry.id, WorryScore.about_member_id == child.id)))


def test_the_demo_6_year_old_has_the_picture_led_home_with_a_worry_and_people_to_tap(app):
    assert run(app, "demo-data", "--quiet").exit_code == 0
    mia = member_browser(app, "demo.mia")
    home = mia.get("/home").get_data(as_text=True)
    assert 'id="tile-feel"' in home and 'id="tile-draw"' in home
    worries = page_text(mia.get("/my/pictures/worries"))
    assert "Loud voices at home" in worries
    worry = db_session().scalar(select(Worry).where(Worry.wording == "Loud voices at home"))
    assert worry is not None
    page = page_text(mia.get(f"/my/pictures/worries/{worry.id}"))
    assert "0 means: It is very scary" in page and "Gran" in page and "Sam" in page
    worker_user = db_session().scalar(select(User).where(User.email == "worker@demo.familyvoice.test"))
    worker = browser(app)
    Auth(worker).sign_in(worker_user, password="demo-worker-pass")
    assert "Made with pictures" in page_text(worker.get("/staff/inbox"))

    # Drawings: Alex's three houses, and a picture drawn with Will on his phone, done together.
    alex = member_browser(app, "demo.alex")
    db = db_session()
    alex_id = db.scalar(select(FamilyMember.id).join(User, FamilyMember.user_id == User.id).where(User.username == "demo.alex"))
    drawn = db.scalars(select(Entry).where(Entry.member_id == alex_id, Entry.kind.in_(("drawing", "three_houses_drawn")))).all()
    assert sorted(entry.kind for entry in drawn) == ["drawing", "three_houses_drawn"]
    inbox = page_text(worker.get("/staff/inbox"))
    assert "Done together with Will Worker" in inbox and "My three houses" in inbox
    for entry in drawn:
        photo_ids = [photo.id for photo in db.scalars(select(Photo).where(Photo.entry_id == entry.id))]
        assert len(photo_ids) == (1 if entry.kind == "drawing" else 3)
        assert all(f"/photos/{photo_id}" in page_text(alex.get(f"/my/views/{entry.id}")) for photo_id in photo_ids)
        assert all(alex.get(f"/photos/{photo_id}").mimetype == "image/png" for photo_id in photo_ids)
        assert all(f"/photos/{photo_id}/thumbnail" in inbox for photo_id in photo_ids)


def test_the_demo_shows_reviews_signed_off_waiting_and_due(app):
    """The demo family's review signed off by Maya with both comments, one waiting for her, and next reviews
    overdue, due this week and later on Will's caseload and Maya's team view (overdue first)."""
    assert run(app, "demo-data", "--quiet").exit_code == 0
    db = db_session()
    family = db.scalar(select(Family).where(Family.name == "The Demo family"))
    assert family is not None
    signed = db.scalar(select(Review).where(Review.family_id == family.id))
    assert signed is not None and signed.is_final
    assert [(step.step, step.by.display_name) for step in signed.sign_offs] == [("submitted", "Will Worker"), ("signed_off", "Maya Manager")]
    worker_user = db.scalar(select(User).where(User.email == "worker@demo.familyvoice.test"))
    manager_user = db.scalar(select(User).where(User.email == "manager@demo.familyvoice.test"))
    worker, manager = browser(app), browser(app)
    Auth(worker).sign_in(worker_user, password="demo-worker-pass")
    Auth(manager).sign_in(manager_user, password="demo-manager-pass")
    for path in (f"/staff/reviews/{signed.id}", f"/staff/reviews/{signed.id}/print", f"/staff/reviews/{signed.id}/text"):
        page = page_text(worker.get(path))
        assert demo.SUBMIT_COMMENT in page and demo.SIGN_OFF_COMMENT in page and "Signed off by Maya Manager" in page, path
    # Sam sent more in the review's weeks than the page lists at first: the latest are listed, the older ones the
    # review holds are counted, and "Show all" lists every one.
    review_page = page_text(worker.get(f"/staff/reviews/{signed.id}"))
    assert "20 of 23 entries listed: the latest." in review_page and "3 entries not listed are ticked: they stay in the review." in review_page
    sam_id = db.scalar(select(FamilyMember.id).join(User, FamilyMember.user_id == User.id).where(User.username == "demo.sam"))
    every = page_text(worker.get(f"/staff/reviews/{signed.id}?member={sam_id}"))
    assert all(news in every for news in demo.SAM_GOOD_NEWS) and "not listed" not in every

    overdue_name, this_week_name = demo.DUE_FAMILIES["overdue"][0], demo.DUE_FAMILIES["this_week"][0]
    caseload = page_text(worker.get("/staff/"))
    assert "Review overdue" in caseload and "Review due this week" in caseload and "Next review due on" in caseload
    team = page_text(manager.get("/staff/team"))
    waiting = team.split("Reviews waiting for you")[1].split("Waiting longest")[0]
    assert f"Review of {overdue_name}" in waiting and "Sent for sign-off by Will Worker" in waiting
    families = team.split("Lead worker")[1]
    assert families.index(overdue_name) < families.index(this_week_name) and families.index(overdue_name) < families.index("The Demo family")
    assert "A review of " + overdue_name + " is waiting for your sign-off" in page_text(manager.get("/staff/inbox"))


def test_the_demo_shows_a_review_shared_with_the_family_and_one_overdue(app):
    """The Demo family's signed-off review in plain language with Sam's comment; the Nowak family's is overdue."""
    assert run(app, "demo-data", "--quiet").exit_code == 0
    db = db_session()
    family = db.scalar(select(Family).where(Family.name == "The Demo family"))
    assert family is not None
    review = db.scalar(select(Review).where(Review.family_id == family.id))
    assert review is not None
    sam = db.scalar(select(User).where(User.username == "demo.sam"))
    pat = db.scalar(select(User).where(User.username == "demo.parent"))
    worker_user = db.scalar(select(User).where(User.email == "worker@demo.familyvoice.test"))
    manager_user = db.scalar(select(User).where(User.email == "manager@demo.familyvoice.test"))
    reader, parent, worker, manager = browser(app), browser(app), browser(app), browser(app)
    Auth(reader).sign_in(sam, password="demo-sam-pass")
    Auth(parent).sign_in(pat, password="demo-parent-pass")
    Auth(worker).sign_in(worker_user, password="demo-worker-pass")
    Auth(manager).sign_in(manager_user, password="demo-manager-pass")
    page = page_text(reader.get(f"/my/reviews/{review.id}"))
    assert demo.SHARED_REVIEW["happened_young_person"] in page and demo.SAM_COMMENT in page
    assert "Razem omówiliśmy plan." in page_text(parent.get(f"/my/reviews/{review.id}"))
    record = page_text(worker.get(f"/staff/reviews/{review.id}/text"))
    assert "The family's comments on the review" in record and demo.SAM_COMMENT in record
    assert "Shared with the family on" in page_text(worker.get(f"/staff/reviews/{review.id}"))
    assert "Sharing with the family overdue" in page_text(manager.get("/staff/team"))


# --- demo-totp


def test_demo_totp_prints_a_code_that_signs_the_demo_worker_in(app):
    run(app, "demo-data", "--quiet")
    result = run(app, "demo-totp", "Worker@Demo.FamilyVoice.test")
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    assert re.fullmatch(r"\d{6}", code)
    worker = db_session().scalar(select(User).where(User.email == "worker@demo.familyvoice.test"))
    assert worker is not None and worker.totp_secret is not None and pyotp.TOTP(worker.totp_secret).verify(code, valid_window=1)

    phone = browser(app)
    phone.submit("/signin", {"login": "worker@demo.familyvoice.test", "password": "demo-worker-pass"})
    signed = phone.submit("/signin/code", {"code": code})
    assert signed.status_code == 302 and signed.headers["Location"] == "/staff/"


@pytest.mark.parametrize("email", ["real", "nobody@example.org"])
def test_demo_totp_refuses_real_accounts(app, world, email):
    run(app, "demo-data", "--quiet")
    if email == "real":
        email = world["worker_a"].email
    result = run(app, "demo-totp", email)
    assert result.exit_code != 0
    assert "Only demo staff accounts have codes shown here." in result.output
    assert not re.search(r"\b\d{6}\b", result.output)


# --- create-manager


def test_create_manager_makes_a_manager_who_must_choose_a_new_password(app):
    result = run(app, "create-manager", "--email", "Boss@Example.org", "--name", "Bo Boss", "--team", "North team")
    assert result.exit_code == 0, result.output
    match = re.search(r"One-time password: (\S+)", result.output)
    assert match
    password = match.group(1)
    manager = db_session().scalar(select(User).where(User.email == "boss@example.org"))
    assert manager is not None
    assert manager.role == Role.MANAGER and manager.display_name == "Bo Boss" and manager.must_change_password
    assert manager.team is not None and manager.team.name == "North team"
    assert password not in (manager.password_hash or "")

    phone = browser(app)
    assert phone.submit("/signin", {"login": "boss@example.org", "password": password}).status_code == 302
    assert phone.get("/staff/").headers["Location"] == "/settings", "a new password first"
    changed = phone.submit("/settings", {"pw-current": password, "pw-password": "harbour-lantern-blue", "pw-confirm": "harbour-lantern-blue", "pw-submit": "1"})
    assert changed.status_code == 302
    assert phone.get("/staff/").headers["Location"] == "/staff/totp", "then two-step sign-in"


def test_create_manager_refuses_an_email_already_in_use(app, world):
    users_before = db_session().scalar(select(func.count(User.id)))
    result = run(app, "create-manager", "--email", world["worker_a"].email.upper(), "--name", "Again", "--team", "Team A")
    assert result.exit_code != 0
    assert "There is already an account with that email." in result.output
    assert "One-time password" not in result.output
    db_session().rollback()
    assert db_session().scalar(select(func.count(User.id))) == users_before


# --- db upgrade: the migrations build exactly the tables the models describe.


def _fresh_postgres() -> Any:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("TEST_DATABASE_URL is not set: the migrations are checked on SQLite only")
    url = make_url(server)
    name = f"{url.database or 'test'}_migrations_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    url, drop = _fresh_postgres()
    try:
        yield url
    finally:
        drop()


def test_db_upgrade_builds_every_table_and_the_migrations_match_the_models(fresh_database):
    # Run as an operator would, in a process of its own (Alembic sets up its own logging).
    env = {**os.environ, "DATABASE_URL": fresh_database, "SECRET_KEY": "migration-test", "FLASK_APP": "webapp"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Database is up to date." in result.stdout

    engine = create_engine(fresh_database)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert tables - set(Base.metadata.tables) == {"alembic_version"}
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()



def _flask_db(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "migration-test", "FLASK_APP": "webapp"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_db_downgrade_steps_back_then_all_the_way_and_upgrade_builds_it_again(fresh_database):
    from alembic.script import ScriptDirectory

    from webapp.cli import alembic_config

    from .test_plan_records import revision_before

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()  # type: ignore[arg-type]
    assert head is not None
    _flask_db(fresh_database, "upgrade")
    previous = revision_before(head)
    assert _flask_db(fresh_database, "downgrade").strip() == f"Database is at {previous}.", "one migration back by default"

    assert _flask_db(fresh_database, "downgrade", "base").strip() == "Database is at base."
    engine = create_engine(fresh_database)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}, "every table the migrations made is gone"
        engine.dispose()
        assert _flask_db(fresh_database, "upgrade").strip() == "Database is up to date."
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert context.get_current_revision() == head
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


# --- make run


def planned_run_commands(**environment: str) -> str:
    """What `make run` would do (make -n prints the commands without running them)."""
    env = {key: value for key, value in os.environ.items() if key != "PORT"} | environment
    result = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.mark.parametrize("environment,port", [({}, "5000"), ({"PORT": "5050"}, "5050")], ids=["default", "PORT=5050"])
def test_make_run_serves_on_the_port_asked_for_and_says_so(environment, port):
    commands = planned_run_commands(**environment)
    assert f"flask run --host 127.0.0.1 --port {port}" in commands
    assert f"Family Voice is at http://127.0.0.1:{port} " in commands
    other = "5000" if port == "5050" else "5050"
    assert f"127.0.0.1:{other}" not in commands and f"--port {other}" not in commands


def test_the_demo_family_has_a_published_family_safety_plan_pat_reads_partly_in_polish(app):
    from webapp.plans import family_safety_services as family_safety

    run(app, "demo-data")
    family = db_session().scalar(select(Family).where(Family.name == "The Demo family"))
    assert family is not None
    version = family_safety.latest_published(family.id)
    assert version is not None
    content = version.content
    assert content["timeline"] and content["rules"] and all(t["progress"] for t in content["tasks"])
    assert "Gran" in [p["name"] for p in content["network"]]
    page = page_text(member_browser(app, "demo.parent").get("/my/family-safety-plan"))
    assert "Pat chodzi na zajęcia Calmer Homes w każdy wtorek" in page and "Mrs Begum" in page


def test_the_demo_shows_a_family_asking_to_close_with_goodbye_views(app):
    """The Hughes family at "10 - Working Well": Will's request waits for Maya, with Leah's goodbye views and Dan's
    choice not to answer."""
    from webapp.closure.models import ClosureRequest

    assert run(app, "demo-data", "--quiet").exit_code == 0
    db = db_session()
    family = db.scalar(select(Family).where(Family.name == demo.CLOSING_FAMILY[0]))
    assert family is not None and family.closed_at is None
    closure = db.scalar(select(ClosureRequest).where(ClosureRequest.family_id == family.id))
    assert closure is not None and closure.status == "pending"
    assert sorted((views.member.display_name, views.answer) for views in closure.views) == [("Dan", "declined"), ("Leah", "answered")]
    manager_user = db.scalar(select(User).where(User.email == "manager@demo.familyvoice.test"))
    manager = browser(app)
    Auth(manager).sign_in(manager_user, password="demo-manager-pass")
    page = page_text(manager.get(f"/staff/families/{family.id}/closure"))
    for words in (demo.CLOSING_SUMMARY, demo.GOODBYE_GOOD, demo.GOODBYE_HELP, "Chose not to answer.", "Needs met: 10 - Working Well", "Approve and close"):
        assert words in page, words
