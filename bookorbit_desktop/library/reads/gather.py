"""Every read the library knows, as `counting.Read`s: two queries, whatever the library's size.

- The library's own reads (`book_read`), each with the Hardcover book its copy is linked to.
- The user's reads on hardcover.app, as the pull last stored them with their entry
  (`hardcover_pulled`), of the Hardcover books a library copy is linked to, each given to that
  copy (the one holding the entry, else the lead, else the first), leaving out those that are
  a library read already (`counting.once`'s rule: the same Hardcover read id, or the same book
  and finish day). A Hardcover read is done when it has a finish date, or when it is the
  entry's latest read and the entry says Read; it is never abandoned here (Did Not Finish
  says nothing of which read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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
# Each linked Hardcover book's copy that its reads go to: the one holding the entry, the lead,
# then the lowest id.
_HARDCOVER = f"""
    WITH copy AS (
        SELECT m.hc_book_id, m.book_id, m.user_book_id, m.edition_pages, b.pages,
               row_number() OVER (PARTITION BY m.hc_book_id
                                  ORDER BY m.lead DESC, m.book_id) AS rank
        FROM hardcover_match m JOIN book b ON b.id = m.book_id
        WHERE {_LINKED} AND m.hc_book_id IS NOT NULL {{copies}})
    SELECT coalesce((SELECT c.book_id FROM copy c WHERE c.hc_book_id = p.hc_book_id
                     AND c.user_book_id = p.user_book_id ORDER BY c.rank LIMIT 1),
                    lead_copy.book_id),
           json_extract(j.value, '$.started'), json_extract(j.value, '$.finished'),
           json_extract(j.value, '$.finished') IS NOT NULL OR (
               json_extract(p.entry, '$.status_id') = {HARDCOVER_READ} AND
               json_extract(j.value, '$.id') = (SELECT max(json_extract(k.value, '$.id'))
                                               FROM json_each(p.entry, '$.reads') k)),
           p.hc_book_id, json_extract(j.value, '$.id'),
           coalesce(lead_copy.edition_pages, lead_copy.pages)
    FROM hardcover_pulled p
    JOIN copy lead_copy ON lead_copy.hc_book_id = p.hc_book_id AND lead_copy.rank = 1
    JOIN json_each(p.entry, '$.reads') j
    {{entries}}
    ORDER BY p.hc_book_id, json_extract(j.value, '$.id')"""


def all_reads() -> list[Read]:
    """Every read the library knows: its own, then Hardcover's that are not one of them."""
    library = [_library(row) for row in _rows(_LIBRARY.format(only=""), LINKED_STATES * 2)]
    pulled = _rows(_HARDCOVER.format(copies="", entries=""), LINKED_STATES)
    hardcover = [_hardcover(row) for row in pulled]
    return library + _not_among(library, hardcover)


def hardcover_only(book_id: int) -> list[Read]:
    """The reads on hardcover.app of the Hardcover book `book_id` is linked to that are no
    library read of a copy linked to it, oldest first by Hardcover's id."""
    hc_book = database.execute_sql(
        f"SELECT m.hc_book_id FROM hardcover_match m WHERE m.book_id = ? AND {_LINKED}",
        (book_id, *LINKED_STATES),
    ).fetchone()
    if hc_book is None or hc_book[0] is None:
        return []
    library_sql = _LIBRARY.format(only=f"WHERE m.hc_book_id = ? AND {_LINKED}")
    params = (*LINKED_STATES * 2, hc_book[0], *LINKED_STATES)
    library = [_library(row) for row in _rows(library_sql, params)]
    hardcover_sql = _HARDCOVER.format(
        copies="AND m.hc_book_id = ?", entries="WHERE p.hc_book_id = ?"
    )
    rows = _rows(hardcover_sql, (*LINKED_STATES, hc_book[0], hc_book[0]))
    return _not_among(library, [_hardcover(row) for row in rows])


def _not_among(library: list[Read], hardcover: list[Read]) -> list[Read]:
    """The Hardcover reads that are none of the library's (`counting.once`)."""
    if not hardcover:
        return []
    own = {id(read) for read in library}
    return [r for r in once(library + hardcover) if id(r) not in own]


def _rows(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return list(database.execute_sql(sql, params).fetchall())


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


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
