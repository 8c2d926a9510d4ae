"""Merging a KOReader statistics file into the library, book by book, idempotently.

The merge is KOReader's own: a book is (title, authors, md5); a row is (book, page,
start_time); a row seen again keeps its largest duration (with that row's total_pages); no
row is ever removed. A book is merged whole (its rows, then its new sessions and days) in a
short transaction shared with the next books for at most about 50 ms, so device requests keep
being answered during a large import. A book
whose rows in the file are the same as at its last import (same fingerprint) and whose page
count did not change is skipped: re-uploading an unchanged file costs one summary query.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.library.history.rules import LocalDays, book_totals
from bookorbit_desktop.library.history.source import SourceBook, opened_copy, source_books
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)

_ALIAS = "statistics_upload"
TRANSACTION_SECONDS = 0.05


@dataclass(frozen=True)
class ImportSummary:
    books: int  # books in the file
    changed: int  # books whose history was merged (the others were unchanged)
    rows_before: int
    rows_after: int  # stored rows for all books after the merge

    @property
    def rows_added(self) -> int:
        return self.rows_after - self.rows_before

    def describe(self) -> str:
        return (
            f"{self.books} books ({self.changed} with new reading), "
            f"{self.rows_added} new page records"
        )


def import_statistics(
    path: Path,
    *,
    local_day: Callable[[int], dt.date] | None = None,
    clock: Callable[[], float] = time.time,
) -> ImportSummary:
    """Merge the statistics file at `path` (read from a private copy) into the library."""
    days = local_day or LocalDays()
    rows_before = _count_rows()
    with opened_copy(path) as (source, copy):
        books = source_books(source)
        known = {
            (title, authors, md5): (book_id, pages, fingerprint)
            for book_id, title, authors, md5, pages, fingerprint in database.execute_sql(
                "SELECT id, title, authors, md5, pages, fingerprint FROM history_book"
            )
        }
        todo = [book for book in books if _changed(book, known.get(_key(book)))]
        if todo:
            database.execute_sql(f"ATTACH DATABASE ? AS {_ALIAS}", (str(copy),))
            try:
                _merge_books(todo, days, clock)
            finally:
                database.execute_sql(f"DETACH DATABASE {_ALIAS}")
    summary = ImportSummary(len(books), len(todo), rows_before, _count_rows())
    log.info("Imported reading statistics: %s", summary.describe())
    return summary


def _merge_books(
    books: list[SourceBook], local_day: Callable[[int], dt.date], clock: Callable[[], float]
) -> None:
    """Merge `books`, each whole inside one transaction; small books share a transaction
    until it has worked for TRANSACTION_SECONDS, so other writers never wait much longer."""
    pending = iter(books)
    book = next(pending, None)
    while book is not None:
        with database.atomic("IMMEDIATE"):
            began = time.perf_counter()
            while book is not None:
                _merge_book(book, local_day, clock())
                book = next(pending, None)
                if time.perf_counter() - began >= TRANSACTION_SECONDS:
                    break


def _key(book: SourceBook) -> tuple[str, str, str]:
    return book.title, book.authors, book.md5


def _changed(book: SourceBook, known: tuple[int, int | None, str | None] | None) -> bool:
    if known is None:
        return True
    _, pages, fingerprint = known
    return fingerprint != book.fingerprint or (book.pages > 0 and pages != book.pages)


def _count_rows() -> int:
    return int(database.execute_sql("SELECT COUNT(*) FROM history_page").fetchone()[0])


def _merge_book(book: SourceBook, local_day: Callable[[int], dt.date], now: float) -> None:
    # The book's page count is the newest file's, unless that file does not know it.
    row = database.execute_sql(
        """INSERT INTO history_book (title, authors, md5, pages, fingerprint, read_seconds,
                                     pages_read, sessions, first_read, last_read, updated_at)
           VALUES (?, ?, ?, ?, ?, 0, 0, 0, NULL, NULL, ?)
           ON CONFLICT (title, authors, md5) DO UPDATE SET
               pages = CASE WHEN excluded.pages > 0 THEN excluded.pages ELSE pages END,
               fingerprint = excluded.fingerprint
           RETURNING id, pages""",
        (book.title, book.authors, book.md5, book.pages, book.fingerprint, now),
    ).fetchone()
    book_id, pages = int(row[0]), int(row[1] or 0)
    database.execute_sql(
        f"""INSERT INTO history_page (history_book_id, page, start_time, duration, total_pages)
            SELECT ?, page, start_time, duration, COALESCE(total_pages, 0)
            FROM {_ALIAS}.page_stat_data
            WHERE id_book = ? AND page IS NOT NULL AND start_time IS NOT NULL
                  AND duration IS NOT NULL AND duration >= 0
            ORDER BY page, start_time
            ON CONFLICT (history_book_id, page, start_time) DO UPDATE SET
                duration = excluded.duration, total_pages = excluded.total_pages
            WHERE excluded.duration > history_page.duration""",
        (book_id, book.id),
    )
    refresh_book(book_id, pages, local_day, now)


def refresh_book(book_id: int, pages: int, local_day: Callable[[int], dt.date], now: float) -> None:
    """Recompute one history book's totals, sessions and days from its stored rows."""
    rows = database.execute_sql(
        """SELECT page, start_time, duration, total_pages FROM history_page
           WHERE history_book_id = ? ORDER BY start_time""",
        (book_id,),
    ).fetchall()
    totals = book_totals(rows, pages, local_day)
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
               first_read = ?, last_read = ?, updated_at = ? WHERE id = ?""",
        (
            totals.read_seconds,
            totals.pages_read,
            len(totals.sessions),
            totals.first_read,
            totals.last_read,
            now,
            book_id,
        ),
    )
