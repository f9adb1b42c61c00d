"""The drawing forms: Draw it (one drawing) and My three houses (three), each with optional words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from webapp.entries.services import MAX_ANSWER_LENGTH
from webapp.forms import strip_whitespace
from webapp.once import ClientIdField

# The drawing colours: (key, colour, word). Big, few, and each with its word, for a child who reads a little.
COLOURS = (
    # Translators: a drawing colour a child taps.
    ("black", "#222222", _l("Black")),
    # Translators: a drawing colour a child taps.
    ("red", "#d62828", _l("Red")),
    # Translators: a drawing colour a child taps.
    ("blue", "#1f6fd1", _l("Blue")),
    # Translators: a drawing colour a child taps.
    ("green", "#1e8a3c", _l("Green")),
    # Translators: a drawing colour a child taps.
    ("yellow", "#f2b705", _l("Yellow")),
)

# A drawing's optional words are also its caption, which holds at most this much.
MAX_WORDS = 300


def _words(label: str | None = None) -> TextAreaField:
    return TextAreaField(
        label or _l("Words (you can skip this)"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=min(MAX_WORDS, MAX_ANSWER_LENGTH), message=_l("Please write fewer words."))],
    )


def _drawing() -> FileField:
    # Filled in by the drawing page's script from the canvas; a page without scripts sends words only.
    # Translators: label of the drawing a child makes (read out by screen readers).
    return FileField(_l("My drawing"), render_kw={"accept": "image/png"})


class DrawForm(FlaskForm):
    client_id = ClientIdField()
    drawing = _drawing()
    about_drawing = _words()
    submit = SubmitField(_l("Send to my worker"))

    # (file field, words field), in the order the page shows them.
    parts = (("drawing", "about_drawing"),)


class ThreeHousesForm(FlaskForm):
    client_id = ClientIdField()
    worries_drawing = _drawing()
    house_of_worries = _words()
    good_things_drawing = _drawing()
    house_of_good_things = _words()
    dreams_drawing = _drawing()
    house_of_dreams = _words()
    submit = SubmitField(_l("Send to my worker"))

    parts = (
        ("worries_drawing", "house_of_worries"),
        ("good_things_drawing", "house_of_good_things"),
        ("dreams_drawing", "house_of_dreams"),
    )
