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
| hour          | the local hour a session starts: its seconds count in that hour of the day   |
| weekday       | a day's seconds count on its local date's weekday (Monday first)             |
| streak        | consecutive local dates with any reading; the current one may end yesterday  |
| pace          | pages_read per hour of read_seconds                                          |
| being read    | pages left, and read within the last BEING_READ_DAYS days                     |
| finish        | pages left at that pace, spread over the average reading seconds per day     |
| period        | a day, a week starting Monday, or a calendar month                          |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

SESSION_GAP_SECONDS = 300
DAY_SECONDS = 86_400


class PageRow(NamedTuple):
    """One of KOReader's page records (a plain tuple, so a million of them stay cheap)."""

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


def book_totals(
    rows: Iterable[tuple[int, int, int, int]], pages: int, local_day: Callable[[int], dt.date]
) -> BookTotals:
    """Every per-book number from the book's rows (any order; each a PageRow or a tuple in its
    order) and its current page count, in one pass over the rows in start order.

    `local_day` is asked once per quarter hour of reading: local midnight always falls on a
    quarter hour of UTC (every time zone's offset is a multiple of 15 minutes)."""
    distinct: set[int] = set()
    sessions: list[Session] = []
    days: list[DayTotal] = []
    begin = end = seconds = 0
    seen: set[int] = set()  # the session's pages
    day: dt.date | None = None
    day_seconds, day_seen, quarter = 0, set[int](), -1
    # Rows in start order: sessions and local dates only ever move forward.
    for page, start, duration, total_pages in sorted(rows, key=_start):
        if seen and start > end + SESSION_GAP_SECONDS:
            sessions.append(Session(begin, end, seconds, len(seen)))
            seen, seconds = set(), 0
        if not seen:
            begin = end = start
        if start + duration > end:
            end = start + duration
        seconds += duration
        if start // 900 != quarter:
            quarter = start // 900
            today = local_day(start)
            if today != day:
                if day is not None:
                    days.append(DayTotal(day, day_seconds, len(day_seen)))
                day, day_seconds, day_seen = today, 0, set()
        day_seconds += duration
        if total_pages == pages or total_pages <= 0 or pages <= 0:
            seen.add(page)
            day_seen.add(page)
            distinct.add(page)
        else:
            covered = rescaled_pages(page, total_pages, pages)
            seen.update(covered)
            day_seen.update(covered)
            distinct.update(covered)
    if seen:
        sessions.append(Session(begin, end, seconds, len(seen)))
    if day is not None:
        days.append(DayTotal(day, day_seconds, len(day_seen)))
    # Each session starts after every earlier row ended: the last one ends last.
    first, last = (sessions[0].start, sessions[-1].end) if sessions else (None, None)
    total = sum(session.seconds for session in sessions)
    return BookTotals(total, len(distinct), tuple(sessions), tuple(days), first, last)


def _start(row: tuple[int, int, int, int]) -> int:
    return row[1]


class LocalDays:
    """`local_day(ts)` for this computer's time zone (or `offset_of`, seconds east of UTC).

    The offset is looked up once per UTC day when it is the same at both ends of that day
    (every day but the two of a daylight-saving change), else once per quarter hour (every
    time-zone change happens on a quarter hour), so a million rows stay fast."""

    def __init__(self, offset_of: Callable[[int], int] | None = None) -> None:
        self._offset_of = offset_of or _system_offset
        self._days: dict[int, int | None] = {}  # UTC day -> its offset, None when it changes
        self._quarters: dict[int, int] = {}
        self._epoch = dt.date(1970, 1, 1).toordinal()

    def __call__(self, timestamp: int) -> dt.date:
        return dt.date.fromordinal(
            self._epoch + (timestamp + self._offset(timestamp)) // DAY_SECONDS
        )

    def hour(self, timestamp: int) -> int:
        """The local hour of the day (0-23) at `timestamp`."""
        return (timestamp + self._offset(timestamp)) % DAY_SECONDS // 3600

    def _offset(self, timestamp: int) -> int:
        utc_day = timestamp // DAY_SECONDS
        if utc_day in self._days:
            offset = self._days[utc_day]
        else:
            start = self._offset_of(utc_day * DAY_SECONDS)
            end = self._offset_of(utc_day * DAY_SECONDS + DAY_SECONDS - 1)
            offset = self._days[utc_day] = start if start == end else None
        if offset is None:
            quarter = timestamp // 900
            offset = self._quarters.get(quarter)
            if offset is None:
                offset = self._quarters[quarter] = self._offset_of(quarter * 900)
        return offset


def _system_offset(timestamp: int) -> int:
    offset = dt.datetime.fromtimestamp(timestamp).astimezone().utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


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


BEING_READ_DAYS = 30


def hour_totals(sessions: Iterable[tuple[int, int]], local_hour: Callable[[int], int]) -> list[int]:
    """Seconds read in each hour of the day (0-23): each (start, seconds) session in the hour
    it starts."""
    totals = [0] * 24
    for start, seconds in sessions:
        totals[local_hour(start)] += seconds
    return totals


def weekday_totals(days: Iterable[tuple[dt.date, int]]) -> list[int]:
    """Seconds read on each weekday, Monday first."""
    totals = [0] * 7
    for day, seconds in days:
        totals[day.weekday()] += seconds
    return totals


def being_read(pages_read: int, pages: int, last_day: dt.date | None, today: dt.date) -> bool:
    """A book with pages left that was read within the last BEING_READ_DAYS days."""
    if last_day is None or pages <= 0 or pages_read >= pages:
        return False
    return (today - last_day).days <= BEING_READ_DAYS


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


PERIODS = ("day", "week", "month")


def period_start(day: dt.date, period: str) -> dt.date:
    """The first date of the day, week (Monday) or month holding `day`."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _previous(start: dt.date, period: str) -> dt.date:
    if period == "week":
        return start - dt.timedelta(days=7)
    if period == "month":
        return (start - dt.timedelta(days=1)).replace(day=1)
    return start - dt.timedelta(days=1)


def period_totals(
    days: Iterable[tuple[dt.date, int]], period: str, today: dt.date, count: int
) -> list[tuple[dt.date, int]]:
    """Seconds read in each of the last `count` periods, the one holding `today` last; a
    period without reading is there with 0."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    starts = [period_start(today, period)]
    while len(starts) < count:
        starts.append(_previous(starts[-1], period))
    totals = dict.fromkeys(starts, 0)
    for day, seconds in days:
        start = period_start(day, period)
        if start in totals:
            totals[start] += seconds
    return [(start, totals[start]) for start in reversed(starts)]
