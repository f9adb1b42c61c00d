"""The worry scale: members score their worries 0-10; workers add worries and see every score."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import audit, once, policy
from webapp.auth.guards import member_required, staff_required
from webapp.clock import local_today
from webapp.config import current_language
from webapp.db import db_session
from webapp.families.models import Family, FamilyMember
from webapp.forms import choices
from webapp.translations_content import services as translated
from webapp.worries import services
from webapp.worries.chart import score_chart
from webapp.worries.forms import DEFAULT_0, DEFAULT_10, OwnWorryForm, RecordedScoreForm, ScoreForm, StaffWorryForm
from webapp.worries.models import ScorerKind, Worry, WorryMember, WorryScore

bp = Blueprint("worries", __name__)


def _chart(scores: list[WorryScore], label: str, baseline: WorryScore | None = None) -> Any:
    points = [(services.day_of(s), s.score) for s in scores]
    first = format_date(points[0][0], "short") if scores else ""
    last = format_date(points[-1][0], "short") if scores else ""
    return score_chart(points, label, first, last, baseline=scores.index(baseline) if baseline in scores else None)


def _member_cards(member: FamilyMember, worries: Any) -> list[tuple[Worry, FamilyMember | None, WorryScore | None]]:
    """One card per worry and child this member scores it about, with their last score about that child."""
    cards = []
    for worry in worries:
        targets = policy.scoring_about(worry, member)
        for about in targets:
            scores = services.history(worry.id, member.id, about.id if about else None)
            named = about is not None and (len(targets) > 1 or about.id != member.id)
            cards.append((worry, about if named else None, scores[-1] if scores else None))
    return cards


@bp.route("/my/worries")
@member_required
def my_worries() -> str:
    member = policy.own_member(current_user)
    assert member is not None
    worries = db_session().scalars(policy.member_worries(member)).all()
    form = OwnWorryForm()
    form.children.choices = _own_worry_children(member)
    return render_template("worries/my_worries.html", worries=worries, cards=_member_cards(member, worries), form=form, shown=_shown(member, worries))


def _own_worry_children(member: FamilyMember) -> list[Any]:
    """A parent or carer may say which children their own worry is about; a young person's is about themselves."""
    if member.is_young_person:
        return []
    return choices((m.id, m.display_name) for m in policy.own_worry_children_choices(member.family))


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
    form.children.choices = _own_worry_children(member)
    if not form.validate_on_submit():
        worries = db_session().scalars(policy.member_worries(member)).all()
        page = render_template("worries/my_worries.html", worries=worries, cards=_member_cards(member, worries), form=form, shown=_shown(member, worries))
        return page, 400

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
        services.set_concerned_children(worry, services.children_for_own_worry(member, form.children.data or []))
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
    targets = policy.scoring_about(worry, member)
    form = ScoreForm()
    several = len(targets) > 1
    if several:
        # One score about each child: the page asks which child this one is about.
        form.about.choices = choices((str(t.id), t.display_name) for t in targets if t is not None)
    about_id = request.args.get("about", type=int)
    if about_id is not None:
        policy.scoring_about_or_404(current_user, worry, member, about_id)  # a child this member does not score about: 404
    if not several:
        about_id = None
    if form.validate_on_submit():
        about = policy.scoring_about_or_404(current_user, worry, member, form.about_value)
        row = services.record_score(
            member, worry, form.score_value, form.one_point_higher.data or "", current_language(), client_id=form.client_id.data or None,
            about_id=about.id if about else None, what_makes_it=form.what_makes_it.data or "",
        )
        if row.entry_id:
            return redirect(url_for("entries.my_entry", entry_id=row.entry_id, sent=1))
        flash(_("Your score is saved. Thank you."), "success")
        return redirect(url_for("worries.score", worry_id=worry.id, about=about.id if several and about else None))
    if several and not form.is_submitted() and about_id is not None:
        form.about.data = str(about_id)
    histories = []
    start = services.plan_start(worry.family_id)
    for about in targets:
        if several and about_id is not None and (about is None or about.id != about_id):
            continue
        scores = list(services.history(worry.id, member.id, about.id if about else None))
        baseline = services.baseline_of(scores, start) if scores else None
        label = _("Your scores about %(name)s over time", name=about.display_name) if several and about else _("Your scores for this worry over time")
        histories.append((about if several else None, scores, baseline, _chart(scores, label, baseline)))
    return render_template(
        "worries/score.html", worry=worry, shown=_shown(member, [worry])[worry.id], form=form, histories=histories,
        about=next((t for t in targets if t is not None and t.id == about_id), None),
    ), (400 if form.errors else 200)


@bp.route("/staff/families/<int:family_id>/worries", methods=["GET", "POST"])
@staff_required
def family_worries(family_id: int) -> Any:
    family = policy.family_or_404(current_user, family_id)
    form = StaffWorryForm()
    form.members.choices = _scorer_choices(family)
    form.children.choices = _children_choices(family)
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
        services.set_concerned_children(worry, _children_chosen(family, form))
        db_session().add(worry)
        audit.record("worry_added", family_id=family.id)
        flash(_("The worry is added. The people you chose can score it now."), "success")
        return redirect(url_for("worries.family_worries", family_id=family.id))
    if form.members.data is None:
        form.members.data = [m.id for m in policy.worry_scorers(family)]
    if form.children.data is None:
        form.children.data = [m.id for m in policy.worry_children_choices(family)]
    worries = db_session().scalars(
        select(Worry).where(Worry.family_id == family.id, Worry.archived_at.is_(None)).order_by(Worry.created_at, Worry.id)
    ).all()
    grid = [(worry, _worry_groups(worry, family)) for worry in worries]
    score_ids = [s.id for _worry, groups in grid for _about, people in groups for _n, _w, series, _c in people if series for s in series.scores]
    score_english = translated.english_of(family.id, "worry-score", score_ids)
    audit.record("worry_scores_viewed", family_id=family.id)
    page = render_template("worries/family_worries.html", family=family, grid=grid, form=form, score_english=score_english)
    return page, (400 if form.errors else 200)


def _worry_groups(worry: Worry, family: Family) -> list[tuple[FamilyMember | None, list[tuple[str, str, Any, Any]]]]:
    """Per child the worry is about: each person's scores about them (name, who they are, series or None, chart)."""
    members = {m.id: m for m in family.members}
    series = services.worry_series(worry)
    groups = []
    abouts = policy.scoring_about(worry, None)
    # Scores about a child the worry no longer names are kept and shown too.
    abouts += [one.about for one in series if one.about not in abouts and not (one.about is None and abouts == [None])]
    for about in dict.fromkeys(abouts):
        about_id = about.id if about else None
        scored: list[tuple[str, str, Any, Any]] = []
        waiting: list[tuple[str, str, Any, Any]] = []
        for one in series:
            if one.about_id != about_id:
                continue
            if one.member_id is not None and not policy.shows_scores_of(members[one.member_id], has_scores=True):
                continue
            label = (
                _("%(name)s's scores about %(child)s over time", name=one.scorer, child=about.display_name) if about
                else _("%(name)s's scores over time", name=one.scorer)
            )
            who = services.who_scored_series(one)
            scored.append((one.scorer, who, one, _chart(one.scores, label, one.baseline)))
        given = {one.member_id for one in series if one.about_id == about_id and one.member_id is not None}
        for member_id in _scorers(worry, family.members):
            member = members[member_id]
            if member_id in given or about not in policy.scoring_about(worry, member):
                continue
            if policy.shows_scores_of(member, has_scores=False):
                waiting.append((member.display_name, services.who_scored(member.role), None, None))
        people = scored + waiting
        groups.append((about, people))
    return groups


@bp.route("/staff/worries/<int:worry_id>/scores/new", methods=["GET", "POST"])
@staff_required
def record_score(worry_id: int) -> Any:
    """The worker records their own score, or one a professional or network member gave them, about one child."""
    worry = policy.staff_worry_or_404(current_user, worry_id)
    family = policy.family_or_404(current_user, worry.family_id)
    form = RecordedScoreForm()
    targets = policy.scoring_about(worry, None)
    # Translators: a worry score about nobody in particular (a family with no children named on the worry).
    form.about.choices = choices((t.id if t else 0, t.display_name if t else _("The whole family")) for t in targets)
    if form.validate_on_submit():
        about = policy.scoring_about_or_404(current_user, worry, None, form.about.data or None)
        assert form.given_on.data is not None
        services.record_for_someone(
            worry, current_user, kind=ScorerKind(form.kind.data), about_id=about.id if about else None, score=form.score_value,
            name=form.name.data or "", role=form.role.data or "", given_on=form.given_on.data,
            what_makes_it=form.what_makes_it.data or "", one_point_higher=form.one_point_higher.data or "",
            client_id=form.client_id.data or None,
        )
        audit.record("worry_score_recorded", family_id=family.id, target=f"worry:{worry.id}")
        flash(_("The score is saved."), "success")
        return redirect(url_for("worries.family_worries", family_id=family.id) + f"#worry-{worry.id}")
    if not form.is_submitted():
        form.given_on.data = local_today()
    return render_template("worries/record_score.html", family=family, worry=worry, form=form), (400 if form.errors else 200)


@bp.route("/staff/worries/<int:worry_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_worry(worry_id: int) -> Any:
    worry = policy.staff_worry_or_404(current_user, worry_id)
    family = policy.family_or_404(current_user, worry.family_id)
    form = StaffWorryForm(obj=worry)
    form.members.choices = _scorer_choices(family)
    form.children.choices = _children_choices(family)
    if not form.is_submitted():
        may_score = {m.id for m in policy.worry_scorers(family)}
        form.members.data = [link.member_id for link in worry.applies_to if link.member_id in may_score]
        form.children.data = [link.member_id for link in worry.concerns]
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
        if worry.owner_member_id is None:
            services.set_concerned_children(worry, _children_chosen(family, form))
        audit.record("worry_changed", family_id=family.id, target=f"worry:{worry.id}")
        flash(_("The worry is saved. Scores already given are kept."), "success")
        return redirect(url_for("plans.edit_plan", family_id=family.id))
    blocks = translated.worry_blocks(family, worry, translated.for_family(family.id))
    page = render_template("worries/edit_worry.html", family=family, worry=worry, form=form, translation_blocks=blocks)
    return page, (400 if form.errors else 200)


def _scorer_choices(family: Family) -> list[tuple[int, str]]:
    return choices((m.id, m.display_name) for m in policy.worry_scorers(family))


def _children_choices(family: Family) -> list[tuple[int, str]]:
    return choices((m.id, m.display_name) for m in policy.worry_children_choices(family))


def _children_chosen(family: Family, form: StaffWorryForm) -> list[int]:
    """The children ticked; none ticked: the young people among those who score it."""
    chosen = list(form.children.data or [])
    if chosen:
        return chosen
    young = {m.id for m in policy.worry_children_choices(family)}
    return [member_id for member_id in form.members.data or [] if member_id in young]


def _scorers(worry: Worry, members: list[FamilyMember]) -> list[int]:
    if worry.owner_member_id:
        return [worry.owner_member_id]
    chosen = {link.member_id for link in worry.applies_to}
    return [m.id for m in members if m.id in chosen]


