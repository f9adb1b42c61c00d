"""The picture-led way: big pictures, one question a screen, read aloud; and how pages look for a member."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp import policy
from webapp.auth.guards import member_required
from webapp.config import current_language
from webapp.db import db_session
from webapp.entries import kinds
from webapp.families.models import FamilyMember
from webapp.forms import choices
from webapp.picture import services
from webapp.picture.forms import FeelForm, LookForm, MeetingForm, TalkForm, WayForm, WorryScoreForm
from webapp.translations_content import services as translated

bp = Blueprint("picture", __name__, url_prefix="/my")

bp.add_app_template_global(policy.uses_pictures)


@bp.app_template_global()
def look_classes() -> str:
    """The classes on <html> for how a signed-in family member chose their pages to look."""
    if not (current_user.is_authenticated and current_user.is_family):
        return ""
    member = policy.own_member(current_user)
    if member is None:
        return ""
    return " ".join(name for name, chosen in (("bigger-text", member.bigger_text), ("calmer-colours", member.calmer_colours)) if chosen)


@bp.app_template_global()
def look_form() -> LookForm | None:
    """The "bigger text" and "calmer colours" choices for the settings page, as this member has them."""
    member = policy.own_member(current_user) if current_user.is_authenticated and current_user.is_family else None
    if member is None:
        return None
    return LookForm(data={"bigger_text": member.bigger_text, "calmer_colours": member.calmer_colours})


def _member() -> FamilyMember:
    member = policy.own_member(current_user)
    assert member is not None  # member_required has checked
    return member


def _sent(entry_id: int) -> Response:
    return redirect(url_for("entries.my_entry", entry_id=entry_id, sent=1))


def _kind_or_404(member: FamilyMember, key: str) -> kinds.EntryKind:
    kind = policy.entry_kind_for(member, key)
    if kind is None:
        abort(404)
    return kind


def _page(template: str, form: Any, **context: Any) -> tuple[str, int]:
    return render_template(template, form=form, **context), 400 if form.errors or form.form_errors else 200


@bp.route("/way", methods=["POST"])
@member_required
def switch_way() -> Response:
    member = _member()
    form = WayForm()
    if form.validate_on_submit():
        member.way_chosen = form.way.data
    return redirect(url_for("home.member_home"))


@bp.route("/look", methods=["POST"])
@member_required
def look() -> Response:
    member = _member()
    form = LookForm()
    if form.validate_on_submit():
        member.bigger_text = bool(form.bigger_text.data)
        member.calmer_colours = bool(form.calmer_colours.data)
        # Translators: confirmation after a form is saved.
        flash(_("Saved."), "success")
    return redirect(url_for("auth.settings"))


@bp.route("/pictures/feel", methods=["GET", "POST"])
@member_required
def feel() -> Any:
    member = _member()
    _kind_or_404(member, "plan_going")
    form = FeelForm()
    if form.validate_on_submit():
        answers = {"help_working": form.help_working.data} if form.help_working.data else {}
        entry, _created = services.send(
            member, "plan_going", answers, feeling=form.feeling.data or None, language=current_language(), client_id=form.client_id.data or None
        )
        return _sent(entry.id)
    return _page("picture/feel.html", form, feelings=kinds.FEELINGS)


@bp.route("/pictures/meeting", methods=["GET", "POST"])
@member_required
def meeting() -> Any:
    member = _member()
    _kind_or_404(member, "meeting")
    form = MeetingForm()
    people = services.helpers(member)
    form.who.choices = choices((person.key, person.name) for person in people)
    if form.validate_on_submit():
        answers = {}
        if form.attend.data:
            answers["attend"] = form.attend.data
        names = services.names_of(member, list(form.who.data or []))
        if names:
            answers["who_there"] = names
        entry, _created = services.send(member, "meeting", answers, feeling=None, language=current_language(), client_id=form.client_id.data or None)
        return _sent(entry.id)
    return _page("picture/meeting.html", form, people=people)


@bp.route("/pictures/talk", methods=["GET", "POST"])
@member_required
def talk() -> Any:
    member = _member()
    _kind_or_404(member, "talk")
    form = TalkForm()
    if form.validate_on_submit():
        answers = {"safe_now": form.safe_now.data} if form.safe_now.data else {}
        entry, _created = services.send(member, "talk", answers, feeling=None, language=current_language(), client_id=form.client_id.data or None)
        return _sent(entry.id)
    return _page("picture/talk.html", form)


@bp.route("/pictures/worries")
@member_required
def worries() -> str:
    member = _member()
    # One tile per worry and child: a worry about brothers and sisters is scored about each of them, one a screen.
    tiles = []
    worries = db_session().scalars(policy.member_worries(member)).all()
    for worry in worries:
        targets = policy.scoring_about(worry, member)
        tiles += [(worry, about if about is not None and about.id != member.id else None) for about in targets]
    # The worker's words in the child's language where they are translated, as on the usual pages.
    translations = translated.for_family(member.family_id)
    shown = {worry.id: translated.shown_worry(translations, worry, member) for worry in worries}
    return render_template("picture/worries.html", tiles=tiles, shown=shown)


@bp.route("/pictures/worries/<int:worry_id>", methods=["GET", "POST"])
@member_required
def score(worry_id: int) -> Any:
    member = _member()
    worry = policy.member_worry_or_404(current_user, worry_id)
    several = len(policy.scoring_about(worry, member)) > 1
    about_id = request.args.get("about", type=int)
    if several and about_id is None:
        return redirect(url_for("picture.worries"))
    about = policy.scoring_about_or_404(current_user, worry, member, about_id)
    form = WorryScoreForm()
    people = services.helpers(member)
    form.who.choices = choices((person.key, person.name) for person in people)
    if form.validate_on_submit():
        row, entry = services.score_worry(
            member, worry, form.score_value, list(form.who.data or []), current_language(), form.client_id.data or None,
            about_id=about.id if about else None,
        )
        if entry is not None:
            return _sent(entry.id)
        flash(_("Your score is saved. Thank you."), "success")
        return redirect(url_for("picture.worries"))
    shown = translated.shown_worry(translated.for_family(member.family_id), worry, member)
    return _page(
        "picture/score.html", form, worry=worry, shown=shown, people=people, about=about if about is not None and about.id != member.id else None
    )
