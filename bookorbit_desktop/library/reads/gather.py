"""The reads goals and the year in review count, as `counting.Read`s (`reads_between`): every
read of the books with a read that can count between two dates, in three queries, at the cost
of those books alone however large the library; and a book's reads made on hardcover.app only.

- The library's own reads (`book_read`), each with the Hardcover book its copy is linked to.
- The user's reads on hardcover.app, as the pull last stored them with their entry
  (`hardcover_pulled`), of the Hardcover books a library copy is linked to, each given to that
  copy (the one holding the entry, else the lead, else the lowest id), leaving out those that are
  a library read already (`counting.once`'s rule: the same Hardcover read id, or the same book
  and finish day) and those deleted here that the sync has not deleted there yet. A Hardcover
  read is done when it has a finish date, or when it is the entry's latest read and the entry
  says Read; it is never abandoned here (Did Not Finish says nothing of which read).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.library.reads.counting import HARDCOVER, Read, once
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.shelves import LINKED_STATES
from bookorbit_desktop.library.store.sql import in_list

HARDCOVER_READ = 3  # Hardcover's status "Read"

_LINKED = in_list("m.state", LINKED_STATES)
_LINKED_M2 = in_list("m2.state", LINKED_STATES)
_LIBRARY = f"""
    SELECT r.book_id, r.started, r.finished, r.state = 'done', r.source,
           CASE WHEN {_LINKED} THEN m.hc_book_id END, r.hardcover_read_id,
           coalesce(CASE WHEN {_LINKED} THEN m.edition_pages END, b.pages), r.device
    FROM book_read r JOIN book b ON b.id = r.book_id
    LEFT JOIN hardcover_match m ON m.book_id = r.book_id
    {{only}}
    ORDER BY r.book_id, r.id"""
# The copy each pulled entry's reads go to: the one holding the entry, else the lead, else the
# lowest id (found along the index of the matches by Hardcover book). An entry's reads are
# stored by id (the pull's order): its latest is the last.
_COPY = f"""
    SELECT m.book_id FROM hardcover_match m
    WHERE m.hc_book_id = p.hc_book_id AND {_LINKED} {{holding}}
    ORDER BY m.lead DESC, m.book_id LIMIT 1"""
_HARDCOVER = f"""
    WITH c AS MATERIALIZED (
        SELECT p.hc_book_id, p.entry, json_extract(p.entry, '$.status_id') AS status_id,
               json_array_length(p.entry, '$.reads') AS count,
               coalesce(({_COPY.format(holding="AND m.user_book_id = p.user_book_id")}),
                        ({_COPY.format(holding="")})) AS copy_id
        FROM hardcover_pulled p {{entries}})
    SELECT c.copy_id, j.value ->> 'started', j.value ->> 'finished',
           j.value ->> 'finished' IS NOT NULL OR (
               c.status_id = {HARDCOVER_READ} AND j.key = c.count - 1),
           c.hc_book_id, j.value ->> 'id', coalesce(m.edition_pages, b.pages)
    FROM c JOIN hardcover_match m ON m.book_id = c.copy_id
    JOIN book b ON b.id = c.copy_id
    JOIN json_each(c.entry, '$.reads') j
    WHERE NOT EXISTS (
        SELECT 1 FROM book_read_gone g WHERE g.hardcover_read_id = j.value ->> 'id')"""


def reads_between(start: dt.date, end: dt.date) -> list[Read]:
    """Every read of each book with a done read that can count in [start, end]: finished
    inside, or without a finish date (a Hardcover book's copies are one book). `counting`
    joins reads only within one book, so `counted` and `year.figures.year_reads` over these
    give what they give over `all_reads` (the table test holds them equal), reading only the
    year's books and their earlier reads instead of every read."""
    span = (start.isoformat(), end.isoformat())
    keys = database.execute_sql(_KEYS, (*LINKED_STATES, *span, *span, HARDCOVER_READ)).fetchall()
    books = json.dumps(sorted({book for book, _hc in keys if book is not None}))
    hc_books = json.dumps(sorted({hc for _book, hc in keys if hc is not None}))
    with paused_collection():
        library_sql = _LIBRARY.format(
            only=f"""WHERE r.book_id IN (SELECT value FROM json_each(?)) OR r.book_id IN (
                SELECT m2.book_id FROM hardcover_match m2 WHERE {_LINKED_M2}
                AND m2.hc_book_id IN (SELECT value FROM json_each(?)))"""
        )
        params = (*LINKED_STATES * 2, books, *LINKED_STATES, hc_books)
        library = [_library(row) for row in _rows(library_sql, params)]
        hardcover_sql = _HARDCOVER.format(
            entries="WHERE p.hc_book_id IN (SELECT value FROM json_each(?))"
        )
        hardcover = [_hardcover(r) for r in _rows(hardcover_sql, (*LINKED_STATES * 2, hc_books))]
        library += _named_elsewhere(library, hardcover)
        return library + _not_among(library, hardcover)


def _named_elsewhere(library: list[Read], hardcover: list[Read]) -> list[Read]:
    """The library's reads of other books that are one of these Hardcover reads (a copy that
    was linked to their Hardcover book when the read was sent): `counting.once` keeps those
    instead, as it does among every read."""
    own = {read.hardcover_read_id for read in library}
    ids = json.dumps(sorted({r.hardcover_read_id for r in hardcover} - own - {None}))
    if ids == "[]":
        return []
    sql = _LIBRARY.format(only="WHERE r.hardcover_read_id IN (SELECT value FROM json_each(?))")
    return [_library(row) for row in _rows(sql, (*LINKED_STATES * 2, ids))]


# The books (a copy, or the Hardcover book its copy is linked to) with a done read finished in
# the span or without a finish date: the library's, then Hardcover's pulled ones.
_KEYS = f"""
    SELECT r.book_id, CASE WHEN {_LINKED} THEN m.hc_book_id END
    FROM book_read r LEFT JOIN hardcover_match m ON m.book_id = r.book_id
    WHERE r.state = 'done' AND (r.finished IS NULL OR r.finished BETWEEN ? AND ?)
    UNION
    SELECT NULL, p.hc_book_id FROM hardcover_pulled p JOIN json_each(p.entry, '$.reads') j
    WHERE j.value ->> 'finished' BETWEEN ? AND ? OR (j.value ->> 'finished' IS NULL
        AND json_extract(p.entry, '$.status_id') = ?
        AND j.key = json_array_length(p.entry, '$.reads') - 1)"""


def hardcover_only(book_id: int) -> list[Read]:
    """The reads on hardcover.app of the Hardcover book `book_id` is linked to that are no
    library read of a copy linked to it."""
    hc_book = database.execute_sql(
        f"SELECT m.hc_book_id FROM hardcover_match m WHERE m.book_id = ? AND {_LINKED}",
        (book_id, *LINKED_STATES),
    ).fetchone()
    if hc_book is None or hc_book[0] is None:
        return []
    library_sql = _LIBRARY.format(only=f"WHERE m.hc_book_id = ? AND {_LINKED}")
    params = (*LINKED_STATES * 2, hc_book[0], *LINKED_STATES)
    library = [_library(row) for row in _rows(library_sql, params)]
    hardcover_sql = _HARDCOVER.format(entries="WHERE p.hc_book_id = ?")
    rows = _rows(hardcover_sql, (*LINKED_STATES * 2, hc_book[0]))
    return _not_among(library, [_hardcover(row) for row in rows])


def _not_among(library: list[Read], hardcover: list[Read]) -> list[Read]:
    """The Hardcover reads that are none of the library's (`counting.once`)."""
    if not hardcover:
        return []
    own = {id(read) for read in library}
    return [r for r in once(library + hardcover) if id(r) not in own]


def _rows(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return list(database.execute_sql(sql, params).fetchall())


_DAYS: dict[str, dt.date] = {}  # a day read once: a library's reads share a few thousand


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    day = _DAYS.get(text)
    if day is None:
        day = _DAYS[text] = dt.date.fromisoformat(text)
    return day


def _library(row: tuple[Any, ...]) -> Read:
    book_id, started, finished, done, source, hc_book, hc_read, pages, device = row
    return Read(
        book_id, _date(started), _date(finished), bool(done), source,
        hc_book, hc_read, pages, device,
    )  # fmt: skip


def _hardcover(row: tuple[Any, ...]) -> Read:
    book_id, started, finished, done, hc_book, hc_read, pages = row
    return Read(
        book_id, _date(started), _date(finished), bool(done), HARDCOVER,
        hc_book, hc_read, pages, None,
    )  # fmt: skip
