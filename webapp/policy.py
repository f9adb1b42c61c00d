"""Who may see or change what. Every view and the API ask here; nothing else decides.

A record the user may not see is answered with 404, whatever its id, so that guessing ids
tells nobody which records exist.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import Select, or_, select

from webapp.auth.models import Role, User
from webapp.db import db_session
from webapp.families.models import Family, FamilyMember, FamilyWorker


def is_verified_staff(user: Any) -> bool:
    """Staff who have signed in with a confirmed TOTP: nobody else sees family data as staff."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff and user.is_active and user.has_totp)


def visible_families(user: User) -> Select[tuple[Family]]:
    """Families a staff member may see: a manager their team's, a worker those they work on."""
    query = select(Family)
    if not is_verified_staff(user):
        return query.where(False)
    if user.role == Role.MANAGER:
        return query.where(Family.team_id == user.team_id)
    co_worker = select(FamilyWorker.family_id).where(FamilyWorker.user_id == user.id)
    return query.where(or_(Family.lead_worker_id == user.id, Family.id.in_(co_worker)))


def can_see_family(user: User, family: Family) -> bool:
    if not is_verified_staff(user):
        return False
    if user.role == Role.MANAGER:
        return family.team_id == user.team_id
    return family.lead_worker_id == user.id or any(w.user_id == user.id for w in family.co_workers)


def family_or_404(user: User, family_id: int) -> Family:
    family = db_session().get(Family, family_id)
    if family is None or not can_see_family(user, family):
        abort(404)
    return family


def member_or_404(user: User, member_id: int) -> FamilyMember:
    """A family member's record, for staff who may see their family."""
    member = db_session().get(FamilyMember, member_id)
    if member is None or not can_see_family(user, member.family):
        abort(404)
    return member


def can_manage_staff(user: User) -> bool:
    return is_verified_staff(user) and user.role == Role.MANAGER


def staff_account_or_404(user: User, account_id: int) -> User:
    """A staff account that this manager may change: one in their own team."""
    account = db_session().get(User, account_id)
    if account is None or not can_manage_staff(user) or not account.is_staff or account.team_id != user.team_id:
        abort(404)
    return account


def team_workers(user: User) -> Select[tuple[User]]:
    """Staff of the user's team who can be lead or co-worker on a family."""
    return (
        select(User)
        .where(User.team_id == user.team_id, User.role.in_([Role.WORKER, Role.MANAGER]), User.disabled_at.is_(None))
        .order_by(User.display_name)
    )


def own_member(user: Any) -> FamilyMember | None:
    """The family member record of a signed-in young person or parent."""
    if not getattr(user, "is_authenticated", False) or not user.is_family:
        return None
    return user.member
