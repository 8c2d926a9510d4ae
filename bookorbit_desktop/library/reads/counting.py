"""Pure rules: which reads count between two dates, each read once. No I/O.

A read is one time through a book: the library's own (`book_read`), or one of the user's reads
on hardcover.app pulled with their entry. Goals and the year in review count with `counted`:

| a read                                          | counts                                     |
|-------------------------------------------------|--------------------------------------------|
| done, finished inside [start, end] (inclusive)  | yes, once, on its finish date              |
| done, finished before start or after end        | no                                         |
| a re-read (the book finished before, again now) | yes, again: each read counts on its own    |
|                                                 | finish date (first finished in 2024,       |
|                                                 | re-read in 2026: counts in 2026)           |
| done, no finish date                            | not counted: listed apart in `no_date`,    |
|                                                 | unless it started after `end`              |
| open (reading) or abandoned                     | never                                      |
| the same read seen twice: the same Hardcover    | once                                       |
| read id, or the same Hardcover book (the same   |                                            |
| library book when unlinked) with the same       |                                            |
| finish date                                     |                                            |
| two done reads without a finish date of the     | once when they come from two sources or    |
| same Hardcover book (library book if unlinked)  | two copies; two of one copy from one       |
|                                                 | source are two reads                       |

Two copies of one Hardcover book are one book here: their reads finished on the same day are
one read. Of a read seen twice, the one kept is the library's, then KOReader's, then
Hardcover's (the library's knows the device and the copy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bookorbit_desktop.gc_pause import paused_collection

LIBRARY, KOREADER, HARDCOVER = "library", "koreader", "hardcover"
SOURCES = (LIBRARY, KOREADER, HARDCOVER)  # also the order a read seen twice is kept in


@dataclass(frozen=True)
class Read:
    book_id: int  # the library book (a copy)
    started: dt.date | None
    finished: dt.date | None  # None: not finished, or finished with no date (see `done`)
    done: bool  # True: the read was finished (with or without a date)
    source: str  # "library" | "koreader" | "hardcover"
    hardcover_book_id: int | None  # the Hardcover book the copy is linked to (copies merge)
    hardcover_read_id: int | None  # the Hardcover read's own id when known
    pages: int | None  # pages of the read's edition/book when known
    device: str | None  # the device KOReader named, if any


@dataclass(frozen=True)
class Counted:
    finished: tuple[Read, ...]  # each read once, finished inside [start, end], oldest first
    no_date: tuple[Read, ...]  # done reads without a finish date (listed apart, not guessed)


def counted(reads: Iterable[Read], start: dt.date, end: dt.date) -> Counted:
    """The reads finished inside [start, end], each once, and the done reads with no date
    (the cycle collector waits meanwhile: a library's reads are many small objects)."""
    with paused_collection():
        return _counted(reads, start, end)


def _counted(reads: Iterable[Read], start: dt.date, end: dt.date) -> Counted:
    finished: list[Read] = []
    no_date: list[Read] = []
    for read in once(r for r in reads if r.done):
        if read.finished is None:
            if read.started is None or read.started <= end:
                no_date.append(read)
        elif start <= read.finished <= end:
            finished.append(read)
    finished.sort(key=lambda r: (r.finished or start, r.book_id))
    no_date.sort(key=lambda r: (r.started or dt.date.min, r.book_id))
    return Counted(tuple(finished), tuple(no_date))


def once(reads: Iterable[Read]) -> list[Read]:
    """Each read once: of the ones that are the same read (the table above), the first by
    source (library, KOReader, Hardcover)."""
    kept: list[Read] = []
    by_id: dict[int, int] = {}  # Hardcover read id -> index in kept
    by_day: dict[tuple[str, int, dt.date | None], list[int]] = {}  # book, finish -> indexes
    for read in sorted(reads, key=_rank):
        day = _day_key(read)
        known = by_id.get(read.hardcover_read_id) if read.hardcover_read_id else None
        if known is None:
            known = next((i for i in by_day.get(day, ()) if _same(kept[i], read)), None)
        if known is not None:
            if read.hardcover_read_id:
                by_id.setdefault(read.hardcover_read_id, known)
            continue
        kept.append(read)
        by_day.setdefault(day, []).append(len(kept) - 1)
        if read.hardcover_read_id:
            by_id[read.hardcover_read_id] = len(kept) - 1
    return kept


def _same(kept: Read, read: Read) -> bool:
    """Whether two reads of one book and one finish day are one read: always with a date;
    without one, only from two sources or two copies."""
    if read.finished is not None:
        return True
    return (kept.source, kept.book_id) != (read.source, read.book_id)


def _rank(read: Read) -> int:
    return SOURCES.index(read.source) if read.source in SOURCES else len(SOURCES)


def _day_key(read: Read) -> tuple[str, int, dt.date | None]:
    if read.hardcover_book_id is not None:
        return ("hardcover", read.hardcover_book_id, read.finished)
    return ("book", read.book_id, read.finished)
