"""Who works on a family: making a family with its lead worker, co-workers joining and leaving, a new lead.

Every change of the lead worker or the co-workers goes through here and ends in `refresh_staff`, the one
function that writes `family_staff`, the relation policy.py reads a worker's families from.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from webapp import policy
from webapp.auth.models import User
from webapp.db import db_session
from webapp.families.models import Family, FamilyStaff, FamilyWorker, StaffRole


def create_family(*, name: str, reference: str | None, team_id: int, lead_worker_id: int, created_by: User) -> Family:
    """A new family led by lead_worker_id; a worker who makes it for someone else joins it as co-worker."""
    family = Family(name=name, reference=reference, team_id=team_id, lead_worker_id=lead_worker_id)
    db_session().add(family)
    db_session().flush()
    if policy.creator_joins_family(created_by, family):
        db_session().add(FamilyWorker(family_id=family.id, user_id=created_by.id))
    refresh_staff(family)
    return family


def is_on_family(family: Family, worker: User) -> bool:
    return worker.id == family.lead_worker_id or any(w.user_id == worker.id for w in family.co_workers)


def add_co_worker(family: Family, worker: User) -> bool:
    """Make worker a co-worker on the family; False if they already work on it (lead or co-worker)."""
    if is_on_family(family, worker):
        return False
    family.co_workers.append(FamilyWorker(family_id=family.id, user_id=worker.id))
    refresh_staff(family)
    return True


def remove_co_worker(family: Family, worker: User) -> bool:
    """Take worker off the family's co-workers; False if they were not one. The lead worker is changed, not removed."""
    rows = [w for w in family.co_workers if w.user_id == worker.id]
    for row in rows:
        family.co_workers.remove(row)
    refresh_staff(family)
    return bool(rows)


def change_lead_worker(family: Family, worker: User) -> None:
    """Make worker the family's lead worker. The lead before no longer works on the family unless they are
    (or are made) a co-worker; a co-worker who becomes lead is no longer listed as co-worker."""
    family.lead_worker_id = worker.id
    for row in [w for w in family.co_workers if w.user_id == worker.id]:
        family.co_workers.remove(row)
    refresh_staff(family)


def refresh_staff(family: Family) -> None:
    """Write the family's `family_staff` rows from its lead worker and co-workers: the only writer of that table."""
    db = db_session()
    db.flush()
    wanted = {user_id: StaffRole.CO_WORKER.value for user_id in db.scalars(select(FamilyWorker.user_id).where(FamilyWorker.family_id == family.id))}
    wanted[family.lead_worker_id] = StaffRole.LEAD.value
    stored = {row.user_id: row for row in db.scalars(select(FamilyStaff).where(FamilyStaff.family_id == family.id))}
    gone = [user_id for user_id in stored if user_id not in wanted]
    if gone:
        db.execute(delete(FamilyStaff).where(FamilyStaff.family_id == family.id, FamilyStaff.user_id.in_(gone)),
                   execution_options={"synchronize_session": "fetch"})
    for user_id, role in wanted.items():
        row = stored.get(user_id)
        if row is None:
            db.add(FamilyStaff(family_id=family.id, user_id=user_id, role=role))
        elif row.role != role:
            row.role = role
    db.flush()
    db.expire(family, ["staff"])
