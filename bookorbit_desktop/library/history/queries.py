"""The reading history as plain values for the CLI and the window.

A history book belongs to the library book its md5 resolves to, by the same rule kosync
pushes use (`reading.resolution.resolution_of` over the document aliases: content digests, and
documents the user linked by hand), so linking an unknown document attaches its history too.
A history book whose md5 resolves to no single book is "unlinked" (book_id None); the Unlinked
Documents list offers its md5 for linking like a document only kosync pushed.

Rows stored by older versions may hold impossible times (a reader whose clock said 1970 or
2100, a forged file): every query leaves out what `plausible` rules out, so no stored row can
make a date the window or `stats` cannot show.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass
from typing import Any

from bookorbit_desktop.library.history.plausible import (
    EARLIEST_START,
    MAX_DURATION,
    plausible_start,
    start_range,
)
from bookorbit_desktop.library.history.rules import LocalDays, Session
from bookorbit_desktop.library.reading.resolution import Resolution, resolution_of
from bookorbit_desktop.library.reading.rules import READ
from bookorbit_desktop.library.store.models import database


@dataclass(frozen=True)
class BookHistory:
    history_id: int
    book_id: int | None  # the library book, None while unlinked
    title: str
    authors: str
    md5: str
    pages: int
    read_seconds: int
    pages_read: int
    sessions: int
    first_read: int | None  # Unix seconds
    last_read: int | None


@dataclass(frozen=True)
class DayHistory:
    date: dt.date
    read_seconds: int
    pages: int


@dataclass(frozen=True)
class UnlinkedHistory:
    """A KOReader document with reading history but no single library book."""

    md5: str
    title: str
    authors: str
    pages: int
    pages_read: int
    last_read: int | None
    candidates: tuple[int, ...]  # books sharing this digest, when there are several


def _resolutions() -> dict[str, Resolution]:
    aliases: dict[str, list[tuple[int, str]]] = {}
    for document, book_id, kind in database.execute_sql(
        """SELECT document, book_id, kind FROM document_alias
           WHERE document IN (SELECT md5 FROM history_book WHERE md5 != '')"""
    ):
        aliases.setdefault(document, []).append((book_id, kind))
    return {document: resolution_of(found) for document, found in aliases.items()}


def linked_books() -> dict[str, int | None]:
    """The library book of every md5 the history knows (None: no single book)."""
    return {document: found.book_id for document, found in _resolutions().items()}


def finished_books(threshold: float) -> set[int]:
    """The library books the reader has finished: marked read, or read to `threshold` (KOReader
    counts the pages turned, so a finished book may show pages left in its history)."""
    rows = database.execute_sql(
        "SELECT book_id FROM reading_state WHERE status = ? OR progress >= ?", (READ, threshold)
    )
    return {book_id for (book_id,) in rows}


def unlinked_history() -> list[UnlinkedHistory]:
    """Each md5 whose history belongs to no single book (its latest-read name), latest first."""
    resolutions = _resolutions()
    found: dict[str, UnlinkedHistory] = {}
    for book in history_books():  # latest read first: the first name of an md5 is its newest
        resolution = resolutions.get(book.md5, Resolution())
        if not book.md5 or resolution.book_id is not None or book.md5 in found:
            continue
        found[book.md5] = UnlinkedHistory(
            book.md5,
            book.title,
            book.authors,
            book.pages,
            book.pages_read,
            book.last_read,
            resolution.candidates,
        )
    return list(found.values())


def history_books(book_id: int | None = None, since: dt.date | None = None) -> list[BookHistory]:
    """Every history book (or those of library book `book_id`), most recently read first;
    with `since`, only books read on or after that local date. A book linked to the library
    has the library's title (an edit there shows here), an unlinked one the title KOReader
    recorded."""
    links = linked_books()
    titles = _library_titles({b for b in links.values() if b is not None})
    now = time.time()
    found = []
    for row in database.execute_sql(
        """SELECT id, title, authors, md5, COALESCE(pages, 0), read_seconds, pages_read,
                  sessions, first_read, last_read
           FROM history_book ORDER BY COALESCE(last_read, 0) DESC, id"""
    ):
        history_id, title, authors, md5, pages, seconds, pages_read, sessions = row[:8]
        first, last = (value if plausible_start(value, now) else None for value in row[8:])
        linked = links.get(md5)
        book = BookHistory(
            history_id, linked, titles.get(linked, title), authors, md5, pages, seconds,
            pages_read, sessions, first, last,
        )  # fmt: skip
        if book_id is not None and book.book_id != book_id:
            continue
        if since is not None and (book.last_read is None or _day(book.last_read) < since):
            continue
        found.append(book)
    return found


def _library_titles(book_ids: set[int]) -> dict[int | None, str]:
    found: dict[int | None, str] = {}
    ids = sorted(book_ids)
    for start in range(0, len(ids), 500):  # well under SQLite's limit of bound values
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = database.execute_sql(f"SELECT id, title FROM book WHERE id IN ({marks})", chunk)
        found.update((book_id, title) for book_id, title in rows if title)
    return found


def _day(timestamp: int) -> dt.date:
    return LocalDays()(timestamp)


def history_days(book_id: int | None = None, since: dt.date | None = None) -> list[DayHistory]:
    """Seconds and pages per local date (of the history books of `book_id`), by date."""
    where, args = _book_filter(book_id)
    where.append("day BETWEEN ? AND ?")
    args += [_EARLIEST_DAY, _day(start_range(time.time())[1]).isoformat()]
    if since is not None:
        where.append("day >= ?")
        args.append(since.isoformat())
    rows = database.execute_sql(
        f"""SELECT day, SUM(seconds), SUM(pages) FROM history_day WHERE {" AND ".join(where)}
            GROUP BY day ORDER BY day""",
        args,
    )
    return [DayHistory(dt.date.fromisoformat(day), int(s), int(p)) for day, s, p in rows]


_EARLIEST_DAY = dt.datetime.fromtimestamp(EARLIEST_START, dt.UTC).date().isoformat()


def _book_filter(book_id: int | None) -> tuple[list[str], list[Any]]:
    if book_id is None:
        return [], []
    ids = [book.history_id for book in history_books(book_id)] or [-1]
    marks = ",".join("?" * len(ids))
    return [f"history_book_id IN ({marks})"], list(ids)


def reading_days() -> dict[int, int]:
    """How many local dates each history book was read on."""
    rows = database.execute_sql(
        "SELECT history_book_id, COUNT(*) FROM history_day GROUP BY history_book_id"
    )
    return {int(book): int(days) for book, days in rows}


def book_sessions(book_id: int) -> list[Session]:
    """The reading sessions of library book `book_id`, oldest first."""
    earliest, latest = start_range(time.time())
    where, args = _book_filter(book_id)
    rows = database.execute_sql(
        f"""SELECT start, end, seconds, pages FROM history_session
            WHERE {where[0]} AND start BETWEEN ? AND ? AND end BETWEEN start AND ?
            ORDER BY start""",
        [*args, earliest, latest, latest + MAX_DURATION],
    )
    return [Session(*row) for row in rows]


def has_history() -> bool:
    """Any reading history at all (most libraries have none: callers skip their look-ups)."""
    return database.execute_sql("SELECT 1 FROM history_session LIMIT 1").fetchone() is not None


def statistics(book_id: int | None = None, since: dt.date | None = None) -> dict[str, Any]:
    """`{"books": [...], "days": [...]}` as `stats --json` prints it."""
    books = [
        {
            "book_id": book.book_id,
            "title": book.title,
            "md5": book.md5 or None,
            "read_seconds": book.read_seconds,
            "pages_read": book.pages_read,
            "sessions": book.sessions,
            "first_read": _iso(book.first_read),
            "last_read": _iso(book.last_read),
        }
        for book in history_books(book_id, since)
    ]
    days = [{**asdict(day), "date": day.date.isoformat()} for day in history_days(book_id, since)]
    return {"books": books, "days": days}


def _iso(timestamp: int | None) -> str | None:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")
