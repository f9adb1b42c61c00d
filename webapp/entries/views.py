"""A family member's views: write a guided entry, see what they sent and the replies."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from webapp import policy
from webapp.auth.guards import member_required
from webapp.clock import local_day, local_today
from webapp.config import LANGUAGES, current_language
from webapp.db import db_session
from webapp.entries import kinds, services
from webapp.entries.forms import entry_form
from webapp.entries.models import Entry
from webapp.entries.presenter import present
from webapp.families.models import FamilyMember
from webapp.photos import services as photos
from webapp.photos.processing import PhotoRejected, ProcessedPhoto, process
from webapp.translations_content import services as translated

bp = Blueprint("entries", __name__, url_prefix="/my")


def outbox_key() -> str:
    """An opaque key that tags this user's offline drafts on a shared phone."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    owner = getattr(current_user, "outbox_owner", current_user.id)  # done together: the member's drafts on the worker's device
    return hmac.new(secret, f"outbox:{owner}".encode(), hashlib.sha256).hexdigest()[:24]


@bp.app_context_processor
def _entry_globals() -> dict[str, Any]:
    return {"outbox_key": outbox_key}


def _member() -> FamilyMember:
    member = policy.own_member(current_user)
    assert member is not None  # member_required has checked
    return member


def _can_share(member: FamilyMember, kind: kinds.EntryKind) -> bool:
    return policy.may_share_kind(member, kind)


@bp.route("/views")
@member_required
def my_views() -> str:
    member = _member()
    entries = db_session().scalars(
        select(Entry).where(Entry.member_id == member.id).order_by(Entry.created_at.desc(), Entry.id.desc()).limit(50)
    ).all()
    return render_template(
        "entries/my_views.html",
        member=member,
        kinds=kinds.kinds_for(member.role),
        entries=entries,
        status=services.status,
        title_of=kinds.title_of,
    )


@bp.route("/views/new/<kind_key>", methods=["GET", "POST"])
@member_required
def new_entry(kind_key: str) -> Any:
    member = _member()
    kind = policy.entry_kind_for(member, kind_key)
    if kind is None:
        abort(404)
    form = entry_form(kind, can_share=_can_share(member, kind))
    status: int | None = None
    if form.validate_on_submit():
        client_id = form.client_id.data or None
        # Sent before (a double tap, a retry after a lost answer): show the entry already stored.
        already = services.existing(member, client_id)
        if already is not None:
            return redirect(url_for("entries.my_entry", entry_id=already.id, sent=1))
        processed: ProcessedPhoto | None = None
        upload = form.photo.data
        if upload and upload.filename:
            if not photos.upload_allowed(member):
                form.photo.errors = [photos.too_many_message(with_words=True)]
                status = 429
            else:
                try:
                    processed = process(upload.read())
                except PhotoRejected as error:
                    form.photo.errors = [photos.rejection_message(error)]
        if not form.photo.errors:
            try:
                entry, _created = services.create(
                    member,
                    kind.key,
                    form.answers(),
                    feeling=form.feeling.data or None,
                    language=current_language(),
                    shared_with_family=bool(getattr(getattr(form, "share_with_family", None), "data", False)),
                    client_id=client_id,
                    photo=processed,
                    caption=form.caption.data or "",
                )
            except SQLAlchemyError:
                if processed is None:
                    raise
                current_app.logger.exception("An entry with a photo could not be stored")
                # Translators: shown above the photo field when storing the entry failed; the child's words are still on the page.
                form.photo.errors = [_("Sorry, we could not save your photo, so nothing was sent yet. Your words are still here: choose the photo again and send it.")]
                status = 503
            else:
                return redirect(url_for("entries.my_entry", entry_id=entry.id, sent=1))
    page = render_template(
        "entries/new_entry.html", form=form, kind=kind, member=member, can_share=_can_share(member, kind),
        complaint_due=services.reply_due(complaint=True) if kind.complaint else None,
    )
    return page, status or (400 if form.errors else 200)


@bp.route("/views/<int:entry_id>")
@member_required
def my_entry(entry_id: int) -> str:
    entry = policy.entry_or_404(current_user, entry_id)
    member = _member()
    mine = entry.member_id == member.id
    translations = translated.for_family(entry.family_id)
    replies = {r.id: translations.shown(translated.reply_block(r.id), r.body, translated.reading_language(member)) for r in entry.replies}
    return render_template(
        "entries/my_entry.html",
        replies=replies,
        entry=entry,
        kind=kinds.BY_KEY.get(entry.kind),
        mine=mine,
        status=services.status(entry),
        just_sent=bool(request.args.get("sent")) and mine,
        told_today=local_day(entry.created_at) == local_today(),
        title_of=kinds.title_of,
        presented=present(entry),
    )


@bp.route("/shared")
@member_required
def shared_with_me() -> str:
    entries = db_session().scalars(
        policy.shared_entries(current_user).order_by(Entry.created_at.desc(), Entry.id.desc()).limit(50)
    ).all()
    return render_template("entries/shared.html", entries=entries, title_of=kinds.title_of)


@bp.route("/token")
@member_required
def token() -> Response:
    """A fresh CSRF token for sending offline drafts, when the one on the page has gone stale."""
    return jsonify(csrf_token=generate_csrf())


def _form_value(value: str | int | bool) -> str:
    """A JSON value as a browser would post it: a tick box that is false is not sent at all."""
    if isinstance(value, bool):
        # str(False) is "False", which a BooleanField would take as ticked.
        return "y" if value else ""
    return str(value)


@bp.route("/outbox", methods=["POST"])
@member_required
def outbox() -> Response | tuple[Response, int]:
    """Drafts written offline arrive here as JSON once the phone is back online."""
    member = _member()
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error=_("Something went wrong. Please try again.")), 400
    kind = policy.entry_kind_for(member, str(payload.get("kind", "")))
    if kind is None:
        return jsonify(error=_("Something went wrong. Please try again.")), 400
    fields = payload.get("fields")
    if not isinstance(fields, dict):
        return jsonify(error=_("Something went wrong. Please try again.")), 400
    form = entry_form(
        kind,
        can_share=_can_share(member, kind),
        formdata=MultiDict({str(k): _form_value(v) for k, v in fields.items() if isinstance(v, (str, int, bool))}),
        meta={"csrf": False},  # the request's X-CSRFToken header was checked already
    )
    if not form.validate():
        errors = [str(e) for errs in form.errors.values() for e in (errs if isinstance(errs, list) else [errs])]
        return jsonify(error=" ".join(errors + form.form_errors) or _("Something went wrong. Please try again.")), 400
    if not fields.get("client_id"):  # a draft always has the id its form was drawn with
        return jsonify(error=_("Something went wrong. Please try again.")), 400
    language = str(payload.get("language") or "")
    if language not in LANGUAGES:
        language = current_language()
    entry, created = services.create(
        member,
        kind.key,
        form.answers(),
        feeling=form.feeling.data or None,
        language=language,
        shared_with_family=bool(getattr(getattr(form, "share_with_family", None), "data", False)),
        client_id=form.client_id.data or None,
    )
    return jsonify(id=entry.id, created=created, url=url_for("entries.my_entry", entry_id=entry.id)), 201 if created else 200
