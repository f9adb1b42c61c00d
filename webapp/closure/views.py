"""Closing a family: the request and its page, the manager's decision, the record's exports, and a family
member's "Saying goodbye" views and goodbye page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import audit, policy
from webapp.auth.guards import member_required, staff_required
from webapp.closure import record, services
from webapp.closure.forms import ClosureDecisionForm, ClosureRequestForm, GoodbyeForm
from webapp.closure.models import ClosureRequest, ViewsAnswer
from webapp.db import db_session
from webapp.families.models import Family
from webapp.notifications import services as notifications
from webapp.notifications.models import NotificationKind
from webapp.translations_content import services as translated

bp = Blueprint("closure", __name__)


@bp.app_template_global("closures_waiting")
def closures_waiting() -> list[tuple[ClosureRequest, Family]]:
    """For the manager's team view: the families whose closure waits for them."""
    waiting = db_session().scalars(policy.closures_waiting_for(current_user)).all()
    return [(closure, db_session().get_one(Family, closure.family_id)) for closure in waiting]


def _goodbye_english(history: list[ClosureRequest]) -> dict[str, Any]:
    """The family's goodbye views written in another language or already put into English, with the interpreter's
    English by their id: the worker adds or updates it beside them."""
    if not history:
        return {"goodbye_views": [], "goodbye_english": {}}
    english = translated.english_of(history[0].family_id, "goodbye", (v.id for c in history for v in c.views))
    views = [v for c in history for v in c.views if v.answer == ViewsAnswer.ANSWERED and (v.language != "en" or v.id in english)]
    return {"goodbye_views": views, "goodbye_english": english}


def _refusal_message(reason: str | None) -> str:
    if reason == "below_working_well":
        return _("Not every latest score is at 10 - Working Well, so please choose another reason for closing. Nothing was sent.")
    if reason == "own_request":
        return _("You asked to close this family, so another manager of the team decides. Nothing was changed.")
    return _("This request has already been decided. Nothing was changed.")


@bp.route("/staff/families/<int:family_id>/closure", methods=["GET", "POST"])
@staff_required
def closure(family_id: int) -> Any:
    family = policy.closure_family_or_404(current_user, family_id)
    waiting = services.pending(family)
    form = ClosureRequestForm()
    scores = services.latest_scores(family)
    status = 200
    if form.is_submitted():
        if not policy.may_request_closure(current_user, family):
            abort(404)
        if waiting is not None:
            flash(_("This family is already waiting for the manager's decision. Nothing was sent."), "error")
            return redirect(url_for("closure.closure", family_id=family.id))
        if form.validate():
            refusal = services.reason_refusal(scores, form.reason.data or "")
            if refusal is None:
                services.request(family, current_user, form.summary.data or "", form.reason.data or "")
                flash(_("Sent to the manager. The young people and parents are asked for their goodbye views."), "success")
                return redirect(url_for("closure.closure", family_id=family.id))
            form.reason.errors = [_refusal_message(refusal)]
        status = 400
    decision = None
    if waiting is not None and policy.is_team_manager_of(current_user, family) and policy.closure_refusal(current_user, waiting) is None:
        decision = ClosureDecisionForm()
    history = services.history(family)
    page = render_template(
        "closure/closure.html", family=family, waiting=waiting, form=form, scores=scores, decision=decision,
        may_request=policy.may_request_closure(current_user, family) and waiting is None,
        waiting_record=record.build(waiting, family) if waiting is not None else None, history=history, **_goodbye_english(history),
    )
    return page, status


@bp.route("/staff/closures/<int:closure_id>/decide", methods=["POST"])
@staff_required
def decide(closure_id: int) -> Any:
    closure = policy.decide_closure_or_404(current_user, closure_id)
    family = db_session().get_one(Family, closure.family_id)
    refusal = policy.closure_refusal(current_user, closure)
    if refusal is not None:
        return _refusal_message(refusal), 400
    form = ClosureDecisionForm()
    if not form.validate():
        waiting_record, history = record.build(closure, family), services.history(family)
        page = render_template(
            "closure/closure.html", family=family, waiting=closure, form=ClosureRequestForm(formdata=None),
            scores=services.latest_scores(family), decision=form, may_request=False, waiting_record=waiting_record,
            history=history, **_goodbye_english(history),
        )
        return page, 400
    approve = bool(form.approve.data)
    if approve and (refusal := services.reason_refusal(services.latest_scores(family), closure.reason)) is not None:
        return _refusal_message(refusal), 400
    services.decide(closure, family, current_user, approve=approve, comment=form.comment.data or "")
    if approve:
        flash(_("The family is closed. It has left the caseload. You can reopen it from its page."), "success")
    else:
        flash(_("The request is declined. The family stays open."), "success")
    return redirect(url_for("closure.closure", family_id=family.id))


def _record(closure_id: int, export: str) -> tuple[ClosureRequest, Any]:
    closure = policy.closure_or_404(current_user, closure_id)
    family = db_session().get_one(Family, closure.family_id)
    audit.record("closure_exported", family_id=family.id, target=f"closure:{closure.id}", details=export)
    return closure, record.build(closure, family)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/staff/closures/<int:closure_id>/print")
@staff_required
def print_closure(closure_id: int) -> str:
    closure, laid_out = _record(closure_id, "print")
    return render_template("closure/print.html", record=laid_out, closure=closure)


@bp.route("/staff/closures/<int:closure_id>/closure.pdf")
@staff_required
def pdf(closure_id: int) -> Response:
    closure, laid_out = _record(closure_id, "pdf")
    from webapp.reviews import exports  # the PDF and DOCX libraries load when a file is asked for, not at start

    return _download(exports.pdf(laid_out), "application/pdf", f"closure-{closure.id}.pdf")


@bp.route("/staff/closures/<int:closure_id>/closure.docx")
@staff_required
def docx(closure_id: int) -> Response:
    closure, laid_out = _record(closure_id, "docx")
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    from webapp.reviews import exports

    return _download(exports.docx(laid_out), mimetype, f"closure-{closure.id}.docx")


@bp.route("/my/goodbye", methods=["GET", "POST"])
@member_required
def goodbye() -> Any:
    """Before closing: the member's "Saying goodbye" form. Once closed: the family's goodbye page."""
    member = policy.own_member(current_user)
    assert member is not None
    if not policy.asked_for_goodbye_views(member):
        abort(404)
    views = services.views_for(member)
    if views is None:
        closed = services.approved(member.family)
        if closed is None:
            abort(404)
        notifications.mark_read(current_user.id, kind=NotificationKind.GOODBYE)
        return render_template("closure/goodbye.html", member=member, closed=closed,
                               help_number=current_app.config["LOCAL_HELP_NUMBER"], contact=current_app.config["SERVICE_CONTACT"])
    form = GoodbyeForm()
    if form.is_submitted():
        if form.validate():
            if form.no_answer.data:
                services.decline(views)
                flash(_("That's fine. Your worker knows you chose not to answer."), "success")
                return redirect(url_for("home.member_home"))
            if form.what_was_good.data or form.could_be_better.data or form.what_will_help.data:
                services.answer(views, good=form.what_was_good.data or "", better=form.could_be_better.data or "",
                                helps=form.what_will_help.data or "", language=member.preferred_language)
                flash(_("Thank you. Your worker will read what you said."), "success")
                return redirect(url_for("home.member_home"))
            form.what_was_good.errors = [_("Please write an answer, or choose \"I don't want to answer\". Nothing was sent.")]
        return render_template("closure/say_goodbye.html", member=member, form=form, views=views), 400
    return render_template("closure/say_goodbye.html", member=member, form=form, views=views)
