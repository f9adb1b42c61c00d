"""The front door and a family member's home page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp import policy
from webapp.auth.guards import member_required

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
    return render_template("home/member_home.html", member=member)
