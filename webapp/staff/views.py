"""Staff pages: caseload, TOTP set-up, and a manager's staff accounts."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from webapp import policy
from webapp.auth import sessions, totp
from webapp.auth.guards import manager_required, staff_required
from webapp.auth.models import Role, User
from webapp.auth.passwords import hash_password
from webapp.db import db_session, utcnow
from webapp.families.models import Family, FamilyMember
from webapp.forms import CodeForm, ConfirmForm, add_error
from webapp.reviews import schedule
from webapp.securitylog import log
from webapp.staff.forms import StaffAccountForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
@staff_required
def caseload() -> str:
    # Counted per family listed (an index range each), with the lead worker joined: one query whatever the caseload.
    members = select(func.count(FamilyMember.id)).where(FamilyMember.family_id == Family.id).correlate(Family).scalar_subquery()
    query = (
        policy.visible_families(current_user)
        .add_columns(members)
        .options(joinedload(Family.lead_worker))
        .where(Family.closed_at.is_(None))
        .order_by(Family.name)
    )
    rows = db_session().execute(query).all()
    return render_template("staff/caseload.html", rows=rows, next_reviews=schedule.for_families([family.id for family, _members in rows]))


@bp.route("/totp", methods=["GET", "POST"])
@login_required
def totp_setup() -> Any:
    user: User = current_user
    if not policy.may_set_up_totp(user):
        abort(404)
    if user.has_totp:
        return redirect(url_for("staff.caseload"))
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
    form = CodeForm()
    if form.validate_on_submit():
        if totp.check(user, form.code.data or ""):
            user.totp_confirmed_at = utcnow()
            log("totp_confirmed", account=user.id)
            flash(_("Two-step sign-in is set up. You will need a code from your app each time you sign in."), "success")
            return redirect(url_for("staff.caseload"))
        add_error(form.code, _("That code is not right. Check the time on your phone and try the newest code."))
    uri = totp.provisioning_uri(user)
    return render_template(
        "staff/totp_setup.html",
        form=form,
        qr=totp.qr_svg(uri, _("QR code to scan with your authenticator app")),
        manual_key=totp.grouped(user.totp_secret or ""),
    ), (400 if form.errors else 200)


@bp.route("/people", methods=["GET", "POST"])
@manager_required
def people() -> Any:
    form = StaffAccountForm()
    new_password = None
    if form.validate_on_submit():
        email = (form.email.data or "").lower()
        if db_session().scalar(select(User.id).where(func.lower(User.email) == email)):
            add_error(form.email, _("There is already an account with that email."))
        else:
            new_password = secrets.token_urlsafe(12)
            account = User(
                role=Role.MANAGER if form.role.data == "manager" else Role.WORKER,
                display_name=form.display_name.data or "",
                email=email,
                password_hash=hash_password(new_password),
                must_change_password=True,
                team_id=current_user.team_id,
            )
            db_session().add(account)
            log("staff_created", account=current_user.id, new_account=account.id)
            return render_template("staff/account_created.html", account=account, password=new_password)
    accounts = db_session().scalars(policy.team_staff(current_user)).all()
    return render_template("staff/people.html", form=form, accounts=accounts, confirm=ConfirmForm())


@bp.route("/people/<int:account_id>/disable", methods=["POST"])
@manager_required
def disable(account_id: int) -> Response:
    account = policy.staff_account_or_404(current_user, account_id)
    if ConfirmForm().validate_on_submit() and account.id != current_user.id:
        account.disabled_at = utcnow()
        sessions.end_all(account)
        log("staff_disabled", account=current_user.id, disabled=account.id)
        flash(_("%(name)s can no longer sign in.", name=account.display_name), "success")
    return redirect(url_for("staff.people"))


@bp.route("/people/<int:account_id>/enable", methods=["POST"])
@manager_required
def enable(account_id: int) -> Response:
    account = policy.staff_account_or_404(current_user, account_id)
    if ConfirmForm().validate_on_submit():
        account.disabled_at = None
        log("staff_enabled", account=current_user.id, enabled=account.id)
        flash(_("%(name)s can sign in again.", name=account.display_name), "success")
    return redirect(url_for("staff.people"))
