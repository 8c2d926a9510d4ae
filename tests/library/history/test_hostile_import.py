"""Hostile statistics files are refused with one clear line, quickly and within a memory
bound, and nothing of them is imported; the import stops at once when asked to."""

from __future__ import annotations

import resource
import threading
import time

import pytest

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.queries import history_books
from bookorbit_desktop.library.history.source import ImportCancelled, Limits, StatisticsFileError
from tests.library.history import hostile_files
from tests.library.history.koreader_file import KoBook, write_statistics


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (hostile_files.recursive_view, "page_stat_data is a view, not a table"),
        (hostile_files.book_view, "book is a view, not a table"),
        (hostile_files.virtual_table, "no KOReader reading statistics"),
        (hostile_files.generated_title, "lack title"),
        (hostile_files.huge_value, "string or blob too big"),
    ],
)
def test_a_file_that_is_not_plain_tables_is_refused_at_once(library, tmp_path, make, message):
    path = make(tmp_path / "statistics.sqlite3")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(StatisticsFileError, match=message) as refused:
        import_statistics(path, limits=Limits(seconds=2.0))
    assert time.perf_counter() - started < 2.5
    assert "\n" not in str(refused.value)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kib < 100 * 1024
    assert history_books() == []


def test_too_many_records_are_refused(library, tmp_path):
    path = hostile_files.many_rows(tmp_path / "s.sqlite3", rows=2_001, books=10)
    with pytest.raises(StatisticsFileError, match="more than 2,000 page records"):
        import_statistics(path, limits=Limits(rows=2_000))
    assert history_books() == []
    import_statistics(path, limits=Limits(rows=2_001))  # at the limit: imported
    assert len(history_books()) == 10


def test_a_file_too_slow_to_read_is_refused_within_its_time(library, tmp_path):
    # Without KOReader's index, finding each book's rows reads every row: quadratic.
    path = hostile_files.many_rows(tmp_path / "s.sqlite3", 100_000, 2_000, indexed=False)
    started = time.perf_counter()
    with pytest.raises(StatisticsFileError, match=r"took longer than 0\.5 s"):
        import_statistics(path, limits=Limits(seconds=0.5))
    assert time.perf_counter() - started < 5.0


def test_a_cancelled_import_stops_within_a_moment_and_keeps_what_it_merged(library, tmp_path):
    path = hostile_files.many_rows(tmp_path / "s.sqlite3", 40_000, 2_000)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.perf_counter()
    with pytest.raises(ImportCancelled):
        import_statistics(path, cancel=cancel)
    assert time.perf_counter() - started < 0.7
    # A book merged whole is kept; the one under way is merged again by the next import.
    done = [book for book in history_books() if book.sessions]
    again = import_statistics(path)
    assert again.changed == 2_000 - len(done)
    assert len(history_books()) == 2_000


def test_a_file_with_triggers_and_extra_tables_imports_only_its_statistics(library, tmp_path):
    path = write_statistics(
        tmp_path / "s.sqlite3", [KoBook("Dune", "F", "a" * 32, 10, [(1, 1_700_000_000, 5, 10)])]
    )
    import sqlite3

    with sqlite3.connect(path) as db:
        db.executescript(
            """CREATE TABLE other (x);
               CREATE TRIGGER t AFTER INSERT ON book BEGIN INSERT INTO other VALUES (1); END;"""
        )
    assert import_statistics(path).rows_added == 1
