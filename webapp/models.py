"""Imports every model so that Base.metadata (and Alembic) sees all tables."""

from webapp.api.models import ApiToken
from webapp.assessments.models import Assessment, AssessmentComment, AssessmentSection, AssessmentShare
from webapp.audit.models import AuditEvent
from webapp.auth.models import User, UserSession
from webapp.closure.models import ClosureRequest, GoodbyeViews
from webapp.contacts.models import Contact, DisengagementDecision
from webapp.db import Base
from webapp.entries.models import Entry, EntryReply
from webapp.families.models import ActivationCode, ConsentRecord, Family, FamilyMember, FamilyWorker
from webapp.notifications.models import Notification
from webapp.photos.models import Photo, PhotoData
from webapp.plans.models import PlanVersion, SafetyPlanVersion
from webapp.reviews.models import MeetingMessage, Review, ReviewItem
from webapp.safeguarding.models import SafeguardingDecision
from webapp.staff.models import Team
from webapp.translations_content.models import TextTranslation
from webapp.worries.models import Worry, WorryChild, WorryMember, WorryScore

__all__ = [
    "ApiToken",
    "Assessment",
    "AssessmentComment",
    "AssessmentSection",
    "AssessmentShare",
    "ActivationCode",
    "AuditEvent",
    "Base",
    "ClosureRequest",
    "ConsentRecord",
    "Contact",
    "DisengagementDecision",
    "Entry",
    "EntryReply",
    "Family",
    "FamilyMember",
    "FamilyWorker",
    "GoodbyeViews",
    "Notification",
    "Photo",
    "PhotoData",
    "MeetingMessage",
    "PlanVersion",
    "Review",
    "ReviewItem",
    "SafeguardingDecision",
    "SafetyPlanVersion",
    "Team",
    "TextTranslation",
    "User",
    "UserSession",
    "Worry",
    "WorryChild",
    "WorryMember",
    "WorryScore",
]
