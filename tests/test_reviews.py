"""Reviews: the family's voice for a period, ticked into the review, kept until it is final.

The clock stands at 30 June 2026 (UK summer time); what the family sends is sent through their
own pages at known moments, so each test can say exactly which day everything falls on.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select

from webapp.db import db_session
from webapp.entries.models import Entry
from webapp.families.models import Family, FamilyMember
from webapp.plans.models import DRAFT, PUBLISHED, PlanVersion
from webapp.reviews.models import MeetingMessage, Review

from . import factories
from .conftest import FormClient
from .helpers import signed_in, text
from .review_steps import (  # clock, family and worker are fixtures
    clock,
    decide,
    default_start_and_end,
    family,
    family_worry,
    items,
    label_of,
    make_final,
    review_count,
    send_comment,
    send_entry,
    send_photo,
    send_score,
    shared_assessment,
    start_review,
    submit_for_sign_off,
    text_blocks,
    ticked,
    utc,
    worker,
)

# --- The default period.


def test_with_no_review_and_no_plan_the_period_runs_from_when_the_family_was_added(worker, family):
    assert default_start_and_end(worker, family) == ("2026-04-01", "2026-06-30")
    # The offered period is one the form accepts as it stands.
    url = start_review(worker, family, *default_start_and_end(worker, family))
    review = db_session().scalars(select(Review)).one()
    assert review is not None and url.endswith(f"/staff/reviews/{review.id}")
    assert (review.period_start.isoformat(), review.period_end.isoformat()) == ("2026-04-01", "2026-06-30")


def test_once_a_plan_is_published_the_period_runs_from_the_day_it_was_first_published(worker, family):
    db_session().add(PlanVersion(family_id=family.id, number=1, status=DRAFT, content={}))
    db_session().commit()
    assert default_start_and_end(worker, family)[0] == "2026-04-01", "a draft plan has not started"
    db_session().add_all([
        PlanVersion(family_id=family.id, number=2, status=PUBLISHED, content={}, published_at=utc(5, 4, 15)),
        PlanVersion(family_id=family.id, number=3, status=PUBLISHED, content={}, published_at=utc(6, 1, 15)),
    ])
    db_session().commit()
    assert default_start_and_end(worker, family) == ("2026-05-04", "2026-06-30")


def test_after_a_final_review_the_period_starts_the_day_after_it_ended(app, worker, family, world):
    db_session().add(PlanVersion(family_id=family.id, number=1, status=PUBLISHED, content={}, published_at=utc(5, 4, 15)))
    db_session().commit()
    url = start_review(worker, family, "2026-05-04", "2026-06-14")
    make_final(app, worker, url, world["manager_a"])
    assert db_session().scalars(select(Review)).one().is_final
    assert default_start_and_end(worker, family) == ("2026-06-15", "2026-06-30")


# --- Gathering the family's voice.


def test_only_entries_written_in_the_period_are_gathered(app, worker, family, world):
    child = world["child"]
    send_entry(app, child, utc(5, 31, 22, 59), what_happened="The day before the period")
    first = send_entry(app, child, utc(6, 1, 12), what_happened="The first day of the period")
    last = send_entry(app, child, utc(6, 20, 18), what_happened="The last day of the period")
    send_entry(app, child, utc(6, 21, 12), what_happened="The day after the period")
    url = start_review(worker, family, "2026-06-01", "2026-06-20")
    page = text(worker.get(url))
    assert "The first day of the period" in page and "The last day of the period" in page
    assert "The day before the period" not in page and "The day after the period" not in page
    assert {f"entry-{first.id}", f"entry-{last.id}"} == {k for k in re.findall(r'value="(entry-\d+)"', page)}


def test_the_period_is_in_uk_days_like_the_dates_shown(app, worker, family, world):
    """Written at 00:30 on 1 June in the UK (23:30 on 31 May in UTC): shown, and counted, as 1 June."""
    child = world["child"]
    early = send_entry(app, child, utc(5, 31, 23, 30), what_happened="Just after midnight")
    late = send_entry(app, child, utc(6, 20, 23, 30), what_happened="Just after midnight on the 21st")
    url = start_review(worker, family, "2026-06-01", "2026-06-20")
    page = text(worker.get(url))
    assert "1 Jun 2026" in text(worker.get(f"/staff/entries/{early.id}"))
    assert "Just after midnight" in page and f"entry-{early.id}" in page
    assert "21 Jun 2026" in text(worker.get(f"/staff/entries/{late.id}"))
    assert "Just after midnight on the 21st" not in page


def test_each_entry_says_which_language_it_was_written_in(app, worker, family, world):
    carer = factories.member(family, "parent", name="Ewa", language="pl")
    polish = send_entry(app, carer, utc(6, 10), "parent_views", going_well="Mamy spokojniejsze wieczory")
    english = send_entry(app, world["child"], utc(6, 11), what_happened="I scored a goal")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    page = worker.get(url).get_data(as_text=True)
    assert polish.language == "pl"
    assert "written in Polski" in label_of(page, f"entry-{polish.id}")
    assert "written in English" in label_of(page, f"entry-{english.id}")
    assert "Mamy spokojniejsze wieczory" in text(worker.get(url))
    # The Polish words are marked as Polish, for screen readers and for the right fonts.
    assert re.search(r'<dd lang="pl" dir="auto">[^<]*Mamy spokojniejsze wieczory', page)


def test_each_worry_shows_each_persons_first_and_latest_score_and_the_change(app, worker, family, world):
    child, parent = world["child"], world["parent"]
    shouting = family_worry(family, "Shouting at home", child, parent)
    send_score(app, child, shouting, utc(5, 20), 1)  # before the period: not the first score in it
    for day, score in ((3, 3), (12, 5), (25, 7)):
        send_score(app, child, shouting, utc(6, day), score)
    send_score(app, parent, shouting, utc(6, 5), 6)
    send_score(app, parent, shouting, utc(6, 26), 4)
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    page = worker.get(url).get_data(as_text=True)
    assert "first 3, latest 7 (change +4)" in label_of(page, f"worry-{shouting.id}-{child.id}")
    assert "first 6, latest 4 (change -2)" in label_of(page, f"worry-{shouting.id}-{parent.id}")
    assert "Shouting at home" in label_of(page, f"worry-{shouting.id}-{child.id}")

    worker.submit(url, {"item": [f"worry-{shouting.id}-{child.id}"]})
    blocks = dict(text_blocks(worker, url))
    assert "Shouting at home: 3 on 3 Jun 2026, 7 on 25 Jun 2026 (change +4)" in blocks["Voice of Child"]
    assert "Shouting at home" not in blocks["Parents view"]


def test_photos_sent_in_the_period_are_gathered_and_can_be_imported(app, worker, family, world):
    child = world["child"]
    send_photo(app, child, utc(5, 2), "Our trip in May")
    baking = send_photo(app, child, utc(6, 10), "Baking with Nan")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    page = text(worker.get(url))
    assert "Baking with Nan" in page and "Our trip in May" not in page
    assert f"/photos/{baking.id}/thumbnail" in page
    worker.submit(url, {"item": [f"photo-{baking.id}"]})
    assert "Photo, 10 Jun 2026: Baking with Nan" in dict(text_blocks(worker, url))["Voice of Child"]


def test_parents_comments_on_their_assessment_in_the_period_are_gathered_and_can_be_imported(app, worker, family, world):
    parent = world["parent"]
    assessment, section = shared_assessment(family, parent)
    send_comment(app, parent, assessment, 0, utc(5, 15), "Overall, said in May")  # before the period
    send_comment(app, parent, assessment, section, utc(5, 16), "Said in May")
    send_comment(app, parent, assessment, section, utc(6, 8), "Nights are better since we made a rota.")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    page = worker.get(url).get_data(as_text=True)
    keys = re.findall(r'value="(comment-\d+)"', page)
    assert len(keys) == 1 and "Home life" in label_of(page, keys[0])
    # The comment was changed in June: what is gathered is what it says now.
    gathered = text(worker.get(url))
    assert "Nights are better since we made a rota." in gathered and "Said in May" not in gathered
    worker.submit(url, {"item": keys})
    blocks = dict(text_blocks(worker, url))
    assert "Nights are better since we made a rota." in blocks["Parents view"]
    assert "Nights are better" not in blocks["Voice of Child"]


# --- Importing, saving, reopening.


def test_only_the_ticked_items_are_imported_and_saving_again_replaces_them(app, worker, family, world):
    child, parent = world["child"], world["parent"]
    kept = send_entry(app, child, utc(6, 2), what_happened="I joined the choir")
    left = send_entry(app, parent, utc(6, 3), "parent_views", going_well="Mornings are easier")
    worry = family_worry(family, "Getting to school on time", child)
    send_score(app, child, worry, utc(6, 4), 2)
    send_score(app, child, worry, utc(6, 24), 6)
    photo = send_photo(app, child, utc(6, 5), "The choir concert")
    other_family_entry = send_entry(app, world["other_child"], utc(6, 6), what_happened="Someone else's words")
    too_early = send_entry(app, child, utc(5, 6), what_happened="Before the period")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")

    response = worker.submit(url, {
        # Keys the page never offered (another family's entry, one outside the period) are ignored.
        "item": [f"entry-{kept.id}", f"worry-{worry.id}-{child.id}", f"entry-{other_family_entry.id}", f"entry-{too_early.id}"],
        "worker_analysis": "Sam is more settled at school.",
    })
    assert response.status_code == 302
    assert "Review saved." in text(worker.get(response.headers["Location"]))
    assert items() == {("entry", kept.id), ("worry", worry.id)}
    blocks = dict(text_blocks(worker, url))
    record = "\n".join(blocks.values())
    assert "I joined the choir" in blocks["Voice of Child"] and "Getting to school on time" in blocks["Voice of Child"]
    assert "Sam is more settled at school." in blocks["Worker analysis"]
    for absent in ("Mornings are easier", "The choir concert", "Someone else's words", "Before the period"):
        assert absent not in record

    # Reopened, the draft shows what was ticked and written.
    page = worker.get(url).get_data(as_text=True)
    assert ticked(page) == {f"entry-{kept.id}", f"worry-{worry.id}-{child.id}"}
    assert "Sam is more settled at school." in html.unescape(page)

    worker.submit(url, {"item": [f"entry-{left.id}", f"photo-{photo.id}"], "worker_analysis": "Both say mornings are easier."})
    assert items() == {("entry", left.id), ("photo", photo.id)}
    blocks = dict(text_blocks(worker, url))
    record = "\n".join(blocks.values())
    assert "Mornings are easier" in blocks["Parents view"] and "The choir concert" in blocks["Voice of Child"]
    # The worry's scores stay in the scaling heading, which holds every score; the child's voice no longer quotes them.
    assert "I joined the choir" not in record and "Getting to school on time" not in blocks["Voice of Child"]
    assert "Both say mornings are easier." in record and "Sam is more settled" not in record
    assert ticked(worker.get(url).get_data(as_text=True)) == {f"entry-{left.id}", f"photo-{photo.id}"}


def test_an_imported_entry_says_used_in_review_to_staff_and_never_to_the_family(app, worker, family, world):
    child, parent = world["child"], world["parent"]
    used = send_entry(app, child, utc(6, 2), what_happened="I made a new friend", share_with_family="y")
    assert used.shared_with_family
    staff_page = f"/staff/entries/{used.id}"
    assert "Used in review" not in text(worker.get(staff_page))
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    worker.submit(url, {"item": [f"entry-{used.id}"]})
    assert "Used in review on 30 Jun 2026" in text(worker.get(staff_page))

    as_child = signed_in(app, child.user)
    as_parent = signed_in(app, parent.user)
    for person, path in ((as_child, f"/my/views/{used.id}"), (as_parent, f"/my/views/{used.id}")):
        page = text(person.get(path))
        assert "I made a new friend" in page and "Used in review" not in page, path
    for person, path in ((as_child, "/my/views"), (as_parent, "/my/shared")):
        page = text(person.get(path))
        assert f"/my/views/{used.id}" in page and "Used in review" not in page, path

    # Unticked again, it no longer says so.
    worker.submit(url, {"item": []})
    assert "Used in review" not in text(worker.get(staff_page))


def test_a_final_review_is_read_only(app, worker, family, world):
    entry = send_entry(app, world["child"], utc(6, 2), what_happened="I joined the choir")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    worker.submit(url, {"item": [f"entry-{entry.id}"], "worker_analysis": "First words"})
    assert submit_for_sign_off(worker, url).status_code == 302
    manager = signed_in(app, world["manager_a"])
    finalised = decide(manager, url)
    assert "The review is final" in text(manager.get(finalised.headers["Location"]))
    assert "Final since" in text(worker.get(url))
    review = db_session().scalars(select(Review)).one()
    when_final = review.finalised_at
    assert review.is_final and when_final is not None

    page = worker.get(url).get_data(as_text=True)
    assert 'name="worker_analysis"' not in page and "Send for sign-off" not in page
    assert re.search(rf'value="entry-{entry.id}"[^>]*checked[^>]*disabled', page)

    refused = worker.submit(url, {"item": [], "worker_analysis": "Changed later"}, page=url)
    assert refused.status_code == 302
    assert "This review is final and can't be changed." in text(worker.get(refused.headers["Location"]))
    submit_for_sign_off(worker, url)
    decide(signed_in(app, world["manager_a"]), url, "Signed off twice", button="send_back")
    db_session().expire_all()
    review = db_session().scalars(select(Review)).one()
    assert review.analysis["worker_analysis"] == "First words"
    assert items() == {("entry", entry.id)}
    assert review.finalised_at == when_final
    assert "Final" in text(worker.get(f"/staff/families/{family.id}/reviews"))


# --- Who may reach a review.


def review_urls(family: Family, review_url: str, member: FamilyMember) -> list[str]:
    return [
        f"/staff/families/{family.id}/reviews",
        review_url,
        review_url + "/print",
        review_url + "/review.pdf",
        review_url + "/review.docx",
        review_url + "/text",
        f"/staff/families/{family.id}/worry-scores.csv",
        f"/staff/members/{member.id}/meeting-sheet",
        f"/staff/members/{member.id}/meeting-message",
    ]


def assert_every_review_url_is_404(outsider: FormClient, family: Family, review_url: str, member: FamilyMember) -> None:
    for path in review_urls(family, review_url, member):
        assert outsider.get(path).status_code == 404, path
    posts: dict[str, dict[str, Any]] = {
        f"/staff/families/{family.id}/reviews": {"period_start": "2026-06-01", "period_end": "2026-06-30"},
        review_url: {"item": [], "worker_analysis": "Written by someone else"},
        review_url + "/submit": {"comment": "Sent by someone else"},
        review_url + "/sign-off": {"comment": "Signed by someone else", "sign_off": "y"},
        f"/staff/members/{member.id}/meeting-message": {"body": "Not from your worker"},
    }
    for path, data in posts.items():
        assert outsider.submit(path, data, page="/settings").status_code == 404, path


@pytest.mark.parametrize("who", ["worker_b", "manager_b", "other_worker_a"])
def test_staff_not_on_the_family_get_404_on_every_review_url(app, worker, family, world, who):
    entry = send_entry(app, world["child"], utc(6, 2), what_happened="I joined the choir")
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    worker.submit(url, {"item": [f"entry-{entry.id}"], "worker_analysis": "First words"})
    outsider = signed_in(app, world[who])
    assert_every_review_url_is_404(outsider, family, url, world["child"])
    missing = re.sub(r"\d+$", "999999", url)
    assert worker.get(missing).status_code == 404
    db_session().expire_all()
    review = db_session().scalars(select(Review)).one()
    assert review_count() == 1 and review.is_editable and review.analysis["worker_analysis"] == "First words"
    assert review.sign_offs == []
    assert items() == {("entry", entry.id)}
    assert db_session().scalar(select(func.count(MeetingMessage.id))) == 0


@pytest.mark.parametrize("who", ["child", "parent", "restricted_parent"])
def test_family_members_get_404_on_every_staff_review_url(app, worker, family, world, who):
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    member = signed_in(app, world[who].user)
    assert_every_review_url_is_404(member, family, url, world["child"])
    db_session().expire_all()
    assert review_count() == 1 and db_session().scalars(select(Review)).one().is_editable
    assert db_session().scalar(select(func.count(MeetingMessage.id))) == 0


def test_the_teams_manager_and_a_co_worker_can_open_the_review(app, worker, family, world):
    url = start_review(worker, family, "2026-06-01", "2026-06-30")
    factories.co_worker(family, world["other_worker_a"])
    for who in ("manager_a", "other_worker_a"):
        colleague = signed_in(app, world[who])
        for path in review_urls(family, url, world["child"]):
            assert colleague.get(path).status_code == 200, (who, path)


# --- A period that can't be.


@pytest.mark.parametrize(
    "start,end,message",
    [
        ("2026-06-10", "2026-06-01", "The last day can't be before the first day."),
        ("2026-06-01", "2026-07-01", "The period can't end in the future."),
        ("next week", "2026-06-20", "Please give the first day of the period."),
        ("2026-06-01", "31/06/2026", "Please give the last day of the period."),
        ("", "", "Please give the first day of the period."),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message_and_no_review_is_made(worker, family, start, end, message):
    response = worker.submit(f"/staff/families/{family.id}/reviews", {"period_start": start, "period_end": end})
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'aria-invalid="true"' in page
    assert review_count() == 0


def test_a_period_ending_today_in_the_uk_is_not_in_the_future(family, world, app):
    """At 00:30 on 1 July in the UK it is still 30 June in UTC: 1 July is today, not the future."""
    with time_machine.travel(utc(6, 30, 23, 30), tick=False):
        worker = signed_in(app, world["worker_a"])
        assert default_start_and_end(worker, family)[1] == "2026-07-01"
        response = worker.submit(f"/staff/families/{family.id}/reviews", {"period_start": "2026-06-01", "period_end": "2026-07-01"})
        assert response.status_code == 302, text(response)[:800]
        assert "The period can't end in the future." not in text(response)


# --- The meeting-ready sheet.


def test_the_meeting_sheet_shows_the_latest_get_ready_answers(app, worker, family, world):
    child, sibling = world["child"], world["young_child"]
    sheet_url = f"/staff/members/{child.id}/meeting-sheet"
    empty = worker.get(sheet_url)
    assert empty.status_code == 200
    assert "Child hasn't filled in “Get ready for my meeting” yet." in text(empty)

    send_entry(app, child, utc(5, 10), "meeting", meeting_type="review", going_well="Old answer about school", attend="go")
    send_entry(app, child, utc(6, 20), "meeting", meeting_type="taf", going_well="Football is going well",
               worried_about="Dad shouting", want_to_happen="More time with Nan", who_there="Mum and my teacher", attend="worker_speaks")
    send_entry(app, sibling, utc(6, 25), "meeting", going_well="My sister's answer")
    sheet = text(worker.get(sheet_url))
    for words in ("TAF meeting (Team Around the Family)", "Football is going well", "Dad shouting", "More time with Nan",
                  "Mum and my teacher", "Do you want to go to the meeting?", "I want my worker to speak for me"):
        assert words in sheet, words
    assert "20 Jun 2026" in sheet and "written in English" in sheet
    assert "Old answer about school" not in sheet and "My sister's answer" not in sheet and "I want to go" not in sheet


# --- After the meeting.


def test_what_happened_at_my_meeting_reaches_only_that_young_person(app, worker, family, world):
    child = world["child"]
    sent = worker.submit(f"/staff/members/{child.id}/meeting-message", {"body": "We agreed you can see Dad on Saturdays."})
    assert sent.status_code == 302
    assert "Child will see it on their home page." in text(worker.get(sent.headers["Location"]))

    home = text(signed_in(app, child.user).get("/home"))
    assert "What happened at my meeting" in home and "We agreed you can see Dad on Saturdays." in home
    for other in ("young_child", "parent", "restricted_parent"):
        page = text(signed_in(app, world[other].user).get("/home"))
        assert "We agreed you can see Dad" not in page and "What happened at my meeting" not in page, other
    assert "We agreed you can see Dad on Saturdays." in text(worker.get(f"/staff/members/{child.id}/meeting-message"))


def test_a_parent_cannot_be_sent_a_meeting_message(worker, world):
    parent = world["parent"]
    assert worker.get(f"/staff/members/{parent.id}/meeting-message").status_code == 404
    assert worker.submit(f"/staff/members/{parent.id}/meeting-message", {"body": "Hello"}, page="/settings").status_code == 404
    assert db_session().scalar(select(func.count(MeetingMessage.id))) == 0


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_meeting_message_is_refused(app, worker, world, body):
    child = world["child"]
    response = worker.submit(f"/staff/members/{child.id}/meeting-message", {"body": body})
    assert response.status_code == 400
    assert "Please write the message." in text(response)
    assert db_session().scalar(select(func.count(MeetingMessage.id))) == 0
    assert "What happened at my meeting" not in text(signed_in(app, child.user).get("/home"))



# --- A long period: each member's latest entries first, every one on asking, nothing ticked lost.


def test_a_long_period_lists_each_members_latest_entries_and_every_one_on_asking_keeping_what_is_ticked(app, worker, family, world):
    child = world["child"]
    db = db_session()
    sent = [
        Entry(member_id=child.id, family_id=family.id, kind="good_news", language="en", answers={"what_happened": f"Note {n}"},
              created_at=utc(6, 1 + n, 12))
        for n in range(25)
    ]
    db.add_all(sent)
    db.commit()
    keys = [f"entry-{entry.id}" for entry in sent]
    url = start_review(worker, family, "2026-06-01", "2026-06-30")

    def listed(address: str) -> list[str]:
        return re.findall(r'name="item" value="(entry-\d+)"', worker.get(address).get_data(as_text=True))

    def listed_entries(address: str) -> str:
        match = re.search(r'name="listed_entries" value="([^"]*)"', worker.get(address).get_data(as_text=True))
        assert match
        return match.group(1)

    assert listed(url) == keys[-20:], "the latest 20, oldest first"
    assert "20 of 25 entries listed: the latest." in text(worker.get(url))
    assert "not listed" not in text(worker.get(url)), "nothing is ticked yet"
    # "Save and show all" saves, then lists every entry of that member.
    shown_all = worker.submit(url, {"item": [], "listed_entries": listed_entries(url), "show": str(child.id)})
    assert shown_all.status_code == 302
    whole = shown_all.headers["Location"]
    assert whole.endswith(f"?member={child.id}#voice-{child.id}")
    assert listed(whole) == keys
    page_opened_before = listed_entries(url)
    # The oldest, ticked on the page that lists them all, stays in the review; the latest page counts it
    # (a period of thousands of ticked entries is not all listed to draw the page) and lists it again on asking.
    assert worker.submit(whole, {"item": [keys[0]], "listed_entries": listed_entries(whole), "show": "latest"}).status_code == 302
    assert items() == {("entry", sent[0].id)}
    assert listed(url) == keys[-20:]
    assert "1 entry not listed is ticked: it stays in the review." in text(worker.get(url))
    assert re.search(rf'value="{keys[0]}" id="item-{keys[0]}" checked', worker.get(whole).get_data(as_text=True))
    # A page opened before that tick, which never listed the oldest entry, keeps it ticked when saved.
    assert worker.submit(url, {"item": [keys[-1]], "listed_entries": page_opened_before}).status_code == 302
    assert items() == {("entry", sent[0].id), ("entry", sent[-1].id)}
    latest_page = worker.get(url).get_data(as_text=True)
    assert re.search(rf'value="{keys[-1]}" id="item-{keys[-1]}" checked', latest_page), "a ticked entry listed shows ticked"
    assert not re.search(rf'value="{keys[-2]}" id="item-{keys[-2]}" checked', latest_page)
