"""The front door and a family member's home page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from webapp import policy
from webapp.auth.guards import member_required
from webapp.db import db_session, utcnow
from webapp.notifications import services as notifications
from webapp.plans import family_safety_services as family_safety
from webapp.reviews.models import MeetingMessage
from webapp.translations_content import services as translated

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    if current_user.is_staff:
        return redirect(url_for("staff.caseload"))
    return redirect(url_for("home.member_home"))


@bp.route("/home")
@member_required
def member_home() -> str:
    member = policy.own_member(current_user)
    assert member is not None
    notices = notifications.unread(current_user.id, policy.plan_notice_kinds(member))
    # One line per kind is enough, however many times it changed.
    unique = list({notice.kind: notice for notice in reversed(notices)}.values())
    meeting = db_session().scalar(
        select(MeetingMessage).where(MeetingMessage.member_id == member.id).order_by(MeetingMessage.created_at.desc()).limit(1)
    )
    if meeting is not None and meeting.read_at is None:
        meeting.read_at = utcnow()
    meeting_words = None
    if meeting is not None:
        translations = translated.for_family(member.family_id)
        meeting_words = translations.shown(translated.meeting_block(meeting.id), meeting.body, translated.reading_language(member))
    if policy.uses_pictures(member):
        # The picture-led home: big tiles, each spoken; the member can switch to the usual way.
        return render_template("picture/home.html", member=member, plan_notices=unique, meeting=meeting, meeting_words=meeting_words)
    # The tiles offer only the pages this member may open; the pages themselves ask policy again.
    may_open = {
        "plan": policy.may_read_plan(member),
        "safety_plan": policy.has_safety_plan(member),
        "assessments": policy.may_read_assessments(member),
        # Only once there is one to read: before that the page says it is not written yet.
        "family_safety_plan": policy.may_read_family_safety_plan(member) and family_safety.latest_published(member.family_id) is not None,
        "shared": policy.may_see_shared_entries_now(current_user, member),
    }
    return render_template(
        "home/member_home.html", member=member, plan_notices=unique, meeting=meeting, meeting_words=meeting_words, may_open=may_open
    )
