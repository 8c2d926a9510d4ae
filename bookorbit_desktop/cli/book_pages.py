"""The `books` listing read a page at a time by sort key: the first lines of a 250,000-book
library print at once (`books | head` ends before the rest is read), and memory holds one page.

A page starts right after the last (sort title, id) printed, so each costs what the first does.
By author, the keys are the library table's (`book_sort_key`: the authors' sort texts, folded,
then the sort title and id), walked along their index the same way.

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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from bookorbit_desktop.library.search.compiler import Condition
from bookorbit_desktop.library.search.pages import library_size
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
    with _found_test(found, book_id, few) as (search, search_params):
        key: Key | None = None
        while True:
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


@contextmanager
def _found_test(
    found: Condition | None, book_id: str, few: int
) -> Iterator[tuple[str, Sequence[object]]]:
    """The pages' test (and its parameters) keeping the books the search `found` finds, the
    column `book_id` naming their id: the found ids themselves when there are at most `few`,
    else a test against the temporary table they were kept in (dropped at the end)."""
    if found is None:
        yield "1", ()
        return
    opposite = found.negation  # `not x`: x's books are kept, and the found ones are the rest
    kept = found if opposite is None else opposite
    table = f"found_{next(_TABLES)}"
    database.execute_sql(f"CREATE TEMP TABLE {table} (id INTEGER PRIMARY KEY)")
    try:
        # OR IGNORE: a book found twice (by two of its authors) is kept once.
        count = database.execute_sql(
            f"INSERT OR IGNORE INTO temp.{table} SELECT id FROM ({kept.ids})", kept.ids_params
        ).rowcount
        test = f"IN (SELECT id FROM temp.{table})"
        if opposite is not None:
            test = f"NOT {test}"
        # At most this many books found (for a negation, counted from the highest id).
        most = count if opposite is None else library_size() - count
        if most <= few:
            ids = [row[0] for row in database.execute_sql(f"SELECT id FROM book WHERE id {test}")]
            yield in_list(book_id, ids), ids
        else:
            # `+` keeps SQLite from looking each found id up: it walks the order's index.
            yield f"+{book_id} {test}", ()
    finally:
        database.execute_sql(f"DROP TABLE temp.{table}")


def write_json_array(items: Iterator[dict[str, Any]], out: TextIO) -> None:
    """`items` as one indented JSON array, written as they come."""
    out.write("[")
    written = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("," if written else "") + "\n  " + text)
        written += 1
    out.write("\n]\n" if written else "]\n")
