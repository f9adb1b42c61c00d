"""The guided entries: a few plain questions each, written for a 9-year-old to follow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Question:
    key: str
    label: LazyString
    # "text" is free text; "choice" is tap-to-choose, one answer; "score" a worry score, 0 to 10.
    kind: str = "text"
    choices: tuple[tuple[str, LazyString], ...] = ()
    hint: LazyString | None = None
    # How the answer reads in a review's exports, as a sentence with %(answer)s; without one it is
    # the question and then the answer in quotes.
    sentence: LazyString | None = None


@dataclass(frozen=True)
class EntryKind:
    key: str
    title: LazyString
    intro: LazyString
    icon: str
    questions: tuple[Question, ...]
    for_roles: frozenset[str] = frozenset({"young_person", "parent"})
    urgent: bool = False
    # Urgent only when this question has this answer (a statement that asks "are you safe now?").
    urgent_if: tuple[str, str] | None = None
    # Never shared with the family, whatever is ticked: what happened to someone, or a complaint.
    private: bool = False
    # A complaint or a request for an advocate: the team manager is told as well as the worker.
    complaint: bool = False

    def is_urgent(self, answers: Mapping[str, Any]) -> bool:
        """Whether an entry of this kind with these answers goes the urgent way."""
        if self.urgent:
            return True
        if self.urgent_if is None:
            return False
        key, value = self.urgent_if
        return str(answers.get(key, "")).strip() == value


YES_BIT_NO = (
    # Translators: an answer a child taps: yes / a bit / no.
    ("yes", _l("Yes")),
    # Translators: an answer a child taps: yes / a bit / no.
    ("a_bit", _l("A bit")),
    # Translators: an answer a child taps: yes / a bit / no.
    ("no", _l("No")),
)

KINDS: tuple[EntryKind, ...] = (
    EntryKind(
        key="meeting",
        title=_l("Get ready for my meeting"),
        intro=_l("Tell your worker what you think before your meeting, so your views are heard."),
        icon="🗓️",
        questions=(
            Question(
                "meeting_type",
                _l("Which meeting is it?"),
                "choice",
                (
                    ("taf", _l("TAF meeting (Team Around the Family)")),
                    # Translators: a kind of meeting: the review of how the plan is going.
                    ("review", _l("Review meeting")),
                    # Translators: an answer a child or parent taps when they do not know.
                    ("not_sure", _l("I'm not sure")),
                ),
            ),
            Question("going_well", _l("What is going well?")),
            Question("worried_about", _l("What are you worried about?")),
            Question("want_to_happen", _l("What do you want to happen?")),
            Question("who_there", _l("Who do you want to be at the meeting?")),
            Question(
                "attend",
                _l("Do you want to go to the meeting?"),
                "choice",
                (
                    ("go", _l("I want to go")),
                    ("worker_speaks", _l("I want my worker to speak for me")),
                    ("not_sure", _l("I'm not sure yet")),
                ),
            ),
        ),
    ),
    EntryKind(
        key="worries",
        # Translators: a family member's list of worries to score 0 to 10.
        title=_l("My worries"),
        intro=_l("Tell your worker what is worrying you. Big or small, it matters."),
        icon="💭",
        questions=(
            Question("what_worries", _l("What is worrying you?")),
            Question(
                "how_much",
                _l("How much does it worry you?"),
                "choice",
                # Translators: how much something worries the child: a little / quite a lot / a lot.
                (
                    # Translators: how much something worries the child: a little / quite a lot / a lot.
                    ("a_little", _l("A little")),
                    # Translators: how much something worries the child: a little / quite a lot / a lot.
                    ("quite_a_lot", _l("Quite a lot")),
                    # Translators: how much something worries the child: a little / quite a lot / a lot.
                    ("a_lot", _l("A lot")),
                ),
            ),
            # Translators: a question a child or parent answers.
            Question("what_would_help", _l("What would help?")),
        ),
    ),
    EntryKind(
        key="good_news",
        # Translators: a kind of entry: a family member tells their worker something good.
        title=_l("Good news"),
        intro=_l("Something good happened? Tell your worker!"),
        icon="⭐",
        questions=(
            Question("what_happened", _l("What good thing happened?")),
            Question("who_with", _l("Who were you with?")),
        ),
    ),
    EntryKind(
        key="plan_going",
        title=_l("How is my plan going?"),
        intro=_l("Is the help working for you? Your worker wants to know."),
        icon="🧭",
        questions=(
            Question("help_working", _l("Is the help working for you?"), "choice", YES_BIT_NO),
            Question("what_helps", _l("What helps the most?")),
            # Translators: a question a child or parent answers.
            Question("what_to_change", _l("What should change?")),
        ),
    ),
    EntryKind(
        key="three_houses",
        # Translators: a kind of entry: the house of worries, of good things and of dreams (a well-known child tool).
        title=_l("Three houses"),
        intro=_l("Fill in your three houses: worries, good things and dreams."),
        icon="🏠",
        questions=(
            Question("house_of_worries", _l("House of worries: what worries you?")),
            Question("house_of_good_things", _l("House of good things: what is good in your life?")),
            Question("house_of_dreams", _l("House of dreams: what do you wish for?")),
        ),
    ),
    EntryKind(
        key="goodbye",
        # Translators: a kind of entry when the plan is ending: what the family member thinks.
        title=_l("Saying goodbye"),
        intro=_l("Your plan is ending. Tell your worker what you think."),
        icon="👋",
        questions=(
            Question("ready", _l("Do you feel ready for the plan to end?"), "choice", YES_BIT_NO),
            Question("what_helped", _l("What helped you most?")),
            Question("what_next", _l("What will help you after the plan ends?")),
        ),
    ),
    EntryKind(
        key="parent_views",
        title=_l("My views as a parent"),
        intro=_l("Tell your worker how things are for you and your family."),
        icon="🗣️",
        for_roles=frozenset({"parent"}),
        questions=(
            Question("going_well", _l("What is going well?")),
            Question("worried_about", _l("What are you worried about?")),
            Question("what_would_help", _l("What would help your family?")),
        ),
    ),
    EntryKind(
        key="talk",
        title=_l("I want to talk to my worker"),
        intro=_l("Your worker will see this first, before everything else."),
        icon="📣",
        urgent=True,
        questions=(
            Question("about", _l("What do you want to talk about? (You don't have to say.)")),
            Question(
                "safe_now",
                _l("Are you safe right now?"),
                "choice",
                (("yes", _l("Yes")), ("no", _l("No")), ("not_sure", _l("I'm not sure"))),
            ),
        ),
    ),
)

# --- Statements: "My life", "Something happened / I'm upset", "I want to complain or have an advocate".

MY_LIFE = "my_life"
SOMETHING_HAPPENED = "something_happened"
COMPLAINT = "complaint"

STATEMENTS: tuple[EntryKind, ...] = (
    EntryKind(
        key=MY_LIFE,
        # Translators: a kind of entry: a young person tells their worker about their life.
        title=_l("My life"),
        intro=_l("Tell your worker about your life: home, school, friends, health and what you enjoy."),
        icon="🌱",
        # Parents tell how things are for them in "My views as a parent".
        for_roles=frozenset({"young_person"}),
        questions=(
            Question(
                "home",
                _l("Home: how are things at home?"),
                # Translators: in a review, before what a young person wrote about home.
                sentence=_l("Home: %(answer)s"),
            ),
            Question("school", _l("School or college: how is it going?"), sentence=_l("School or college: %(answer)s")),
            Question(
                "friends",
                _l("Friends: who are your friends? How are things with them?"),
                # Translators: in a review, before what a young person wrote about their friends.
                sentence=_l("Friends: %(answer)s"),
            ),
            Question(
                "health",
                _l("Health: how are you feeling in your body and your mind?"),
                # Translators: in a review, before what a young person wrote about their health.
                sentence=_l("Health: %(answer)s"),
            ),
            Question("enjoy", _l("What do you enjoy doing?"), sentence=_l("What I enjoy: %(answer)s")),
        ),
    ),
    EntryKind(
        key=SOMETHING_HAPPENED,
        # Translators: a kind of entry: something bad happened or the person is upset.
        title=_l("Something happened / I'm upset"),
        intro=_l("Tell your worker what happened. You can write as much or as little as you like."),
        icon="🌧️",
        private=True,
        urgent_if=("safe_now", "no"),
        questions=(
            Question(
                "what_happened",
                # Translators: a question to a young person or parent who is upset: what happened to them?
                _l("What happened?"),
                # Translators: in a review, before what someone wrote about what happened to them.
                sentence=_l("What happened: %(answer)s"),
            ),
            Question(
                "where",
                _l("Where did it happen?"),
                # Translators: in a review, before where something happened to someone.
                sentence=_l("Where: %(answer)s"),
            ),
            # Translators: a question: who was there when something happened?
            Question("who", _l("Who was there?"), sentence=_l("Who was there: %(answer)s")),
            Question(
                "safe_now",
                _l("Are you safe right now?"),
                "choice",
                (
                    # Translators: an answer to "Are you safe right now?".
                    ("yes", _l("Yes, I am safe now")),
                    # Translators: an answer to "Are you safe right now?".
                    ("no", _l("No, I am not safe now")),
                ),
                hint=_l("If you say no, your worker is told straight away."),
                sentence=_l("Safe right now: %(answer)s"),
            ),
        ),
    ),
    EntryKind(
        key=COMPLAINT,
        title=_l("I want to complain or have an advocate"),
        intro=_l("You can complain about anything, even about your worker. An advocate is someone who helps you say what you want."),
        icon="✋",
        private=True,
        complaint=True,
        questions=(
            Question(
                "wants",
                _l("What do you want?"),
                "choice",
                (
                    # Translators: an answer to "What do you want?" on the complaint form.
                    ("complain", _l("To complain")),
                    # Translators: an answer to "What do you want?" on the complaint form.
                    ("advocate", _l("To have an advocate")),
                    # Translators: an answer to "What do you want?": to complain and to have an advocate.
                    ("both", _l("Both")),
                ),
                sentence=_l("What they want: %(answer)s"),
            ),
            Question("about", _l("What is it about?"), sentence=_l("What it is about: %(answer)s")),
            Question(
                "about_worker",
                _l("Is it about your worker?"),
                "choice",
                (
                    # Translators: an answer to "Is it about your worker?".
                    ("yes", _l("Yes")),
                    # Translators: an answer to "Is it about your worker?".
                    ("no", _l("No")),
                    # Translators: an answer to "Is it about your worker?".
                    ("rather_not_say", _l("I'd rather not say")),
                ),
                sentence=_l("About their worker: %(answer)s"),
            ),
            Question("put_right", _l("What would make it better?"), sentence=_l("What would make it better: %(answer)s")),
        ),
    ),
)

KINDS = KINDS + STATEMENTS

# An urgent entry raised by a score of 0 on a safety worry; never written through a form.
SAFETY_SCORE = "safety_score"

MADE_BY_FAMILY_VOICE: tuple[EntryKind, ...] = (
    EntryKind(
        key=SAFETY_SCORE,
        title=_l("Safety worry scored 0"),
        intro=_l("Someone scored a safety worry 0, so their worker sees it at once."),
        icon="🚨",
        for_roles=frozenset(),
        urgent=True,
        questions=(
            Question(
                "worry",
                # Translators: column heading: a worry someone scores 0 to 10 (see GLOSSARY.md).
                _l("Worry"),
                # Translators: %(answer)s is the wording of a worry.
                sentence=_l("Worry: %(answer)s"),
            ),
            Question(
                "score",
                # Translators: column heading: a worry score from 0 to 10.
                _l("Score"),
                "score",
                # Translators: %(answer)s is a worry score from 0 to 10.
                sentence=_l("Score: %(answer)s"),
            ),
            Question(
                "one_point_higher",
                _l("What would make it one point higher?"),
                sentence=_l("What would make it one point higher: %(answer)s"),
            ),
        ),
    ),
)

BY_KEY = {kind.key: kind for kind in KINDS + MADE_BY_FAMILY_VOICE}

# --- Drawn entries: a picture (or three) made on the phone's screen, with optional words.
# Written through their own pages (webapp/drawings), never the text form: no role has them as a form.
DRAWING = "drawing"
THREE_HOUSES_DRAWN = "three_houses_drawn"

DRAWN_KINDS: tuple[EntryKind, ...] = (
    EntryKind(
        key=DRAWING,
        # Translators: a child's page and tile: draw a picture for the worker.
        title=_l("Draw it"),
        intro=_l("Draw a picture for your worker."),
        icon="🖍️",
        for_roles=frozenset(),
        questions=(
            # Translators: optional words a child adds to a drawing.
            Question("about_drawing", _l("Words about my drawing")),
        ),
    ),
    EntryKind(
        key=THREE_HOUSES_DRAWN,
        # Translators: a child's page and tile: three drawings (house of worries, of good things, of dreams).
        title=_l("My three houses"),
        intro=_l("Draw your three houses: worries, good things and dreams."),
        icon="🏠",
        for_roles=frozenset(),
        questions=(
            # Translators: one of a child's three drawn houses.
            Question("house_of_worries", _l("House of worries")),
            # Translators: one of a child's three drawn houses.
            Question("house_of_good_things", _l("House of good things")),
            # Translators: one of a child's three drawn houses.
            Question("house_of_dreams", _l("House of dreams")),
        ),
    ),
)
DRAWN_KIND_KEYS = frozenset(kind.key for kind in DRAWN_KINDS)
BY_KEY.update({kind.key: kind for kind in DRAWN_KINDS})

FEELINGS: tuple[tuple[str, str, LazyString], ...] = (
    # Translators: a feeling a child taps (with an emoji); say it as the child would: "I feel happy".
    ("happy", "😊", _l("Happy")),
    # Translators: a feeling a child taps (with an emoji): "I feel OK" (neither good nor bad), not a button.
    ("ok", "🙂", _l("OK")),
    # Translators: a feeling a child taps (with an emoji); say it as the child would: "I feel sad".
    ("sad", "😢", _l("Sad")),
    # Translators: a feeling a child taps (with an emoji); say it as the child would: "I feel worried".
    ("worried", "😟", _l("Worried")),
    # Translators: a feeling a child taps (with an emoji); say it as the child would: "I feel angry".
    ("angry", "😠", _l("Angry")),
    # Translators: a feeling a child taps (with an emoji); say it as the child would: "I feel scared".
    ("scared", "😨", _l("Scared")),
)
FEELING_KEYS = frozenset(key for key, _emoji, _word in FEELINGS)


def kinds_for(role: str) -> list[EntryKind]:
    return [kind for kind in KINDS if role in kind.for_roles]


def title_of(kind_key: str) -> str:
    kind = BY_KEY.get(kind_key)
    return str(kind.title) if kind else kind_key


@dataclass(frozen=True)
class Answer:
    """One answer of an entry as a person reads it, in the reader's language."""

    key: str
    question: str
    answer: str
    # What was stored: a choice's key, a score's number, or the words themselves.
    value: str
    # The question and the answer as one line, for a review's exports.
    sentence: str
    # The person's own words (in the entry's language), not one of the app's choices or a number.
    typed: bool = True


def answer_words(question: Question, value: str) -> str:
    """A stored answer as the reader reads it: a choice's words, a score out of 10, or the words written."""
    if question.kind == "choice":
        return next((str(label) for key, label in question.choices if key == value), value)
    if question.kind == "score":
        return _("%(score)s out of 10", score=value)
    return value


def shown_answers(kind_key: str, answers: Mapping[str, Any]) -> list[Answer]:
    """An entry's answers with their questions, in the order they were asked, leaving out the blank ones.

    Every page, export and download shows answers through this, so each shows the same words.
    """
    kind = BY_KEY.get(kind_key)
    questions = kind.questions if kind else ()
    rows = []
    for question in questions:
        value = answers.get(question.key)
        if value is None or str(value).strip() == "":
            continue
        shown = answer_words(question, str(value))
        label = str(question.label)
        sentence = str(question.sentence) % {"answer": shown} if question.sentence else f"{label} “{shown}”"
        rows.append(Answer(question.key, label, shown, str(value), sentence, typed=question.kind not in ("choice", "score")))
    # Answers to questions a kind no longer asks are still shown, under their key.
    known = {question.key for question in questions}
    rows.extend(
        Answer(key, key, str(value), str(value), f"{key} “{value}”")
        for key, value in answers.items()
        if key not in known and str(value).strip()
    )
    return rows
