"""How long writing a review of 200 items as a PDF takes, with every language offered in it.

Measured in one run against a baseline: the same export with every font file read again for each
document, as fpdf2's add_font does. No database: the review is laid out in memory. Times are the
process's CPU time, which other work on a shared machine disturbs less than the clock.
Run: .venv/bin/python bench/review_export.py
"""

from __future__ import annotations

import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdf import FPDF

from webapp import fonts
from webapp.reviews import exports
from webapp.reviews.record import Block, Heading, Record

ITEMS = 200
ROUNDS = 9
SENTENCES = {
    "en": "I feel safer at home now and I sleep well.",
    "pl": "Dzieci śpią lepiej, wieczory są spokojniejsze.",
    "ro": "Mă simt în siguranță acasă și dorm bine în fiecare seară.",
    "pt": "Sinto-me mais segura em casa e durmo melhor à noite.",
    "ar": "أشعر بالأمان في البيت وأنام جيدا",
    "ur": "میں اب گھر میں محفوظ محسوس کرتا ہوں",
    "pa": "ਮੈਂ ਹੁਣ ਘਰ ਵਿੱਚ ਸੁਰੱਖਿਅਤ ਮਹਿਸੂਸ ਕਰਦਾ ਹਾਂ",
    "uk": "Я почуваюся вдома в безпеці й добре сплю.",
}


def review(languages: list[str]) -> Record:
    blocks = []
    for number in range(ITEMS):
        language = languages[number % len(languages)]
        blocks += [
            Block(f"Person {number}", "person"),
            Block(f"Good news, 3 Jun 2026 (written in {language})", "meta"),
            Block(f"“{SENTENCES[language]}”", "quote", language),
        ]
    return Record("Review: The Bench family", "Period: 1 June 2026 to 30 June 2026 · Draft", [Heading("voice_of_child", "Voice of Child", blocks)], "en")


def read_every_time(doc: FPDF) -> None:
    for family in fonts.FAMILIES:
        for style, file in (("", family.regular), ("B", family.bold)):
            if file:
                doc.add_font(family.name, style, str(fonts.FOLDER / file))


def main() -> None:
    logging.disable(logging.WARNING)
    cached = fonts.add_to_pdf
    exports.pdf(review(["en"]))  # the first export reads the files
    for name, languages in (("8 languages", list(SENTENCES)), ("English only", ["en"])):
        record = review(languages)
        times: dict[str, list[float]] = {"fonts read for each export": [], "fonts read once": []}
        for _ in range(ROUNDS):
            for variant, setup in (("fonts read for each export", read_every_time), ("fonts read once", cached)):
                fonts.add_to_pdf = setup
                start = time.process_time()
                exports.pdf(record)
                times[variant].append(time.process_time() - start)
        fonts.add_to_pdf = cached
        for variant, measured in times.items():
            print(f"{name:13} {variant:27} median {statistics.median(measured) * 1000:5.0f} ms, fastest {min(measured) * 1000:5.0f} ms")


if __name__ == "__main__":
    main()
