"""A final review in plain language: the worker writes and shares it; each young person and parent reads it in
their language and version at /my/reviews/<id> and can comment on it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import audit, policy
from webapp.auth.guards import member_required, staff_required
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.reviews import sharing
from webapp.reviews.forms import ReviewCommentForm, ReviewShareForm
from webapp.reviews.models import SHARE_FIELDS
from webapp.translations_content import services as translated

bp = Blueprint("review_sharing", __name__)


@bp.route("/staff/reviews/<int:review_id>/for-the-family", methods=["GET", "POST"])
@staff_required
def edit_share(review_id: int) -> Any:
    review = policy.review_or_404(current_user, review_id)
    family = policy.family_or_404(current_user, review.family_id)
    if not policy.may_share_review(current_user, review):
        abort(404)
    share = sharing.share_of(review)
    if share is not None and share.shared_at is not None:
        form = ReviewShareForm(formdata=None, obj=share)
    elif share is not None:
        form = ReviewShareForm(obj=share)
    else:
        form = ReviewShareForm(data=sharing.draft(review))
    if share is not None and share.shared_at is not None and form.is_submitted():
        flash(_("This review is already shared with the family and can't be changed."), "error")
        return redirect(url_for("review_sharing.edit_share", review_id=review.id))
    if form.validate_on_submit():
        words = form.words()
        if form.share.data and not (words["happened_young_person"] or words["happened_parent"]):
            form.happened_young_person.errors = [_("Please write what happened at the review before you share it.")]
        else:
            share = sharing.save(review, words)
            if form.share.data:
                sharing.share(review, family, current_user)
                flash(_("Shared. Each young person and parent who reads the plan has a notice."), "success")
                return redirect(url_for("reviews.edit_review", review_id=review.id))
            # Translators: confirmation after a worker saves the family's version of a review.
            flash(_("Saved."), "success")
            return redirect(url_for("review_sharing.edit_share", review_id=review.id))
    translations = translated.for_family(family.id)
    readers = policy.review_share_readers(family)
    statuses = {}
    if share is not None:
        for field in SHARE_FIELDS:
            for version in ("young_person", "parent"):
                languages = [translated.reading_language(m) for m in readers if m.is_young_person == (version == "young_person")]
                statuses[f"{field}_{version}"] = translations.status(
                    translated.review_share_block(review.id, field, version), share.text(field, version), languages
                )
    audit.record("review_share_viewed", family_id=family.id, target=f"review:{review.id}")
    return render_template(
        "reviews/share.html",
        review=review,
        family=family,
        form=form,
        share=share,
        state=sharing.state_of(review, share),
        changes=sharing.plan_changes(review),
        statuses=statuses,
        comments=(comments := sharing.comments(review)),
        comments_english=translated.english_of(family.id, "review-comment", (c.id for c in comments)),
    ), (400 if form.errors else 200)


@bp.route("/my/reviews/<int:review_id>", methods=["GET", "POST"])
@member_required
def my_review(review_id: int) -> Any:
    review, share = policy.shared_review_or_404(current_user, review_id)
    member = policy.own_member(current_user)
    assert member is not None
    form = ReviewCommentForm()
    if form.validate_on_submit():
        language = translated.reading_language(member)
        sharing.add_comment(review, member, form.body.data or "", language, form.client_id.data or None)
        flash(_("Thank you. Your worker will read your comment."), "success")
        return redirect(url_for("review_sharing.my_review", review_id=review.id))
    notifications.mark_read(current_user.id, kind=NotificationKind.REVIEW_SHARED, review=review)
    translations = translated.for_family(member.family_id)
    version, language = policy.plan_version_for(member), translated.reading_language(member)
    shown = {}
    for field in SHARE_FIELDS:
        # Only one version written: everyone reads that one.
        used = version if share.text(field, version).strip() else ("parent" if version == "young_person" else "young_person")
        shown[field] = translations.shown(translated.review_share_block(review.id, field, used), share.text(field, used), language)
    scores = sharing.scores_for(review, member)
    worry_words = {row.worry.id: translated.shown_worry(translations, row.worry, member)["wording"] for row in scores}
    own = [c for c in sharing.comments(review) if c.member_id == member.id]
    return render_template(
        "reviews/my_review.html", review=review, share=share, shown=shown, scores=scores,
        worry_words=worry_words, form=form, comments=own,
    ), (400 if form.errors else 200)
