"""Words typed with spaces or line breaks around them are kept without them, whichever form they came through."""

from __future__ import annotations

from sqlalchemy import select

from webapp.api.models import ApiToken
from webapp.assessments.models import Assessment
from webapp.auth.models import User
from webapp.db import db_session
from webapp.families.models import Family
from webapp.worries.models import Worry, WorryMember, WorryScore

from .helpers import signed_in, text


def test_a_colleagues_email_pasted_with_spaces_around_it_makes_their_account(app, world):
    manager = signed_in(app, world["manager_a"])
    created = manager.submit("/staff/people", {"display_name": "  Nia New \n", "email": " Nia.New@Example.org  ", "role": "worker"})
    assert created.status_code == 200, text(created)
    nia = db_session().scalar(select(User).where(User.email == "nia.new@example.org"))
    assert nia is not None and nia.display_name == "Nia New"


def test_a_workers_words_are_stored_without_the_spaces_around_them(app, world):
    worker = signed_in(app, world["worker_a"])
    family = world["family"]
    worker.submit(f"/staff/families/{family.id}/worries", {
        "wording": "  Shouting at home ", "danger_statement": "\n Loud arguments at night \n",
        "meaning_0": " Every day ", "meaning_10": " Never ", "members": [world["child"].id],
    })
    worry = db_session().scalars(select(Worry)).one()
    assert (worry.wording, worry.danger_statement, worry.meaning_0, worry.meaning_10) == (
        "Shouting at home", "Loud arguments at night", "Every day", "Never"
    )
    created = worker.submit("/staff/families/new", {"name": "  The Lee family ", "reference": "   ", "lead_worker": world["worker_a"].id})
    assert created.status_code == 302, text(created)
    lee = db_session().scalar(select(Family).where(Family.name == "The Lee family"))
    assert lee is not None and lee.reference is None


def test_an_assessment_section_of_only_spaces_is_left_out(app, world):
    worker = signed_in(app, world["worker_a"])
    created = worker.submit(f"/staff/families/{world['family'].id}/assessments", {"title": "  November  "})
    saved = worker.submit(created.headers["Location"], {
        "title": " Family assessment ", "sections-0-heading": "  Home life ", "sections-0-body": "\nCalmer mornings.\n",
        "sections-1-heading": "   ", "sections-1-body": " \n ",
    })
    assert saved.status_code == 302, text(saved)
    assessment = db_session().scalars(select(Assessment)).one()
    assert assessment.title == "Family assessment"
    assert [(s.heading, s.body) for s in assessment.sections] == [("Home life", "Calmer mornings.")]


def test_a_young_persons_words_and_a_token_name_are_stored_without_the_spaces_around_them(app, world):
    worry = Worry(family_id=world["family"].id, wording="Shouting", meaning_0="0", meaning_10="10",
                  applies_to=[WorryMember(member_id=world["child"].id)])
    db_session().add(worry)
    db_session().commit()
    child = signed_in(app, world["child"].user)
    child.submit(f"/my/worries/{worry.id}", {"score": "6", "one_point_higher": "  Less shouting \n"})
    assert db_session().scalars(select(WorryScore.one_point_higher)).one() == "Less shouting"
    signed_in(app, world["manager_a"]).submit("/staff/api-tokens/", {"name": "  Nightly import "})
    assert db_session().scalars(select(ApiToken.name)).one() == "Nightly import"
