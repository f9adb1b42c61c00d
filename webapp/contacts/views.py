"""A family's chronology: the page, recording contacts, writing up home visits, exports, and disengagement decisions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from webapp import audit, once, policy
from webapp.auth.guards import manager_required, staff_required
from webapp.clock import local_today
from webapp.contacts import exports, services
from webapp.contacts.forms import ChronologyFilterForm, ContactForm, DecisionForm, WriteUpForm
from webapp.contacts.models import Contact, ContactKind, DisengagementDecision
from webapp.db import db_session
from webapp.downloads import attachment
from webapp.families.models import Family
from webapp.forms import add_error, choices

bp = Blueprint("contacts", __name__, url_prefix="/staff")


@bp.app_template_global()
def overdue_write_ups(family: Family | None = None) -> list[Contact]:
    """Home visits not written up within 3 working days: one family's, or every family the staff member sees."""
    if family is not None:
        return services.overdue_write_ups([family.id])
    ids = (
        db_session()
        .scalars(policy.visible_families(current_user).where(Family.closed_at.is_(None)).with_only_columns(Family.id))
        .all()
    )
    return services.overdue_write_ups(list(ids))


@bp.app_template_global()
def write_up_due(contact: Contact) -> Any:
    return services.write_up_due(contact)


@bp.app_template_global()
def disengaged_families() -> list[services.Disengagement]:
    """The team view's flags (seed 002), for the manager's own team only."""
    return services.disengaged_families(current_user)


@bp.app_template_global()
def disengagement_checklist() -> tuple[Any, ...]:
    return services.DISENGAGEMENT_CHECKLIST


def _filter_form(lines: list[services.Line]) -> ChronologyFilterForm:
    form = ChronologyFilterForm(request.args)
    # Translators: filter choice in a family's chronology: every kind of contact and event.
    form.kind.choices = choices([("", _("Everything")), *((key, str(label)) for key, label in services.LINE_KINDS.items())])
    # Translators: filter choice in a family's chronology: everybody.
    form.who.choices = choices([("", _("Everybody")), *services.people_in(lines)])
    return form


def _chosen(form: ChronologyFilterForm) -> services.ChronologyFilter:
    return services.ChronologyFilter(kind=form.kind.data or None, start=form.start.data, end=form.end.data, who=form.who.data or None)


@bp.route("/families/<int:family_id>/chronology")
@staff_required
def chronology(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    lines = services.chronology(family, policy.staff_entries(current_user))
    form = _filter_form(lines)
    if not form.validate():
        return render_template("contacts/chronology.html", family=family, form=form, lines=[], filters={}, flag=None), 400
    filters = {name: value for name, value in request.args.items() if name in form and value}
    return render_template(
        "contacts/chronology.html",
        family=family,
        form=form,
        lines=_chosen(form).apply(lines),
        filters=filters,
        flag=services.disengagement_of(family),
    )


def _export(family_id: int, export: str) -> tuple[Family, list[services.Line], str]:
    family = policy.family_or_404(current_user, family_id)
    lines = services.chronology(family, policy.staff_entries(current_user))
    form = _filter_form(lines)
    if not form.validate():
        abort(400)
    lines = _chosen(form).apply(lines)
    start, end = form.start.data, form.end.data
    # Translators: under the title of an exported chronology: the days it covers and the day it was made.
    period = _(
        "From %(start)s to %(end)s. Made on %(today)s.",
        start=format_date(start, "medium") if start else "…",
        end=format_date(end, "medium") if end else "…",
        today=format_date(local_today(), "medium"),
    )
    audit.record("chronology_exported", family_id=family.id, target=export)
    return family, lines, period



@bp.route("/families/<int:family_id>/chronology.csv")
@staff_required
def chronology_csv(family_id: int) -> Response:
    family, lines, _period = _export(family_id, "csv")
    return attachment(exports.as_csv(lines), "text/csv", f"chronology-family-{family.id}.csv")


@bp.route("/families/<int:family_id>/chronology.pdf")
@staff_required
def chronology_pdf(family_id: int) -> Response:
    family, lines, period = _export(family_id, "pdf")
    return attachment(exports.pdf(family, lines, period), "application/pdf", f"chronology-family-{family.id}.pdf")


@bp.route("/families/<int:family_id>/chronology.docx")
@staff_required
def chronology_docx(family_id: int) -> Response:
    family, lines, period = _export(family_id, "docx")
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return attachment(exports.docx(family, lines, period), mimetype, f"chronology-family-{family.id}.docx")


@bp.route("/families/<int:family_id>/contacts/new", methods=["GET", "POST"])
@staff_required
def new_contact(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    form = ContactForm()
    if not form.is_submitted():
        form.day.data = local_today()
    if form.validate_on_submit():
        kind = ContactKind(form.kind.data)
        moment = services.local_moment(form.day.data, form.at.data)  # type: ignore[arg-type]
        try:
            services.check_moment(moment)
        except services.ContactError as problem:
            add_error(form.day, str(problem))
        else:
            client_id = form.client_id.data or None

            def write() -> Contact:
                return services.record_contact(
                    family,
                    current_user,
                    kind,
                    moment,
                    summary=form.summary.data or "",
                    next_step=form.next_step.data or "" if kind == ContactKind.ATTEMPT else "",
                    notes=form.notes() if kind == ContactKind.HOME_VISIT else None,
                    client_id=client_id,
                )

            contact, created = once.save(
                lambda: once.first(Contact, Contact.recorded_by_id == current_user.id, client_id), write
            )
            if created:
                audit.record("contact_recorded", family_id=family.id, target=f"contact:{contact.id}")
            if contact.awaits_write_up:
                flash(_("Saved. Please write up the visit within 3 working days."), "success")
            else:
                # Translators: confirmation after a contact with a family is saved.
                flash(_("Saved in the chronology."), "success")
            return redirect(url_for("contacts.chronology", family_id=family.id))
    return render_template("contacts/new_contact.html", family=family, form=form), 400 if form.errors else 200


@bp.route("/contacts/<int:contact_id>/write-up", methods=["GET", "POST"])
@staff_required
def write_up(contact_id: int) -> Any:
    contact = policy.contact_or_404(current_user, contact_id)
    if contact.kind != ContactKind.HOME_VISIT:
        abort(404)
    family = db_session().get_one(Family, contact.family_id)
    form = WriteUpForm()
    if not form.is_submitted():
        form.process(data=contact.notes.to_json())
    if form.validate_on_submit():
        finished = bool(form.finish.data)
        if not finished or form.require_headings():
            services.write_up(contact, form.notes(), finished=finished)
            audit.record("visit_written_up", family_id=family.id, target=f"contact:{contact.id}")
            # Translators: confirmation after a form is saved.
            flash(_("Saved."), "success")
            return redirect(url_for("contacts.chronology", family_id=family.id))
    return render_template(
        "contacts/write_up.html", family=family, contact=contact, form=form, due=services.write_up_due(contact)
    ), 400 if form.errors else 200


@bp.route("/families/<int:family_id>/disengagement", methods=["GET", "POST"])
@manager_required
def disengagement(family_id: int) -> Any:
    family = policy.disengagement_family_or_404(current_user, family_id)
    form = DecisionForm()
    if not form.is_submitted():
        form.decided_on.data = local_today()
    if form.validate_on_submit():
        decided_on = form.decided_on.data
        assert decided_on is not None
        try:
            services.check_decision_day(decided_on)
        except services.ContactError as problem:
            add_error(form.decided_on, str(problem))
        else:
            client_id = form.client_id.data or None
            _decision, created = once.save(
                lambda: once.first(DisengagementDecision, DisengagementDecision.decided_by_id == current_user.id, client_id),
                lambda: services.record_decision(family, current_user, form.decision.data or "", decided_on, client_id),
            )
            if created:
                audit.record("disengagement_decided", family_id=family.id)
            flash(_("The decision is recorded in the family's chronology."), "success")
            return redirect(url_for("oversight.team"))
    return render_template(
        "contacts/disengagement.html", family=family, form=form, flag=services.disengagement_of(family)
    ), 400 if form.errors else 200
