"""A manager's pages: the team view and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp import policy
from webapp.auth.guards import manager_required
from webapp.db import db_session, utcnow
from webapp.entries import kinds
from webapp.families.models import Family
from webapp.forms import choices, page_number
from webapp.notifications.services import escalated_entries
from webapp.oversight import services
from webapp.oversight.forms import AuditFilterForm
from webapp.reviews import sharing
from webapp.safeguarding import services as safeguarding

bp = Blueprint("oversight", __name__, url_prefix="/staff")

AUDIT_PAGE_SIZE = 50


@bp.route("/team")
@manager_required
def team() -> str:
    families = services.family_rows(current_user)
    open_families, next_reviews = services.overdue_reviews_first([row for row in families if row.family.closed_at is None])
    return render_template(
        "oversight/team.html",
        open_families=open_families,
        next_reviews=next_reviews,
        shares_due=sharing.latest_not_shared([row.family.id for row in open_families]),
        reviews_waiting=services.reviews_waiting(current_user),
        closed_families=[row for row in families if row.family.closed_at is not None],
        workers=services.worker_rows(current_user, families),
        escalated=db_session().scalars(escalated_entries(current_user)).all(),
        **safeguarding.for_manager(current_user),
        waiting=services.waiting_longest(current_user),
        now=utcnow(),
        title_of=kinds.title_of,
    )


@bp.route("/audit")
@manager_required
def audit_log() -> Any:
    form = AuditFilterForm(request.args)
    families = db_session().scalars(policy.visible_families(current_user).order_by(Family.name, Family.id)).all()
    # Translators: filter choice in the audit log: do not limit to one family.
    form.family.choices = choices([("", _("All families")), *((str(f.id), f.name) for f in families)])
    staff = db_session().scalars(policy.team_staff(current_user)).all()
    # Translators: filter choice in the audit log: do not limit to one staff member.
    form.staff.choices = choices([("", _("All staff")), *((str(s.id), s.display_name) for s in staff)])
    page = page_number()
    if not form.validate():
        return render_template("oversight/audit.html", form=form, rows=[], page=1, has_next=False, filters={}), 400
    chosen = services.AuditFilter(
        family_id=form.family.chosen_id, actor_id=form.staff.chosen_id, start=form.start.data, end=form.end.data
    )
    rows, has_next = services.audit_events(current_user, chosen, page=page, size=AUDIT_PAGE_SIZE)
    filters = {name: value for name, value in request.args.items() if name in form and value}
    return render_template(
        "oversight/audit.html",
        form=form,
        rows=rows,
        page=page,
        has_next=has_next,
        filters=filters,
        action_label=services.action_label,
    )
