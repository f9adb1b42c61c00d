"""A parent comments on their assessment on a phone: each comment is saved as it is written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page
from sqlalchemy import select

from webapp.assessments.models import Assessment, AssessmentComment, AssessmentSection, AssessmentShare
from webapp.db import db_session

from .. import factories
from .steps import sign_in_member

pytestmark = pytest.mark.browser


def test_a_parents_comment_is_saved_as_they_write_without_pressing_save(app, page: Page, checked: Callable[..., None]):
    team = factories.team()
    worker = factories.staff(team, "worker")
    family = factories.family(team, worker)
    parent = factories.member(family, "parent", name="Ewa", language="pl")
    assessment = Assessment(family_id=family.id, title="Ocena rodziny", created_by_id=worker.id)
    assessment.sections = [AssessmentSection(heading="Dom", body="Wieczory są spokojniejsze.", position=0)]
    assessment.shares = [AssessmentShare(member_id=parent.id)]
    db_session().add(assessment)
    db_session().commit()
    section = assessment.sections[0]

    sign_in_member(page, parent.user)
    page.goto(f"/my/assessments/{assessment.id}")
    checked(page)
    page.check(f"#agree-{section.id}-partly")
    page.fill(f"#text-{section.id}", "Wieczory tak, ale poranki są trudne.")
    # A moment after typing stops, it is saved, and the page says so.
    for _ in range(60):
        db_session().rollback()
        comment = db_session().scalars(select(AssessmentComment).where(AssessmentComment.member_id == parent.id)).one_or_none()
        if comment is not None and comment.text:
            break
        page.wait_for_timeout(100)
    assert comment is not None
    assert (comment.section_key, comment.agree, comment.text) == (section.id, "partly", "Wieczory tak, ale poranki są trudne.")
    note = page.locator(f"[data-section='{section.id}'] [data-saved-note]")
    with force_locale("pl"):
        assert note.inner_text().startswith(gettext("Saved") + " "), "in the parent's language"

    page.reload()  # nothing was submitted, and nothing is lost
    assert page.input_value(f"#text-{section.id}") == "Wieczory tak, ale poranki są trudne."
    assert page.is_checked(f"#agree-{section.id}-partly")
    checked(page)
