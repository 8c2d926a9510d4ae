"""The `books` listing read a page at a time by sort key: the first lines of a 250,000-book
library print at once (`books | head` ends before the rest is read), and memory holds one page.

A page starts right after the last (sort title, id) printed, so each costs what the first does.
By author, the keys are the library table's (`book_sort_key`: the authors' sort texts, folded,
then the sort title and id), walked along their index the same way.

A search first walks the order's index, checking each book by its own rows (`Condition.each`:
its indexed text, not the index's whole list of matches) until a page is full: a search most
books match (`e`, `not garden`) prints a page after reading about as many books. Each page's
walk starts with `window` books and walks on over twice the books the matches so far predict it
needs. When the rest of the page would need more than `most` books read (or the page more than
twice that), the search finds too few books for a walk, and from there on it is run whole
instead (the books a walk has read are not counted: they are spent whichever way goes on):

A search is run once, its books' ids kept in a temporary table: when it finds no more than
`FEW`, the pages are cut from those books (each page looks them up by id and sorts them); when
it finds more, each page walks the order's index and keeps the books in the table, stopping at a
full page, rather than sorting tens of thousands of matches for every page (or running the
search again for each). A search that is a negation (`not garden`) keeps the books it leaves
out, usually the fewer, and the walk keeps those not among them. Either way every book found is
listed once, in the order.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from bookorbit_desktop.library.search.compiler import Condition
from bookorbit_desktop.library.search.pages import library_size
from bookorbit_desktop.library.store.keyset import Key, Order, key_of
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.queries import list_books

PAGE = 1000
BY_TITLE = Order((("b.sort_title", False), ("b.id", False)))  # the order `list_books` gives
BY_AUTHOR = Order((("k.authors", False), ("k.sort_title", False), ("k.book_id", False)))
# Each order's table, the column holding the book's id there, and the table joined to the book
# `b` its row is (the one a search's condition tests).
_SOURCES = {
    "title": (BY_TITLE, "book b", "b.id", "book b"),
    "author": (
        BY_AUTHOR,
        "book_sort_key k",
        "k.book_id",
        "book_sort_key k CROSS JOIN book b ON b.id = k.book_id",
    ),
}
SORTS = tuple(_SOURCES)
FEW = 5000  # a search finding more books than this walks the order's index
# The rest of a page's walk may need, as predicted, at most one book in this many of the
# library's: reading a book's indexed text by its id costs about what reading every book's
# text in turn does for this many books (a search run whole costs more with the library).
WALKED_SHARE = 20
_TABLES = itertools.count()  # the temporary tables' numbers: each search has its own
Rows = list[tuple[Any, ...]]  # a book's id, then its key in the order


def book_pages(
    size: int = PAGE,
    sort: str = "title",
    found: Condition | None = None,
    *,
    few: int = FEW,
    window: int = PAGE,
    most: int | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Every book's record (as `list_books` gives it), or those of the books a search `found`,
    in the order `sort` names (one of `SORTS`), `size` at a time (a search's pages are walked,
    from `window` books on, while a page needs at most `most` books read, by default one in
    `WALKED_SHARE` of the library's; then a search finding more than `few` books walks the
    order's index keeping the books found)."""
    order, table, book_id, joined = _SOURCES[sort]
    key: Key | None = None
    begun: Rows = []  # the next page's books the walk found
    if found is not None:
        most = library_size() // WALKED_SHARE if most is None else most
        if 0 < window <= most:
            walked = _walked(order, joined, book_id, found, size, window, most)
            more, key, begun = yield from walked
            if not more:
                return
    with _found_test(found, book_id, few) as (search, search_params):
        while True:
            where, params = order.beyond(key) if key is not None else ("1", [])
            rows = (
                begun
                + database.execute_sql(
                    f"SELECT {book_id}, {order.expressions} FROM {table} WHERE {where} AND {search}"
                    f" ORDER BY {order.order_by()} LIMIT ?",
                    (*params, *search_params, size - len(begun)),
                ).fetchall()
            )
            if not rows:
                return
            yield _records(rows)
            key, begun = key_of(rows[-1], order), []


def _records(rows: Rows) -> list[dict[str, Any]]:
    """The records of the books whose ids begin `rows`, in their order."""
    books = {book["id"]: book for book in list_books([row[0] for row in rows])}
    return [books[row[0]] for row in rows if row[0] in books]


def _walked(
    order: Order, joined: str, book_id: str, found: Condition, size: int, window: int, most: int
) -> Generator[list[dict[str, Any]], None, tuple[bool, Key | None, Rows]]:
    """The pages of the books `found` finds, each book of the order checked by `found.each`,
    while each page needs at most `most` books read; then whether the list goes on (a page
    would need more), the key of the last book read, and the books of the page found so far."""
    key: Key | None = None
    while True:
        page: Rows = []
        read, books = 0, window
        while len(page) < size:
            rows, key = _walk(order, joined, book_id, found, key, size - len(page), books)
            page += rows
            read += books
            if key is None:  # the last book read
                if page:
                    yield _records(page)
                return False, None, []
            if len(page) < size:
                # The books the page still needs, as the matches so far predict (none: as if
                # one); the walk goes on over twice as many, and stops at the page's end.
                needed = (size - len(page)) * read // max(len(page), 1) + 1
                if needed > most or read + needed > 2 * most:
                    return True, key, page
                books = 2 * needed
        yield _records(page)


def _walk(
    order: Order,
    joined: str,
    book_id: str,
    found: Condition,
    key: Key | None,
    limit: int,
    books: int,
) -> tuple[Rows, Key | None]:
    """Up to `limit` books `found` finds among the `books` after `key` in `order`, and the key
    the list goes on from: the last one found when there are `limit`, else the last book read
    (None: the list ends there)."""
    start, start_params = order.beyond(key) if key is not None else ("1", [])
    # The window's last book and the first one past it (fewer: the window reaches the end).
    edges = database.execute_sql(
        f"SELECT {order.expressions} FROM {joined} WHERE {start}"
        f" ORDER BY {order.order_by()} LIMIT 2 OFFSET ?",
        (*start_params, books - 1),
    ).fetchall()
    within, within_params = "1", list[Any]()
    if len(edges) == 2:
        within, within_params = order.beyond(tuple(edges[1]), backward=True)
    rows = database.execute_sql(
        f"SELECT {book_id}, {order.expressions} FROM {joined}"
        f" WHERE {start} AND {within} AND {found.each} ORDER BY {order.order_by()} LIMIT ?",
        (*start_params, *within_params, *found.each_params, limit),
    ).fetchall()
    if len(rows) == limit:
        return rows, key_of(rows[-1], order)
    return rows, tuple(edges[0]) if len(edges) == 2 else None


@contextmanager
def _found_test(
    found: Condition | None, book_id: str, few: int
) -> Iterator[tuple[str, Sequence[object]]]:
    """The pages' test (and its parameters) keeping the books the search `found` finds, the
    column `book_id` naming their id, against the temporary table they were kept in (dropped
    at the end): each found book looked up when there are at most `few`, else the order's
    index walked keeping them."""
    if found is None:
        yield "1", ()
        return
    opposite = found.negation  # `not x`: x's books are kept, and the found ones are the rest
    kept = found if opposite is None else opposite
    tables: list[str] = []
    try:
        count = _kept(tables, kept.ids, kept.ids_params)
        test = f"IN (SELECT id FROM temp.{tables[0]})"
        if opposite is not None:
            test = f"NOT {test}"
        # At most this many books found (for a negation, counted from the highest id).
        most = count if opposite is None else library_size() - count
        if most > few:
            # `+` keeps SQLite from looking each found id up: it walks the order's index.
            yield f"+{book_id} {test}", ()
            return
        if opposite is not None:  # the few books found, kept in a table of their own
            _kept(tables, f"SELECT id FROM book WHERE id {test}", ())
        yield f"{book_id} IN (SELECT id FROM temp.{tables[-1]})", ()
    finally:
        for table in tables:
            database.execute_sql(f"DROP TABLE temp.{table}")


def _kept(tables: list[str], ids: str, params: Sequence[object]) -> int:
    """How many books the query `ids` finds, kept in a new temporary table added to `tables`
    (a book found twice, by two of its authors, once)."""
    table = f"found_{next(_TABLES)}"
    database.execute_sql(f"CREATE TEMP TABLE {table} (id INTEGER PRIMARY KEY)")
    tables.append(table)
    return int(
        database.execute_sql(
            f"INSERT OR IGNORE INTO temp.{tables[-1]} SELECT id FROM ({ids})", params
        ).rowcount
    )


def write_json_array(items: Iterator[dict[str, Any]], out: TextIO) -> None:
    """`items` as one indented JSON array, written as they come."""
    out.write("[")
    written = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("," if written else "") + "\n  " + text)
        written += 1
    out.write("\n]\n" if written else "]\n")
