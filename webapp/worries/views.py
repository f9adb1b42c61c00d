"""The worry scale: members score their worries 0-10; workers add worries and see every score."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import audit, once, policy
from webapp.auth.guards import member_required, staff_required
from webapp.config import current_language
from webapp.db import db_session
from webapp.families.models import Family, FamilyMember
from webapp.forms import choices
from webapp.translations_content import services as translated
from webapp.worries import services
from webapp.worries.chart import score_chart
from webapp.worries.forms import DEFAULT_0, DEFAULT_10, OwnWorryForm, ScoreForm, StaffWorryForm
from webapp.worries.models import Worry, WorryMember, WorryScore

bp = Blueprint("worries", __name__)


def _chart(scores: list[WorryScore], label: str) -> Any:
    points = [(s.created_at, s.score) for s in scores]
    first = format_date(scores[0].created_at, "short") if scores else ""
    last = format_date(scores[-1].created_at, "short") if scores else ""
    return score_chart(points, label, first, last)


@bp.route("/my/worries")
@member_required
def my_worries() -> str:
    member = policy.own_member(current_user)
    assert member is not None
    worries = db_session().scalars(policy.member_worries(member)).all()
    latest = {}
    for worry in worries:
        scores = services.history(worry.id, member.id)
        latest[worry.id] = scores[-1] if scores else None
    return render_template("worries/my_worries.html", worries=worries, latest=latest, form=OwnWorryForm(), shown=_shown(member, worries))


def _shown(member: FamilyMember, worries: Any) -> dict[int, dict[str, Any]]:
    """Each worry's words as this member reads them: the worker's in the member's language where translated."""
    translations = translated.for_family(member.family_id)
    return {worry.id: translated.shown_worry(translations, worry, member) for worry in worries}


@bp.route("/my/worries/new", methods=["POST"])
@member_required
def add_own_worry() -> Any:
    member = policy.own_member(current_user)
    assert member is not None
    form = OwnWorryForm()
    if not form.validate_on_submit():
        worries = db_session().scalars(policy.member_worries(member)).all()
        latest = {w.id: next(reversed(services.history(w.id, member.id)), None) for w in worries}
        return render_template("worries/my_worries.html", worries=worries, latest=latest, form=form, shown=_shown(member, worries)), 400

    def write() -> Worry:
        worry = Worry(
            family_id=member.family_id,
            wording=form.wording.data or "",
            meaning_0=str(DEFAULT_0),
            meaning_10=str(DEFAULT_10),
            owner_member_id=member.id,
            created_by_id=current_user.id,
            client_id=form.client_id.data or None,
        )
        db_session().add(worry)
        return worry

    # Sent again (a double tap, a retry): the worry added the first time, and the same page.
    worry, _created = once.save(lambda: once.first(Worry, Worry.created_by_id == current_user.id, form.client_id.data or None), write)
    flash(_("Your worry is added. Now give it a score."), "success")
    return redirect(url_for("worries.score", worry_id=worry.id))


@bp.route("/my/worries/<int:worry_id>", methods=["GET", "POST"])
@member_required
def score(worry_id: int) -> Any:
    member = policy.own_member(current_user)
    assert member is not None
    worry = policy.member_worry_or_404(current_user, worry_id)
    form = ScoreForm()
    if form.validate_on_submit():
        row = services.record_score(
            member, worry, form.score_value, form.one_point_higher.data or "", current_language(), client_id=form.client_id.data or None
        )
        if row.entry_id:
            return redirect(url_for("entries.my_entry", entry_id=row.entry_id, sent=1))
        flash(_("Your score is saved. Thank you."), "success")
        return redirect(url_for("worries.score", worry_id=worry.id))
    scores = list(services.history(worry.id, member.id))
    status = 400 if form.errors else 200
    return render_template(
        "worries/score.html",
        worry=worry,
        shown=_shown(member, [worry])[worry.id],
        form=form,
        scores=scores,
        chart=_chart(scores, _("Your scores for this worry over time")),
    ), status


@bp.route("/staff/families/<int:family_id>/worries", methods=["GET", "POST"])
@staff_required
def family_worries(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    form = StaffWorryForm()
    form.members.choices = _scorer_choices(family)
    if form.validate_on_submit():
        worry = Worry(
            family_id=family.id,
            wording=form.wording.data or "",
            danger_statement=form.danger_statement.data or "",
            meaning_0=form.meaning_0.data or "",
            meaning_10=form.meaning_10.data or "",
            is_safety=bool(form.is_safety.data),
            created_by_id=current_user.id,
        )
        worry.applies_to = [WorryMember(member_id=member_id) for member_id in form.members.data or []]
        db_session().add(worry)
        audit.record("worry_added", family_id=family.id)
        flash(_("The worry is added. The people you chose can score it now."), "success")
        return redirect(url_for("worries.family_worries", family_id=family.id))
    if form.members.data is None:
        form.members.data = [m.id for m in policy.worry_scorers(family)]
    worries = db_session().scalars(
        select(Worry).where(Worry.family_id == family.id, Worry.archived_at.is_(None)).order_by(Worry.created_at, Worry.id)
    ).all()
    members = {m.id: m for m in family.members}
    grid = []
    for worry in worries:
        people = []
        for member_id in _scorers(worry, family.members):
            scores = list(services.history(worry.id, member_id))
            member = members[member_id]
            if not policy.shows_scores_of(member, has_scores=bool(scores)):
                continue  # restricted since being chosen: they cannot score it
            people.append((member, scores, _chart(scores, _("%(name)s's scores over time", name=member.display_name))))
        grid.append((worry, people))
    audit.record("worry_scores_viewed", family_id=family.id)
    return render_template("worries/family_worries.html", family=family, grid=grid, form=form), (400 if form.errors else 200)


@bp.route("/staff/worries/<int:worry_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_worry(worry_id: int) -> Any:
    worry = policy.staff_worry_or_404(current_user, worry_id)
    family = policy.family_or_404(current_user, worry.family_id)
    form = StaffWorryForm(obj=worry)
    form.members.choices = _scorer_choices(family)
    if not form.is_submitted():
        may_score = {m.id for m in policy.worry_scorers(family)}
        form.members.data = [link.member_id for link in worry.applies_to if link.member_id in may_score]
    if form.validate_on_submit():
        worry.wording = form.wording.data or ""
        worry.danger_statement = form.danger_statement.data or ""
        worry.meaning_0 = form.meaning_0.data or ""
        worry.meaning_10 = form.meaning_10.data or ""
        worry.is_safety = bool(form.is_safety.data)
        chosen = set(form.members.data or [])
        worry.applies_to = [link for link in worry.applies_to if link.member_id in chosen] + [
            WorryMember(member_id=member_id) for member_id in chosen - {link.member_id for link in worry.applies_to}
        ]
        audit.record("worry_changed", family_id=family.id, target=f"worry:{worry.id}")
        flash(_("The worry is saved. Scores already given are kept."), "success")
        return redirect(url_for("plans.edit_plan", family_id=family.id))
    blocks = translated.worry_blocks(family, worry, translated.for_family(family.id))
    page = render_template("worries/edit_worry.html", family=family, worry=worry, form=form, translation_blocks=blocks)
    return page, (400 if form.errors else 200)


def _scorer_choices(family: Family) -> list[tuple[int, str]]:
    return choices((m.id, m.display_name) for m in policy.worry_scorers(family))


def _scorers(worry: Worry, members: list[FamilyMember]) -> list[int]:
    if worry.owner_member_id:
        return [worry.owner_member_id]
    chosen = {link.member_id for link in worry.applies_to}
    return [m.id for m in members if m.id in chosen]


