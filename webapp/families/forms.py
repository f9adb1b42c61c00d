"""Forms for families and their members."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms 3.2 lacks it
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.config import LANGUAGES
from webapp.forms import choices, strip_whitespace


def member_role_choices() -> list[SelectChoice]:
    return choices([
        # Translators: a family member's role: a child or young person up to 25.
        ("young_person", str(_l("Young person"))),
        # Translators: a family member's role: a mother, father or another adult who cares for the child.
        ("parent", str(_l("Parent or carer"))),
        # Translators: a family member's role: a grandparent, neighbour or family friend in the family's safety network.
        ("network", str(_l("Network member"))),
    ])


def member_role_label(role: str) -> str:
    """A member's role in words, in the page's language."""
    return next((str(choice.label) for choice in member_role_choices() if choice.value == role), role)


def age_band_choices() -> list[SelectChoice]:
    return choices([
        # Translators: an age band in years, chosen for a young person.
        ("5-7", str(_l("5 to 7"))),
        # Translators: an age band in years, chosen for a young person.
        ("8-10", str(_l("8 to 10"))),
        # Translators: an age band in years, chosen for a young person.
        ("11-13", str(_l("11 to 13"))),
        # Translators: an age band in years, chosen for a young person.
        ("14-15", str(_l("14 to 15"))),
        # Translators: an age band in years, chosen for a young person.
        ("16-17", str(_l("16 to 17"))),
        # Translators: an age band in years, chosen for a young person.
        ("18-25", str(_l("18 to 25"))),
        # Translators: an age band: 26 or older (a parent or carer).
        ("adult", str(_l("Adult"))),
    ])


class FamilyForm(FlaskForm):
    name = StringField(
        # Translators: form label: how staff and the family name the family record, e.g. "The Smith family".
        _l("Family name"),
        description=_l("How you and the family will recognise it, for example “The Smith family”."),
        filters=[strip_whitespace],
        validators=[DataRequired(message=_l("Please type a family name.")), Length(max=120)],
    )
    reference = StringField(
        # Translators: form label: the family's number in the council's case management system.
        _l("Case reference (optional)"),
        description=_l("The family's number in your case management system."),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=60)],
    )
    # Translators: form label: the staff member who leads the work with a family (same as "Lead worker").
    lead_worker = SelectField(_l("Lead practitioner"), coerce=int)
    # Translators: button that creates the new family record.
    submit = SubmitField(_l("Create family"))


class MemberForm(FlaskForm):
    display_name = StringField(
        _l("Name they like to be called"), filters=[strip_whitespace], validators=[DataRequired(message=_l("Please type a name.")), Length(max=120)]
    )
    role = SelectField(_l("Role in the family"), choices=member_role_choices)
    # Translators: form label: the family member's age band.
    age_band = SelectField(_l("Age"), choices=age_band_choices)
    # Translators: form label: the language a family member reads in.
    preferred_language = SelectField(_l("Preferred language"), choices=lambda: choices(LANGUAGES.items()))
    relationship = StringField(
        # Translators: form label: how a network member is related to the family, e.g. grandmother, neighbour.
        _l("Relationship to the family (network members)"),
        description=_l("For example grandmother, neighbour or family friend. It goes into the family safety plan's people who help."),
        filters=[strip_whitespace],
        validators=[Length(max=120)],
    )
    restricted = BooleanField(
        # Translators: a family member who sees only their own entries, nothing about the plan or others.
        _l("Restricted"),
        description=_l("A restricted member sees only their own entries: nothing about the plan or other members."),
    )
    picture_way = SelectField(
        # Translators: form label: whether a family member uses the picture-led way (big pictures, read aloud).
        _l("Picture-led"),
        description=_l("Big pictures, one question at a time, read aloud: for children under 8, or anyone who finds reading or typing hard. They can switch."),
        choices=lambda: choices([
            ("age", str(_l("If they are under 8"))),
            # Translators: an answer: yes, this family member uses the picture-led way.
            ("yes", str(_l("Yes"))),
            # Translators: an answer: no, this family member uses the usual way.
            ("no", str(_l("No"))),
        ]),
        default="age",
    )
    submit = SubmitField(_l("Save"))

    def validate_age_band(self, field: SelectField) -> None:
        if self.role.data == "parent" and field.data in ("5-7", "8-10", "11-13", "14-15"):
            raise ValidationError(_l("A parent or carer can't be that young. Please check the age."))
        if self.role.data == "young_person" and field.data == "adult":
            raise ValidationError(_l("Please choose the young person's age."))
        if self.role.data == "network" and field.data != "adult":
            raise ValidationError(_l("A network member is a grown-up. Please choose Adult."))

    def validate_relationship(self, field: StringField) -> None:
        if self.role.data == "network" and not field.data:
            raise ValidationError(_l("Please say how they are related to the family, for example grandmother or neighbour."))


class CoWorkerForm(FlaskForm):
    # Translators: heading: add another staff member who works with this family.
    worker = SelectField(_l("Add a co-worker"), coerce=int)
    # Translators: button that adds the chosen co-worker to a family.
    submit = SubmitField(_l("Add"))
