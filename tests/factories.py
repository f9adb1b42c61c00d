"""Makers of test records. Each takes what a test cares about and fills in the rest."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pyotp

from webapp.auth import totp
from webapp.auth.models import Role, User
from webapp.auth.passwords import hash_password
from webapp.db import db_session, utcnow
from webapp.families import services as families
from webapp.families.models import Family, FamilyMember
from webapp.staff.models import Team

PASSWORD = "purple-kettle-mountain"
_numbers = itertools.count(1)
_in_one_commit = False


@functools.cache
def _password_hash(password: str) -> str:
    """PASSWORD hashed once for the run: every made-up person has the same one, and each still signs in with it."""
    return hash_password(password)


def _save() -> None:
    if _in_one_commit:
        db_session().flush()
    else:
        db_session().commit()


@contextmanager
def one_commit() -> Iterator[None]:
    """The rows made inside are written with one commit at the end, not one each (a fixture's many rows)."""
    global _in_one_commit
    _in_one_commit = True
    try:
        yield
    finally:
        _in_one_commit = False
    db_session().commit()


def team(name: str | None = None) -> Team:
    row = Team(name=name or f"Team {next(_numbers)}")
    db_session().add(row)
    _save()
    return row


def staff(team: Team, role: str = Role.WORKER, *, name: str | None = None, with_totp: bool = True) -> User:
    n = next(_numbers)
    user = User(
        role=role,
        display_name=name or f"{role.title()} {n}",
        email=f"{role}{n}@example.org",
        password_hash=_password_hash(PASSWORD),
        team_id=team.id,
    )
    if with_totp:
        user.totp_secret = totp.new_secret()
        user.totp_confirmed_at = utcnow()
    db_session().add(user)
    _save()
    return user


def family(team: Team, lead: User, *, name: str | None = None, co_workers: tuple[User, ...] = ()) -> Family:
    row = Family(name=name or f"Family {next(_numbers)}", team_id=team.id, lead_worker_id=lead.id)
    db_session().add(row)
    db_session().flush()
    families.refresh_staff(row)
    for worker in co_workers:
        families.add_co_worker(row, worker)
    _save()
    return row


def co_worker(family: Family, worker: User) -> None:
    """Make worker a co-worker on the family, as the family page does."""
    families.add_co_worker(family, worker)
    _save()


def member(
    family: Family,
    role: str = "young_person",
    *,
    name: str | None = None,
    age_band: str | None = None,
    restricted: bool = False,
    activated: bool = True,
    language: str = "en",
) -> FamilyMember:
    n = next(_numbers)
    row = FamilyMember(
        family_id=family.id,
        display_name=name or f"Person {n}",
        role=role,
        age_band=age_band or ("14-15" if role == "young_person" else "adult"),
        preferred_language=language,
        restricted=restricted,
    )
    if activated:
        row.user = User(
            role=Role(role),
            display_name=row.display_name,
            username=f"user{n}",
            password_hash=_password_hash(PASSWORD),
            locale=language,
        )
        row.activated_at = utcnow()
    db_session().add(row)
    _save()
    return row


def next_totp_code(user: User) -> str:
    """A code the app will accept now: the current one, or the next if the current was used."""
    assert user.totp_secret
    otp = pyotp.TOTP(user.totp_secret)
    step = max(otp.timecode(utcnow()), user.totp_last_step + 1)
    return otp.generate_otp(step)
