"""Draw it and My three houses: a young child draws on the screen, and the drawings go to their worker."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from webapp import policy
from webapp.auth.guards import member_required
from webapp.config import current_language
from webapp.drawings import services
from webapp.drawings.forms import COLOURS, DrawForm, ThreeHousesForm
from webapp.entries import kinds
from webapp.entries import services as entries
from webapp.families.models import FamilyMember
from webapp.photos import services as photos
from webapp.photos.processing import PhotoRejected, ProcessedPhoto, process_drawing
from webapp.picture.services import PICTURE

bp = Blueprint("drawings", __name__, url_prefix="/my")


def _member(kind_key: str) -> FamilyMember:
    member = policy.own_member(current_user)
    assert member is not None  # member_required has checked
    if policy.drawn_kind_for(member, kind_key) is None:
        abort(404)
    return member


def _send(form: Any, member: FamilyMember, kind: kinds.EntryKind, template: str) -> Any:
    status = 200
    if form.validate_on_submit():
        client_id = form.client_id.data or None
        already = entries.existing(member, client_id)
        if already is not None:
            return redirect(url_for("entries.my_entry", entry_id=already.id, sent=1))
        labels = {question.key: str(question.label) for question in kind.questions}
        answers = {words: form[words].data for _drawing, words in form.parts if form[words].data}
        drawings: list[tuple[ProcessedPhoto, str]] = []
        for drawing, words in form.parts:
            upload = form[drawing].data
            if not (upload and getattr(upload, "filename", "")):
                continue
            if not photos.upload_allowed(member):
                form[drawing].errors = [photos.too_many_message(with_words=True)]
                status = 429
                continue
            try:
                processed = process_drawing(upload.read())
            except PhotoRejected as error:
                form[drawing].errors = [photos.rejection_message(error)]
                continue
            # Several drawings in one entry are told apart by their house; one drawing by its words.
            caption = labels[words] if len(form.parts) > 1 else (form[words].data or "")
            drawings.append((processed, caption))
        if not any(form[drawing].errors for drawing, _words in form.parts):
            if drawings or answers:
                entry, _created = services.send(
                    member, kind.key, answers, drawings, language=current_language(), client_id=client_id,
                    way=PICTURE if policy.uses_pictures(member) else None,
                )
                return redirect(url_for("entries.my_entry", entry_id=entry.id, sent=1))
            # Translators: shown when a child sends a drawing page with nothing drawn and no words.
            form.form_errors.append(_("Draw something, or write some words, before you send."))
    if form.errors or form.form_errors:
        status = status if status != 200 else 400
    parts = [(question, drawing, words) for question, (drawing, words) in zip(kind.questions, form.parts, strict=True)]
    return render_template(template, form=form, kind=kind, member=member, parts=parts, colours=COLOURS), status


@bp.route("/draw", methods=["GET", "POST"])
@member_required
def draw() -> Any:
    member = _member(kinds.DRAWING)
    form: FlaskForm = DrawForm()
    return _send(form, member, kinds.BY_KEY[kinds.DRAWING], "drawings/draw.html")


@bp.route("/three-houses", methods=["GET", "POST"])
@member_required
def three_houses() -> Any:
    member = _member(kinds.THREE_HOUSES_DRAWN)
    form: FlaskForm = ThreeHousesForm()
    return _send(form, member, kinds.BY_KEY[kinds.THREE_HOUSES_DRAWN], "drawings/three_houses.html")
