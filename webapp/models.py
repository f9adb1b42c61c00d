"""Imports every model so that Base.metadata (and Alembic) sees all tables."""

from webapp.audit.models import AuditEvent
from webapp.auth.models import User, UserSession
from webapp.db import Base
from webapp.families.models import ActivationCode, ConsentRecord, Family, FamilyMember, FamilyWorker
from webapp.staff.models import Team

__all__ = [
    "ActivationCode",
    "AuditEvent",
    "Base",
    "ConsentRecord",
    "Family",
    "FamilyMember",
    "FamilyWorker",
    "Team",
    "User",
    "UserSession",
]
