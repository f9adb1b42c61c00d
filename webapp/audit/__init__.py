"""Writing to the audit log."""

from __future__ import annotations

from flask import has_request_context, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.audit.models import AuditEvent
from webapp.db import db_session

# What each action means, in words, for the audit log. Every action recorded anywhere has its
# words here (tests/test_oversight.py finds every action the code records and checks).
ACTIONS: dict[str, LazyString] = {
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_created": _l("Added the family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_viewed": _l("Opened the family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_closed": _l("Closed the family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_reopened": _l("Reopened the family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_deleted_retention": _l("Deleted a closed family at the end of the keeping period"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "member_added": _l("Added a person"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "member_changed": _l("Changed a person's details"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "member_erased": _l("Deleted a person's data"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "activation_code_issued": _l("Gave an activation code"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "co_worker_added": _l("Added a co-worker"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "translation_saved": _l("Saved a translation of the worker's words"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "entry_viewed": _l("Read an entry"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "entry_acknowledged": _l("Acknowledged an urgent entry"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "entry_replied": _l("Replied to an entry"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "entry_escalated": _l("Urgent entry escalated to managers"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "photos_viewed": _l("Looked at the family's photos"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "photo_viewed": _l("Opened a photo"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "plan_draft_saved": _l("Saved a draft of the family plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "plan_published": _l("Published the family plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "plan_version_viewed": _l("Opened an earlier family plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "plan_picture_uploaded": _l("Added a picture to the young people's version of the plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "safety_plan_draft_saved": _l("Saved a draft of a safety plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "safety_plan_published": _l("Published a safety plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_safety_plan_draft_saved": _l("Saved a draft of the family safety plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_safety_plan_published": _l("Published the family safety plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "family_safety_plan_version_viewed": _l("Opened an earlier family safety plan"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "network_member_linked": _l("Linked a network member to the family safety plan"),
    # Translators: an event in the audit log, done by the family or network member shown beside it (past tense, no subject).
    "family_safety_plan_agreed": _l("Said they have read the family safety plan and agree"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "worry_added": _l("Added a worry"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "worry_changed": _l("Changed a worry"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "worry_scores_viewed": _l("Looked at worry scores"),
    "worry_score_recorded": _l("Recorded a worry score for someone"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "assessment_created": _l("Started an assessment"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "assessment_saved": _l("Saved an assessment and who it is shared with"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "assessment_comments_viewed": _l("Opened an assessment with the family's comments"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "assessment_comments_closed": _l("Closed an assessment to comments"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "assessment_comments_reopened": _l("Opened an assessment to comments again"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_started": _l("Started a review"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_saved": _l("Saved a review"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_viewed": _l("Opened a review"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_exported": _l("Exported a review"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_finalised": _l("Finished a review"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_submitted": _l("Sent a review to the manager for sign-off"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_returned": _l("Sent a review back to the worker"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_signed_off": _l("Signed off a review, making it final"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "closure_requested": _l("Asked the manager to close a family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "closure_approved": _l("Approved closing a family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "closure_declined": _l("Declined closing a family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "closure_exported": _l("Exported a closure record"),
    "review_share_viewed": _l("Opened the family's version of a review"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_share_saved": _l("Saved the family's version of a review"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "review_shared": _l("Shared a review with the family in plain language"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "scores_exported": _l("Exported worry scores"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "meeting_sheet_viewed": _l("Opened a meeting-ready sheet"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "meeting_message_sent": _l("Sent a message after a meeting"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "my_data_downloaded": _l("Downloaded their own data"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "api_token_created": _l("Made an API token"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "api_token_revoked": _l("Stopped an API token"),
    # Translators: the "case management system" reads Family Voice through its API with a token.
    "api_families_listed": _l("The case management system listed the families"),
    # Translators: an event in the audit log: the case management system read data through its API token.
    "api_entries_read": _l("The case management system read entries"),
    # Translators: an event in the audit log: the case management system read data through its API token.
    "api_scores_read": _l("The case management system read worry scores"),
    # Translators: an event in the audit log: the case management system read data through its API token.
    "api_reviews_read": _l("The case management system read reviews"),
    # Translators: an event in the staff audit log: the worker handed their phone to a family member to use together.
    "together_started": _l("Started doing it together with a family member"),
    # Translators: an event in the staff audit log: the worker took their phone back with their password.
    "together_finished": _l("Finished doing it together with a family member"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "contact_recorded": _l("Recorded a contact with the family"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "visit_written_up": _l("Wrote up a home visit"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "chronology_exported": _l("Exported the family's chronology"),
    # Translators: an event in the staff audit log, done by the staff member shown beside it (past tense, no subject).
    "disengagement_decided": _l("Recorded a decision about disengagement"),
    # Translators: an event in the audit log: the case management system read data through its API token.
    "api_chronology_read": _l("The case management system read a family's chronology"),
}


def action_label(action: str) -> str:
    """The action in the reader's language; one missing from ACTIONS is shown as it is stored."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def record(
    action: str, *, family_id: int | None = None, target: str = "", details: str = "", team_id: int | None = None
) -> None:
    """Add an audit event to the current unit of work: kept when the request's changes are."""
    actor_id = None
    address = ""
    if has_request_context():
        address = request.remote_addr or ""
        if current_user.is_authenticated:
            actor_id = current_user.id
    db_session().add(
        AuditEvent(
            actor_id=actor_id,
            action=action,
            family_id=family_id,
            target=target[:120],
            address=address,
            details=details,
            team_id=team_id,
        )
    )
