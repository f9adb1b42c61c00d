"""Demo data: one team, a manager, a worker and one family, for trying Family Voice out."""

from __future__ import annotations

from sqlalchemy import select

from webapp.auth import totp
from webapp.auth.models import Role, User
from webapp.auth.passwords import hash_password
from webapp.db import db_session, utcnow
from webapp.families.models import ConsentRecord, Family, FamilyMember
from webapp.staff.models import Team

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
    family = Family(name="The Demo family", reference="DEMO-1", team=team, lead_worker=staff[Role.WORKER])
    db.add(family)
    for username, name, role, band, language, password in MEMBERS:
        user = User(role=role, display_name=name, username=username, password_hash=hash_password(password), locale=language, is_demo=True)
        member = FamilyMember(
            family=family, user=user, display_name=name, role=role, age_band=band,
            preferred_language=language, activated_at=now,
        )
        db.add(member)
        db.flush()
        db.add(ConsentRecord(member_id=member.id, agreed=True, notice_version="demo", locale=language))
    db.commit()
    return True


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
