"""Uploading photos of activities, and serving them only to people allowed to see them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp import audit, policy
from webapp.auth.guards import member_required, staff_required
from webapp.db import db_session
from webapp.photos import services
from webapp.photos.forms import PhotoForm
from webapp.photos.models import Photo, PhotoData
from webapp.photos.processing import PhotoRejected, process

bp = Blueprint("photos", __name__)


@bp.route("/my/photos", methods=["GET", "POST"])
@member_required
def my_photos() -> Any:
    member = policy.own_member(current_user)
    assert member is not None
    form = PhotoForm()
    status = 200
    if form.validate_on_submit():
        client_id = form.client_id.data or None
        if services.existing(member, client_id) is not None:
            # Sent before (a double tap, a retry after a lost answer): the same page as the first time.
            flash(_("Your photo is sent to your worker."), "success")
            return redirect(url_for("photos.my_photos"))
        if not services.upload_allowed(member):
            form.photo.errors = [services.too_many_message(with_words=False)]
            status = 429
        else:
            try:
                processed = process(form.photo.data.read())
            except PhotoRejected as error:
                form.photo.errors = [services.rejection_message(error)]
            else:
                services.save_once(member, processed, form.caption.data or "", client_id)
                flash(_("Your photo is sent to your worker."), "success")
                return redirect(url_for("photos.my_photos"))
    if form.errors and status == 200:
        status = 400
    photos = db_session().scalars(select(Photo).where(Photo.member_id == member.id).order_by(Photo.created_at.desc()).limit(60)).all()
    return render_template("photos/my_photos.html", form=form, photos=photos), status


@bp.route("/staff/families/<int:family_id>/photos")
@staff_required
def family_photos(family_id: int) -> str:
    family = policy.family_or_404(current_user, family_id)
    photos = db_session().scalars(select(Photo).where(Photo.family_id == family.id).order_by(Photo.created_at.desc()).limit(200)).all()
    audit.record("photos_viewed", family_id=family.id)
    return render_template("photos/family_photos.html", family=family, photos=photos)


def _serve(photo_id: int, thumbnail: bool) -> Response:
    photo = policy.photo_or_404(current_user, photo_id)
    data = db_session().get(PhotoData, photo.id)
    if data is None:
        return Response(status=404)
    # A thumbnail shows the picture too: staff looking at either is written down the same way.
    if current_user.is_staff:
        audit.record("photo_viewed", family_id=photo.family_id, target=f"photo:{photo.id}")
    response = Response(data.thumbnail if thumbnail else data.image, mimetype=data.mime_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/photos/<int:photo_id>")
@login_required
def image(photo_id: int) -> Response:
    return _serve(photo_id, thumbnail=False)


@bp.route("/photos/<int:photo_id>/thumbnail")
@login_required
def thumbnail(photo_id: int) -> Response:
    return _serve(photo_id, thumbnail=True)
