"""The photo upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional

from webapp.forms import strip_whitespace
from webapp.once import ClientIdField
from webapp.photos.processing import PHOTO_TYPES


class PhotoForm(FlaskForm):
    client_id = ClientIdField()
    photo = FileField(
        # Translators: form label for picking a photo file from the phone.
        _l("Choose a photo"),
        description=_l("Take a photo or pick one from your gallery. We take out where the photo was taken."),
        validators=[FileRequired(message=_l("Please choose a photo."))],
        render_kw={"accept": PHOTO_TYPES},
    )
    caption = StringField(_l("Say what is in the photo"), filters=[strip_whitespace], validators=[Optional(), Length(max=300)])
    # Translators: button.
    submit = SubmitField(_l("Send photo"))
