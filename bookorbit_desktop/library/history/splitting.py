"""How a book's reading history becomes separate reads, each with its own dates. Pure.

KOReader's statistics know pages and times, not "reads". A book read in March and again in
October is two reads, not one from March to October, so the sessions (`rules.SESSION_GAP_SECONDS`
apart) are walked in time order and cut by these rules:

| situation (a session, after the sessions before it)   | what it is                           |
|-------------------------------------------------------|--------------------------------------|
| the first session                                     | opens the first read                 |
| begins more than READ_GAP_DAYS after the previous     | opens a new read                     |
| session ended                                         |                                      |
| the current read is finished, and the session begins  | opens a new read (a reread)          |
| in the first RESTART_FRACTION of the book             |                                      |
| the current read is finished, any other session       | belongs to no read: looking back at  |
| within READ_GAP_DAYS                                  | a passage or the notes               |
| begins in the first RESTART_FRACTION of the book,     | opens a new read (started over); the |
| reads past it, and stays below the furthest point of  | read before stays unfinished         |
| the current read minus RESTART_FRACTION               |                                      |
| any other session                                     | continues the current read           |

A read is **finished** once a session of it reaches the book's last page or the library's finish
threshold (`library.reading.rules.DEFAULT_FINISH_THRESHOLD`, 99.5 %); nothing after a finish is
ever merged into that read. A read's **started** date is the local date of its first session's
start, its **finished** date that of its last session's end (finished reads only).

Why these numbers: READ_GAP_DAYS is 90 because a reader who puts a book down for a season and
picks it up again remembers little of it, and because a pause of weeks inside one read (a
holiday, a busy month) is common while one of three months is rare; it cuts March from
October. RESTART_FRACTION is 5 % because front matter (cover, title pages, contents, a
foreword) rarely exceeds it, so a session that begins there and reads on past it is a new
start; a session that never leaves the front matter (a look at the contents or the map) and
one that goes on to the reader's own page both stay inside the same read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter

from bookorbit_desktop.library.history.rules import SESSION_GAP_SECONDS
from bookorbit_desktop.library.reading.rules import DEFAULT_FINISH_THRESHOLD

READ_GAP_DAYS = 90
RESTART_FRACTION = 0.05
_READ_GAP_SECONDS = READ_GAP_DAYS * 86_400


@dataclass(frozen=True, slots=True)
class Stretch:
    """One session as the splitting rules see it: its times and where in the book it went."""

    start: int  # Unix seconds
    end: int
    first: float  # the position (0..1) of its first page
    furthest: float  # the furthest position it reached


@dataclass(frozen=True, slots=True)
class DatedRead:
    """A read as local ISO dates: `finished` is None while the read is unfinished."""

    started: str
    finished: str | None


@dataclass(frozen=True, slots=True)
class HistoryRead:
    """One read of a book found in its history."""

    start: int  # Unix seconds: the first session's start
    end: int  # the last session's end
    furthest: float  # 0..1
    finished: bool

    def dates(self, local_day: Callable[[int], dt.date]) -> DatedRead:
        """The read's local dates; finished is None for an unfinished read."""
        started = local_day(self.start).isoformat()
        return DatedRead(started, local_day(self.end).isoformat() if self.finished else None)


def stretches(rows: Iterable[tuple[int, int, int, int]], pages: int) -> list[Stretch]:
    """The sessions of page rows `(page, start, duration, total_pages)` (any order), with the
    position of their first page and the furthest they reached (1.0 once at the end)."""
    found: list[Stretch] = []
    current: list[float] | None = None  # start, end, first, furthest
    for page, start, duration, total_pages in sorted(rows, key=itemgetter(1, 0)):
        total = total_pages if total_pages > 0 else pages
        if total <= 0:
            where = 0.0
        elif page >= total or page >= total * DEFAULT_FINISH_THRESHOLD:
            where = 1.0  # at the end
        else:
            where = max(0.0, page / total)
        end = start + max(duration, 0)
        if current is not None and start > current[1] + SESSION_GAP_SECONDS:
            found.append(_stretch(current))
            current = None
        if current is None:
            current = [start, end, where, where]
        else:
            current[1] = max(current[1], end)
            current[3] = max(current[3], where)
    if current is not None:
        found.append(_stretch(current))
    return found


def _stretch(values: list[float]) -> Stretch:
    start, end, first, furthest = values
    return Stretch(int(start), int(end), first, furthest)


def split_reads(sessions: Iterable[Stretch]) -> list[HistoryRead]:
    """The reads of a book, oldest first, by the rules in the module's table."""
    reads: list[HistoryRead] = []
    current: HistoryRead | None = None
    last_end: int | None = None
    for session in sorted(sessions, key=lambda s: s.start):
        gap = last_end is not None and session.start - last_end > _READ_GAP_SECONDS
        last_end = session.end if last_end is None else max(last_end, session.end)
        at_front = session.first <= RESTART_FRACTION
        if current is not None and not gap:
            if current.finished and not at_front:
                continue  # a look back after the finish
            restarted = (
                at_front
                and RESTART_FRACTION < session.furthest < current.furthest - RESTART_FRACTION
            )
            if not current.finished and not restarted:
                furthest = max(current.furthest, session.furthest)
                current = HistoryRead(current.start, session.end, furthest, furthest >= 1.0)
                reads[-1] = current
                continue
        current = HistoryRead(session.start, session.end, session.furthest, session.furthest >= 1.0)
        reads.append(current)
    return reads
