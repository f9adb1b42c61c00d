"""Reviews: import the family's voice for a period, write the analysis, export it; after the meeting."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select

from webapp import audit, once, policy
from webapp.auth.guards import staff_required
from webapp.db import db_session, utcnow
from webapp.downloads import attachment, csv_safe
from webapp.families.models import Family
from webapp.forms import ConfirmForm, add_error
from webapp.notifications import services as notifications
from webapp.reviews import presenter, record, services, sharing, sign_off
from webapp.reviews.forms import AnalysisForm, MeetingMessageForm, SignOffForm, StartReviewForm, SubmitReviewForm
from webapp.reviews.models import DRAFT, MeetingMessage, Review
from webapp.translations_content import services as translated
from webapp.worries import services as worries
from webapp.worries.models import Worry, WorryScore

bp = Blueprint("reviews", __name__, url_prefix="/staff")


@bp.route("/families/<int:family_id>/reviews", methods=["GET", "POST"])
@staff_required
def family_reviews(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    form = StartReviewForm()
    if form.validate_on_submit():
        review = Review(
            family_id=family.id,
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            status=DRAFT,
            analysis={},
            created_by_id=current_user.id,
        )
        db_session().add(review)
        db_session().flush()
        audit.record("review_started", family_id=family.id, target=f"review:{review.id}")
        return redirect(url_for("reviews.edit_review", review_id=review.id))
    if not form.is_submitted():
        form.period_start.data, form.period_end.data = services.default_period(family)
    reviews = db_session().scalars(select(Review).where(Review.family_id == family.id).order_by(Review.period_end.desc(), Review.id.desc())).all()
    return render_template("reviews/family_reviews.html", family=family, form=form, reviews=reviews), (400 if form.errors else 200)


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
@staff_required
def edit_review(review_id: int) -> Any:
    review = policy.review_or_404(current_user, review_id)
    family = policy.family_or_404(current_user, review.family_id)
    # ?member=<id>: every entry that member sent in the period is listed, not only the latest.
    whole = _member_listed_whole(family, request.args.get("member", type=int))
    form = AnalysisForm(data=None if request.method == "POST" else review.analysis)
    chosen = None
    if request.method == "POST":
        if not review.is_editable:
            flash(_not_editable(review), "error")
            return redirect(url_for("reviews.edit_review", review_id=review.id))
        # The boxes the page showed are as sent; those of the entries it left out stay as they were.
        before, ticked = services.chosen_keys(review), set(request.form.getlist("item"))
        voices = services.gather(family, review.period_start, review.period_end, latest=0, keep=before | ticked)
        chosen = services.chosen_after_save(before, ticked, voices, request.form.get("listed_entries"))
        if form.validate_on_submit():
            services.import_items(review, voices, chosen)
            review.analysis = form.analysis()
            review.updated_at = utcnow()
            audit.record("review_saved", family_id=family.id, target=f"review:{review.id}")
            # Translators: confirmation after a worker saves a review.
            flash(_("Review saved."), "success")
            show = request.form.get("show")
            if show is not None:
                # "Show all" (a member's id) or "Show only the latest": saved first, so nothing ticked is lost.
                whole = _member_listed_whole(family, int(show) if show.isascii() and show.isdigit() else None)
            anchor = f"voice-{show}" if show is not None and show.isascii() and show.isdigit() else None
            return redirect(url_for("reviews.edit_review", review_id=review.id, member=whole, _anchor=anchor))
    else:
        notifications.mark_read(current_user.id, review=review)
    audit.record("review_viewed", family_id=family.id, target=f"review:{review.id}")
    return _review_page(review, family, form, chosen, whole=whole), (400 if form.errors else 200)


def _member_listed_whole(family: Family, member_id: int | None) -> int | None:
    """The member whose every entry the page lists, if they are one of the family's voices."""
    if member_id is None:
        return None
    member = next((member for member in family.members if member.id == member_id), None)
    return member.id if member is not None and policy.counts_as_family(member) else None


def _not_editable(review: Review) -> str:
    if review.is_submitted:
        return _("This review is waiting for the manager's sign-off and can't be changed.")
    return _("This review is final and can't be changed.")


def _review_page(
    review: Review,
    family: Family,
    form: AnalysisForm,
    chosen: set[str] | None = None,
    submit_form: SubmitReviewForm | None = None,
    sign_off_form: SignOffForm | None = None,
    *,
    whole: int | None = None,
) -> str:
    may_decide = policy.is_team_manager_of(current_user, family)
    # What the worker ticked: as sent when a save is refused, else as stored.
    ticked: set[str] | Select[int] = chosen if chosen is not None else services.ticked_entries(review)
    voices = services.gather(
        family, review.period_start, review.period_end, latest=presenter.LATEST_ENTRIES, whole=whole, ticked=ticked
    )
    if chosen is None:
        # The boxes of the entries listed only: the others the review holds are counted by gather.
        chosen = services.chosen_keys(review, entries=[entry.id for voice in voices for entry in voice.entries])
    english = translated.entries_english(family.id, (entry.id for voice in voices for entry in voice.entries))
    comments = sharing.comments(review) if review.is_final else []
    return render_template(
        "reviews/edit_review.html",
        review=review,
        family=family,
        voices=presenter.present(voices, english, whole=whole),
        listed_entries=" ".join(str(entry.id) for voice in voices for entry in voice.entries),
        whole=whole,
        latest=presenter.LATEST_ENTRIES,
        form=form,
        chosen=chosen,
        confirm=ConfirmForm(),
        submit_form=submit_form or SubmitReviewForm(formdata=None),
        sign_off_form=sign_off_form or SignOffForm(formdata=None),
        may_decide=may_decide,
        oversight=record.oversight_blocks(review),
        refusal=policy.sign_off_refusal(current_user, review) if may_decide else None,
        share_state=sharing.state_of(review, sharing.share_of(review)),
        family_comments=comments,
        comments_english=translated.english_of(family.id, "review-comment", (c.id for c in comments)),
    )


@bp.route("/reviews/<int:review_id>/submit", methods=["POST"])
@staff_required
def submit(review_id: int) -> Any:
    """The worker sends the review to the team manager with a comment; it is not final until signed off."""
    review = policy.review_or_404(current_user, review_id)
    family = policy.family_or_404(current_user, review.family_id)
    if not policy.may_submit_review(current_user, review):
        abort(404)
    if not review.is_editable:
        flash(_not_editable(review), "error")
        return redirect(url_for("reviews.edit_review", review_id=review.id))
    if db_session().scalar(policy.sign_off_managers(family, current_user).limit(1)) is None:
        flash(_("Your team has no manager who can sign off this review. Please ask for one to be added."), "error")
        return redirect(url_for("reviews.edit_review", review_id=review.id))
    form = SubmitReviewForm()
    if form.validate_on_submit():
        sign_off.submit(review, current_user, form.comment.data or "")
        flash(_("Sent to the team manager for sign-off. You will be told when they have signed it off or returned it."), "success")
        return redirect(url_for("reviews.edit_review", review_id=review.id))
    return _review_page(review, family, AnalysisForm(formdata=None, data=review.analysis), submit_form=form), 400


@bp.route("/reviews/<int:review_id>/sign-off", methods=["POST"])
@staff_required
def decide(review_id: int) -> Any:
    """A manager of the family's team signs the review off (final) or returns it, with a comment either way."""
    review = policy.sign_off_review_or_404(current_user, review_id)
    refusal = policy.sign_off_refusal(current_user, review)
    if refusal is not None:
        flash(_refusal_message(refusal), "error")
        return redirect(url_for("reviews.edit_review", review_id=review.id))
    form = SignOffForm()
    if form.validate_on_submit():
        comment = form.comment.data or ""
        if form.sign_off.data:
            sign_off.sign_off(review, current_user, comment)
            flash(_("Signed off. The review is final: it can be exported but no longer changed."), "success")
            return redirect(url_for("reviews.edit_review", review_id=review.id))
        if form.send_back.data:
            sign_off.return_to_worker(review, current_user, comment)
            flash(_("Returned to the worker with your comment. They can change it and send it again."), "success")
            return redirect(url_for("reviews.edit_review", review_id=review.id))
        add_error(form.comment, _("Please choose to sign the review off or to return it."))
    family = policy.family_or_404(current_user, review.family_id)
    return _review_page(review, family, AnalysisForm(formdata=None, data=review.analysis), sign_off_form=form), 400


def _refusal_message(refusal: str) -> str:
    if refusal == "own_submission":
        return _("You sent this review for sign-off yourself. Another manager of the team has to sign it off.")
    return _("This review is not waiting for sign-off. Only a review the worker has sent can be signed off or returned.")


def _record(review: Review, export: str) -> record.Record:
    family = policy.family_or_404(current_user, review.family_id)
    built = record.build(review, family)
    # Written after the reading: on SQLite the first write holds the database's one write lock until the commit.
    audit.record("review_exported", family_id=family.id, target=f"review:{review.id}:{export}")
    return built



@bp.route("/reviews/<int:review_id>/print")
@staff_required
def print_review(review_id: int) -> str:
    review = policy.review_or_404(current_user, review_id)
    return render_template("reviews/print.html", record=_record(review, "print"), review=review)


@bp.route("/reviews/<int:review_id>/review.pdf")
@staff_required
def pdf(review_id: int) -> Response:
    review = policy.review_or_404(current_user, review_id)
    from webapp.reviews import exports  # the PDF and DOCX libraries load when a file is asked for, not at start

    return attachment(exports.pdf(_record(review, "pdf")), "application/pdf", f"review-{review.id}.pdf")


@bp.route("/reviews/<int:review_id>/review.docx")
@staff_required
def docx(review_id: int) -> Response:
    review = policy.review_or_404(current_user, review_id)
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    from webapp.reviews import exports

    return attachment(exports.docx(_record(review, "docx")), mimetype, f"review-{review.id}.docx")


@bp.route("/reviews/<int:review_id>/text")
@staff_required
def text_blocks(review_id: int) -> str:
    review = policy.review_or_404(current_user, review_id)
    blocks = record.as_text_blocks(_record(review, "text"))
    return render_template("reviews/text_blocks.html", review=review, blocks=blocks)


@bp.route("/families/<int:family_id>/worry-scores.csv")
@staff_required
def scores_csv(family_id: int) -> Response:
    """Every worry score of a family, for the distance-travelled tool."""
    family = policy.family_or_404(current_user, family_id)
    rows = db_session().execute(
        select(WorryScore, Worry)
        .join(Worry, Worry.id == WorryScore.worry_id)
        .where(Worry.family_id == family.id)
        .order_by(WorryScore.created_at, WorryScore.id)
    ).all()
    names = {m.id: m.display_name for m in family.members}
    out = io.StringIO()
    writer = csv.writer(out)
    # "done together with": the worker who sat with the member on the worker's device (webapp/together), if any.
    # "member" is whoever gave the score: a family member, or the worker, professional or network member the worker recorded.
    writer.writerow([
        "member", "worry", "score", "date", "done together with", "about", "scorer kind", "scorer role", "recorded by",
        "what makes it this number", "what would make it one point higher",
    ])
    for score, worry in rows:
        together = csv_safe(score.done_together_with.display_name) if score.done_together_with else ""
        scorer = names.get(score.member_id, "") if score.member_id is not None else score.scorer_name
        writer.writerow([
            csv_safe(scorer), csv_safe(worry.wording), score.score, worries.day_of(score).isoformat(), together,
            csv_safe(names.get(score.about_member_id, "") if score.about_member_id else ""), score.scorer_kind,
            csv_safe(score.scorer_role), csv_safe(score.recorded_by.display_name) if score.recorded_by else "",
            csv_safe(score.what_makes_it), csv_safe(score.one_point_higher),
        ])
    audit.record("scores_exported", family_id=family.id, target="csv")
    return attachment(out.getvalue().encode("utf-8-sig"), "text/csv", f"worry-scores-family-{family.id}.csv")



@bp.route("/members/<int:member_id>/meeting-sheet")
@staff_required
def meeting_sheet(member_id: int) -> str:
    member = policy.member_or_404(current_user, member_id)
    entry = services.latest_meeting_entry(member)
    audit.record("meeting_sheet_viewed", family_id=member.family_id, target=f"member:{member.id}")
    return render_template(
        "reviews/meeting_sheet.html",
        member=member,
        entry=entry,
        quote=services.entry_quote(entry) if entry else None,
        english=translated.entry_english(entry) if entry else None,
    )


@bp.route("/members/<int:member_id>/meeting-message", methods=["GET", "POST"])
@staff_required
def meeting_message(member_id: int) -> Any:
    member = policy.meeting_member_or_404(current_user, member_id)
    form = MeetingMessageForm()
    if form.validate_on_submit():
        client_id = form.client_id.data or None

        def write() -> MeetingMessage:
            message = MeetingMessage(member_id=member.id, body=form.body.data or "", created_by_id=current_user.id, client_id=client_id)
            db_session().add(message)
            audit.record("meeting_message_sent", family_id=member.family_id, target=f"member:{member.id}")
            return message

        # Sent again (a double click, a retry): the young person still gets one message, and the page is the same.
        once.save(lambda: once.first(MeetingMessage, MeetingMessage.created_by_id == current_user.id, client_id), write)
        flash(_("Sent. %(name)s will see it on their home page.", name=member.display_name), "success")
        return redirect(url_for("families.family", family_id=member.family_id))
    sent = db_session().scalars(
        select(MeetingMessage).where(MeetingMessage.member_id == member.id).order_by(MeetingMessage.created_at.desc())
    ).all()
    translations, reader = translated.for_family(member.family_id), [translated.reading_language(member)]
    statuses = {m.id: translations.status(translated.meeting_block(m.id), m.body, reader) for m in sent}
    return render_template(
        "reviews/meeting_message.html", member=member, form=form, sent=sent, message_statuses=statuses
    ), (400 if form.errors else 200)
