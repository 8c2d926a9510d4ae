"""Reading statistics for the window and the CLI, as plain data.

Everything is computed by `library.history` (rules and queries); this facade only gathers
what the Statistics page shows in one call, so the window never touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.library.history import queries
from bookorbit_desktop.library.history.importer import ImportSummary, import_statistics
from bookorbit_desktop.library.history.queries import BookHistory, DayHistory
from bookorbit_desktop.library.history.rules import (
    LocalDays,
    Session,
    being_read,
    estimated_finish,
    pace,
    period_totals,
    streaks,
)

__all__ = [
    "BookLine",
    "ImportSummary",
    "Session",
    "StatisticsData",
    "load_statistics",
    "period_totals",
]
from bookorbit_desktop.library.reading.rules import usable_threshold
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import get_setting


@dataclass(frozen=True)
class BookLine:
    history: BookHistory
    pace: float | None  # pages per hour
    reading: bool  # pages left and read lately
    finish: dt.date | None  # estimated, for books being read
    last_day: dt.date | None  # the local date reading last ended

    @property
    def label(self) -> str:
        return self.history.title or f"Document {self.history.md5[:12]}…"


@dataclass(frozen=True)
class StatisticsData:
    today: dt.date
    days: list[DayHistory]
    books: list[BookLine]
    current_streak: int
    longest_streak: int

    @property
    def total_seconds(self) -> int:
        return sum(day.read_seconds for day in self.days)


def load_statistics(today: dt.date | None = None) -> StatisticsData:
    """What the Statistics page shows, as of `today` (the local date by default)."""
    local_day = LocalDays()
    today = today or dt.date.today()
    days = queries.history_days()
    per_book_days = queries.reading_days()
    finished = queries.finished_books(usable_threshold(get_setting("reading.finish_threshold")))
    books = []
    for book in queries.history_books():
        last_day = local_day(book.last_read) if book.last_read is not None else None
        reading = book.book_id not in finished and being_read(
            book.pages_read, book.pages, last_day, today
        )
        finish = None
        if reading:
            finish = estimated_finish(
                book.pages,
                book.pages_read,
                book.read_seconds,
                per_book_days.get(book.history_id, 0),
                today,
            )
        books.append(
            BookLine(book, pace(book.pages_read, book.read_seconds), reading, finish, last_day)
        )
    current, longest = streaks((day.date for day in days), today)
    return StatisticsData(today, days, books, current, longest)


async def load_off_loop() -> StatisticsData:
    """`load_statistics()` in a worker thread on its own connection."""
    return await off_loop(load_statistics)


def book_sessions(book_id: int) -> list[Session]:
    """A library book's reading sessions, oldest first."""
    return queries.book_sessions(book_id)


async def book_sessions_off_loop(book_id: int) -> list[Session]:
    return await off_loop(book_sessions, book_id)


def import_file(path: Path) -> ImportSummary:
    """Merge a statistics.sqlite3 copied from a reader (USB) into the library."""
    return import_statistics(path)


async def import_file_off_loop(path: Path) -> ImportSummary:
    """`import_file(path)` in a worker thread on its own connection."""
    return await off_loop(import_file, path)
