"""Every read the library knows, as `counting.Read`s: two queries, whatever the library's size.

- The library's own reads (`book_read`), each with the Hardcover book its copy is linked to.
- The user's reads on hardcover.app, as the pull last stored them with their entry
  (`hardcover_pulled`), of the Hardcover books a library copy is linked to, each given to that
  copy (the one holding the entry, else the lead, else the lowest id), leaving out those that are
  a library read already (`counting.once`'s rule: the same Hardcover read id, or the same book
  and finish day). A Hardcover read is done when it has a finish date, or when it is the
  entry's latest read and the entry says Read; it is never abandoned here (Did Not Finish
  says nothing of which read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.library.reads.counting import HARDCOVER, Read, once
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.shelves import LINKED_STATES
from bookorbit_desktop.library.store.sql import in_list

HARDCOVER_READ = 3  # Hardcover's status "Read"

_LINKED = in_list("m.state", LINKED_STATES)
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
    JOIN json_each(c.entry, '$.reads') j"""


def all_reads() -> list[Read]:
    """Every read the library knows: its own, then Hardcover's that are not one of them (a
    bulk build of many small objects: the cycle collector waits, `gc_pause`)."""
    with paused_collection():
        library = [_library(row) for row in _rows(_LIBRARY.format(only=""), LINKED_STATES * 2)]
        pulled = _rows(_HARDCOVER.format(entries=""), LINKED_STATES * 2)
        hardcover = [_hardcover(row) for row in pulled]
        return library + _not_among(library, hardcover)


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
