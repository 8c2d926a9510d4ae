"""The user's Hardcover shelves as the library stores them, read without the Hardcover stack.

The pull (`library.store.pull_schema`) keeps the user's entries (`hardcover_pulled`, with the
book's title, authors, ISBNs and slug) and lists (`hardcover_pulled_list`, with the Hardcover
book ids on each). A shelf is either a status (Want to Read, Currently Reading: the entries
with that status) or one of the lists. A shelf's entry is in the library when a library book
is linked to its Hardcover book (`hardcover_match`). The window, the command line, the catalog
and the device queue all read the shelves here; `server` may import this module, it imports
nothing of `hardcover`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.store.joins import forget_joins, record_joins
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import AVAILABLE, in_list, outside_inbox

WANT_TO_READ, CURRENTLY_READING = "want-to-read", "currently-reading"
LIST_PREFIX = "list-"
# key -> (name, Hardcover's status id)
STATUS_SHELVES: dict[str, tuple[str, int]] = {
    WANT_TO_READ: ("Want to Read", 1),
    CURRENTLY_READING: ("Currently Reading", 2),
}
# A link that names the Hardcover book (an excluded copy or one whose entry was removed is
# still that book): such a copy is the shelf entry's copy in the library.
LINKED_STATES = ("linked", "excluded", "removed")
_LINKED = in_list("m.state", LINKED_STATES)
_COPY_OUTSIDE_INBOX = outside_inbox("m.book_id")


@dataclass(frozen=True)
class Shelf:
    key: str  # "want-to-read", "currently-reading", "list-<id>"
    name: str
    kind: str  # "status" or "list"
    entries: int
    in_library: int  # entries with a copy in the library
    slug: str | None = None  # a list's slug on Hardcover

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ShelfEntry:
    """One Hardcover book on a shelf, with what the pull knows of it and its library copies."""

    hc_book_id: int
    title: str | None
    authors: tuple[str, ...]
    isbns: tuple[str, ...]
    slug: str | None
    status_id: int | None  # the user's status on Hardcover (None: no entry, only on a list)
    book_ids: tuple[int, ...]  # library copies linked to it, outside the Inbox

    @property
    def url(self) -> str | None:
        return f"https://hardcover.app/books/{self.slug}" if self.slug else None


def _rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(database.execute_sql(sql, tuple(params)).fetchall())


def members(key: str) -> tuple[str, list[Any]]:
    """SQL selecting the Hardcover book ids on the shelf (one column), with its parameters;
    NotFoundError for a shelf the user does not have."""
    if key in STATUS_SHELVES:
        status = STATUS_SHELVES[key][1]
        return (
            "SELECT hc_book_id FROM hardcover_pulled WHERE json_extract(entry, '$.status_id') = ?",
            [status],
        )
    if key.startswith(LIST_PREFIX) and key[len(LIST_PREFIX) :].isdigit():
        list_id = int(key[len(LIST_PREFIX) :])
        if _rows("SELECT 1 FROM hardcover_pulled_list WHERE id = ?", (list_id,)):
            return (
                "SELECT CAST(j.value AS INTEGER) FROM hardcover_pulled_list l, "
                "json_each(l.book_ids) j WHERE l.id = ?",
                [list_id],
            )
    raise NotFoundError(
        f"There is no shelf {key!r}. See your shelves with: bookorbit-desktop hardcover shelves"
    )


def books_on_shelf_condition(key: str, book: str = "b.id") -> tuple[str, list[Any]]:
    """The condition true of a library book (`book` names its id) linked to a book on the
    shelf, for the catalog's and the device queue's queries."""
    sql, params = members(key)
    return (
        f"{book} IN (SELECT m.book_id FROM hardcover_match m WHERE {_LINKED} "
        f"AND m.hc_book_id IN ({sql}))",
        [*LINKED_STATES, *params],
    )


def _count(key: str) -> tuple[int, int]:
    """(books on the shelf, those with a copy in the library)."""
    sql, params = members(key)
    total, linked = _rows(
        f"WITH s(id) AS ({sql}) SELECT count(DISTINCT s.id), count(DISTINCT m.hc_book_id) "
        f"FROM s LEFT JOIN hardcover_match m ON m.hc_book_id = s.id AND {_LINKED} "
        f"AND {_COPY_OUTSIDE_INBOX}",
        [*params, *LINKED_STATES],
    )[0]
    return int(total), int(linked)


def shelves() -> list[Shelf]:
    """Want to Read, Currently Reading, then the user's lists by name, each with its counts."""
    found = []
    for key, (name, _status) in STATUS_SHELVES.items():
        found.append(Shelf(key, name, "status", *_count(key)))
    for list_id, name, slug in _rows(
        "SELECT id, name, slug FROM hardcover_pulled_list ORDER BY lower(name), id"
    ):
        key = f"{LIST_PREFIX}{list_id}"
        found.append(Shelf(key, str(name), "list", *_count(key), slug=slug))
    return found


def find_shelf(name: str) -> Shelf:
    """The shelf with this key or name (case does not matter); NotFoundError otherwise."""
    wanted = name.strip().casefold()
    every = shelves()
    for shelf in every:
        if wanted in (shelf.key, shelf.name.casefold(), (shelf.slug or "").casefold()):
            return shelf
    names = ", ".join(repr(s.name) for s in every)
    raise NotFoundError(f"There is no shelf named {name!r}. Your shelves: {names}.")


def shelf_entries(key: str) -> list[ShelfEntry]:
    """The shelf's books in the order Hardcover keeps them (a list's order, else the entry's
    id), each with what the pull read and the library copies linked to it."""
    sql, params = members(key)
    ids = [int(r[0]) for r in _rows(sql, params)]
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    known: dict[int, tuple[Any, ...]] = {}
    row: tuple[Any, ...] | None
    copies: dict[int, list[int]] = {}
    for chunk in _chunks(ids):
        for row in _rows(
            "SELECT hc_book_id, title, authors, isbns, slug, entry FROM hardcover_pulled "
            f"WHERE {in_list('hc_book_id', chunk)} ORDER BY user_book_id",
            chunk,
        ):
            known.setdefault(int(row[0]), row)
        for book_id, hc_book_id in _rows(
            "SELECT m.book_id, m.hc_book_id FROM hardcover_match m "
            f"WHERE {_LINKED} AND {in_list('m.hc_book_id', chunk)} "
            f"AND {_COPY_OUTSIDE_INBOX} ORDER BY m.book_id",
            [*LINKED_STATES, *chunk],
        ):
            copies.setdefault(int(hc_book_id), []).append(int(book_id))
    entries = []
    for hc_id in ids:
        row = known.get(hc_id)
        status = json.loads(row[5]).get("status_id") if row else None
        entries.append(
            ShelfEntry(
                hc_book_id=hc_id,
                title=row[1] if row else None,
                authors=tuple(json.loads(row[2] or "[]")) if row else (),
                isbns=tuple(json.loads(row[3] or "[]")) if row else (),
                slug=row[4] if row else None,
                status_id=int(status) if status is not None else None,
                book_ids=tuple(copies.get(hc_id, ())),
            )
        )
    return entries


def record_catalog_listing(key: str, now: float) -> None:
    """Note when each book the catalog lists on the shelf joined it (`joins.record_joins`);
    a shelf the user no longer has loses its rows."""
    try:
        where, params = books_on_shelf_condition(key)
    except NotFoundError:
        forget_joins(key)
        return
    record_joins(key, where, params, now)


def hardcover_status(book_id: int) -> int | None:
    """The status the user's Hardcover entry for this library book's Hardcover book has, as
    last pulled (None: no entry known, or the book is not linked)."""
    rows = _rows(
        "SELECT json_extract(p.entry, '$.status_id') FROM hardcover_match m "
        f"JOIN hardcover_pulled p ON p.hc_book_id = m.hc_book_id WHERE m.book_id = ? AND {_LINKED}",
        [book_id, *LINKED_STATES],
    )
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


def books_not_on_device(key: str, store_uuid: str | None) -> list[int]:
    """The library books on the shelf a device could take (a file present, outside the Inbox)
    that the device `store_uuid` did not list at its last connection (all of them when None),
    by title."""
    where, params = books_on_shelf_condition(key)
    sql = f"SELECT b.id FROM book b WHERE {AVAILABLE} AND {where}"
    if store_uuid is not None:
        sql += (
            " AND b.id NOT IN (SELECT db.book_id FROM device_book db JOIN device d"
            " ON d.id = db.device_id WHERE d.store_uuid = ? AND db.book_id IS NOT NULL)"
        )
        params = [*params, store_uuid]
    return [int(r[0]) for r in _rows(sql + " ORDER BY b.sort_title, b.id", params)]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[n : n + size] for n in range(0, len(ids), size)]
