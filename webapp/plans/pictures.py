"""Words and Pictures: the simple illustrations shipped with the app for the young people's version of the plan.

Each picture is a small SVG in static/img/plan/ with no words inside, so it reads the same in every
language; its name (the alt text) is translated. Pictures where direction matters are mirrored on
right-to-left pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class ShippedPicture:
    key: str
    label: LazyString
    # People, places and things, or feelings: how the editor groups them.
    group: str
    mirror: bool = False

    @property
    def file(self) -> str:
        """The picture's path under static/."""
        return f"img/plan/{self.key}.svg"


PEOPLE, PLACES, FEELINGS = "people", "places", "feelings"

SHIPPED: tuple[ShippedPicture, ...] = (
    # Translators: name of a picture in a child's plan (its alt text): a child.
    ShippedPicture("child", _l("A child"), PEOPLE),
    # Translators: name of a picture in a child's plan (its alt text): a grown-up, an adult.
    ShippedPicture("grown_up", _l("A grown-up"), PEOPLE),
    # Translators: name of a picture in a child's plan (its alt text): a family together.
    ShippedPicture("family", _l("A family"), PEOPLE),
    # Translators: name of a picture in a child's plan (its alt text): the family's worker, holding notes.
    ShippedPicture("worker", _l("Your worker"), PEOPLE, mirror=True),
    # Translators: name of a picture in a child's plan (its alt text): a house, home.
    ShippedPicture("home", _l("A home"), PLACES),
    # Translators: name of a picture in a child's plan (its alt text): a school building.
    ShippedPicture("school", _l("A school"), PLACES),
    # Translators: name of a picture in a child's plan (its alt text): a mobile phone.
    ShippedPicture("phone", _l("A phone"), PLACES),
    # Translators: name of a picture in a child's plan (its alt text): a door.
    ShippedPicture("door", _l("A door"), PLACES),
    # Translators: name of a picture in a child's plan (its alt text): a car.
    ShippedPicture("car", _l("A car"), PLACES, mirror=True),
    # Translators: name of a picture in a child's plan (its alt text): a happy face.
    ShippedPicture("happy", _l("A happy face"), FEELINGS),
    # Translators: name of a picture in a child's plan (its alt text): a sad face.
    ShippedPicture("sad", _l("A sad face"), FEELINGS),
    # Translators: name of a picture in a child's plan (its alt text): a worried face.
    ShippedPicture("worried", _l("A worried face"), FEELINGS),
    # Translators: name of a picture in a child's plan (its alt text): a child kept safe inside a shield.
    ShippedPicture("safe", _l("Safe and looked after"), FEELINGS),
)
BY_KEY = {picture.key: picture for picture in SHIPPED}


@dataclass(frozen=True)
class ShownPicture:
    """A picture as the young person's plan draws it: where it is, its alt text and that text's language."""

    # A shipped picture's file under static/ (drawn with its version, so phones keep it), else the uploaded one's address.
    static: str
    src: str
    alt: str
    # The alt text's language when it is not the page's: a worker's description is in English.
    lang: str | None = None
    mirror: bool = False
    width: int = 96
    height: int = 96
