"""The year in review's rules (`library.year.figures`), table-driven over plain reads."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bookorbit_desktop.library.history.rules import hour_totals, weekday_totals
from bookorbit_desktop.library.reads.counting import Read, counted
from bookorbit_desktop.library.year.figures import (
    BookFacts,
    KoreaderInput,
    book_key,
    year_figures,
    year_reads,
)
from bookorbit_desktop.library.year.report import pages_text

D = dt.date


def read(book, finished, *, started=None, done=True, source="library", hc_book=None,
         hc_read=None, pages=None, device=None):  # fmt: skip
    return Read(book, started, finished, done, source, hc_book, hc_read, pages, device)


# (case, reads, the year's counted (book, finish date, re-read), the no-date books)
CASES = [
    ("finished inside the year", [read(1, D(2026, 3, 1))], [(1, D(2026, 3, 1), False)], []),
    ("the first and last day count", [read(1, D(2026, 1, 1)), read(2, D(2026, 12, 31))],
     [(1, D(2026, 1, 1), False), (2, D(2026, 12, 31), False)], []),
    ("finished the year before or after", [read(1, D(2025, 12, 31)), read(2, D(2027, 1, 1))],
     [], []),
    ("first finished in 2024, re-read in 2026: counts in 2026, as a re-read",
     [read(1, D(2024, 5, 1)), read(1, D(2026, 2, 1))], [(1, D(2026, 2, 1), True)], []),
    ("read twice in the year: both count, the second is the re-read",
     [read(1, D(2026, 1, 5)), read(1, D(2026, 9, 5))],
     [(1, D(2026, 1, 5), False), (1, D(2026, 9, 5), True)], []),
    ("the same read from the library and from Hardcover counts once",
     [read(1, D(2026, 4, 2), hc_book=9), read(1, D(2026, 4, 2), source="hardcover", hc_book=9,
                                             hc_read=70)],
     [(1, D(2026, 4, 2), False)], []),
    ("two copies of one Hardcover book finished the same day count once",
     [read(1, D(2026, 4, 2), hc_book=9), read(2, D(2026, 4, 2), hc_book=9)],
     [(1, D(2026, 4, 2), False)], []),
    ("a copy's earlier read makes the other copy's read a re-read",
     [read(1, D(2023, 4, 2), hc_book=9), read(2, D(2026, 6, 2), hc_book=9)],
     [(2, D(2026, 6, 2), True)], []),
    ("done with no finish date: listed apart, not counted",
     [read(1, None, started=D(2026, 2, 1))], [], [1]),
    ("open and abandoned reads never count",
     [read(1, None, started=D(2026, 2, 1), done=False),
      read(2, D(2026, 3, 1), done=False)], [], []),
]  # fmt: skip


@pytest.mark.parametrize(("case", "reads", "finished", "no_date"), CASES, ids=[c[0] for c in CASES])
def test_which_reads_a_year_holds(case, reads, finished, no_date):
    found = year_reads(reads, 2026)
    got = [
        (r.book_id, r.finished, again)
        for r, again in zip(found.counted.finished, found.reread, strict=True)
    ]
    assert got == finished
    assert [r.book_id for r in found.counted.no_date] == no_date


def facts(title, authors=("Ann",), tags=(), languages=("en",), rating=None):
    return BookFacts(title, tuple(authors), tuple(tags), tuple(languages), rating)


NO_KOREADER = KoreaderInput([], [0] * 24)


def test_the_reads_figures_follow_the_table():
    reads = [
        read(1, D(2026, 1, 10), started=D(2026, 1, 1), pages=300),  # 10 days
        read(2, D(2026, 1, 20), started=D(2026, 1, 20), pages=90),  # the same day: 1 day
        read(3, D(2024, 6, 1), pages=500),
        read(3, D(2026, 5, 3), started=D(2026, 4, 1), pages=500),  # a re-read
        read(4, D(2026, 5, 9)),  # no page count
        read(5, None, started=D(2026, 7, 1)),  # no date
    ]
    books = {
        1: facts("Dune", ["Frank Herbert"], ["sf"], ["en"], 5.0),
        2: facts("Emma", ["Jane Austen"], ["classic"], ["en"], 3.0),
        # A parallel text counts under each of its languages, as under each of its tags.
        3: facts("Emma again", ["Jane Austen"], ["classic", "sf"], ["fr", "en"], 4.0),
        4: facts("Kim", ["Rudyard Kipling"], [], []),
        5: facts("Ulysses", ["James Joyce"]),
    }
    figures = year_figures(2026, year_reads(reads, 2026), books, NO_KOREADER, 2, 7)
    assert [r.title for r in figures.finished] == ["Dune", "Emma", "Emma again", "Kim"]
    assert [r.title for r in figures.no_date] == ["Ulysses"]
    assert figures.books_per_month == (2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0)
    assert figures.pages_per_month == (390, 0, 0, 0, 500, 0, 0, 0, 0, 0, 0, 0)
    assert figures.pages == 890 and figures.unpaged == 1
    assert pages_text(figures) == "890 (1 book without a page count)"
    assert pages_text(figures, unit=True) == "890 pages; 1 book without a page count"
    unpaged = year_figures(2026, year_reads(reads[4:], 2026), books, NO_KOREADER, 0, 0)
    assert pages_text(unpaged) == "not known"  # never "0 pages" for counts the library lacks
    assert pages_text(unpaged, unit=True) == "pages not known"
    assert (figures.rereads, figures.abandoned, figures.highlights) == (1, 2, 7)
    assert (figures.average_rating, figures.rated) == (4.0, 3)
    assert figures.longest and figures.longest.title == "Emma again"
    assert figures.shortest and figures.shortest.title == "Emma"
    assert figures.fastest and (figures.fastest.title, figures.fastest.days) == ("Emma", 1)
    assert figures.top_authors[0] == ("Jane Austen", 2)
    assert figures.top_tags == (("classic", 2), ("sf", 2))
    assert figures.top_languages == (("en", 3), ("fr", 1))
    assert figures.koreader is None  # no KOReader statistics: the reads' figures still show


def test_koreader_figures_per_month_weekday_and_streak():
    days = [
        (D(2026, 3, 2), 600, 10),  # a Monday
        (D(2026, 3, 3), 1200, 20),
        (D(2026, 3, 4), 60, 1),
        (D(2026, 12, 31), 3600, 40),  # a Thursday
    ]
    hours = [0] * 24
    hours[21] = 5460
    figures = year_figures(2026, year_reads([], 2026), {}, KoreaderInput(days, hours), 0, 0)
    koreader = figures.koreader
    assert koreader is not None
    assert (koreader.seconds, koreader.pages, koreader.days_read) == (5460, 71, 4)
    assert koreader.longest_streak == 3
    assert (koreader.months[2], koreader.months[11], sum(koreader.months)) == (1860, 3600, 5460)
    assert koreader.weekdays == (600, 1200, 60, 3600, 0, 0, 0)
    assert koreader.hours[21] == 5460


def test_hours_count_where_a_session_starts_and_weekdays_from_monday():
    hour_of = lambda start: start // 3600 % 24  # noqa: E731  (UTC)
    assert hour_totals([(3600 * 25, 100), (3600 * 25 + 3599, 50), (0, 7)], hour_of)[:2] == [7, 150]
    assert weekday_totals([(D(2026, 11, 30), 5), (D(2026, 12, 6), 9)]) == [5, 0, 0, 0, 0, 0, 9]


def test_the_years_reads_are_what_counting_every_read_gives():
    """`year_reads` counts only the reads that can count in the year, and finds re-reads among
    the earlier ones of the same books: the same answers as `counted` over every read, on reads
    drawn at random (copies, sources, Hardcover ids)."""
    rng = random.Random(3)
    for _ in range(200):
        reads = []
        for _ in range(rng.randint(0, 12)):
            hc_book = rng.choice([None, 9])  # a Hardcover read is of one Hardcover book
            finished = rng.choice(
                [None, D(2025, 12, 31), D(2026, 1, 1), D(2026, 6, 1), D(2027, 1, 1)]
            )
            reads.append(
                read(
                    rng.randint(1, 3),
                    finished,
                    started=rng.choice([None, D(2025, 6, 1), D(2026, 3, 1), D(2027, 2, 1)]),
                    done=rng.random() < 0.8,
                    source=rng.choice(["library", "koreader", "hardcover"]),
                    hc_book=hc_book,
                    hc_read=rng.choice([None, None, 70, 71]) if hc_book else None,
                )
            )
        found = year_reads(reads, 2026)
        year = counted(reads, D(2026, 1, 1), D(2026, 12, 31))
        assert found.counted == year
        seen = {book_key(r) for r in counted(reads, dt.date.min, D(2025, 12, 31)).finished}
        again = []
        for r in year.finished:
            again.append(book_key(r) in seen)
            seen.add(book_key(r))
        assert found.reread == tuple(again)
