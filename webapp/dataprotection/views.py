"""Reopening a closed family (closing is webapp/closure/), erasing a member's data, and a member's own data download."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp import audit, policy
from webapp.auth.guards import manager_required, member_required, staff_required
from webapp.clock import local_today
from webapp.dataprotection import export, services
from webapp.dataprotection.forms import EraseForm
from webapp.families.models import Family
from webapp.forms import ConfirmForm

bp = Blueprint("dataprotection", __name__)
bp.add_app_template_global(services.deletion_date, "retention_deletion_date")


def _closable_family_or_404(family_id: int) -> Family:
    family = policy.family_or_404(current_user, family_id)
    if not policy.can_close_family(current_user, family):
        abort(404)
    return family


@bp.route("/staff/families/<int:family_id>/reopen", methods=["POST"])
@staff_required
def reopen_family(family_id: int) -> Response:
    family = _closable_family_or_404(family_id)
    if ConfirmForm().validate_on_submit() and family.closed_at is not None:
        services.reopen(family)
        flash(_("The family is open again and back on the caseload."), "success")
    return redirect(url_for("families.family", family_id=family.id))


@bp.route("/staff/members/<int:member_id>/erase", methods=["GET", "POST"])
@manager_required
def erase_member(member_id: int) -> Any:
    member = policy.erasable_member_or_404(current_user, member_id)
    form = EraseForm()
    if form.validate_on_submit():
        family_id, name = member.family_id, member.display_name
        services.erase_member(member, form.reason.data or "")
        flash(_("Everything %(name)s sent, and their account, is deleted.", name=name), "success")
        return redirect(url_for("families.family", family_id=family_id))
    status = 400 if form.errors else 200
    page = render_template("dataprotection/erase.html", member=member, form=form, summary=services.erasure_summary(member))
    return page, status


@bp.route("/my/data")
@member_required
def my_data() -> Response:
    member = policy.own_member(current_user)
    assert member is not None  # member_required has checked
    archive = export.build_zip(member)
    audit.record("my_data_downloaded", family_id=member.family_id, target=f"member:{member.id}")
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"family-voice-my-data-{local_today().isoformat()}.zip",
        etag=False,
        conditional=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
