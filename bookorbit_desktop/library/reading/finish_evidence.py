"""A finish that arrived by kosync takes its date from the reading statistics.

KOReader keeps pushes made offline and sends them later, and the kosync protocol carries no
time of reading: a push that finishes a book is dated the day it arrived (source "sync",
"date of sync" in the window). The statistics hold the sessions' own times, so when they
show the book's latest read, its last session's day is the finish (source "history"): at
once when they are already in the library, or when they arrive later (`settle_sync_finishes`
after a statistics import). Only the library's date changes here; whether Hardcover gets it
is decided by the sync's approval rule (`hardcover.sync.desired`).

A last session after the arrival day belongs to a later read, not to this finish: it is not
used. A start the push set (also "sync") after the corrected finish takes the read's first
session, so a read never starts after it ended.
"""

from __future__ import annotations

from collections.abc import Iterable

from bookorbit_desktop.library.history.reads import latest_read_days
from bookorbit_desktop.library.reading.sources import HISTORY, SYNC
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import ReadingState, database


def settle_sync_finishes(book_ids: Iterable[int] | None = None) -> list[int]:
    """Give the books (default: every one) whose finish date is a push's arrival day the
    statistics' date, by the module's rule; returns the books whose date moved."""
    query = ReadingState.select().where(
        (ReadingState.finished_source == SYNC) & ReadingState.finished.is_null(False)
    )
    if book_ids is not None:
        wanted = list(book_ids)
        if not wanted:
            return []
        query = query.where(ReadingState.book.in_(wanted))
    moved: list[int] = []
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        for row in query:
            days = latest_read_days(row.book_id)
            if days is None or row.finished is None or days[1] > row.finished:
                continue
            first, last = days
            values: dict[str, object] = {"finished": last, "finished_source": HISTORY}
            if row.started is not None and row.started > last and row.started_source == SYNC:
                values.update(started=first, started_source=HISTORY)
            ReadingState.update(**values).where(ReadingState.book == row.book_id).execute()
            if last != row.finished:
                outbox.note_change(row.book_id, [outbox.STATUS])
                moved.append(row.book_id)
    return moved
