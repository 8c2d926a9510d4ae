"""The `books` listing read a page at a time by sort key: the first lines of a 250,000-book
library print at once (`books | head` ends before the rest is read), and memory holds one page.

A page starts right after the last (sort title, id) printed, so each costs what the first does.
By author, the keys are the library table's (`book_sort_key`: the authors' sort texts, folded,
then the sort title and id), walked along their index the same way.

A search is run once for the first page, reading `FEW + 1` of its books at most: when it finds
no more than `FEW`, the pages are cut from those books (each page looks them up by id and sorts
them); when it finds more, each page walks the order's index and keeps the books the search
finds, stopping at a full page, rather than sorting tens of thousands of matches for every
page. The first page tests the search itself; the books it finds are then kept in a temporary
table for the pages after it, so page 50 does not run the search again. A negation (`not
garden`) keeps the books it leaves out, usually the fewer, and the walk keeps those not among
them. Either way every book found is listed once, in the order.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from bookorbit_desktop.library.search.compiler import Condition
from bookorbit_desktop.library.store.keyset import Key, Order, key_of
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.queries import list_books
from bookorbit_desktop.library.store.sql import in_list

PAGE = 1000
BY_TITLE = Order((("sort_title", False), ("id", False)))  # the order `list_books` gives
BY_AUTHOR = Order((("authors", False), ("sort_title", False), ("book_id", False)))
# Each order's table and the column holding the book's id there.
_SOURCES = {"title": (BY_TITLE, "book", "id"), "author": (BY_AUTHOR, "book_sort_key", "book_id")}
SORTS = tuple(_SOURCES)
FEW = 5000  # a search finding more books than this walks the order's index
_TABLES = itertools.count()  # the temporary tables' numbers: each search has its own


def book_pages(
    size: int = PAGE, sort: str = "title", found: Condition | None = None, *, few: int = FEW
) -> Iterator[list[dict[str, Any]]]:
    """Every book's record (as `list_books` gives it), or those of the books a search `found`,
    in the order `sort` names (one of `SORTS`), `size` at a time (a search finding more than
    `few` books walks the order's index)."""
    order, table, book_id = _SOURCES[sort]
    key: Key | None = None
    kept: list[str] = []  # the temporary tables made for the pages
    tests = _page_tests(found, book_id, few, kept)
    try:
        while True:
            search, search_params = next(tests)
            where, params = order.beyond(key) if key is not None else ("1", [])
            rows = database.execute_sql(
                f"SELECT {book_id}, {order.expressions} FROM {table} WHERE {where} AND {search}"
                f" ORDER BY {order.order_by()} LIMIT ?",
                (*params, *search_params, size),
            ).fetchall()
            if not rows:
                return
            books = {book["id"]: book for book in list_books([row[0] for row in rows])}
            yield [books[row[0]] for row in rows if row[0] in books]
            key = key_of(rows[-1], order)
    finally:
        for name in kept:
            database.execute_sql(f"DROP TABLE temp.{name}")


def _page_tests(
    found: Condition | None, book_id: str, few: int, kept: list[str]
) -> Iterator[tuple[str, Sequence[object]]]:
    """Each page's test (and its parameters) keeping the books the search `found` finds, the
    column `book_id` naming their id: the found ids themselves when there are at most `few`;
    else the search, and from the second page on the temporary table its books were kept in
    (its name added to `kept`). A negation (`not x`) keeps x's books: the pages' books are
    those not among them."""
    if found is None:
        yield from itertools.repeat(("1", ()))
        return
    ids = {
        row[0]
        for row in database.execute_sql(
            f"SELECT id FROM ({found.ids}) LIMIT ?", (*found.ids_params, few + 1)
        )
    }
    if len(ids) <= few:
        yield from itertools.repeat((in_list(book_id, ids), sorted(ids)))
        return
    among, test = (found, "IN") if found.negation is None else (found.negation, "NOT IN")
    # `+` keeps SQLite from looking each found id up: it walks the order's index instead.
    yield f"+{book_id} {test} ({among.ids})", among.ids_params
    table = f"found_{next(_TABLES)}"
    database.execute_sql(f"CREATE TEMP TABLE {table} (id INTEGER PRIMARY KEY)")
    kept.append(table)
    # OR IGNORE: a book found twice (by two of its authors) is kept once.
    database.execute_sql(
        f"INSERT OR IGNORE INTO temp.{table} SELECT id FROM ({among.ids})", among.ids_params
    )
    yield from itertools.repeat((f"+{book_id} {test} (SELECT id FROM temp.{table})", ()))


def write_json_array(items: Iterator[dict[str, Any]], out: TextIO) -> None:
    """`items` as one indented JSON array, written as they come."""
    out.write("[")
    written = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("," if written else "") + "\n  " + text)
        written += 1
    out.write("\n]\n" if written else "]\n")
