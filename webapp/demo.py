"""Demo data: one team, a manager, a worker and one family, for trying Family Voice out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from webapp.auth import totp
from webapp.auth.models import Role, User
from webapp.auth.passwords import hash_password
from webapp.db import db_session, utcnow
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import ConsentRecord, Family, FamilyMember
from webapp.staff.models import Team
from webapp.worries.models import Worry, WorryMember, WorryScore

TEAM = "Demo team"
STAFF = [
    ("manager@demo.familyvoice.test", "Maya Manager", Role.MANAGER, "demo-manager-pass"),
    ("worker@demo.familyvoice.test", "Will Worker", Role.WORKER, "demo-worker-pass"),
]
MEMBERS = [
    # username, display name, role, age band, language, password
    ("demo.parent", "Pat", Role.PARENT, "adult", "en", "demo-parent-pass"),
    ("demo.sam", "Sam", Role.YOUNG_PERSON, "14-15", "en", "demo-sam-pass"),
    ("demo.alex", "Alex", Role.YOUNG_PERSON, "8-10", "en", "demo-alex-pass"),
]


def load() -> bool:
    """Create the demo data unless it is there already. True if it was created now."""
    db = db_session()
    if db.scalar(select(Team).where(Team.name == TEAM)):
        return False
    team = Team(name=TEAM)
    db.add(team)
    now = utcnow()
    staff = {}
    for email, name, role, password in STAFF:
        user = User(
            role=role, display_name=name, email=email, password_hash=hash_password(password),
            team=team, totp_secret=totp.new_secret(), totp_confirmed_at=now, is_demo=True,
        )
        db.add(user)
        staff[role] = user
    db.flush()
    # The family has been known for two months, so the demo scores and entries fall in its first review.
    family = Family(name="The Demo family", reference="DEMO-1", team=team, lead_worker=staff[Role.WORKER], created_at=now - timedelta(weeks=8))
    db.add(family)
    members = []
    for username, name, role, band, language, password in MEMBERS:
        user = User(role=role, display_name=name, username=username, password_hash=hash_password(password), locale=language, is_demo=True)
        member = FamilyMember(
            family=family, user=user, display_name=name, role=role, age_band=band,
            preferred_language=language, activated_at=now,
        )
        db.add(member)
        db.flush()
        db.add(ConsentRecord(member_id=member.id, agreed=True, notice_version="demo", locale=language))
        members.append(member)
    _demo_story(family, members, staff[Role.WORKER])
    db.commit()
    return True


def _demo_story(family: Family, members: list[FamilyMember], worker: User) -> None:
    """A few worries, scores and entries so the demo pages are not empty."""
    db = db_session()
    parent, sam, alex = members
    now = utcnow()
    arguments = Worry(
        family_id=family.id,
        wording="There is shouting at home when grown-ups argue",
        meaning_0="I am really worried about this",
        meaning_10="This is working well, no worries",
        is_safety=True,
        created_by_id=worker.id,
        applies_to=[WorryMember(member_id=m.id) for m in members],
    )
    school = Worry(
        family_id=family.id,
        wording="Getting to school on time every day",
        meaning_0="I am really worried about this",
        meaning_10="This is working well, no worries",
        created_by_id=worker.id,
        applies_to=[WorryMember(member_id=m.id) for m in (parent, sam)],
    )
    db.add_all([arguments, school])
    db.flush()
    for weeks_ago, (p_score, s_score, a_score) in zip((6, 4, 2, 0), ((3, 2, 4), (4, 4, 5), (6, 5, 5), (7, 7, 6)), strict=True):
        when = now - timedelta(weeks=weeks_ago)
        for member, score in ((parent, p_score), (sam, s_score), (alex, a_score)):
            db.add(WorryScore(worry_id=arguments.id, member_id=member.id, score=score, created_at=when))
        db.add(WorryScore(worry_id=school.id, member_id=sam.id, score=min(10, s_score + 1), created_at=when))
    good_news = Entry(
        member_id=sam.id, family_id=family.id, kind="good_news", language="en", feeling="happy",
        answers={"what_happened": "I got into the football team!", "who_with": "My friend Jo"},
        created_at=now - timedelta(days=3), reply_due=(now - timedelta(days=3)).date() + timedelta(days=3),
        read_at=now - timedelta(days=2), read_by_id=worker.id,
    )
    db.add(good_news)
    db.flush()
    db.add(EntryReply(entry_id=good_news.id, author_id=worker.id, body="That is brilliant news, Sam. Well done!"))
    db.add(Entry(
        member_id=alex.id, family_id=family.id, kind="three_houses", language="en", feeling="ok",
        answers={"house_of_worries": "When mum and dad shout", "house_of_good_things": "My cat Biscuit", "house_of_dreams": "Going to the seaside"},
        created_at=now - timedelta(days=1), reply_due=now.date() + timedelta(days=2),
    ))


def sign_in_text(created: bool) -> str:
    db = db_session()
    lines = ["Demo data " + ("loaded." if created else "was already there."), "", "Staff (email, password, TOTP secret):"]
    for email, _name, role, password in STAFF:
        user = db.scalar(select(User).where(User.email == email))
        secret = user.totp_secret if user and user.totp_secret else "?"
        lines.append(f"  {role:<8} {email}  {password}  TOTP secret: {totp.grouped(secret)}")
    lines.append("  No authenticator app? Get the current code with:")
    lines.append("    .venv/bin/flask --app webapp demo-totp worker@demo.familyvoice.test")
    lines.append("")
    lines.append("The Demo family (username, password):")
    for username, name, role, band, _language, password in MEMBERS:
        lines.append(f"  {name:<5} {role:<13} age {band:<6} {username}  {password}")
    return "\n".join(lines)
