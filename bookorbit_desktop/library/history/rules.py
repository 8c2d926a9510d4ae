"""The definitions behind every reading-history number, as pure functions.

| quantity      | definition                                                                   |
|---------------|------------------------------------------------------------------------------|
| rescaled page | raw page p of a row recorded at `total_pages` T, for a book now `pages` P:   |
|               | pages (p-1)*P//T + 1 .. max(that, p*P//T) (KOReader's `page_stat` view); no   |
|               | rescaling when T or P is unknown (0)                                        |
| read_seconds  | sum of the rows' durations                                                  |
| pages_read    | distinct rescaled pages                                                     |
| session       | rows in start order; a row starting more than SESSION_GAP_SECONDS after the  |
|               | end of every earlier row starts a new session                                |
| first/last    | earliest start / latest end (start + duration)                               |
| day           | the local date of a row's start; pages that day = distinct rescaled pages    |
| streak        | consecutive local dates with any reading; the current one may end yesterday  |
| pace          | pages_read per hour of read_seconds                                          |
| finish        | pages left at that pace, spread over the average reading seconds per day     |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

SESSION_GAP_SECONDS = 300
DAY_SECONDS = 86_400


@dataclass(frozen=True, slots=True)
class PageRow:
    page: int
    start: int  # Unix seconds
    duration: int  # seconds
    total_pages: int  # the book's page count when the row was recorded (0: unknown)


@dataclass(frozen=True, slots=True)
class Session:
    start: int
    end: int
    seconds: int
    pages: int


@dataclass(frozen=True, slots=True)
class DayTotal:
    day: dt.date
    seconds: int
    pages: int


@dataclass(frozen=True, slots=True)
class BookTotals:
    read_seconds: int
    pages_read: int
    sessions: tuple[Session, ...]
    days: tuple[DayTotal, ...]
    first_read: int | None
    last_read: int | None


def rescaled_pages(page: int, total_pages: int, pages: int) -> range:
    """The book's current pages that raw `page` (of `total_pages`) stands for."""
    if total_pages <= 0 or pages <= 0 or total_pages == pages:
        return range(page, page + 1)
    first = (page - 1) * pages // total_pages + 1
    last = max(first, page * pages // total_pages)
    return range(first, last + 1)


def split_sessions(rows: Sequence[PageRow], pages: int) -> list[Session]:
    """Sessions of `rows` (any order)."""
    sessions: list[Session] = []
    start = end = seconds = 0
    seen: set[int] = set()
    for row in sorted(rows, key=lambda row: row.start):
        if seen and row.start > end + SESSION_GAP_SECONDS:
            sessions.append(Session(start, end, seconds, len(seen)))
            seen, seconds = set(), 0
        if not seen:
            start = end = row.start
        end = max(end, row.start + row.duration)
        seconds += row.duration
        seen.update(rescaled_pages(row.page, row.total_pages, pages))
    if seen:
        sessions.append(Session(start, end, seconds, len(seen)))
    return sessions


def day_totals(
    rows: Iterable[PageRow], pages: int, local_day: Callable[[int], dt.date]
) -> list[DayTotal]:
    """Seconds and distinct rescaled pages per local date of the rows' starts, by date."""
    seconds: dict[dt.date, int] = {}
    seen: dict[dt.date, set[int]] = {}
    for row in rows:
        day = local_day(row.start)
        seconds[day] = seconds.get(day, 0) + row.duration
        seen.setdefault(day, set()).update(rescaled_pages(row.page, row.total_pages, pages))
    return [DayTotal(day, seconds[day], len(seen[day])) for day in sorted(seconds)]


def book_totals(
    rows: Sequence[PageRow], pages: int, local_day: Callable[[int], dt.date]
) -> BookTotals:
    """Every per-book number from the book's rows and its current page count."""
    distinct: set[int] = set()
    for row in rows:
        distinct.update(rescaled_pages(row.page, row.total_pages, pages))
    return BookTotals(
        read_seconds=sum(row.duration for row in rows),
        pages_read=len(distinct),
        sessions=tuple(split_sessions(rows, pages)),
        days=tuple(day_totals(rows, pages, local_day)),
        first_read=min((row.start for row in rows), default=None),
        last_read=max((row.start + row.duration for row in rows), default=None),
    )


class LocalDays:
    """`local_day(ts)` for this computer's time zone, with the UTC offset cached per quarter
    hour (every time-zone change happens on a quarter hour), so a million rows stay fast."""

    def __init__(self, offset_of: Callable[[int], int] | None = None) -> None:
        self._offset_of = offset_of or _system_offset
        self._offsets: dict[int, int] = {}
        self._epoch = dt.date(1970, 1, 1)

    def __call__(self, timestamp: int) -> dt.date:
        quarter = timestamp // 900
        offset = self._offsets.get(quarter)
        if offset is None:
            offset = self._offsets[quarter] = self._offset_of(quarter * 900)
        return self._epoch + dt.timedelta(days=(timestamp + offset) // DAY_SECONDS)


def _system_offset(timestamp: int) -> int:
    offset = dt.datetime.fromtimestamp(timestamp).astimezone().utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def read_dates(
    sessions: Iterable[Session], local_day: Callable[[int], dt.date]
) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of reading: the local dates of the first session's start and the
    last session's end; None without any session."""
    spans = [(session.start, session.end) for session in sessions]
    if not spans:
        return None
    return local_day(min(start for start, _ in spans)), local_day(max(end for _, end in spans))


def streaks(days: Iterable[dt.date], today: dt.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive reading days; the current run counts when it
    ends today or yesterday (today may simply not have been read yet)."""
    ordered = sorted(set(days))
    longest = run = 0
    previous: dt.date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, longest


def pace(pages_read: int, read_seconds: int) -> float | None:
    """Pages per hour; None before a minute of reading."""
    if read_seconds < 60 or pages_read <= 0:
        return None
    return pages_read * 3600 / read_seconds


def estimated_finish(
    pages: int, pages_read: int, read_seconds: int, reading_days: int, today: dt.date
) -> dt.date | None:
    """The day the book would be finished at the reader's pace and usual time per day."""
    per_hour = pace(pages_read, read_seconds)
    if per_hour is None or pages <= 0 or reading_days <= 0:
        return None
    left = max(pages - pages_read, 0)
    if left == 0:
        return today
    seconds_per_day = read_seconds / reading_days
    days = left / per_hour * 3600 / seconds_per_day
    return today + dt.timedelta(days=max(0, round(days)))
