"""How long writing a review as a PDF takes, with every language offered in it.

1. 200 items, in one run against a baseline: the same export with every font file read again for
   each document, as fpdf2's add_font does.
2. 2,000 items (goal: under a second), against the same export with every block laid out by
   fpdf2's multi_cell (its line breaking, with fallback fonts), as before text in one font was
   written a line at a time.
No database: the review is laid out in memory. Times are the process's CPU time, which other work
on a shared machine disturbs less than the clock.
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
BIG = 2000
BIG_ROUNDS = 3
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


def review(languages: list[str], items: int = ITEMS) -> Record:
    blocks = []
    for number in range(items):
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
    one_font_lines = exports._one_font_lines
    print(f"\n{BIG} items, median of {BIG_ROUNDS} (goal: under 1 s)")
    for name, languages in (("English only", ["en"]), ("8 languages", list(SENTENCES))):
        record = review(languages, BIG)
        big: dict[str, list[float]] = {"all by multi_cell": [], "one font a line at a time": []}
        for _ in range(BIG_ROUNDS):
            for variant in big:
                exports._one_font_lines = (lambda *_: None) if variant == "all by multi_cell" else one_font_lines  # type: ignore[assignment]
                start = time.process_time()
                exports.pdf(record)
                big[variant].append(time.process_time() - start)
        exports._one_font_lines = one_font_lines
        before, after = (statistics.median(measured) for measured in big.values())
        print(f"{name:13} all by multi_cell {before * 1000:6.0f} ms, one font a line at a time {after * 1000:6.0f} ms ({before / after:.1f}x faster)")


if __name__ == "__main__":
    main()
