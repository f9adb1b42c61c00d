"""The translations page: every block of a worker's words for one family, each language's state, and a form to translate it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import policy
from webapp.assessments.models import AssessmentComment
from webapp.auth.guards import staff_required
from webapp.closure.models import GoodbyeViews
from webapp.families.models import Family
from webapp.reviews.models import ReviewComment
from webapp.translations_content import rules, services
from webapp.translations_content.forms import MemberEnglishForm, TranslationForm
from webapp.translations_content.services import Block

bp = Blueprint("translations", __name__)


def _forms(blocks: list[Block]) -> dict[tuple[str, str], TranslationForm]:
    forms = {}
    for block in blocks:
        for status in block.statuses:
            form = TranslationForm(formdata=None, meta={"csrf": False})
            form.block.data, form.language.data, form.source_hash.data = block.ref, status.language, rules.source_hash(block.source)
            if status.translation is not None:
                form.text.data, form.interpreter_name.data = status.translation.text, status.translation.interpreter_name
            forms[block.ref, status.language] = form
    return forms


def _page(family: Family, blocks: list[Block], forms: dict[tuple[str, str], TranslationForm], status: int = 200) -> tuple[str, int]:
    page = render_template(
        "translations/family_translations.html", family=family, blocks=blocks, forms=forms, languages=services.family_languages(family)
    )
    return page, status


@bp.route("/staff/families/<int:family_id>/translations", methods=["GET", "POST"])
@staff_required
def family_translations(family_id: int) -> Any:
    family = policy.translation_family_or_404(current_user, family_id)
    blocks = services.family_blocks(family)
    if request.method == "GET":
        return _page(family, blocks, _forms(blocks))
    form = TranslationForm()
    block = next((b for b in blocks if b.ref == form.block.data), None)
    forms = _forms(blocks)
    if block is None or form.language.data not in block.languages:
        # A page left open named a part someone has since removed, or a language nobody there reads.
        flash(_("That part is no longer there to translate: someone may have removed it. Nothing was saved."), "error")
        return _page(family, blocks, forms, 404)
    forms[block.ref, form.language.data] = form
    if not form.validate_on_submit():
        return _page(family, blocks, forms, 400)
    if form.source_hash.data != rules.source_hash(block.source):
        # The English changed while this was typed: save nothing, keep the words typed, show the new English.
        form.source_hash.data = rules.source_hash(block.source)
        form.text.errors = [_("The English changed while you were translating. Check your translation against the English shown now, then save it again.")]
        return _page(family, blocks, forms, 409)
    services.save(family, block.ref, form.language.data, form.text.data or "", block.source, current_user.id, form.interpreter_name.data or "")
    # Translators: message after a translation was saved.
    flash(_("Translation saved."), "success")
    return redirect(url_for("translations.family_translations", family_id=family.id) + f"#{anchor(block.ref)}")


def _page_of(record: Any, family: Family) -> str:
    """The staff page that shows these words, where the worker goes back to."""
    if isinstance(record, ReviewComment):
        return url_for("reviews.edit_review", review_id=record.review_id)
    if isinstance(record, GoodbyeViews):
        return url_for("closure.closure", family_id=family.id)
    if isinstance(record, AssessmentComment):
        return url_for("assessments.edit", assessment_id=record.assessment_id)
    return url_for("worries.family_worries", family_id=family.id)


@bp.route("/staff/english/<kind>/<int:source_id>", methods=["POST"])
@staff_required
def member_english(kind: str, source_id: int) -> Any:
    """The interpreter's English of a family member's worry score reasons, review comment, goodbye views or assessment
    comment, kept beside their own words."""
    record = policy.translatable_member_words_or_404(current_user, kind, source_id)
    family = policy.member_words_family(record)
    form = MemberEnglishForm()
    if not form.validate_on_submit():
        source, language = services.member_words_source(record)
        page = render_template(
            "translations/member_english.html", family=family, kind=kind, record=record, source=source, language=language,
            english_form=form, back=_page_of(record, family),
        )
        return page, 400
    services.save_member_english(family, kind, record, form.text.data or "", current_user.id, form.interpreter_name.data or "")
    flash(_("Translation saved."), "success")
    return redirect(_page_of(record, family) + f"#english-{kind}-{record.id}")


def anchor(ref: str) -> str:
    return "t-" + ref.replace(":", "-")


@bp.app_template_global("english_out_of_date")
def english_out_of_date(english: Any, record: Any) -> bool:
    """On the staff pages: the member changed their words after the interpreter's English was saved."""
    return services.english_out_of_date(english, record)


@bp.app_template_filter("translation_anchor")
def translation_anchor(ref: str) -> str:
    return anchor(ref)
