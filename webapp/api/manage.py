"""Managers make and revoke their team's API tokens."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp import audit, policy
from webapp.api import tokens
from webapp.api.forms import NewTokenForm
from webapp.auth.guards import manager_required
from webapp.db import db_session, utcnow
from webapp.forms import ConfirmForm

bp = Blueprint("api_tokens", __name__, url_prefix="/staff/api-tokens")


@bp.route("/", methods=["GET", "POST"])
@manager_required
def index() -> Any:
    form = NewTokenForm()
    if form.validate_on_submit():
        token, secret = tokens.create(current_user.team_id, form.name.data or "", current_user.id)
        db_session().flush()
        audit.record("api_token_created", target=f"api-token:{token.id}", team_id=current_user.team_id)
        return render_template("api/token_created.html", token=token, secret=secret)
    team_tokens = db_session().scalars(policy.team_api_tokens(current_user)).all()
    return render_template("api/tokens.html", form=form, tokens=team_tokens, confirm=ConfirmForm()), (400 if form.errors else 200)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@manager_required
def revoke(token_id: int) -> Response:
    token = policy.api_token_or_404(current_user, token_id)
    if ConfirmForm().validate_on_submit() and token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token_revoked", target=f"api-token:{token.id}", team_id=current_user.team_id)
        flash(_("The token no longer works."), "success")
    return redirect(url_for("api_tokens.index"))
