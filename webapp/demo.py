"""Demo data: one team, a manager, a worker and one family, for trying Family Voice out.

The family shows a newcomer every feature: a published plan in a young person's and a parent's
version, a safety plan for each young person, an assessment shared with the parent (who has
commented), worry scores over several weeks, entries with a reply, and a finished review.
A feature added later gets its demo here too (tests/test_cli_commands.py checks each is seen).
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select, update

from webapp.assessments.models import Assessment, AssessmentComment, AssessmentSection, AssessmentShare
from webapp.auth import totp
from webapp.auth.models import Role, User
from webapp.auth.passwords import hash_password
from webapp.clock import local_day
from webapp.closure import services as closure
from webapp.closure.records import NEEDS_MET
from webapp.contacts.models import Contact, ContactKind
from webapp.contacts.records import VisitNotes
from webapp.db import db_session, utcnow
from webapp.entries import kinds
from webapp.entries.models import Entry, EntryReply
from webapp.families import services as family_services
from webapp.families.models import ConsentRecord, Family, FamilyMember, MemberRole
from webapp.notifications.models import Notification, NotificationKind
from webapp.photos import services as photos
from webapp.photos.processing import process, process_drawing
from webapp.plans import family_safety_services as family_safety
from webapp.plans import services as plans
from webapp.plans.family_safety import FamilyRule, FamilySafetyPlanContent, NetworkPerson, SafetyTask, TimelineStep
from webapp.plans.models import PUBLISHED, PlanVersion, SafetyPlanAgreement
from webapp.plans.records import (
    DangerGoal,
    Mapping,
    NewAction,
    PictureRef,
    PlanContent,
    PlanSection,
    ProgressUpdate,
    SafetyRows,
    new_id,
)
from webapp.reviews import services as reviews
from webapp.reviews import sharing, sign_off
from webapp.reviews.models import DRAFT, Review, ReviewComment
from webapp.safeguarding import services as safeguarding
from webapp.safeguarding.models import SafeguardingDecision
from webapp.staff.models import Team
from webapp.translations_content import rules
from webapp.translations_content import services as translated
from webapp.translations_content.models import TextTranslation
from webapp.workdays import add_working_days
from webapp.worries.models import ScorerKind, Worry, WorryChild, WorryMember, WorryScore

TEAM = "Demo team"
STAFF = [
    ("manager@demo.familyvoice.test", "Maya Manager", Role.MANAGER, "demo-manager-pass"),
    ("worker@demo.familyvoice.test", "Will Worker", Role.WORKER, "demo-worker-pass"),
]
MEMBERS = [
    # username, display name, role, age band, language, password
    # Pat reads Polish: the plan's parent version, the actions and worries are translated for Pat.
    ("demo.parent", "Pat", Role.PARENT, "adult", "pl", "demo-parent-pass"),
    ("demo.sam", "Sam", Role.YOUNG_PERSON, "14-15", "en", "demo-sam-pass"),
    ("demo.alex", "Alex", Role.YOUNG_PERSON, "8-10", "en", "demo-alex-pass"),
    # Oksana (Alex's step-mum) reads Ukrainian: the plan's parent version is translated for her.
    ("demo.oksana", "Oksana", Role.PARENT, "adult", "uk", "demo-oksana-pass"),
    # Nani (Pat's mother, who helps care for the children) is in the family's safety network and reads Urdu:
    # she sees only the safety plan's parts and the plan's action that name her, and has agreed to the plan.
    ("demo.nani", "Nani", Role.NETWORK, "adult", "ur", "demo-nani-pass"),
]
# A 6-year-old who uses the picture-led way (by age), added after the others.
PICTURE_MEMBERS = [
    ("demo.mia", "Mia", Role.YOUNG_PERSON, "5-7", "en", "demo-mia-pass"),
]


def load() -> bool:
    """Create the demo data unless it is there already. True if it was created now."""
    db = db_session()
    if db.scalar(select(Team).where(Team.name == TEAM)):
        return False
    team = Team(name=TEAM)
    db.add(team)
    now = utcnow()
    staff = {}
    for email, name, role, password in STAFF:
        user = User(
            role=role, display_name=name, email=email, password_hash=hash_password(password),
            team=team, totp_secret=totp.new_secret(), totp_confirmed_at=now, is_demo=True,
        )
        db.add(user)
        staff[role] = user
    db.flush()
    # The family has been known for two months, so the demo scores and entries fall in its first review.
    family = _family(name="The Demo family", reference="DEMO-1", team=team, lead_worker=staff[Role.WORKER], created_at=now - timedelta(weeks=8))
    members = []
    for username, name, role, band, language, password in MEMBERS:
        user = User(role=role, display_name=name, username=username, password_hash=hash_password(password), locale=language, is_demo=True)
        member = FamilyMember(
            family=family, user=user, display_name=name, role=role, age_band=band,
            preferred_language=language, activated_at=now,
        )
        db.add(member)
        db.flush()
        db.add(ConsentRecord(member_id=member.id, agreed=True, notice_version="demo", locale=language))
        members.append(member)
    _demo_story(family, members[:3], staff[Role.WORKER])
    _demo_statements(family, members[:3], staff[Role.WORKER], staff[Role.MANAGER])
    _demo_plans(family, members[:3], staff[Role.WORKER], nani=members[4])
    _demo_translations(family, members[0], staff[Role.WORKER])
    _demo_family_safety_plan(family, members[0], staff[Role.WORKER], nani=members[4])
    _demo_network(family, members[4])
    _demo_assessment(family, members[0], staff[Role.WORKER])
    _demo_review(family, staff[Role.WORKER], staff[Role.MANAGER])
    _demo_reviews_on_time(team, staff[Role.WORKER], staff[Role.MANAGER])
    _demo_review_shared(family, members[0], members[1], staff[Role.WORKER])
    _demo_picture_child(family, staff[Role.WORKER])
    _demo_drawings(members, staff[Role.WORKER])
    _demo_contacts(family, team, staff[Role.WORKER])
    _demo_closure(team, staff[Role.WORKER])
    db.commit()
    return True


def _family(**values: Any) -> Family:
    """A demo family, with its lead worker on its staff as the app would have it."""
    family = Family(**values)
    db_session().add(family)
    db_session().flush()
    family_services.refresh_staff(family)
    return family


def _demo_picture_child(family: Family, worker: User) -> None:
    """Mia, 6, with the picture-led home: a worry with child-sized words, a safety plan, a feeling sent with pictures."""
    db = db_session()
    now = utcnow()
    username, name, role, band, language, password = PICTURE_MEMBERS[0]
    user = User(role=role, display_name=name, username=username, password_hash=hash_password(password), locale=language, is_demo=True)
    mia = FamilyMember(family=family, user=user, display_name=name, role=role, age_band=band, preferred_language=language, activated_at=now)
    db.add(mia)
    db.flush()
    db.add(ConsentRecord(member_id=mia.id, agreed=True, notice_version="demo", locale=language))
    loud = Worry(
        family_id=family.id, wording="Loud voices at home", meaning_0="It is very scary", meaning_10="Home feels calm",
        created_by_id=worker.id, applies_to=[WorryMember(member_id=mia.id)], concerns=[WorryChild(member_id=mia.id)],
    )
    db.add(loud)
    db.flush()
    db.add(WorryScore(worry_id=loud.id, member_id=mia.id, about_member_id=mia.id, score=4, way="picture", created_at=now - timedelta(weeks=1)))
    db.add(Entry(
        member_id=mia.id, family_id=family.id, kind="plan_going", language="en", feeling="happy", way="picture",
        answers={"help_working": "a_bit"}, created_at=now - timedelta(days=1), reply_due=now.date() + timedelta(days=2),
    ))
    rows = SafetyRows(
        safe_people=[("", "Gran", "07700 900123"), ("", "Will, your worker", "01632 960111")],
        rules=[("", "When grown-ups shout", "Mia goes to her room and cuddles Biscuit")],
        safe_places=[("", "My room with Biscuit")],
    )
    plans.publish_safety_plan(plans.save_safety_plan(mia, worker.id, rows, offline_allowed=False), worker.id)


def _demo_story(family: Family, members: list[FamilyMember], worker: User) -> None:
    """A few worries, scores and entries so the demo pages are not empty."""
    db = db_session()
    parent, sam, alex = members
    now = utcnow()
    arguments = Worry(
        family_id=family.id,
        wording="There is shouting at home when grown-ups argue",
        meaning_0="I am really worried about this",
        meaning_10="This is working well, no worries",
        is_safety=True,
        created_by_id=worker.id,
        applies_to=[WorryMember(member_id=m.id) for m in members],
        concerns=[WorryChild(member_id=sam.id), WorryChild(member_id=alex.id)],
    )
    school = Worry(
        family_id=family.id,
        wording="Getting to school on time every day",
        meaning_0="I am really worried about this",
        meaning_10="This is working well, no worries",
        created_by_id=worker.id,
        applies_to=[WorryMember(member_id=m.id) for m in (parent, sam)],
        concerns=[WorryChild(member_id=sam.id)],
    )
    db.add_all([arguments, school])
    db.flush()
    # Scaling as the template asks, over several weeks since the plan started (8 weeks ago): the parent about Sam and
    # about Alex, each young person about themselves, the worker, and Gran's scores the worker wrote down after calling her.
    weeks = (9, 6, 4, 2, 0)
    series = {
        (parent, sam): (2, 3, 4, 6, 7), (parent, alex): (3, 4, 5, 5, 6),
        (sam, sam): (2, 2, 4, 5, 7), (alex, alex): (3, 4, 5, 5, 6),
    }
    for (member, about), scores in series.items():
        for weeks_ago, score in zip(weeks, scores, strict=True):
            db.add(WorryScore(
                worry_id=arguments.id, member_id=member.id, about_member_id=about.id, score=score, created_at=now - timedelta(weeks=weeks_ago),
                what_makes_it="Fewer rows since we agreed to talk in the kitchen" if weeks_ago == 0 and member is parent else "",
            ))
    recorded = {
        (ScorerKind.WORKER, worker.display_name, "Lead practitioner", sam): (2, 3, 3, 5, 6),
        (ScorerKind.WORKER, worker.display_name, "Lead practitioner", alex): (3, 3, 4, 5, 6),
        (ScorerKind.NETWORK, "Gran (Pat Jones)", "Grandmother", sam): (3, 3, 5, 6, 7),
        (ScorerKind.NETWORK, "Gran (Pat Jones)", "Grandmother", alex): (3, 4, 5, 6, 6),
    }
    for (kind, name, role, about), scores in recorded.items():
        for weeks_ago, score in zip(weeks, scores, strict=True):
            when = now - timedelta(weeks=weeks_ago)
            db.add(WorryScore(
                worry_id=arguments.id, member_id=None, about_member_id=about.id, score=score, scorer_kind=kind, scorer_name=name,
                scorer_role=role, recorded_by_id=worker.id, given_on=when.date(), created_at=when,
                what_makes_it="She sees the boys every Saturday and they are calmer" if kind == ScorerKind.NETWORK and weeks_ago == 0 else "",
                one_point_higher="Both parents use the plan's time-out every time" if kind == ScorerKind.WORKER and weeks_ago == 0 else "",
            ))
    for weeks_ago, score in zip(weeks, (3, 3, 5, 6, 8), strict=True):
        db.add(WorryScore(worry_id=school.id, member_id=sam.id, about_member_id=sam.id, score=score, created_at=now - timedelta(weeks=weeks_ago)))
    good_news = Entry(
        member_id=sam.id, family_id=family.id, kind="good_news", language="en", feeling="happy",
        answers={"what_happened": "I got into the football team!", "who_with": "My friend Jo"},
        created_at=now - timedelta(days=3), reply_due=(now - timedelta(days=3)).date() + timedelta(days=3),
        read_at=now - timedelta(days=2), read_by_id=worker.id,
    )
    db.add(good_news)
    db.flush()
    db.add(EntryReply(entry_id=good_news.id, author_id=worker.id, body="That is brilliant news, Sam. Well done!"))
    five_weeks_ago = now - timedelta(weeks=5)
    db.add(Entry(
        member_id=sam.id, family_id=family.id, kind="meeting", language="en", feeling="worried",
        answers={
            "meeting_type": "review", "going_well": "Football, and Mum is calmer", "worried_about": "The shouting at night",
            "want_to_happen": "Everyone to talk instead of shouting", "who_there": "Mum, Gran and Will", "attend": "worker_speaks",
        },
        created_at=five_weeks_ago, reply_due=five_weeks_ago.date() + timedelta(days=3), read_at=five_weeks_ago + timedelta(hours=3), read_by_id=worker.id,
    ))
    # Sam sent good news most days in the weeks the demo review covers: more than the review page lists at
    # first, so it shows each member's latest entries and counts the older ones the review holds.
    for day, news in enumerate(SAM_GOOD_NEWS * 2):
        sent = now - timedelta(weeks=8) + timedelta(days=day + 1, hours=16)
        db.add(Entry(
            member_id=sam.id, family_id=family.id, kind="good_news", language="en", feeling="happy", answers={"what_happened": news},
            created_at=sent, reply_due=sent.date() + timedelta(days=3), read_at=sent + timedelta(hours=20), read_by_id=worker.id,
        ))
    db.add(Entry(
        member_id=parent.id, family_id=family.id, kind="parent_views", language="pl", feeling="ok",
        answers={"going_well": "Dzieci chodzą do szkoły", "worried_about": "Pieniądze i kłótnie", "what_would_help": "Pomoc z rachunkami"},
        created_at=five_weeks_ago + timedelta(days=1), reply_due=five_weeks_ago.date() + timedelta(days=4), read_at=five_weeks_ago + timedelta(days=2), read_by_id=worker.id,
    ))
    db.add(Entry(
        member_id=alex.id, family_id=family.id, kind="three_houses", language="en", feeling="ok",
        answers={"house_of_worries": "When mum and dad shout", "house_of_good_things": "My cat Biscuit", "house_of_dreams": "Going to the seaside"},
        created_at=now - timedelta(days=1), reply_due=now.date() + timedelta(days=2),
    ))


# Sam's good news in the weeks of the demo review (each sent twice over those weeks).
SAM_GOOD_NEWS = (
    "Scored a goal at football", "Got a sticker for reading", "Made pancakes with Mum", "Jo came round to play",
    "Finished my science project", "Walked the dog with Gran", "Nobody shouted at tea time", "Got to school early",
    "Drew a picture of Biscuit", "Went swimming with school", "Mum came to watch football",
)


def _demo_statements(family: Family, members: list[FamilyMember], worker: User, manager: User) -> None:
    """One statement of each kind: Sam's "My life", Sam upset and not safe (urgent, answered, its
    safeguarding decision on record), Pat asking for an advocate, waiting for the worker and the
    manager, and Alex asking to talk: escalated, and still without a decision after 24 hours."""
    db = db_session()
    parent, sam, _alex = members
    now = utcnow()
    ten_days_ago = now - timedelta(days=10)
    db.add(Entry(
        member_id=sam.id, family_id=family.id, kind=kinds.MY_LIFE, language="en", feeling="ok",
        answers={
            "home": "Calmer since Mum started the group", "school": "Maths is hard but I like PE",
            "friends": "Jo and Priya", "health": "Sleeping better", "enjoy": "Football and drawing",
        },
        created_at=now - timedelta(days=6), reply_due=add_working_days(local_day(now - timedelta(days=6)), 3),
        read_at=now - timedelta(days=5), read_by_id=worker.id,
    ))
    upset = Entry(
        member_id=sam.id, family_id=family.id, kind=kinds.SOMETHING_HAPPENED, language="en", feeling="scared",
        answers={"what_happened": "Shouting woke me up and a door got broken", "where": "At home", "who": "Mum and her friend", "safe_now": "no"},
        urgent=True, created_at=ten_days_ago, reply_due=add_working_days(local_day(ten_days_ago), 3),
        read_at=ten_days_ago + timedelta(minutes=20), read_by_id=worker.id,
        acknowledged_at=ten_days_ago + timedelta(minutes=20), acknowledged_by_id=worker.id,
    )
    db.add(upset)
    db.flush()
    db.add(EntryReply(
        entry_id=upset.id, author_id=worker.id, created_at=ten_days_ago + timedelta(minutes=40),
        body="Thank you for telling me, Sam. I called you and Gran straight away. I will see you at school tomorrow.",
    ))
    db.add(SafeguardingDecision(
        entry_id=upset.id, actions=[safeguarding.CALLED, safeguarding.DISCUSSED, safeguarding.REFERRED],
        referral_reference="MASH-2026-1187", decided_by_id=worker.id, decided_at=ten_days_ago + timedelta(minutes=35),
        notes="Called Sam and Gran; Sam stayed at Gran's. Talked it through with the manager and referred to the front door.",
    ))
    # Alex asked to talk yesterday morning: escalated to the manager, and with no decision after 24 hours.
    yesterday = now - timedelta(hours=30)
    db.add(Entry(
        member_id=_alex.id, family_id=family.id, kind="talk", language="en", feeling="sad",
        answers={"about": "I don't want to go home after school", "safe_now": "not_sure"}, urgent=True, created_at=yesterday,
        reply_due=add_working_days(local_day(yesterday), 3), escalated_at=yesterday + timedelta(hours=4),
    ))
    two_days_ago = now - timedelta(days=2)
    complaint = Entry(
        member_id=parent.id, family_id=family.id, kind=kinds.COMPLAINT, language="en",
        answers={"wants": "advocate", "about": "I don't understand what the plan wants me to do", "about_worker": "no", "put_right": "Someone to come to the meeting with me"},
        created_at=two_days_ago, reply_due=add_working_days(local_day(two_days_ago), int(current_app.config["COMPLAINT_WORKING_DAYS"])),
    )
    db.add(complaint)
    db.flush()
    for user in (worker, manager):
        db.add(Notification(user_id=user.id, kind=NotificationKind.COMPLAINT, entry_id=complaint.id, created_at=two_days_ago))


def _demo_plans(family: Family, members: list[FamilyMember], worker: User, *, nani: FamilyMember) -> None:
    """The family plan, published with a young person's and a parent's version, and each young person's safety plan;
    one action names Nani, a network member, who reads that one on her home page."""
    _parent, sam, alex = members
    now = utcnow()
    plan = plans.draft(family, worker.id)
    sections = {
        "worried_about": (
            "Sometimes grown-ups shout at home. Shouting can make you feel scared.",
            "Arguments at home get loud, and the children hear them. Sam and Alex say it frightens them.",
        ),
        "working_well": (
            "You get to school most days. You have Jo, your cat Biscuit and your football team.",
            "The children get to school most days. Pat asks for help when things get hard.",
        ),
        "needs_to_happen": (
            "Grown-ups talk calmly at home, even when they disagree.",
            "Disagreements are talked through calmly, away from the children, for the next three months.",
        ),
        "bottom_lines": (
            "Nobody hurts anybody at home.",
            "No physical fighting at home, ever. If it happens, the plan is looked at again straight away.",
        ),
        "contingency": (
            "If shouting starts, you can go to your room or to Gran's and call the people on your safety plan.",
            "If an argument starts, one adult leaves the room for a while. Pat calls Will if it happens again.",
        ),
    }
    content = PlanContent.from_json(plan.content)
    content.sections = {key: PlanSection(young_person=young, parent=adult) for key, (young, adult) in sections.items()}
    groups = plans.add_action(content, NewAction(
        what="Pat goes to the Calmer Homes parenting group every Tuesday",
        what_young_person="Mum goes to a group that helps grown-ups stay calm",
        who="Pat",
        by_when=local_day(now + timedelta(weeks=6)),
    ))
    groups.progress.append(ProgressUpdate(id=new_id(content.ids()), day=local_day(now - timedelta(weeks=2)), text="Pat has been to two sessions."))
    plans.add_action(content, NewAction(
        what="Will meets Sam and Alex at school every two weeks",
        what_young_person="Will comes to see you at school every two weeks",
        who="Will Worker",
        by_when=local_day(now + timedelta(weeks=8)),
    ))
    plans.add_action(content, NewAction(
        what=NANI_ACTION,
        what_young_person="Nani looks after you after school on Tuesdays",
        who="Nani",
        by_when=local_day(now + timedelta(weeks=8)),
        people=[nani.id],
    ))
    content.next_review = local_day(now + timedelta(weeks=4))
    content.next_taf = local_day(now + timedelta(weeks=2))
    content.mapping = Mapping(
        past_harm="Police were called twice in the autumn after arguments at night; a door was broken. Sam told us the shouting wakes him.",
        complicating_factors="Money worries and Pat's low mood; arguments start late at night when everyone is tired.",
        existing_strengths="Pat asks for help when things get hard. Gran lives nearby. Sam and Alex get to school most days.",
        existing_safety="Sam and Alex go to Gran's when arguments start, and Sam knows how to call Will or 999.",
        next_steps="Calmer Homes parenting group for Pat; family network meeting with Gran; Will sees the children at school every two weeks.",
        genogram_date=local_day(now - timedelta(weeks=9)),
        present=["Pat (mum)", "Gran (network)", "Will Worker (early help worker)"],
        absent=["Sam and Alex (seen at school the day before)"],
    )
    pairs = (
        ("Sam and Alex could be hurt or badly frightened if arguments at night turn physical, as when the door was broken.",
         "We are worried you could get hurt or very scared if grown-ups fight at night.",
         "We are worried Sam and Alex could be hurt or frightened if arguments at night turn physical.",
         "For three months, disagreements are talked through calmly and away from the children, with no physical fighting.",
         "Grown-ups talk calmly, even when they disagree, and nobody gets hurt.",
         "Disagreements are talked through calmly, away from the children, with no fighting, for three months."),
        ("Sam and Alex could lose sleep and fall behind at school if the shouting at night goes on.",
         "We are worried shouting at night stops you sleeping and makes school hard.",
         "We are worried the children are losing sleep and will fall behind at school.",
         "The children sleep through the night and get to school on time every day.",
         "You sleep well and get to school on time.",
         "The children sleep through and get to school on time every day."),
    )
    for danger, danger_young, danger_adult, goal, goal_young, goal_adult in pairs:
        content.pairs.append(DangerGoal(new_id(content.ids()), danger, goal, danger_young, danger_adult, goal_young, goal_adult))
    # Sam's football news and what he said for the meeting (not his everyday good news).
    sams = [
        entry.id
        for entry in db_session().scalars(
            select(Entry).where(Entry.member_id == sam.id, Entry.kind.in_(("good_news", "meeting"))).order_by(Entry.created_at)
        )
        if entry.answers.get("what_happened") not in SAM_GOOD_NEWS
    ]
    plans.change_voice(content, family, [], [], sams)
    # Sam's football news may be read by the family; what he said for the meeting stays between him and his worker.
    plans.change_voice(content, family, [], [q.id for q in content.voice if "football team" in q.words], [])
    _words_and_pictures(content, family, worker)
    plans.save_draft(plan, content)
    plans.publish(plan, worker.id)
    plan.published_at = now - timedelta(weeks=8)
    for member, places in ((sam, ["My room", "Football practice"]), (alex, ["Gran's house", "My room with Biscuit"])):
        rows = SafetyRows(
            safe_people=[
                ("", "Gran", "07700 900123, or knock next door"),
                ("", "Will, your worker", "01632 960111 (weekdays, 9 to 5)"),
                ("", "Mrs Khan at school", "Her office is by the library"),
            ],
            rules=[
                ("", "When grown-ups start shouting", f"{member.display_name} goes to their room or to Gran's"),
                ("", "When someone is getting hurt", "Call 999"),
            ],
            safe_places=[("", place) for place in places],
        )
        safety = plans.save_safety_plan(member, worker.id, rows, offline_allowed=member.safety_plan_offline_allowed)
        plans.publish_safety_plan(safety, worker.id)


def _words_and_pictures(content: PlanContent, family: Family, worker: User) -> None:
    """The young people's version as Words and Pictures: shipped pictures beside each part, and Will's own drawing
    of Gran's house (uploaded through the photo pipeline) beside what happens if things go wrong."""
    shipped = {
        "worried_about": ("home", "worried"), "working_well": ("school", "happy"), "needs_to_happen": ("family", "safe"),
        "bottom_lines": ("safe",), "contingency": ("door", "phone"),
    }
    for key, keys in shipped.items():
        content.sections[key].pictures = [PictureRef(shipped=k) for k in keys]
    drawing = plans.store_picture(family, worker.id, plans.NewPicture(
        process(_picture(HOUSE, GRASS, SUN, ("line", (360, 520, 360, 420, 440, 420, 440, 520), "#1d3557")), long_side=plans.PICTURE_SIDE),
        "Gran's house, next door, with its blue door",
    ))
    content.sections["contingency"].pictures.append(PictureRef(uploaded=drawing.id))
    for action, keys in zip(content.actions, (("grown_up", "happy"), ("worker", "school")), strict=False):
        action.pictures = [PictureRef(shipped=k) for k in keys]
    for pair, (danger, goal) in zip(content.pairs, ((("worried",), ("safe",)), (("sad",), ("school", "happy"))), strict=False):
        pair.danger_pictures = [PictureRef(shipped=k) for k in danger]
        pair.goal_pictures = [PictureRef(shipped=k) for k in goal]


# What an interpreter (Anna Nowak) put into Polish for Pat. The "what if" part was translated before the
# worker changed its English, so the worker sees it out of date and Pat reads the new English for now.
POLISH = {
    "worried_about": "Kłótnie w domu są głośne i dzieci je słyszą. Sam i Alex mówią, że się wtedy boją.",
    "working_well": "Dzieci prawie codziennie chodzą do szkoły. Pat prosi o pomoc, kiedy jest trudno.",
    "needs_to_happen": "Przez najbliższe trzy miesiące nieporozumienia są omawiane spokojnie, z dala od dzieci.",
    "bottom_lines": "Nigdy żadnej przemocy fizycznej w domu. Jeśli do niej dojdzie, plan zostanie od razu omówiony na nowo.",
}
POLISH_OUT_OF_DATE = ("contingency", "If an argument starts, one adult leaves the room.", "Jeśli zaczyna się kłótnia, jedna osoba dorosła wychodzi z pokoju.")
POLISH_WORDS = {
    "Pat goes to the Calmer Homes parenting group every Tuesday": "Pat chodzi w każdy wtorek na zajęcia dla rodziców Calmer Homes",
    "Will meets Sam and Alex at school every two weeks": "Will spotyka się z Samem i Alexem w szkole co dwa tygodnie",
    "Nani looks after Sam and Alex after school on Tuesdays while Pat is at the group":
        "Nani opiekuje się Samem i Alexem po szkole we wtorki, kiedy Pat jest na zajęciach",
    "There is shouting at home when grown-ups argue": "W domu jest krzyk, kiedy dorośli się kłócą",
    "Getting to school on time every day": "Codziennie na czas do szkoły",
    "I am really worried about this": "Bardzo się tym martwię",
    "This is working well, no worries": "Jest dobrze, nie martwię się",
}
# The parent version in Ukrainian for Oksana, with the actions; and in Urdu the action naming Nani, which
# she reads on her home page (the plan itself is not hers to read).
NANI_ACTION = "Nani looks after Sam and Alex after school on Tuesdays while Pat is at the group"
PARENT_VERSION = {
    "uk": {
        "worried_about": "Сварки вдома бувають гучними, і діти їх чують. Сем і Алекс кажуть, що їм тоді страшно.",
        "working_well": "Діти ходять до школи майже щодня. Пат просить про допомогу, коли стає важко.",
        "needs_to_happen": "Наступні три місяці суперечки обговорюють спокійно, подалі від дітей.",
        "bottom_lines": "Жодного фізичного насильства вдома, ніколи. Якщо таке станеться, план одразу переглянуть.",
        "contingency": "Якщо починається сварка, один із дорослих на якийсь час виходить з кімнати. Пат дзвонить Віллу, якщо це повториться.",
    },
}
ACTION_WORDS = {
    "uk": {
        "Pat goes to the Calmer Homes parenting group every Tuesday": "Пат щовівторка ходить на групу для батьків Calmer Homes",
        "Will meets Sam and Alex at school every two weeks": "Вілл зустрічається із Семом і Алексом у школі кожні два тижні",
        NANI_ACTION: "Нані доглядає Сема й Алекса після школи щовівторка, поки Пат на групі",
    },
    "ur": {
        NANI_ACTION: "جب پیٹ گروپ میں ہوتی ہیں تو نانی ہر منگل کو اسکول کے بعد سیم اور ایلکس کا خیال رکھتی ہیں",
    },
}
PAT_IN_ENGLISH = "Going well: the children are going to school. Worried about: money, and the arguments. What would help: help with the bills."


def _demo_translations(family: Family, parent: FamilyMember, worker: User) -> None:
    """Pat's plan, actions and worries in Polish, and the interpreter's English beside what Pat wrote in Polish."""
    db = db_session()
    now = utcnow()

    def add(block: str, language: str, text: str, source: str) -> None:
        db.add(TextTranslation(
            family_id=family.id, block=block, language=language, text=text, source_hash=rules.source_hash(source),
            translated_by_id=worker.id, interpreter_name="Anna Nowak", created_at=now, updated_at=now,
        ))

    published = plans.latest_published(family.id)
    assert published is not None
    content = PlanContent.from_json(published.content)
    for key, polish in POLISH.items():
        add(translated.section_block(key, "parent"), "pl", polish, content.sections[key].parent)
    key, older_english, polish = POLISH_OUT_OF_DATE
    add(translated.section_block(key, "parent"), "pl", polish, older_english)
    for action in content.actions:
        add(translated.action_block(action.id, "text"), "pl", POLISH_WORDS[action.what], action.what)
    for worry in db.scalars(select(Worry).where(Worry.family_id == family.id)):
        for part in ("wording", "meaning_0", "meaning_10"):
            english = getattr(worry, part)
            add(translated.worry_block(worry.id, part), "pl", POLISH_WORDS[english], english)
    for language, sections in PARENT_VERSION.items():
        for key, words in sections.items():
            add(translated.section_block(key, "parent"), language, words, content.sections[key].parent)
    for language, actions in ACTION_WORDS.items():
        for action in content.actions:
            if action.what in actions:
                add(translated.action_block(action.id, "text"), language, actions[action.what], action.what)
    entry = db.scalar(select(Entry).where(Entry.member_id == parent.id, Entry.language == "pl"))
    assert entry is not None
    add(translated.entry_block(entry.id), "en", PAT_IN_ENGLISH, translated.entry_source(entry))


# The family and network safety plan (seed 003's four steps, seed 004's rows), and Pat's Polish of some of it.
FAMILY_SAFETY_POLISH = {
    "Gran has Sam and Alex after school on Tuesdays, so Pat can go to the parenting group": (
        "Babcia ma Sama i Alexa po szkole we wtorki, żeby Pat mogła iść na zajęcia dla rodziców"),
    "Pat texts Gran and takes the children to her house. Gran calls Will the next morning.": (
        "Pat pisze SMS do babci i zabiera dzieci do niej. Babcia dzwoni do Willa następnego ranka."),
    "Pat goes to the Calmer Homes group every Tuesday": "Pat chodzi na zajęcia Calmer Homes w każdy wtorek",
}


def _demo_family_safety_plan(family: Family, parent: FamilyMember, worker: User, *, nani: FamilyMember) -> None:
    """A published family safety plan: a timeline, the network with Gran, plan rules and rows with dated progress.
    Gran is Nani, a network member with her own account: she reads the parts that name her."""
    now = utcnow()
    today = local_day(now)
    gran = NetworkPerson("gran0001", "Gran", "Pat's mum, lives next door", "07700 900123, or knock next door",
                         member_id=nani.id, seen_on=today - timedelta(weeks=3), agreed_on=today - timedelta(weeks=3))
    neighbour = NetworkPerson("begum001", "Mrs Begum", "Neighbour at number 14", "07700 900456", seen_on=today - timedelta(weeks=2))
    teacher = NetworkPerson("reed0001", "Ms Reed", "Sam's head of year", "Ring the school office: 01632 960222")
    content = FamilySafetyPlanContent(
        timeline=[
            TimelineStep("week0001", "Weeks 1-2", "Gran has Sam and Alex after school on Tuesdays, so Pat can go to the parenting group",
                         "Will visits at home every week", "Sam and Alex go to Gran's on Tuesdays", [gran.id],
                         completed_on=today - timedelta(weeks=4)),
            TimelineStep("week0003", "Weeks 3-6", "Family network meeting: everyone says what they will do when arguments start",
                         "Network meeting, then Will checks in with Gran and Ms Reed", "", [gran.id, teacher.id]),
        ],
        network=[gran, neighbour, teacher],
        rules=[
            FamilyRule("rule0001", "An argument starts late at night",
                       "Pat texts Gran and takes the children to her house. Gran calls Will the next morning.", [gran.id]),
            FamilyRule("rule0002", "Nobody answers at Gran's", "Pat knocks at Mrs Begum's; the children can wait there.", [neighbour.id]),
        ],
        tasks=[
            SafetyTask("task0001", "Pat goes to the Calmer Homes group every Tuesday", "Pat, with Gran looking after the children",
                       today + timedelta(weeks=6), [gran.id],
                       [ProgressUpdate("prog0001", today - timedelta(weeks=2), "Pat has been to two sessions.")]),
            SafetyTask("task0002", "Tell Will if Sam seems worried or tired at school", "Ms Reed", today + timedelta(weeks=8), [teacher.id],
                       [ProgressUpdate("prog0002", today - timedelta(weeks=1), "Sam was on time every day this week.")]),
        ],
    )
    version = family_safety.draft(family, worker.id)
    version.content = content.to_json()
    family_safety.publish(version, worker.id)
    version.published_at = now - timedelta(weeks=2)
    blocks = {(step.id, "task", step.task) for step in content.timeline} | {(r.id, "who_does_what", r.who_does_what) for r in content.rules}
    blocks |= {(t.id, "what", t.what) for t in content.tasks}
    for row_id, part, english in blocks:
        if english in FAMILY_SAFETY_POLISH:
            db_session().add(TextTranslation(
                family_id=family.id, block=translated.family_safety_block(row_id, part), language="pl",
                text=FAMILY_SAFETY_POLISH[english], source_hash=rules.source_hash(english), translated_by_id=worker.id,
                interpreter_name="Anna Nowak", created_at=now, updated_at=now,
            ))


def _demo_network(family: Family, nani: FamilyMember) -> None:
    """Nani (the plan's Gran) read the published family safety plan on her home page and agreed to it a week ago."""
    version = family_safety.latest_published(family.id)
    assert version is not None
    db_session().add(SafetyPlanAgreement(version_id=version.id, member_id=nani.id, agreed_at=utcnow() - timedelta(weeks=1)))


def _demo_assessment(family: Family, parent: FamilyMember, worker: User) -> None:
    """An assessment shared with the parent, who has agreed with part of it and said why."""
    db = db_session()
    now = utcnow()
    assessment = Assessment(
        family_id=family.id,
        title="Family assessment",
        created_by_id=worker.id,
        created_at=now - timedelta(weeks=6),
        sections=[
            AssessmentSection(position=0, heading="Home life", body="Home is warm and the children are well cared for. Arguments between the adults get loud."),
            AssessmentSection(position=1, heading="School", body="Sam and Alex get to school most days. Sam is often late on Mondays."),
        ],
    )
    db.add(assessment)
    db.flush()
    db.add(AssessmentShare(assessment_id=assessment.id, member_id=parent.id, shared_at=now - timedelta(weeks=6)))
    home = assessment.sections[0]
    written = now - timedelta(weeks=5)
    db.add(AssessmentComment(
        assessment_id=assessment.id, section_id=home.id, section_key=home.id, member_id=parent.id, agree="partly",
        text="The arguments are less loud since I started the group. We never argue in front of Alex now.",
        language="en", created_at=written, updated_at=written,
    ))


def _demo_review(family: Family, worker: User, manager: User) -> None:
    """A finished review of the family's first month, with everything they sent in it imported,
    sent by Will for sign-off and signed off by Maya, each with their comment."""
    db = db_session()
    now = utcnow()
    start, end = local_day(now - timedelta(weeks=8)), local_day(now - timedelta(weeks=4))
    review = Review(
        family_id=family.id, period_start=start, period_end=end, status=DRAFT, created_by_id=worker.id,
        created_at=now - timedelta(weeks=4),
        analysis={
            "who_did_you_see": "Pat, Sam and Alex at home",
            "purpose": "First review of the family plan",
            "observed": "A warm home. Sam and Alex played together while we talked.",
            "worker_analysis": "Everyone still scores the shouting low, but Pat has started the parenting group.",
            "actions_next_steps": "Keep going with the group; see Sam and Alex at school every two weeks.",
        },
    )
    db.add(review)
    db.flush()
    # The imported words carry their questions in the worker's language, which needs a request
    # to choose: the demo worker's is English.
    with current_app.test_request_context():
        voices = reviews.gather(family, start, end)
        chosen = {f"entry-{e.id}" for v in voices for e in v.entries} | {w.key for v in voices for w in v.worries}
        chosen |= {f"comment-{c.id}" for v in voices for c in v.comments} | {f"photo-{p.id}" for v in voices for p in v.photos}
        reviews.import_items(review, voices, chosen)
        sign_off.submit(review, worker, SUBMIT_COMMENT)
        sign_off.sign_off(review, manager, SIGN_OFF_COMMENT)
    submitted, signed = review.sign_offs
    submitted.at = now - timedelta(weeks=4, days=1)
    signed.at = review.finalised_at = review.updated_at = now - timedelta(weeks=4)
    db.execute(update(Notification).where(Notification.review_id == review.id).values(read_at=now - timedelta(weeks=4)))


# The two comments of the demo family's signed-off review.
SUBMIT_COMMENT = "Ready for sign-off. Sam and Alex's own words are in; Pat's comment on the assessment too."
SIGN_OFF_COMMENT = "Signed off. Good analysis of the shouting at night. Next review: check the parenting group is helping."
# Families whose next reviews show each state on the caseload and the team view.
DUE_FAMILIES = {
    "overdue": ("The Okafor family", "DEMO-2"),
    "this_week": ("The Nowak family", "DEMO-3"),
}
WAITING_COMMENT = "Please sign off: mum has started the course and the school reports better attendance."


def _demo_reviews_on_time(team: Team, worker: User, manager: User) -> None:
    """Two more of Will's families. The Okafor family's plan was published nine weeks ago and its first
    review is still waiting for Maya's sign-off, so its next review is overdue; the Nowak family's last
    review was signed off five and a half weeks ago, so the next is due this week. (The Demo family's
    plan names its next review, four weeks from now.)"""
    db = db_session()
    now = utcnow()
    families = {}
    for state, (name, reference) in DUE_FAMILIES.items():
        family = _family(name=name, reference=reference, team=team, lead_worker=worker, created_at=now - timedelta(weeks=14))
        db.add(FamilyMember(family=family, display_name="Parent", role=Role.PARENT, age_band="adult", preferred_language="en"))
        db.flush()
        published = now - timedelta(weeks=9 if state == "overdue" else 12)
        db.add(PlanVersion(
            family_id=family.id, number=1, status=PUBLISHED, content=PlanContent().to_json(),
            created_by_id=worker.id, created_at=published, published_at=published, published_by_id=worker.id,
        ))
        families[state] = family
    db.flush()
    with current_app.test_request_context():
        waiting = Review(
            family_id=families["overdue"].id, period_start=local_day(now - timedelta(weeks=9)), period_end=local_day(now - timedelta(days=2)),
            status=DRAFT, created_by_id=worker.id, created_at=now - timedelta(days=2), analysis={
                "worker_analysis": "Mum has started the Calmer Homes course; school says attendance is up to 92%.",
            },
        )
        done = Review(
            family_id=families["this_week"].id, period_start=local_day(now - timedelta(weeks=12)),
            period_end=local_day(now - timedelta(weeks=6)), status=DRAFT, created_by_id=worker.id, created_at=now - timedelta(weeks=6),
            analysis={"worker_analysis": "The morning routine is working; the children get to school on time."},
        )
        db.add_all([waiting, done])
        db.flush()
        sign_off.submit(waiting, worker, WAITING_COMMENT)
        sign_off.submit(done, worker, "First review of the plan, ready for sign-off.")
        sign_off.sign_off(done, manager, "Signed off. Keep the school in the loop for the next review.")
    done.finalised_at = done.sign_offs[-1].at = now - timedelta(weeks=5, days=3)


# The Demo family's signed-off review in plain language, and Sam's comment on it.
SHARED_REVIEW = {
    "happened_young_person": "We met at home. Everyone said the shouting at night is less. Well done for telling us how you feel.",
    "happened_parent": "We looked at the plan together. The parenting group is helping and the evenings are calmer.",
    "plan_changes_young_person": "Nothing new to do. Keep going with football and school.",
    "plan_changes_parent": "The plan stays the same. We will check again at the next review how the group is going.",
}
SAM_COMMENT = "I liked that you asked me first. Can we talk about football next time?"


def _demo_review_shared(family: Family, pat: FamilyMember, sam: FamilyMember, worker: User) -> None:
    """The Demo family's signed-off review shared with them three weeks ago (Pat's words in Polish) with Sam's
    comment; the Nowak family's review, signed off five and a half weeks ago, is not shared yet: overdue."""
    db = db_session()
    now = utcnow()
    review = db.scalars(select(Review).where(Review.family_id == family.id)).one()
    with current_app.test_request_context():
        share = sharing.save(review, SHARED_REVIEW)
        sharing.share(review, family, worker)
        translated.save(family, translated.review_share_block(review.id, "happened", "parent"), "pl",
                        "Razem omówiliśmy plan. Grupa dla rodziców pomaga, a wieczory są spokojniejsze.",
                        SHARED_REVIEW["happened_parent"], worker.id)
    share.shared_at = share.updated_at = now - timedelta(weeks=3)
    db.add(ReviewComment(review_id=review.id, member_id=sam.id, body=SAM_COMMENT, language="en", created_at=now - timedelta(weeks=2)))


# --- Drawings (webapp/drawings) and done together (webapp/together): Alex's pictures, one drawn on Will's
# phone during a home visit. Dated after the finished review and before the last week.


def _picture(*shapes: tuple[str, tuple[int, ...], str]) -> bytes:
    """A child's drawing in thick lines on white, as the drawing page sends it (a PNG)."""
    image = Image.new("RGB", (600, 600), "white")
    pen = ImageDraw.Draw(image)
    for shape, points, colour in shapes:
        if shape == "ellipse":
            pen.ellipse(points, outline=colour, width=12)
        elif shape == "polygon":
            pen.polygon(points, outline=colour, width=12)
        else:
            pen.line(points, fill=colour, width=12, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


SUN = ("ellipse", (430, 40, 550, 160), "#f2b705")
GRASS = ("line", (20, 540, 580, 540), "#1e8a3c")
CAT = ("ellipse", (120, 330, 260, 450), "#222222")
CAT_EARS = ("polygon", (130, 360, 150, 290, 190, 340, 230, 290, 250, 360), "#222222")
HOUSE = ("polygon", (300, 300, 300, 520, 520, 520, 520, 300, 410, 200), "#d62828")
CLOUD = ("ellipse", (120, 80, 480, 240), "#222222")
RAIN = ("line", (180, 280, 160, 360, 260, 280, 240, 360, 340, 280, 320, 360, 420, 280, 400, 360), "#1f6fd1")
SEA = ("line", (20, 420, 120, 380, 220, 420, 320, 380, 420, 420, 520, 380, 580, 410), "#1f6fd1")


def _demo_drawings(members: list[FamilyMember], worker: User) -> None:
    db = db_session()
    now = utcnow()
    alex = members[2]
    drawn = [
        (kinds.THREE_HOUSES_DRAWN, now - timedelta(days=10), None,
         {"house_of_worries": "Loud voices at night", "house_of_good_things": "Biscuit and Gran", "house_of_dreams": "A trip to the seaside"},
         [(_picture(CLOUD, RAIN), "House of worries"), (_picture(CAT, CAT_EARS, GRASS), "House of good things"), (_picture(SUN, SEA), "House of dreams")]),
        (kinds.DRAWING, now - timedelta(days=8), worker, {"about_drawing": "Me and Biscuit in the garden"},
         [(_picture(SUN, HOUSE, CAT, CAT_EARS, GRASS), "Me and Biscuit in the garden")]),
    ]
    for kind, when, together_with, answers, pictures in drawn:
        entry = Entry(
            member_id=alex.id, family_id=alex.family_id, kind=kind, language="en", answers=answers,
            created_at=when, reply_due=when.date() + timedelta(days=3),
            done_together_with_id=together_with.id if together_with else None,
        )
        db.add(entry)
        db.flush()
        for picture, caption in pictures:
            photos.store(alex, process_drawing(picture), caption, entry_id=entry.id).created_at = when


DEMO_VISIT = VisitNotes(
    who_seen="Pat, Sam and Alex at home; Sam on her own in her room for part of the visit.",
    purpose="Check how the new bedtime routine in the plan is going, and do the three houses with Sam.",
    observed="The house was calm and warm. Alex showed me his football medal; Pat and Sam laughed together at tea.",
    child_feels_safe="Sam said she feels safe at home and knows who to call if things get hard.",
    child_words="\u201cBedtimes are better now. Mum doesn't shout like before.\u201d",
    non_verbal="Alex stayed close to Pat at first, then played on his own and chatted to me.",
    parents_view="Pat says the routine is hard work but the evenings are calmer. She wants help with the school.",
    analysis="The routine is holding and both children describe less shouting. The worry about school remains.",
    actions="Meet the school with Pat by the end of the month; visit again in two weeks; update the plan at the review.",
)


def _demo_contacts(family: Family, team: Team, worker: User) -> None:
    """The family's chronology: a written-up home visit, a call and a failed attempt; and a second family that
    has not been reached for weeks, flagged for disengagement on the team view."""
    db = db_session()
    now = utcnow()
    visit = Contact(family_id=family.id, kind=ContactKind.HOME_VISIT, happened_at=now - timedelta(days=6, hours=3),
                    recorded_by_id=worker.id, written_up_at=now - timedelta(days=5))
    visit.notes = DEMO_VISIT
    db.add(visit)
    db.add(Contact(family_id=family.id, kind=ContactKind.ATTEMPT, happened_at=now - timedelta(days=4, hours=2),
                   recorded_by_id=worker.id, summary="Went round for the planned visit; nobody answered the door.",
                   next_step="Phone Pat tomorrow morning and book another visit."))
    db.add(Contact(family_id=family.id, kind=ContactKind.PHONE_CALL, happened_at=now - timedelta(days=3, hours=5),
                   recorded_by_id=worker.id, summary="Pat called back: she was at the hospital with Nani. Visit booked for next week."))
    quiet = _family(name="The Quiet family", reference="DEMO-2", team=team, lead_worker=worker, created_at=now - timedelta(weeks=6))
    db.flush()
    db.add(FamilyMember(family_id=quiet.id, display_name="Jordan", role=MemberRole.PARENT, age_band="adult", preferred_language="en"))
    for days, summary in ((30, "Phoned twice; no answer and no voicemail."), (23, "Visited; nobody home, left a card."),
                          (16, "Texted to offer a visit; no reply.")):
        db.add(Contact(family_id=quiet.id, kind=ContactKind.ATTEMPT, happened_at=now - timedelta(days=days), recorded_by_id=worker.id,
                       summary=summary, next_step="Try again and ask the school whether they have seen the children."))


CLOSING_FAMILY = ("The Hughes family", "DEMO-3")
CLOSING_SUMMARY = (
    "Bedtimes and mornings were the worry: shouting most nights and Leah late for school. Dan did the Calmer Homes "
    "course, the family made a bedtime plan together, and Leah's attendance is 97% this term."
)
GOODBYE_GOOD = "Will listened to me and didn't take sides."
GOODBYE_HELP = "Looking at our bedtime plan, and ringing Auntie Jo."


def _demo_closure(team: Team, worker: User) -> None:
    """A family asking to close at "10 - Working Well": Will's request waits for Maya, with Leah's goodbye
    views and Dan's choice not to answer."""
    db = db_session()
    now = utcnow()
    family = _family(name=CLOSING_FAMILY[0], reference=CLOSING_FAMILY[1], team=team, lead_worker=worker, created_at=now - timedelta(weeks=20))
    leah = FamilyMember(family=family, display_name="Leah", role=MemberRole.YOUNG_PERSON, age_band="12-13", preferred_language="en")
    dan = FamilyMember(family=family, display_name="Dan", role=MemberRole.PARENT, age_band="adult", preferred_language="en")
    db.add_all([leah, dan])
    db.flush()
    worry = Worry(family_id=family.id, wording="Shouting at bedtime", meaning_0="Shouting every night", meaning_10="Calm bedtimes",
                  created_by_id=worker.id, created_at=now - timedelta(weeks=19), concerns=[WorryChild(member_id=leah.id)])
    db.add(worry)
    db.flush()
    for weeks, score in ((18, 3), (10, 7), (1, 10)):
        for scorer in (leah, dan):
            db.add(WorryScore(worry_id=worry.id, member_id=scorer.id, about_member_id=leah.id, score=score,
                              created_at=now - timedelta(weeks=weeks)))
    db.flush()
    with current_app.test_request_context():
        request = closure.request(family, worker, CLOSING_SUMMARY, NEEDS_MET)
        views = {one.member_id: one for one in request.views}
        closure.answer(views[leah.id], good=GOODBYE_GOOD, better="", helps=GOODBYE_HELP, language="en")
        closure.decline(views[dan.id])


def sign_in_text(created: bool) -> str:
    db = db_session()
    lines = ["Demo data " + ("loaded." if created else "was already there."), "", "Staff (email, password, TOTP secret):"]
    for email, _name, role, password in STAFF:
        user = db.scalar(select(User).where(User.email == email))
        secret = user.totp_secret if user and user.totp_secret else "?"
        lines.append(f"  {role:<8} {email}  {password}  TOTP secret: {totp.grouped(secret)}")
    lines.append("  No authenticator app? Get the current code with:")
    lines.append("    .venv/bin/flask --app webapp demo-totp worker@demo.familyvoice.test")
    lines.append("")
    lines.append("The Demo family (username, password):")
    for username, name, role, band, _language, password in MEMBERS + PICTURE_MEMBERS:
        lines.append(f"  {name:<5} {role:<13} age {band:<6} {username}  {password}")
    return "\n".join(lines)
