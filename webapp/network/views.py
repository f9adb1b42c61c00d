"""Network members: the pages closed to them, and "I have read it and I agree" to the family safety plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp import policy
from webapp.auth.guards import member_required
from webapp.db import db_session
from webapp.families.models import FamilyMember
from webapp.network import services
from webapp.network.forms import AgreeForm
from webapp.plans.models import PUBLISHED, FamilySafetyPlanVersion, SafetyPlanAgreement
from webapp.securitylog import log

bp = Blueprint("network", __name__)


@bp.before_app_request
def _only_the_network_pages() -> None:
    """A network member opens only the pages policy.py lists for them; every other page is a 404, whatever its address."""
    member = policy.own_member(current_user)
    if member is not None and not policy.network_member_may_open(member, request.endpoint):
        log("refused", account=current_user.id, reason="network member", path=request.path)
        abort(404)


@bp.app_template_global()
def network_relationship(member: FamilyMember) -> str:
    """A network member's relationship to the family, for the staff family page ("" for anyone else)."""
    return services.relationship_of(member) if policy.is_network_member(member) else ""


@bp.app_template_global()
def network_member_signed_in() -> bool:
    """Whether the signed-in person is a network member: their menu offers only the pages open to them."""
    member = policy.own_member(current_user)
    return member is not None and policy.is_network_member(member)


@bp.app_template_global()
def family_safety_agreement() -> dict[str, Any] | None:
    """For the signed-in member reading the family safety plan: the version they read, their agreement to it
    (if any) and the form; None when they may not agree to it."""
    member = policy.own_member(current_user)
    if member is None or not policy.may_agree_to_family_safety_plan(current_user, member):
        return None
    version = services.latest_family_safety_plan(member.family_id)
    if version is None:
        return None
    form = AgreeForm(formdata=None, version_id=version.id, back="home" if request.endpoint == "home.member_home" else "plan")
    return {"version": version, "agreement": services.agreement_of(member, version), "form": form}


@bp.app_template_global()
def family_safety_agreements(family_id: int) -> list[SafetyPlanAgreement]:
    """Who agreed to which version of the family safety plan, for the staff family page (already allowed to see it)."""
    return services.family_agreements(family_id)


def _back(where: str | None) -> Response:
    if where == "plan" and "plans.my_family_safety_plan" in current_app.view_functions:
        return redirect(url_for("plans.my_family_safety_plan"))
    return redirect(url_for("home.member_home"))


@bp.route("/my/family-safety-plan/agree", methods=["POST"])
@member_required
def agree() -> Response:
    member: FamilyMember | None = policy.own_member(current_user)
    if member is None or not policy.may_agree_to_family_safety_plan(current_user, member):
        abort(404)
    form = AgreeForm()
    if not form.validate_on_submit() or form.version_id.data is None:
        flash(_("Something went wrong. Please read the plan again, then press the button."), "error")
        return _back(form.back.data)
    version = db_session().get(FamilySafetyPlanVersion, form.version_id.data) if 0 < form.version_id.data < 2**31 else None
    if version is None or version.family_id != member.family_id or version.status != PUBLISHED:
        log("refused", account=current_user.id, record=f"family_safety_plan_version:{form.version_id.data}")
        abort(404)
    try:
        services.agree(member, version)
    except services.NotTheLatest:
        flash(_("The safety plan changed since you opened it. Please read the new version, then say if you agree."), "error")
        return _back(form.back.data)
    flash(_("Thank you. Your worker can see that you agreed."), "success")
    return _back(form.back.data)
