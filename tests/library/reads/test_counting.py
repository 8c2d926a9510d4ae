"""The counting table (`library.reads.counting`), row by row."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.library.reads.counting import Read, counted, once

D = dt.date
YEAR_2026 = (D(2026, 1, 1), D(2026, 12, 31))


def read(
    book_id: int = 1,
    finished: dt.date | None = None,
    *,
    done: bool = True,
    started: dt.date | None = None,
    source: str = "library",
    hc_book: int | None = None,
    hc_read: int | None = None,
) -> Read:
    return Read(book_id, started, finished, done, source, hc_book, hc_read, None, None)


# (case, reads, window, finished counted as (book_id, finish day), no-date books)
CASES = [
    ("finished inside the window", [read(1, D(2026, 5, 1))], YEAR_2026, [(1, "2026-05-01")], []),
    ("first day counts", [read(1, D(2026, 1, 1))], YEAR_2026, [(1, "2026-01-01")], []),
    ("last day counts", [read(1, D(2026, 12, 31))], YEAR_2026, [(1, "2026-12-31")], []),
    ("finished before the window", [read(1, D(2025, 12, 31))], YEAR_2026, [], []),
    ("finished after the window", [read(1, D(2027, 1, 1))], YEAR_2026, [], []),
    (
        "first finished in 2024, re-read in 2026: counts in 2026",
        [read(1, D(2024, 3, 1)), read(1, D(2026, 2, 1))],
        YEAR_2026,
        [(1, "2026-02-01")],
        [],
    ),
    (
        "the same re-read counts once in 2024 too",
        [read(1, D(2024, 3, 1)), read(1, D(2026, 2, 1))],
        (D(2024, 1, 1), D(2024, 12, 31)),
        [(1, "2024-03-01")],
        [],
    ),
    (
        "two reads of one book in one year count twice",
        [read(1, D(2026, 2, 1)), read(1, D(2026, 9, 1))],
        YEAR_2026,
        [(1, "2026-02-01"), (1, "2026-09-01")],
        [],
    ),
    ("done without a date: listed apart", [read(1, None)], YEAR_2026, [], [1]),
    (
        "done without a date, started after the window: not listed",
        [read(1, None, started=D(2027, 2, 1))],
        YEAR_2026,
        [],
        [],
    ),
    (
        "done without a date, started inside: listed apart",
        [read(1, None, started=D(2026, 2, 1))],
        YEAR_2026,
        [],
        [1],
    ),
    ("open read never counts", [read(1, None, done=False)], YEAR_2026, [], []),
    (
        "abandoned read with a date never counts",
        [read(1, D(2026, 4, 1), done=False)],
        YEAR_2026,
        [],
        [],
    ),
    (
        "library and Hardcover, same read id: once (the library's)",
        [
            read(1, D(2026, 3, 1), hc_book=9, hc_read=70),
            read(1, D(2026, 3, 2), source="hardcover", hc_book=9, hc_read=70),
        ],
        YEAR_2026,
        [(1, "2026-03-01")],
        [],
    ),
    (
        "library and Hardcover, same book and finish day, no id yet: once",
        [
            read(1, D(2026, 3, 1), hc_book=9),
            read(1, D(2026, 3, 1), source="hardcover", hc_book=9, hc_read=71),
        ],
        YEAR_2026,
        [(1, "2026-03-01")],
        [],
    ),
    (
        "two copies of one Hardcover book, same finish day: once",
        [read(1, D(2026, 3, 1), hc_book=9), read(2, D(2026, 3, 1), hc_book=9)],
        YEAR_2026,
        [(1, "2026-03-01")],
        [],
    ),
    (
        "two copies of one Hardcover book, other days: two reads",
        [read(1, D(2026, 3, 1), hc_book=9), read(2, D(2026, 8, 1), hc_book=9)],
        YEAR_2026,
        [(1, "2026-03-01"), (2, "2026-08-01")],
        [],
    ),
    (
        "two unlinked books, same finish day: two reads",
        [read(1, D(2026, 3, 1)), read(2, D(2026, 3, 1))],
        YEAR_2026,
        [(1, "2026-03-01"), (2, "2026-03-01")],
        [],
    ),
    (
        "Hardcover re-read of a library book: counts on its own date",
        [
            read(1, D(2024, 3, 1), hc_book=9, hc_read=70),
            read(1, D(2024, 3, 1), source="hardcover", hc_book=9, hc_read=70),
            read(1, D(2026, 6, 1), source="hardcover", hc_book=9, hc_read=80),
        ],
        YEAR_2026,
        [(1, "2026-06-01")],
        [],
    ),
    (
        "no-date read in the library and on Hardcover: listed once",
        [read(1, None, hc_book=9), read(1, None, source="hardcover", hc_book=9, hc_read=5)],
        YEAR_2026,
        [],
        [1],
    ),
    (
        "two no-date reads of one copy: two reads",
        [read(1, None), read(1, None)],
        YEAR_2026,
        [],
        [1, 1],
    ),
    (
        "oldest first",
        [read(2, D(2026, 9, 1)), read(1, D(2026, 2, 1))],
        YEAR_2026,
        [(1, "2026-02-01"), (2, "2026-09-01")],
        [],
    ),
]


@pytest.mark.parametrize(
    ("reads", "window", "finished", "no_date"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_counting_table(reads, window, finished, no_date):
    result = counted(reads, *window)
    assert [(r.book_id, r.finished.isoformat()) for r in result.finished] == finished
    assert [r.book_id for r in result.no_date] == no_date


def test_the_read_kept_of_two_is_the_librarys_whatever_the_order():
    library = read(1, D(2026, 3, 1), hc_book=9)
    hardcover = read(1, D(2026, 3, 1), source="hardcover", hc_book=9, hc_read=71)
    assert once([hardcover, library]) == [library]
    assert once([library, hardcover]) == [library]


def test_a_hardcover_id_learnt_through_a_day_match_joins_a_third_sighting():
    """A library read matched by day to Hardcover's read 71 also absorbs read 71 seen again
    with another date (edited on hardcover.app before the next pull)."""
    library = read(1, D(2026, 3, 1), hc_book=9)
    seen = [
        library,
        read(1, D(2026, 3, 1), source="hardcover", hc_book=9, hc_read=71),
        read(2, D(2026, 3, 5), source="hardcover", hc_book=9, hc_read=71),
    ]
    assert once(seen) == [library]
