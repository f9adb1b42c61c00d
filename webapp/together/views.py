"""Done together: the worker hands their own device to a family member, and takes it back with their password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp import policy
from webapp.auth import passwords, sessions
from webapp.auth.guards import staff_required
from webapp.auth.together import TogetherUser, is_together
from webapp.forms import ConfirmForm
from webapp.securitylog import log
from webapp.together import services
from webapp.together.forms import LeaveForm

bp = Blueprint("together", __name__)


@bp.before_app_request
def _only_the_members_pages() -> Response | None:
    """While it is done together, every page but the member's own answers 404, whatever its address."""
    if not is_together(current_user):
        return None
    if not policy.may_do_together(current_user.worker, current_user.member):
        # The worker was taken off the family, or it was closed, during the visit: the device signs out.
        log("together_ended", account=current_user.id, reason="no longer allowed")
        sessions.end_current(current_user)
        return redirect(url_for("auth.sign_in"))
    if not policy.together_may_open(request.endpoint, request.url_rule.rule if request.url_rule else None):
        log("refused", account=current_user.id, reason="done together", path=request.path)
        abort(404)
    return None


@bp.app_context_processor
def _together_globals() -> dict[str, Any]:
    return {"together_worker": lambda: current_user.worker if is_together(current_user) else None}


@bp.route("/staff/members/<int:member_id>/together", methods=["POST"])
@staff_required
def start(member_id: int) -> Response:
    member = policy.together_member_or_404(current_user, member_id)
    if ConfirmForm().validate_on_submit():
        services.start(current_user, member)
        return redirect(url_for("home.member_home"))
    return redirect(url_for("families.family", family_id=member.family_id))


@bp.route("/together/leave", methods=["GET", "POST"])
def leave() -> Any:
    if not is_together(current_user):
        abort(404)
    user: TogetherUser = current_user._get_current_object()
    form = LeaveForm()
    if form.validate_on_submit():
        if passwords.verify_password(user.worker.password_hash, form.password.data or ""):
            family_id = user.member.family_id
            services.finish(user)
            log("together_finished", account=user.worker.id)
            flash(_("You have your own pages back."), "success")
            return redirect(url_for("families.family", family_id=family_id))
        log("together_wrong_password", account=user.worker.id)
        if services.wrong_password(user):
            # Too many guesses: nobody gets the worker's pages; the worker signs in again.
            sessions.end_current(user)
            return redirect(url_for("auth.sign_in"))
        form.password.errors = [_("That is not the right password.")]
    return render_template("together/leave.html", form=form, member=user.member), 400 if form.errors else 200
