"""The message catalogues: the template matches the code, and every translation is complete and safe to show."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from webapp.config import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LOCALES = sorted(path.parts[-3] for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))

# Python %-formatting: %(name)s, %s, %d, %.1f ... ("%%" is a literal percent sign).
PLACEHOLDER = re.compile(r"%%|%(?:\((\w+)\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")
# A plural form may leave out the number itself ("one person", "شخصان"), never anything else.
NUMBER_NAMES = frozenset({"num", "count"})
TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


@cache
def _catalogue(locale: str) -> Catalog:
    return _read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    """Every message id; a plural message counts as its (singular, plural) pair."""
    return {message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id}


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _forms(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string or ())


def _source(message: Message) -> str:
    """The English text a translation is compared with: the plural id for plural messages."""
    return message.id if isinstance(message.id, str) else message.id[1]


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text) if match.group(0) != "%%"}


def _named(placeholder: str) -> str | None:
    match = PLACEHOLDER.fullmatch(placeholder)
    return match.group(1) if match else None


def _tags(text: str) -> Counter[str]:
    return Counter(slash + name.lower() for slash, name in TAG.findall(text))


def _extract(tmp_path: Path) -> Catalog:
    """Extract the strings from the code as `make update-translations` does, through a temporary file."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename="babel.cfg")
    catalog = Catalog(project="Family Voice")
    found = extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={**DEFAULT_KEYWORDS, "_l": None, "lazy_ngettext": (1, 2)},
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    path = tmp_path / "messages.pot"
    with path.open("wb") as f:
        write_po(f, catalog, no_location=True, sort_output=True)
    return _read(path)


def test_template_matches_the_code(tmp_path: Path) -> None:
    """translations/messages.pot holds exactly the strings the code and templates ask for."""
    in_code = _ids(_extract(tmp_path))
    in_template = _ids(_read(TEMPLATE))
    assert in_code, "no strings were extracted: check babel.cfg"
    assert in_template == in_code, (
        "translations/messages.pot is out of date: run `make update-translations`, then translate the new strings.\n"
        f"Missing from the template: {sorted(map(str, in_code - in_template))}\n"
        f"No longer in the code: {sorted(map(str, in_template - in_code))}"
    )


def test_every_offered_language_has_a_catalogue() -> None:
    """Each language users can choose, apart from English, has a catalogue."""
    assert set(LANGUAGES) - {"en"} <= set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale: str) -> None:
    """The catalogue has the template's messages, each translated in full and none fuzzy."""
    catalog = _catalogue(locale)
    template = _ids(_read(TEMPLATE))
    assert _ids(catalog) == template, f"{locale}: run `make update-translations` and translate the new strings"
    assert not catalog.fuzzy, f"{locale}: the catalogue header is marked fuzzy"
    problems = []
    for message in _messages(catalog):
        forms = _forms(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if message.pluralizable and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} plural forms, not {catalog.num_plurals}: {message.id!r}")
        if not all(form.strip() for form in forms):
            problems.append(f"not translated: {message.id!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match(locale: str) -> None:
    """Every translation uses the English text's placeholders, so formatting never fails or loses a value."""
    problems = []
    for message in _messages(_catalogue(locale)):
        expected = _placeholders(_source(message))
        for form in _forms(message):
            found = _placeholders(form)
            if message.pluralizable:
                required = {p for p in expected if _named(p) not in NUMBER_NAMES}
                ok = required <= found <= expected
            else:
                ok = found == expected
            if not ok:
                problems.append(f"{message.id!r}: expected {sorted(expected)}, found {sorted(found)} in {form!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_html_tags_match(locale: str) -> None:
    """Every translation keeps the HTML tags of the English text."""
    problems = []
    for message in _messages(_catalogue(locale)):
        expected = _tags(_source(message))
        for form in _forms(message):
            if _tags(form) != expected:
                problems.append(f"{message.id!r}: expected tags {dict(expected)}, found {dict(_tags(form))} in {form!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_babel_checks_pass(locale: str) -> None:
    """Babel's own checks (plural forms, python-format) find nothing wrong."""
    errors = [f"{message.id!r}: {error}" for message, message_errors in _catalogue(locale).check() for error in message_errors]
    assert not errors, f"{locale}:\n" + "\n".join(errors)


# Polish verbs and adjectives that say whether "you" or "I" is a man or a woman: past and conditional
# second person ("napisałeś", "dodałaś", "zrobiłbyś"), "byś ... dodał", first person past ("zrobiłem",
# "byłam"), and "jesteś/jestem" with an adjective ("jesteś bezpieczny"). A mother, a girl or a
# grandfather may be reading, so the catalogue uses the present tense, infinitives or impersonal forms.
GENDERED_POLISH = re.compile(
    r"\b\w+(?:łeś|łaś|łbyś|łabyś|łbym|łabym|łyście|łybyście)\b"
    r"|\b\w*[aeiyąę]ł[ae]m\b"
    r"|\bby[śm]\b(?:\s+\S+){0,3}?\s+\w+ła?\b"
    r"|\b(?:jesteś|jestem)\s+\w+[yai]\b",
    re.IGNORECASE,
)


def test_gendered_polish_is_recognised() -> None:
    """The check finds the forms it is meant to find, and leaves neutral wording alone."""
    for gendered in ("Co byś dodał?", "Co napisałeś", "Co wysłałaś", "Zrobiłbyś to?", "Jeśli nie jesteś bezpieczny",
                     "Zapomniałem hasła", "Byłam na spotkaniu"):
        assert GENDERED_POLISH.search(gendered), gendered
    for neutral in ("Co chcesz dodać?", "Twoje słowa", "Jeśli coś Ci grozi", "Pracuję z zespołem",
                    "Nic jeszcze nie napisano.", "Czy teraz nic Ci nie grozi?", "Co by pomogło?"):
        assert not GENDERED_POLISH.search(neutral), neutral


def test_polish_does_not_assume_who_is_reading() -> None:
    """No Polish translation addresses the reader, or speaks for them, as a man or as a woman."""
    problems = [
        f"{match.group(0)!r} in {form!r}"
        for message in _messages(_catalogue("pl"))
        for form in _forms(message)
        for match in GENDERED_POLISH.finditer(form)
    ]
    assert not problems, "pl: use the present tense, an infinitive or an impersonal form:\n" + "\n".join(problems)


# The same rule in the other languages that mark gender on "you". Each pattern finds a form that says
# whether the reader is a man or a woman; the glossary's section for the language says what is used instead.
_AR = r"[\u0600-\u06FF]"
GENDERED = {
    # Masculine imperatives and "do you agree" (feminine: اكتبي، اختاري، توافقين), and a vowelled "you" (عملتَ، عملتِ).
    "ar": re.compile(
        rf"(?<!{_AR})[وف]?(?:اكتب|اختر|أضف|احفظ|اطلب|اتصل|امسح|ارسم|اضغط|اقرأ|أعطِ|أعط|اترك|انقر|أدخل)(?!{_AR})"
        rf"|(?<!{_AR})توافق(?!{_AR})|{_AR}+ت[َِ](?!{_AR})"
    ),
    # "آپ" as the subject of a verb that agrees with a man (سکتے ہیں، سوچتے ہیں، کریں گے، کر رہے ہیں).
    "ur": re.compile(r"آپ(?! (?:کے|کی|کا|کو|نے|سے)(?:\s|$))(?:\s+[^\s۔؟،]+){0,8}?\s+[^\s۔؟،]*(?:تے|تی|رہے|رہی|چکے|چکی|گئے|گئی) (?:ہیں|تھے|تھیں)"
                     r"|آپ(?! (?:کے|کی|کا|کو|نے|سے)(?:\s|$))(?:\s+[^\s۔؟،]+){0,8}?\s+[^\s۔؟،]*(?:گے|گی)(?=[\s۔؟،]|$)"),
    # "ਤੁਸੀਂ" forms with "ਹੋ" that agree with a man or a woman (ਸਕਦੇ ਹੋ، ਕਰ ਰਹੇ ਹੋ، ਸੋਚਦੇ ਹੋ), and the future (ਕਰੋਗੇ).
    "pa": re.compile(r"[^\s।?]*(?:ਦੇ|ਦੀ|ਦੀਆਂ|ਰਹੇ|ਰਹੀ|ਗਏ|ਗਈ|ਚੁੱਕੇ|ਚੁੱਕੀ) ਹੋ(?! ਸਕ)(?![\u0A00-\u0A7F])|[^\s।?]+ੋਗੇ|[^\s।?]+ੋਗੀ"),
    # "ти" with a past tense or an adjective that agrees with a man or a woman ("ти додав", "ти готова").
    "uk": re.compile(r"\b[тТ]и\s+(?:\w+\s+){0,2}?\w+(?:в|ла|вся|лася)\b|\b[тТ]и\s+(?:\w+\s+)?(?:впевнен|готов|рад|згоден|згодна)\w*\b"
                     r"|\b[Зз]абув\b|\b[Зз]абула\b"),
    # Both endings offered at once ("numit(ă)"), or "ești" with an adjective or participle that agrees.
    "ro": re.compile(r"\w\((?:ă|a)\)|\w/ă\b|\beș?ti\s+\w+(?:at|ată|it|ită|ut|ută|os|oasă)\b"),
    "pt": re.compile(r"\w\([oa]\)|\w/a\b|\b(?:estás|és|ficas|ficaste|foste)\s+(?:\w+(?:ado|ada|ido|ida)|pront[oa]|segur[oa]|sozinh[oa])\b"),
}


@pytest.mark.parametrize(
    ("locale", "gendered", "neutral"),
    [
        ("ar", ["اكتب الترجمة من فضلك.", "اختر سببًا للإغلاق.", "هل توافق على هذه الخطة؟", "عملتَ أنت وأسرتك"],
         ["يُرجى كتابة الترجمة.", "هل هذه الخطة مقبولة لديك؟", "ما الذي يقلقك؟", "أرسل %(name)s رسالة", "تم تسجيل خروجك", "أو وضع علامة"]),
        ("ur", ["آپ یہ چھوڑ سکتے ہیں", "آپ کیا سوچتے ہیں", "آپ کیا کریں گے؟", "آپ یہ %(name)s کے ساتھ مل کر کر رہے ہیں۔"],
         ["آپ کے ورکر دیکھ سکتے ہیں", "آپ کو کیسا لگ رہا ہے؟", "یہ چھوڑا بھی جا سکتا ہے۔", "آپ کی کیا رائے ہے؟", "جو آپ لکھیں"]),
        ("pa", ["ਤੁਸੀਂ ਇਹ ਛੱਡ ਸਕਦੇ ਹੋ", "ਤੁਸੀਂ ਕੀ ਸੋਚਦੇ ਹੋ", "ਤੁਸੀਂ ਕਰ ਰਹੇ ਹੋ", "ਤੁਸੀਂ ਕਰੋਗੇ", "ਤੁਸੀਂ ਪੜ੍ਹ ਸਕੋਗੇ"],
         ["ਇਹ ਛੱਡਿਆ ਜਾ ਸਕਦਾ ਹੈ", "ਤੁਹਾਨੂੰ ਕਿਵੇਂ ਲੱਗ ਰਿਹਾ ਹੈ?", "ਜੇ ਤੁਸੀਂ ਚਾਹੋ", "ਤੁਸੀਂ ਭੇਜਿਆ", "ਮਦਦ ਕਰ ਸਕਦੇ ਹਨ", "ਜਿੰਨੀ ਜਲਦੀ ਹੋ ਸਕੇ"]),
        ("uk", ["Що ти додав?", "ти написала", "Ти готовий?", "Забув пароль?"],
         ["Що хочеш додати?", "Не пам'ятаєш пароль?", "Збережено", "Згоду надано"]),
        ("ro", ["în care ești numit(ă)", "Ai fost deconectat/ă", "ești pregătit"], ["Ai ieșit din cont", "Te simți gata?", "în care apare numele tău"]),
        ("pt", ["Estás pront(o)", "estás preocupado", "foste convidada"], ["Obrigado por nos contares.", "Está tudo pronto.", "Podes mudá-los."]),
    ],
)
def test_gendered_forms_are_recognised(locale: str, gendered: list[str], neutral: list[str]) -> None:
    """Each language's check finds the forms that say whether the reader is a man or a woman, and leaves neutral wording alone."""
    for text in gendered:
        assert GENDERED[locale].search(text), text
    for text in neutral:
        assert not GENDERED[locale].search(text), text


@pytest.mark.parametrize("locale", sorted(GENDERED))
def test_no_translation_assumes_who_is_reading(locale: str) -> None:
    """A mother, a father, a girl, a boy or a grandparent may be reading, and a worker may be a man or a woman:
    no translation addresses them as one or the other (translations/GLOSSARY.md says how each language does it)."""
    problems = [
        f"{match.group(0)!r} in {form!r}"
        for message in _messages(_catalogue(locale))
        for form in _forms(message)
        for match in GENDERED[locale].finditer(form)
    ]
    assert not problems, f"{locale}: see the language's section in translations/GLOSSARY.md:\n" + "\n".join(problems)


def _translations(locale: str) -> Translations:
    buffer = BytesIO()
    write_mo(buffer, _catalogue(locale))
    buffer.seek(0)
    return Translations(buffer)


@pytest.mark.parametrize(
    ("locale", "num", "expected"),
    [
        ("pl", 1, "1 osoba"), ("pl", 3, "3 osoby"), ("pl", 5, "5 osób"), ("pl", 12, "12 osób"), ("pl", 22, "22 osoby"),
        ("uk", 1, "1 людина"), ("uk", 3, "3 людини"), ("uk", 11, "11 людей"), ("uk", 21, "21 людина"),
        ("ro", 1, "1 persoană"), ("ro", 3, "3 persoane"), ("ro", 20, "20 de persoane"),
        ("ar", 1, "شخص واحد"), ("ar", 2, "شخصان"), ("ar", 3, "3 أشخاص"), ("ar", 11, "11 شخصًا"), ("ar", 100, "100 شخص"),
        ("pt", 1, "1 pessoa"), ("pt", 2, "2 pessoas"),
    ],
)
def test_counts_take_the_plural_form_the_language_needs(locale: str, num: int, expected: str) -> None:
    """A count reads as the language says it: Polish 2, 5 and 22 differ, Arabic has its own forms for 1, 2, 3-10 and 11-99."""
    assert _translations(locale).ungettext("%(num)d person", "%(num)d people", num) % {"num": num} == expected


def test_short_strings_carry_a_note_for_translators() -> None:
    """A string of one to three words ("Address", "From", "OK") is ambiguous without its page, so each has a
    `# Translators:` note (`{# Translators: ... #}` in a template) that extraction copies into messages.pot."""
    bare = [
        message.id
        for message in _messages(_read(TEMPLATE))
        if len(_source(message).split()) <= 3 and not message.auto_comments
    ]
    assert not bare, (
        "add a `# Translators:` note (`{# Translators: ... #}` in a template) on the line before each of these, "
        "then run `make update-translations`:\n" + "\n".join(map(str, bare))
    )
