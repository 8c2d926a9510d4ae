"""Merging a KOReader statistics file into the library, book by book, idempotently.

The merge is KOReader's own: a book is (title, authors, md5); a row is (book, page,
start_time); a row seen again keeps its largest duration (with that row's total_pages); no
row is ever removed. Rows with impossible times or durations (`plausible`) are left out and
counted in the summary.

The rows to import are read from the file first, outside any transaction of the library, into
a staging file (`source`); the library then takes them from there in short transactions, so
another writer, such as the server answering KOReader's pushes, never waits long: books of at
most one chunk of rows are merged whole, several to a transaction for at most about 50 ms; a
larger book a chunk at a time, then its sessions and days (computed from its stored rows
beforehand) in one more. A book's fingerprint (a summary of its rows in the file) is stored
with its totals, last: a book whose rows are the same as at its last complete import and whose
page count did not change is skipped, so re-uploading an unchanged file costs one summary
query, and an import stopped half-way through a book merges it again next time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.library.history.plausible import MAX_DURATION, start_range
from bookorbit_desktop.library.history.rules import LocalDays, book_totals
from bookorbit_desktop.library.history.source import (
    CHUNK_ROWS,
    ImportCancelled,
    Limits,
    SourceBook,
    opened_copy,
)
from bookorbit_desktop.library.reading.finish_evidence import settle_sync_finishes
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)

_ALIAS = "statistics_rows"  # the staged rows, in a file of our own (never the uploaded one)
TRANSACTION_SECONDS = 0.05  # the longest another writer waits for a transaction of small books
PAUSE_SECONDS = 0.03  # after each transaction: longer than most of a waiting writer's sleeps
FLUSH_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class ImportSummary:
    books: int  # books in the file
    changed: int  # books whose history was merged (the others were unchanged)
    rows_before: int
    rows_after: int  # stored rows for all books after the merge
    dropped: int = 0  # records in the file with impossible times or durations, left out

    @property
    def rows_added(self) -> int:
        return self.rows_after - self.rows_before

    def describe(self) -> str:
        text = (
            f"{self.books} books ({self.changed} with new reading), "
            f"{self.rows_added} new page records"
        )
        if self.dropped:
            text += (
                f"; {self.dropped} page records left out because their time is impossible "
                "(before November 2007, in the future, or longer than a day)"
            )
        return text


def import_statistics(
    path: Path,
    *,
    local_day: Callable[[int], dt.date] | None = None,
    clock: Callable[[], float] = time.time,
    limits: Limits | None = None,
    cancel: threading.Event | None = None,
) -> ImportSummary:
    """Merge the statistics file at `path` (read from a private copy) into the library.
    Raises StatisticsFileError for a file that is refused, ImportCancelled once `cancel` is
    set (what was merged by then stays, consistent)."""
    days = local_day or LocalDays()
    cancel = cancel or threading.Event()
    now = clock()
    rows_before = _count_rows()
    with opened_copy(path, limits, cancel) as source:
        books = source.books(now)
        known = {
            (title, authors, md5): (pages, fingerprint)
            for title, authors, md5, pages, fingerprint in database.execute_sql(
                "SELECT title, authors, md5, pages, fingerprint FROM history_book"
            )
        }
        todo = [book for book in books if _changed(book, known.get(_key(book)))]
        for book_id in _books_with_impossible_sessions(now):  # stored by older versions
            refresh_book(book_id, days, now)
        ranges = source.stage(todo, now)  # read off the library, before any write
        database.execute_sql(f"ATTACH DATABASE ? AS {_ALIAS}", (str(source.staged_path),))
        try:
            _merge(todo, ranges, days, clock, cancel)
        finally:
            database.execute_sql(f"DETACH DATABASE {_ALIAS}")
    # A finish a kosync push dated by its arrival now takes its last session's day.
    settle_sync_finishes()
    dropped = sum(book.dropped for book in books)
    summary = ImportSummary(len(books), len(todo), rows_before, _count_rows(), dropped)
    log.info("Imported reading statistics: %s", summary.describe())
    return summary


def _merge(
    books: list[SourceBook],
    ranges: dict[int, tuple[int, int]],
    local_day: Callable[[int], dt.date],
    clock: Callable[[], float],
    cancel: threading.Event,
) -> None:
    """Merge `books` from their staged rows: a book of at most CHUNK_ROWS rows whole, several
    to a transaction until it has worked for TRANSACTION_SECONDS; a larger one in chunks of
    rows, as many to a transaction as fit in that time, then its totals."""
    pending = iter(books)
    book = next(pending, None)
    between = _Between()
    while book is not None:
        _stop_if(cancel)
        between()
        first, last = ranges.get(book.id, (1, 0))
        if last - first >= CHUNK_ROWS:
            book_id = _store_book(book, clock())
            starts = iter(range(first, last + 1, CHUNK_ROWS))
            start = next(starts, None)
            while start is not None:
                _stop_if(cancel)
                with database.atomic("IMMEDIATE"):
                    began = time.perf_counter()
                    while start is not None:
                        _store_rows(book_id, start, min(start + CHUNK_ROWS - 1, last))
                        start = next(starts, None)
                        if time.perf_counter() - began >= TRANSACTION_SECONDS:
                            break
                between()
            refresh_book(book_id, local_day, clock(), fingerprint=book.fingerprint)
            book = next(pending, None)
            continue
        with database.atomic("IMMEDIATE"):
            began = time.perf_counter()
            while book is not None:
                first, last = ranges.get(book.id, (1, 0))
                if last - first >= CHUNK_ROWS:
                    break  # a large book: merged on its own
                now = clock()
                book_id = _store_book(book, now)
                _store_rows(book_id, first, last)
                refresh_book(book_id, local_day, now, fingerprint=book.fingerprint)
                book = next(pending, None)
                if time.perf_counter() - began >= TRANSACTION_SECONDS:
                    break


class _Between:
    """What the import does between two of its transactions, so that other writers get their
    turn. SQLite's lock is not fair: a writer that finds it taken sleeps and tries again (in
    steps of up to 100 ms), and an import that begins its next transaction the moment it
    commits holds the lock at nearly every try, until the server's writer gives up and KOReader
    is answered 502 (seen: 8 of 5,000 pushes during a 100 MB upload). So the import pauses for
    `PAUSE_SECONDS` after each transaction. It also writes the library's write-ahead log to the
    disk after every `FLUSH_BYTES` it added: left to the system, that writing is forced on some
    later write, which may be a commit the pushes wait for."""

    def __init__(self) -> None:
        self._log = Path(str(database.database) + "-wal")
        self._flushed = self._size()

    def _size(self) -> int:
        try:
            return self._log.stat().st_size
        except OSError:
            return 0

    def __call__(self) -> None:
        time.sleep(PAUSE_SECONDS)
        size = self._size()
        if abs(size - self._flushed) < FLUSH_BYTES:
            return
        try:
            handle = os.open(self._log, os.O_RDONLY)
        except OSError:
            return  # no log (yet): nothing to write
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
        self._flushed = size


def _stop_if(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise ImportCancelled("The import was stopped.")


def _key(book: SourceBook) -> tuple[str, str, str]:
    return book.title, book.authors, book.md5


def _changed(book: SourceBook, known: tuple[int | None, str | None] | None) -> bool:
    if known is None:
        return True
    pages, fingerprint = known
    return fingerprint != book.fingerprint or (book.pages > 0 and pages != book.pages)


def _books_with_impossible_sessions(now: float) -> list[int]:
    earliest, latest = start_range(now)
    rows = database.execute_sql(
        """SELECT DISTINCT history_book_id FROM history_session
           WHERE start NOT BETWEEN ? AND ? OR seconds NOT BETWEEN 0 AND ?""",
        (earliest, latest, MAX_DURATION),
    )
    return [int(book_id) for (book_id,) in rows]


def _count_rows() -> int:
    return int(database.execute_sql("SELECT COUNT(*) FROM history_page").fetchone()[0])


def _store_book(book: SourceBook, now: float) -> int:
    """The book's id, the book added when new. Its page count is the newest file's, unless
    that file does not know it; its fingerprint waits for its totals (`refresh_book`)."""
    with database.atomic("IMMEDIATE"):
        row = database.execute_sql(
            """INSERT INTO history_book (title, authors, md5, pages, fingerprint, read_seconds,
                                         pages_read, sessions, first_read, last_read,
                                         updated_at)
               VALUES (?, ?, ?, ?, NULL, 0, 0, 0, NULL, NULL, ?)
               ON CONFLICT (title, authors, md5) DO UPDATE SET
                   pages = CASE WHEN excluded.pages > 0 THEN excluded.pages ELSE pages END
               RETURNING id""",
            (book.title, book.authors, book.md5, book.pages, now),
        ).fetchone()
    return int(row[0])


def _store_rows(book_id: int, first: int, last: int) -> None:
    """Merge the staged rows `first`..`last` into the book's stored rows."""
    database.execute_sql(
        f"""INSERT INTO history_page (history_book_id, page, start_time, duration, total_pages)
            SELECT ?, page, start_time, duration, total_pages FROM {_ALIAS}.staged
            WHERE id BETWEEN ? AND ? ORDER BY id
            ON CONFLICT (history_book_id, page, start_time) DO UPDATE SET
                duration = excluded.duration, total_pages = excluded.total_pages
            WHERE excluded.duration > history_page.duration""",
        (book_id, first, last),
    )


def refresh_book(
    book_id: int,
    local_day: Callable[[int], dt.date],
    now: float,
    *,
    fingerprint: str | None = None,
) -> None:
    """Recompute one history book's totals, sessions and days from its stored rows (those
    that can be real: rows stored by older versions are not all), then store them, with
    `fingerprint` when given, in one short transaction."""
    earliest, latest = start_range(now)
    rows = database.execute_sql(
        """SELECT page, start_time, duration, total_pages FROM history_page
           WHERE history_book_id = ? AND start_time BETWEEN ? AND ?
                 AND duration BETWEEN 0 AND ?
           ORDER BY start_time""",
        (book_id, earliest, latest, MAX_DURATION),
    ).fetchall()
    pages = database.execute_sql(
        "SELECT COALESCE(pages, 0) FROM history_book WHERE id = ?", (book_id,)
    ).fetchone()[0]
    totals = book_totals(rows, int(pages), local_day)
    with database.atomic("IMMEDIATE"):
        database.execute_sql("DELETE FROM history_session WHERE history_book_id = ?", (book_id,))
        database.execute_sql("DELETE FROM history_day WHERE history_book_id = ?", (book_id,))
        cursor = database.cursor()
        cursor.executemany(
            """INSERT INTO history_session (history_book_id, start, end, seconds, pages)
               VALUES (?, ?, ?, ?, ?)""",
            [(book_id, s.start, s.end, s.seconds, s.pages) for s in totals.sessions],
        )
        cursor.executemany(
            "INSERT INTO history_day (history_book_id, day, seconds, pages) VALUES (?, ?, ?, ?)",
            [(book_id, d.day.isoformat(), d.seconds, d.pages) for d in totals.days],
        )
        database.execute_sql(
            """UPDATE history_book SET read_seconds = ?, pages_read = ?, sessions = ?,
                   first_read = ?, last_read = ?, updated_at = ?,
                   fingerprint = COALESCE(?, fingerprint)
               WHERE id = ?""",
            (
                totals.read_seconds,
                totals.pages_read,
                len(totals.sessions),
                totals.first_read,
                totals.last_read,
                now,
                fingerprint,
                book_id,
            ),
        )
