"""Network members: their place in the family and network safety plan, what their home shows, and
their "I have read it and I agree" (one `SafetyPlanAgreement` per published version)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from webapp import audit, policy
from webapp.db import db_session, utcnow
from webapp.families.models import FamilyMember
from webapp.plans import family_safety_services as family_safety
from webapp.plans.family_safety import FamilySafetyPlanContent, NetworkPerson
from webapp.plans.models import PUBLISHED, FamilySafetyPlanVersion, PlanVersion, SafetyPlanAgreement
from webapp.plans.records import Action, PlanContent, new_id
from webapp.translations_content import services as translated
from webapp.translations_content.rules import Shown


def latest_family_safety_plan(family_id: int) -> FamilySafetyPlanVersion | None:
    """The family and network safety plan the family reads: its latest published version."""
    return family_safety.latest_published(family_id)


def relationship_of(member: FamilyMember) -> str:
    """A network member's relationship to the family, as the safety plan's people who help hold it."""
    person = family_safety.current(member.family_id).person_for_member(member.id)
    return person.relationship if person else ""


def link_network_person(member: FamilyMember, relationship: str, author_id: int) -> NetworkPerson:
    """Put a network member into the family safety plan's draft as one of its people (their account linked),
    or update their relationship there; a person of the same name not yet linked to anyone becomes them."""
    version = family_safety.draft(member.family, author_id)
    content = FamilySafetyPlanContent.from_json(version.content)
    person = content.person_for_member(member.id) or next(
        (p for p in content.network if p.member_id is None and p.name.strip().casefold() == member.display_name.strip().casefold()), None
    )
    if person is None:
        person = NetworkPerson(id=new_id(content.ids()), name=member.display_name)
        content.network.append(person)
    person.member_id = member.id
    person.relationship = relationship
    version.content = content.to_json()
    version.updated_at = utcnow()
    audit.record("network_member_linked", family_id=member.family_id, target=f"member:{member.id}")
    return person


# --- "I have read it and I agree".


def agreement_of(member: FamilyMember, version: FamilySafetyPlanVersion) -> SafetyPlanAgreement | None:
    return db_session().scalar(
        select(SafetyPlanAgreement).where(SafetyPlanAgreement.version_id == version.id, SafetyPlanAgreement.member_id == member.id)
    )


class NotTheLatest(Exception):
    """The version a page offered to agree to is no longer the one the family reads."""


def agree(member: FamilyMember, version: FamilySafetyPlanVersion) -> SafetyPlanAgreement:
    """Record that the member read this version and agrees, with the date: once; a second press changes nothing.

    Raises NotTheLatest when a newer version was published since the page was drawn."""
    latest = latest_family_safety_plan(member.family_id)
    if latest is None or latest.id != version.id:
        raise NotTheLatest(version.id)
    existing = agreement_of(member, version)
    if existing is not None:
        return existing
    agreement = SafetyPlanAgreement(version_id=version.id, member_id=member.id, agreed_at=utcnow())
    db_session().add(agreement)
    db_session().flush()
    audit.record("family_safety_plan_agreed", family_id=member.family_id, target=f"member:{member.id}")
    return agreement


def family_agreements(family_id: int) -> list[SafetyPlanAgreement]:
    """Who agreed to which version of the family safety plan and when, newest version first."""
    return list(
        db_session().scalars(
            select(SafetyPlanAgreement)
            .join(FamilySafetyPlanVersion, FamilySafetyPlanVersion.id == SafetyPlanAgreement.version_id)
            .where(FamilySafetyPlanVersion.family_id == family_id)
            .order_by(FamilySafetyPlanVersion.number.desc(), SafetyPlanAgreement.agreed_at, SafetyPlanAgreement.id)
        )
    )


# --- A network member's home.


@dataclass
class NetworkHome:
    """What a network member's home shows: their part of the safety plan, and the plan's actions naming them."""

    version: FamilySafetyPlanVersion | None
    parts: FamilySafetyPlanContent
    actions: list[tuple[Action, Shown]] = field(default_factory=list)
    translations: translated.FamilyTranslations | None = None
    language: str = "en"

    def shown(self, row_id: str, part: str, text: str) -> Shown:
        """A part of the safety plan in the member's language where translated (else English, said so)."""
        if self.translations is None:
            return Shown(text, "en", "ltr")
        return self.translations.shown(translated.family_safety_block(row_id, part), text, self.language)

    @property
    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.parts.network}


def home(member: FamilyMember) -> NetworkHome:
    version = latest_family_safety_plan(member.family_id)
    content = FamilySafetyPlanContent.from_json(version.content if version else None)
    parts = policy.family_safety_parts_for(content, member) or FamilySafetyPlanContent()
    plan = db_session().scalar(
        select(PlanVersion)
        .where(PlanVersion.family_id == member.family_id, PlanVersion.status == PUBLISHED)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    plan_content = PlanContent.from_json(plan.content) if plan else PlanContent()
    translations = translated.for_family(member.family_id)
    actions = [(a, translated.shown_action(translations, a, member)) for a in policy.network_actions_for(plan_content, member)]
    return NetworkHome(
        version=version if not parts.is_empty() else None, parts=parts, actions=actions,
        translations=translations, language=translated.reading_language(member),
    )
