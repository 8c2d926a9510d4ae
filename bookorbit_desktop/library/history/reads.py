"""The reads of library books found in KOReader's reading history, for the Hardcover sync.

The page records of every history book that belongs to a library book (`queries.history_books`,
by the same md5 rule as everything else) are cut into sessions and then into reads by
`splitting.split_reads`; the dates are local calendar dates, as Hardcover's `date` columns mean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from bookorbit_desktop.library.history.queries import has_history, history_books
from bookorbit_desktop.library.history.rules import LocalDays
from bookorbit_desktop.library.history.splitting import (
    DatedRead,
    HistoryRead,
    split_reads,
    stretches,
)
from bookorbit_desktop.library.store.models import database


def book_reads(
    book_ids: Iterable[int], local_day: Callable[[int], dt.date] | None = None
) -> dict[int, tuple[DatedRead, ...]]:
    """The reads of each of `book_ids` that has any history, oldest first."""
    day = local_day or LocalDays()
    found = _history_reads(book_ids)
    return {book_id: tuple(read.dates(day) for read in reads) for book_id, reads in found.items()}


def latest_read_days(
    book_id: int, local_day: Callable[[int], dt.date] | None = None
) -> tuple[str, str] | None:
    """The local days of the first and the last session of the book's latest read in the
    history (finished or not: Mark Read asks when it ended); None without history."""
    reads = _history_reads([book_id]).get(book_id)
    if not reads:
        return None
    day = local_day or LocalDays()
    return day(reads[-1].start).isoformat(), day(reads[-1].end).isoformat()


def _history_reads(book_ids: Iterable[int]) -> dict[int, list[HistoryRead]]:
    wanted = set(book_ids)
    if not wanted or not has_history():
        return {}
    found: dict[int, list[HistoryRead]] = {}
    by_book: dict[int, list[tuple[int, int]]] = {}
    for history in history_books():
        if history.book_id in wanted:
            by_book.setdefault(history.book_id, []).append((history.history_id, history.pages))
    for book_id, histories in by_book.items():
        spans = []
        for history_id, pages in histories:
            rows = database.execute_sql(
                """SELECT page, start_time, duration, total_pages FROM history_page
                   WHERE history_book_id = ?""",
                (history_id,),
            ).fetchall()
            spans.extend(stretches(rows, pages))
        reads = split_reads(spans)
        if reads:
            found[book_id] = reads
    return found
