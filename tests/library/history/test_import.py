"""Importing KOReader statistics files into a real library: merge, idempotence, links, errors."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.queries import (
    book_sessions,
    history_books,
    history_days,
    statistics,
)
from bookorbit_desktop.library.history.reads import book_reads
from bookorbit_desktop.library.history.rules import LocalDays
from bookorbit_desktop.library.history.source import StatisticsFileError
from bookorbit_desktop.library.history.splitting import DatedRead
from bookorbit_desktop.library.reading.pushes import link_document
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics

UTC = LocalDays(lambda _ts: 0)
DAY = 86_400
T0 = 20_000 * DAY  # 2024-10-04 00:00 UTC
UNKNOWN = "f" * 32


def stored_rows() -> list[tuple[int, int, int, int]]:
    return database.execute_sql(
        "SELECT page, start_time, duration, total_pages FROM history_page ORDER BY 1, 2"
    ).fetchall()


def dune(rows, *, md5=UNKNOWN, pages=100) -> KoBook:
    return KoBook("Dune", "Frank Herbert", md5, pages, rows)


def test_a_wal_upload_is_read_from_a_copy_and_left_as_it_was(library, tmp_path):
    path = write_statistics(
        tmp_path / "statistics.sqlite3", [dune([(1, T0, 60, 100), (2, T0 + 60, 50, 100)])], wal=True
    )
    before = path.read_bytes()
    summary = import_statistics(path, local_day=UTC)
    assert (summary.books, summary.changed, summary.rows_added) == (1, 1, 2)
    assert path.read_bytes() == before
    assert not path.with_name("statistics.sqlite3-wal").exists()
    [book] = history_books()
    assert (book.read_seconds, book.pages_read, book.sessions) == (110, 2, 1)
    assert (book.first_read, book.last_read) == (T0, T0 + 110)


def test_the_same_file_twice_counts_once(library, tmp_path):
    path = write_statistics(tmp_path / "s.sqlite3", [dune([(1, T0, 60, 100)])])
    import_statistics(path, local_day=UTC)
    again = import_statistics(path, local_day=UTC)
    assert (again.changed, again.rows_added) == (0, 0)
    assert history_books()[0].read_seconds == 60
    assert [(d.read_seconds, d.pages) for d in history_days()] == [(60, 1)]


def test_two_devices_merge_without_double_counting_and_nothing_is_removed(library, tmp_path):
    kobo = write_statistics(
        tmp_path / "a.sqlite3", [dune([(1, T0, 60, 100), (2, T0 + 60, 30, 100)])]
    )
    phone = write_statistics(
        tmp_path / "b.sqlite3", [dune([(2, T0 + 60, 45, 100), (3, T0 + DAY, 20, 100)])]
    )
    import_statistics(kobo, local_day=UTC)
    import_statistics(phone, local_day=UTC)
    import_statistics(kobo, local_day=UTC)  # the shorter duration of page 2 does not win back
    assert stored_rows() == [(1, T0, 60, 100), (2, T0 + 60, 45, 100), (3, T0 + DAY, 20, 100)]
    [book] = history_books()
    assert (book.read_seconds, book.pages_read, book.sessions) == (125, 3, 2)
    days = [(d.date.isoformat(), d.read_seconds, d.pages) for d in history_days()]
    assert days == [("2024-10-04", 105, 2), ("2024-10-05", 20, 1)]


def test_a_new_page_count_rescales_every_row(library, tmp_path):
    rows = [(1, T0, 60, 100), (2, T0 + 60, 60, 100)]
    import_statistics(write_statistics(tmp_path / "a.sqlite3", [dune(rows)]), local_day=UTC)
    assert history_books()[0].pages_read == 2
    bigger = write_statistics(tmp_path / "b.sqlite3", [dune(rows, pages=200)])
    assert import_statistics(bigger, local_day=UTC).changed == 1
    assert history_books()[0].pages_read == 4


def test_books_are_title_authors_and_md5_and_old_files_without_md5_are_kept(library, tmp_path):
    path = write_statistics(
        tmp_path / "s.sqlite3",
        [
            dune([(1, T0, 60, 100)]),
            KoBook("Dune (2)", "Frank Herbert", UNKNOWN, 100, [(1, T0 + DAY, 10, 100)]),
            KoBook("Old", "Someone", None, 50, [(1, T0, 30, 50)]),
        ],
    )
    import_statistics(path, local_day=UTC)
    assert sorted((b.title, b.md5, b.read_seconds) for b in history_books()) == [
        ("Dune", UNKNOWN, 60),
        ("Dune (2)", UNKNOWN, 10),
        ("Old", "", 30),
    ]


def test_history_joins_the_library_by_partial_md5_and_linking_attaches_unknowns(library, tmp_path):
    from bookorbit_desktop.library.metadata.koreader_hash import partial_md5

    epub = make_epub(tmp_path / "dune.epub", "Dune", ("Frank Herbert",))
    known = add_book("Dune", ("Frank Herbert",), file=epub)
    other = add_book("Emma", ("Jane Austen",))
    digest = partial_md5(epub)
    path = write_statistics(
        tmp_path / "s.sqlite3",
        [
            dune([(1, T0, 60, 100)], md5=digest.upper()),  # KOReader may send either case
            KoBook("Emma", "Jane Austen", UNKNOWN, 100, [(1, T0 + 2 * DAY, 30, 100)]),
        ],
    )
    import_statistics(path, local_day=UTC)
    links = {b.title: b.book_id for b in history_books()}
    assert links == {"Dune": known.id, "Emma": None}
    assert history_books(book_id=other.id) == []
    link_document(UNKNOWN, other.id, now=1.0)
    assert [b.title for b in history_books(book_id=other.id)] == ["Emma"]
    assert book_reads([other.id], UTC) == {other.id: (DatedRead("2024-10-06", None),)}
    assert [s.seconds for s in book_sessions(other.id)] == [30]


def test_reads_of_a_book_never_read(library):
    book = add_book("Unread")
    assert book_reads([book.id], UTC) == {}


def test_statistics_json_shape_and_since(library, tmp_path):
    path = write_statistics(
        tmp_path / "s.sqlite3",
        [
            dune([(1, T0, 60, 100), (2, T0 + 4000, 60, 100)]),
            KoBook("Emma", "Jane Austen", "e" * 32, 10, [(1, T0 - 10 * DAY, 30, 10)]),
        ],
    )
    import_statistics(path, local_day=UTC)
    everything = statistics()
    assert [b["title"] for b in everything["books"]] == ["Dune", "Emma"]
    first = everything["books"][0]
    assert set(first) == {
        "book_id", "title", "md5", "read_seconds", "pages_read", "sessions", "first_read",
        "last_read",
    }  # fmt: skip
    assert (first["read_seconds"], first["pages_read"], first["sessions"]) == (120, 2, 2)
    recent = statistics(since=dt.date(2024, 10, 1))
    assert [b["title"] for b in recent["books"]] == ["Dune"]
    assert [d["date"] for d in recent["days"]] == ["2024-10-04"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no KOReader reading statistics"),
        (b"this is not a database at all, just some text" * 20, "not an SQLite database"),
    ],
)
def test_bad_files_are_refused_and_import_nothing(library, tmp_path, content, message):
    path = tmp_path / "statistics.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StatisticsFileError, match=message):
        import_statistics(path, local_day=UTC)
    assert history_books() == []


def test_a_database_of_something_else_is_refused(library, tmp_path):
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE book (id, title)")
    db.close()
    with pytest.raises(StatisticsFileError, match="book and page_stat_data"):
        import_statistics(path, local_day=UTC)


def test_a_missing_file_is_a_clear_error(library, tmp_path):
    with pytest.raises(StatisticsFileError, match="Could not read"):
        import_statistics(tmp_path / "nowhere.sqlite3", local_day=UTC)
