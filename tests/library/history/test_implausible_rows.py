"""Page records with impossible times are left out at import and counted; rows an older
version stored anyway never break the statistics."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.plausible import EARLIEST_START
from bookorbit_desktop.library.history.queries import (
    book_sessions,
    history_books,
    history_days,
    statistics,
)
from bookorbit_desktop.library.history.rules import LocalDays
from bookorbit_desktop.library.reading.pushes import link_document
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.statistics.service import load_statistics
from tests.factories import add_book
from tests.library.history.koreader_file import KoBook, write_statistics

UTC = LocalDays(lambda _ts: 0)
DAY = 86_400
NOW = 20_000 * DAY  # 2024-10-04 00:00 UTC
YEAR_2100 = 4_102_444_800


@pytest.mark.parametrize(
    ("row", "kept"),
    [
        ((1, NOW - DAY, 60, 100), True),
        ((2, 0, 60, 100), False),  # a reader whose clock said 1970
        ((3, -5_000, 60, 100), False),
        ((4, YEAR_2100, 60, 100), False),
        ((5, NOW - 3 * DAY, 10 * 365 * DAY, 100), False),  # a ten-year page
        ((6, NOW - 3 * DAY, -60, 100), False),
        ((7, EARLIEST_START - 1, 60, 100), False),  # before the first Kindle
        ((8, EARLIEST_START, 60, 100), True),
        ((9, NOW + DAY, 60, 100), True),  # a reader's clock a little ahead
        ((10, NOW + DAY + 1, 60, 100), False),
        ((11, NOW - 2 * DAY, DAY, 100), True),
        ((12, NOW - 2 * DAY, DAY + 1, 100), False),
        ((13, 10**15, 60, 100), False),  # "year 33712 is out of range" once
    ],
)
def test_a_record_is_kept_only_with_a_possible_time(library, tmp_path, row, kept):
    path = write_statistics(tmp_path / "s.sqlite3", [KoBook("Dune", "F", "a" * 32, 100, [row])])
    summary = import_statistics(path, local_day=UTC, clock=lambda: NOW)
    assert (summary.rows_added, summary.dropped) == ((1, 0) if kept else (0, 1))
    assert ("left out" in summary.describe()) is not kept


def test_the_report_counts_every_record_left_out(library, tmp_path):
    rows = [(1, NOW - DAY, 60, 100), (2, 0, 60, 100), (3, YEAR_2100, 60, 100)]
    path = write_statistics(tmp_path / "s.sqlite3", [KoBook("Dune", "F", "a" * 32, 100, rows)])
    summary = import_statistics(path, local_day=UTC, clock=lambda: NOW)
    assert summary.describe() == (
        "1 books (1 with new reading), 1 new page records; 2 page records left out because "
        "their time is impossible (before November 2007, in the future, or longer than a day)"
    )
    [book] = history_books()
    assert (book.first_read, book.last_read, book.read_seconds) == (NOW - DAY, NOW - DAY + 60, 60)


def _store_as_an_older_version_did() -> None:
    """A book whose stored rows, sessions, days and totals came from impossible records."""
    database.execute_sql(
        """INSERT INTO history_book (id, title, authors, md5, pages, fingerprint, read_seconds,
                                     pages_read, sessions, first_read, last_read, updated_at)
           VALUES (1, 'Dune', 'F', ?, 100, 'old', 315360060, 2, 2, 0, 10000000000000, 0)""",
        ("a" * 32,),
    )
    rows = [(1, 1, NOW - DAY, 60, 100), (1, 2, 0, 315_360_000, 100), (1, 3, 10**13, 60, 100)]
    database.cursor().executemany("INSERT INTO history_page VALUES (?, ?, ?, ?, ?)", rows)
    database.cursor().executemany(
        "INSERT INTO history_session (history_book_id, start, end, seconds, pages) "
        "VALUES (?, ?, ?, ?, ?)",
        [(1, 0, 315_360_000, 315_360_000, 1), (1, NOW - DAY, NOW - DAY + 60, 60, 1),
         (1, 10**13, 10**13 + 60, 60, 1)],
    )  # fmt: skip
    database.cursor().executemany(
        "INSERT INTO history_day VALUES (?, ?, ?, ?)",
        [(1, "1970-01-01", 86_400, 1), (1, "2024-10-03", 60, 1), (1, "2100-01-01", 60, 1)],
    )


def test_rows_stored_by_an_older_version_never_break_the_statistics(library, tmp_path):
    _store_as_an_older_version_did()
    found = statistics()  # the query `stats` runs: it once failed with "year 33712"
    assert (found["books"][0]["first_read"], found["books"][0]["last_read"]) == (None, None)
    assert [day["date"] for day in found["days"]] == ["2024-10-03"]
    assert [day.date for day in history_days()] == [dt.date(2024, 10, 3)]
    assert load_statistics(dt.date(2024, 10, 4)).books[0].last_day is None
    book = add_book("Dune")
    link_document("a" * 32, book.id, now=1.0)
    assert [s.start for s in book_sessions(book.id)] == [NOW - DAY]


def test_the_next_import_recounts_a_book_an_older_version_stored(library, tmp_path):
    _store_as_an_older_version_did()
    other = write_statistics(tmp_path / "s.sqlite3", [KoBook("Emma", "J", "e" * 32, 10, [])])
    import_statistics(other, local_day=UTC, clock=lambda: NOW)
    dune = next(book for book in history_books() if book.title == "Dune")
    assert (dune.first_read, dune.last_read, dune.read_seconds) == (NOW - DAY, NOW - DAY + 60, 60)
    assert [day.date for day in history_days()] == [dt.date(2024, 10, 3)]
