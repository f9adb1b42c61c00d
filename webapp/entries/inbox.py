"""Staff side of entries: the inbox across a worker's families, reading, replying, escalations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import joinedload

from webapp import audit, policy
from webapp.auth.guards import manager_required, staff_required
from webapp.db import db_session, utcnow
from webapp.entries import kinds, services
from webapp.entries.forms import DecisionForm, EntryEnglishForm, ReplyForm
from webapp.entries.models import Entry
from webapp.entries.presenter import photos_of, present
from webapp.families.models import FamilyMember
from webapp.forms import ConfirmForm, page_number
from webapp.notifications import services as notifications
from webapp.notifications.services import escalated_entries, escalation_hours
from webapp.reviews.services import used_in_reviews
from webapp.safeguarding import services as safeguarding
from webapp.translations_content import services as translated

bp = Blueprint("inbox", __name__, url_prefix="/staff")
bp.add_app_template_global(escalation_hours)

# Urgent and not yet acknowledged first, then unread, then newest.
INBOX_ORDER = (
    case((and_(Entry.urgent.is_(True), Entry.acknowledged_at.is_(None)), 0), else_=1),
    case((Entry.read_at.is_(None), 0), else_=1),
    Entry.created_at.desc(),
    Entry.id.desc(),
)


@bp.route("/inbox")
@staff_required
def inbox() -> str:
    size = int(current_app.config["INBOX_PAGE_SIZE"])
    page = page_number()
    base = policy.staff_entries(current_user)
    # Who sent each entry, their family and who sat with them come in the same query as the entries.
    listed = base.options(
        joinedload(Entry.member).joinedload(FamilyMember.family), joinedload(Entry.done_together_with)
    ).order_by(*INBOX_ORDER).offset((page - 1) * size).limit(size + 1)
    entries = db_session().scalars(listed).all()
    # Each count reads only its own partial index (unread entries; urgent ones not acknowledged) per family.
    unread = base.with_only_columns(func.count()).where(Entry.read_at.is_(None)).scalar_subquery()
    urgent = base.with_only_columns(func.count()).where(Entry.urgent == true(), Entry.acknowledged_at.is_(None)).scalar_subquery()
    counts = db_session().execute(select(unread, urgent)).one()
    alerts = notifications.staff_alerts(current_user.id, limit=20)
    # Drawings are shown small in the list itself: the picture is what a young child said.
    drawings = photos_of(entry.id for entry in entries[:size] if entry.kind in kinds.DRAWN_KIND_KEYS)
    return render_template(
        "entries/inbox.html",
        drawings=drawings,
        entries=entries[:size],
        page=page,
        has_next=len(entries) > size,
        unread=counts[0],
        urgent=counts[1],
        alerts=alerts,
        title_of=kinds.title_of,
    )


@bp.route("/entries/<int:entry_id>")
@staff_required
def entry(entry_id: int) -> str:
    entry = policy.entry_or_404(current_user, entry_id)
    services.mark_read(entry, current_user.id)
    notifications.mark_read(current_user.id, entry=entry)
    audit.record("entry_viewed", family_id=entry.family_id, target=f"entry:{entry.id}")
    return _entry_page(entry, ReplyForm())


def _entry_page(
    entry: Entry, form: ReplyForm, english_form: EntryEnglishForm | None = None, *, decision_form: DecisionForm | None = None
) -> str:
    english = translated.entry_english(entry)
    if english_form is None:
        english_form = EntryEnglishForm(formdata=None, meta={"csrf": False})
        if english is not None:
            english_form.text.data, english_form.interpreter_name.data = english.text, english.interpreter_name
    translations = translated.for_family(entry.family_id)
    reader = [translated.reading_language(entry.member)]
    return render_template(
        "entries/staff_entry.html",
        entry=entry,
        kind=kinds.BY_KEY.get(entry.kind),
        form=form,
        confirm=ConfirmForm(),
        title_of=kinds.title_of,
        presented=present(entry),
        used_in=used_in_reviews([entry.id]).get(entry.id, []),
        english=english,
        english_form=english_form,
        reply_statuses={r.id: translations.status(translated.reply_block(r.id), r.body, reader) for r in entry.replies},
        decision_form=decision_form or DecisionForm(formdata=None),
        decision_labels=safeguarding.LABELS,
    )


@bp.route("/entries/<int:entry_id>/reply", methods=["POST"])
@staff_required
def reply(entry_id: int) -> Any:
    entry = policy.entry_or_404(current_user, entry_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _entry_page(entry, form), 400
    # Sent again (a double click, a retry): the first reply stands and the page is the same.
    services.reply(entry, current_user.id, form.body.data or "", client_id=form.client_id.data or None)
    flash(_("Your reply is sent. %(name)s will see it under their entry.", name=entry.member.display_name), "success")
    return redirect(url_for("inbox.entry", entry_id=entry.id))


@bp.route("/entries/<int:entry_id>/english", methods=["POST"])
@staff_required
def entry_english(entry_id: int) -> Any:
    """The interpreter's English of what a family member wrote, kept beside their own words."""
    entry = policy.translatable_entry_or_404(current_user, entry_id)
    form = EntryEnglishForm()
    if not form.validate_on_submit():
        return _entry_page(entry, ReplyForm(formdata=None), form), 400
    translated.save_entry_english(entry, form.text.data or "", current_user.id, form.interpreter_name.data or "")
    flash(_("Translation saved."), "success")
    return redirect(url_for("inbox.entry", entry_id=entry.id) + "#english")


@bp.route("/entries/<int:entry_id>/acknowledge", methods=["POST"])
@staff_required
def acknowledge(entry_id: int) -> Any:
    """Acknowledge an urgent entry by recording the safeguarding decision: what was done, by whom, when."""
    entry = policy.entry_or_404(current_user, entry_id)
    if not entry.urgent:
        abort(404)
    if entry.safeguarding_decision is not None:
        flash(_("A decision is already on record for this entry."), "info")
        return redirect(url_for("inbox.entry", entry_id=entry.id))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _entry_page(entry, ReplyForm(formdata=None), decision_form=form), 400
    safeguarding.record(entry, form.decision(), current_user)
    audit.record("entry_acknowledged", family_id=entry.family_id, target=f"entry:{entry.id}")
    flash(_("The decision is recorded. Your manager will not be alerted."), "success")
    return redirect(url_for("inbox.entry", entry_id=entry.id))


@bp.route("/escalations")
@manager_required
def escalations() -> str:
    entries = db_session().scalars(escalated_entries(current_user)).all()
    return render_template(
        "entries/escalations.html", entries=entries, title_of=kinds.title_of, now=utcnow(), **safeguarding.for_manager(current_user)
    )
