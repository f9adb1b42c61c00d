"""Staff pages for families: create, add members, issue activation codes, co-workers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from webapp import audit, policy
from webapp.auth.guards import staff_required
from webapp.auth.models import Role, User
from webapp.auth.totp import qr_svg
from webapp.db import db_session
from webapp.families import activation, services
from webapp.families.forms import CoWorkerForm, FamilyForm, MemberForm, age_band_choices, member_role_label
from webapp.families.models import ConsentRecord, FamilyMember
from webapp.forms import ConfirmForm, choices
from webapp.network import services as network
from webapp.reviews import schedule

bp = Blueprint("families", __name__, url_prefix="/staff")


# The family page offers only what policy.py allows on each member; the pages behind ask it again.
bp.add_app_template_global(policy.has_safety_plan)
bp.add_app_template_global(policy.may_receive_meeting_message)
bp.add_app_template_global(policy.can_erase_member)
bp.add_app_template_global(policy.may_do_together)
bp.add_app_template_global(member_role_label)


@bp.app_template_global()
def age_band_label(band: str) -> str:
    """An age band in words, in the page's language ("8 to 10")."""
    return next((str(choice.label) for choice in age_band_choices() if choice.value == band), band)


@bp.route("/families/new", methods=["GET", "POST"])
@staff_required
def new_family() -> Any:
    form = FamilyForm()
    workers = db_session().scalars(policy.team_workers(current_user)).all()
    form.lead_worker.choices = choices((w.id, w.display_name) for w in workers)
    if form.lead_worker.data is None and current_user.role == Role.WORKER:
        form.lead_worker.data = current_user.id
    if form.validate_on_submit():
        family = services.create_family(
            name=form.name.data or "",
            reference=form.reference.data or None,
            team_id=current_user.team_id,
            lead_worker_id=form.lead_worker.data,
            created_by=current_user,
        )
        audit.record("family_created", family_id=family.id)
        flash(_("Family created. Now add the people in it."), "success")
        return redirect(url_for("families.family", family_id=family.id))
    return render_template("families/new_family.html", form=form)


@bp.route("/families/<int:family_id>")
@staff_required
def family(family_id: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    audit.record("family_viewed", family_id=family.id)
    consent = {
        member.id: db_session().scalar(
            select(ConsentRecord)
            .where(ConsentRecord.member_id == member.id)
            .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
            .limit(1)
        )
        for member in family.members
    }
    on_family = {family.lead_worker_id} | {w.user_id for w in family.co_workers}
    candidates = [w for w in db_session().scalars(policy.team_workers(current_user)) if w.id not in on_family]
    coworker_form = CoWorkerForm()
    coworker_form.worker.choices = choices((w.id, w.display_name) for w in candidates)
    return render_template(
        "families/family.html",
        family=family,
        consent=consent,
        coworker_form=coworker_form,
        confirm=ConfirmForm(),
        next_review=schedule.for_families([family.id])[family.id],
    )


@bp.route("/families/<int:family_id>/members/new", methods=["GET", "POST"])
@staff_required
def new_member(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    form = MemberForm()
    if form.validate_on_submit():
        member = FamilyMember(family_id=family.id)
        _fill_member(member, form)
        db_session().add(member)
        db_session().flush()
        _place_in_network(member, form)
        audit.record("member_added", family_id=family.id, target=f"member:{member.id}")
        flash(_("%(name)s is added. Give them an activation code so they can sign in.", name=member.display_name), "success")
        return redirect(url_for("families.family", family_id=family.id))
    # A form sent with mistakes is shown again with what to fix, and nothing is saved.
    return render_template("families/member_form.html", form=form, family=family, member=None), 400 if form.errors else 200


@bp.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_member(member_id: int) -> Any:
    member = policy.member_or_404(current_user, member_id)
    form = MemberForm(obj=member)
    if not form.is_submitted():
        form.picture_way.data = {None: "age", True: "yes", False: "no"}[member.picture_led]
        form.relationship.data = network.relationship_of(member) if policy.is_network_member(member) else ""
    if form.validate_on_submit():
        _fill_member(member, form)
        _place_in_network(member, form)
        audit.record("member_changed", family_id=member.family_id, target=f"member:{member.id}")
        # Translators: confirmation after a form is saved.
        flash(_("Saved."), "success")
        return redirect(url_for("families.family", family_id=member.family_id))
    return render_template("families/member_form.html", form=form, family=member.family, member=member), 400 if form.errors else 200


def _fill_member(member: FamilyMember, form: MemberForm) -> None:
    member.display_name = form.display_name.data or ""
    member.role = form.role.data or "young_person"
    member.age_band = form.age_band.data or "adult"
    member.preferred_language = form.preferred_language.data or "en"
    member.restricted = bool(form.restricted.data)
    # The picture-led way: "age" leaves it to the age band (under-8s use pictures).
    member.picture_led = {"yes": True, "no": False}.get(form.picture_way.data or "age")
    if policy.is_network_member(member):
        member.picture_led = False  # a grown-up in the family's network reads the usual way


def _place_in_network(member: FamilyMember, form: MemberForm) -> None:
    """A network member's relationship lives in the family safety plan, on their own line of its network."""
    if policy.is_network_member(member):
        network.link_network_person(member, form.relationship.data or "", current_user.id)


@bp.route("/members/<int:member_id>/code", methods=["POST"])
@staff_required
def issue_code(member_id: int) -> Any:
    member = policy.member_or_404(current_user, member_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = activation.issue(member, current_user)
    audit.record("activation_code_issued", family_id=member.family_id, target=f"member:{member.id}")
    link = url_for("auth.activate", code=code, _external=True)
    return render_template(
        "families/activation_code.html",
        member=member,
        code=activation.display(code),
        link=link,
        qr=qr_svg(link, _("QR code that opens the activation link")),
    )


@bp.route("/families/<int:family_id>/co-workers", methods=["POST"])
@staff_required
def add_co_worker(family_id: int) -> Response:
    family = policy.family_or_404(current_user, family_id)
    form = CoWorkerForm()
    allowed = {w.id: w for w in db_session().scalars(policy.team_workers(current_user))}
    form.worker.choices = choices((wid, w.display_name) for wid, w in allowed.items())
    if form.validate_on_submit():
        worker: User = allowed[form.worker.data]
        if services.add_co_worker(family, worker):
            audit.record("co_worker_added", family_id=family.id, target=f"user:{worker.id}")
            flash(_("%(name)s is now a co-worker on this family.", name=worker.display_name), "success")
    else:
        flash(_("Please choose a worker from the list."), "error")
    return redirect(url_for("families.family", family_id=family.id))
