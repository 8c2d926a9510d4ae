"""The year in review as a pure function over plain data. No I/O.

Which reads a year holds is `reads.counting.counted` between 1 January and 31 December (a
re-read counts again, each read once, done reads without a finish date listed apart); the
time figures are KOReader's statistics under `history.rules`. Every other figure:

| figure            | rule                                                                      |
|-------------------|---------------------------------------------------------------------------|
| books, pages      | the year's counted reads; pages are each read's pages, where known        |
| per month         | by the month of the finish date (reads without one are in no month)       |
| re-read           | a counted read of a book already finished before (any year, or earlier   |
|                   | in this one); a book is its Hardcover book, the library book when unlinked |
| abandoned         | books with a read abandoned in the year (given by the library)            |
| average rating    | the mean of the ratings of the distinct books finished, where rated       |
| longest, shortest | the counted reads with the most / fewest pages                            |
| fastest           | the fewest days from start to finish (both known; the same day is 1 day)  |
| top authors, tags | the most counted reads (a re-read again), then by name; TOP of each       |
| and languages     |                                                                           |
| highlights        | highlights made in the year and not deleted (given by the library)        |
| KOReader time     | seconds per local date in the year (`history_day`): per month, weekday,   |
|                   | calendar day; per hour from its sessions (`rules.hour_totals`); longest   |
|                   | streak inside the year (`rules.streaks`); None without any reading there  |
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bookorbit_desktop.library.history.rules import period_totals, streaks, weekday_totals
from bookorbit_desktop.library.reads.counting import Counted, Read, counted

TOP = 5


class BookFacts(NamedTuple):
    """What the year shows of a library book (a plain tuple: a year may hold thousands)."""

    title: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    languages: tuple[str, ...]  # in order; a book counts under each, as under each of its tags
    rating: float | None  # 0.5 .. 5


@dataclass(frozen=True)
class YearReads:
    counted: Counted
    reread: tuple[bool, ...]  # for each of counted.finished: the book was finished before


@dataclass(frozen=True)
class KoreaderInput:
    days: Sequence[tuple[dt.date, int, int]]  # (local date, seconds, pages) inside the year
    hours: Sequence[int]  # seconds per hour of the day, 24 of them


@dataclass(frozen=True)
class YearRead:
    book_id: int
    title: str
    authors: tuple[str, ...]
    started: dt.date | None
    finished: dt.date | None
    pages: int | None
    days: int | None  # from start to finish, both included
    reread: bool
    source: str
    device: str | None


@dataclass(frozen=True)
class KoreaderYear:
    seconds: int
    pages: int
    days_read: int
    longest_streak: int
    months: tuple[int, ...]  # seconds, January first
    weekdays: tuple[int, ...]  # seconds, Monday first
    hours: tuple[int, ...]  # seconds, midnight first
    days: tuple[tuple[dt.date, int], ...]  # seconds per date read, for the calendar


@dataclass(frozen=True)
class YearFigures:
    year: int
    finished: tuple[YearRead, ...]  # oldest first
    no_date: tuple[YearRead, ...]
    books_per_month: tuple[int, ...]
    pages_per_month: tuple[int, ...]
    rereads: int
    abandoned: int
    average_rating: float | None
    rated: int
    longest: YearRead | None
    shortest: YearRead | None
    fastest: YearRead | None
    top_authors: tuple[tuple[str, int], ...]
    top_tags: tuple[tuple[str, int], ...]
    top_languages: tuple[tuple[str, int], ...]
    highlights: int
    koreader: KoreaderYear | None

    @property
    def pages(self) -> int:
        return sum(self.pages_per_month)

    @property
    def unpaged(self) -> int:
        """The finished reads whose pages are not known (in no page figure)."""
        return sum(1 for read in self.finished if not read.pages)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def book_key(read: Read) -> tuple[str, int]:
    """The book a read is of: its Hardcover book (copies are one book), else the library's."""
    if read.hardcover_book_id is not None:
        return ("hardcover", read.hardcover_book_id)
    return ("book", read.book_id)


def year_reads(reads: Sequence[Read], year: int) -> YearReads:
    """The year's counted reads, each marked when its book was finished before."""
    start, end = year_bounds(year)
    # `counted` over the reads that can count in the year or be the same read as one that
    # does (a Hardcover read id; one book's reads finished the same day are all in or all
    # out): the same answer as over every read, without sorting every read of every year.
    found = counted(
        (
            read
            for read in reads
            if read.done
            and (read.finished is None or start <= read.finished <= end or read.hardcover_read_id)
        ),
        start,
        end,
    )
    keys = {book_key(read) for read in found.finished}
    before = counted(
        (
            read
            for read in reads
            if (read.hardcover_read_id or (read.finished and read.finished < start))
            and book_key(read) in keys
        ),
        dt.date.min,
        start - dt.timedelta(1),
    )
    seen = {book_key(read) for read in before.finished}
    reread = []
    for read in found.finished:  # oldest first: a second read this year is a re-read
        reread.append(book_key(read) in seen)
        seen.add(book_key(read))
    return YearReads(found, tuple(reread))


def year_figures(
    year: int,
    reads: YearReads,
    books: Mapping[int, BookFacts],
    koreader: KoreaderInput,
    abandoned: int,
    highlights: int,
) -> YearFigures:
    finished = tuple(
        _year_read(read, books, again)
        for read, again in zip(reads.counted.finished, reads.reread, strict=True)
    )
    no_date = tuple(_year_read(read, books, False) for read in reads.counted.no_date)
    books_per_month, pages_per_month = [0] * 12, [0] * 12
    for read in finished:
        assert read.finished is not None  # counted reads have their finish date
        books_per_month[read.finished.month - 1] += 1
        pages_per_month[read.finished.month - 1] += read.pages or 0
    ratings = [
        rating
        for book_id in {read.book_id for read in finished}
        if (rating := books[book_id].rating) is not None
    ]
    paged = [read for read in finished if read.pages]
    timed = [read for read in finished if read.days is not None]
    return YearFigures(
        year,
        finished,
        no_date,
        tuple(books_per_month),
        tuple(pages_per_month),
        sum(reads.reread),
        abandoned,
        round(sum(ratings) / len(ratings), 2) if ratings else None,
        len(ratings),
        max(paged, key=lambda r: r.pages or 0, default=None),
        min(paged, key=lambda r: r.pages or 0, default=None),
        min(timed, key=lambda r: (r.days, -(r.pages or 0)), default=None),
        _top(name for read in finished for name in read.authors),
        _top(name for read in finished for name in books[read.book_id].tags),
        _top(code for read in finished for code in books[read.book_id].languages),
        highlights,
        _koreader(year, koreader),
    )


def _year_read(read: Read, books: Mapping[int, BookFacts], reread: bool) -> YearRead:
    book = books[read.book_id]
    days = None
    if read.started is not None and read.finished is not None and read.started <= read.finished:
        days = (read.finished - read.started).days + 1
    return YearRead(
        read.book_id,
        book.title,
        book.authors,
        read.started,
        read.finished,
        read.pages,
        days,
        reread,
        read.source,
        read.device,
    )


def _top(names: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(names)
    return tuple(
        heapq.nsmallest(TOP, counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    )


def _koreader(year: int, koreader: KoreaderInput) -> KoreaderYear | None:
    days = [(day, seconds) for day, seconds, _ in koreader.days if seconds > 0]
    if not days:
        return None
    _, last = year_bounds(year)
    months = period_totals(days, "month", last, 12)
    return KoreaderYear(
        sum(seconds for _, seconds in days),
        sum(pages for _, _, pages in koreader.days),
        len(days),
        streaks((day for day, _ in days), last)[1],
        tuple(seconds for _, seconds in months),
        tuple(weekday_totals(days)),
        tuple(koreader.hours),
        tuple(sorted(days)),
    )
