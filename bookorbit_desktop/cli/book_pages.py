"""The `books` listing read a page at a time by sort key: the first lines of a 250,000-book
library print at once (`books | head` ends before the rest is read), and memory holds one page.

A page starts right after the last key printed, so each costs what the first does. The keys
are the library table's (`book_sort_key`: the title, or the authors' sort texts, folded as the
table folds them, then the sort title and id), so the listing's order is the window's, walked
along their index.

A search is run once, its books' ids kept in a temporary table: when it finds no more than
`FEW`, the pages are cut from those books (each page looks them up by id and sorts them); when
it finds more, each page walks the order's index and keeps the books in the table, stopping at a
full page, rather than sorting tens of thousands of matches for every page (or running the
search again for each). A search that is a negation (`not garden`) keeps the books it leaves
out, usually the fewer, and the walk keeps those not among them. Either way every book found is
listed once, in the order.

Before that, the first page in title order of a search whose parts can each be checked on one
book by its own rows (`Condition.each`: plain words, the book's own fields, `not`, `and`, `or`
of those), and which is slow to keep whole (`Condition.scans`: a word too short for the search
index, a field of the book, a negation), may walk the title order checking books one by one: a
search most books match (`e`, `not garden`) fills it after reading about a page of books, one
found in ten after ten pages' worth, without reading every book's text or row first. A search
the index looks up (`garden`, `"lord ring"`) is kept whole at once: that is quick. Whether to
walk is told by `SAMPLE` books spread over the library, checked the same way: the walk is taken
when they predict the page full within one book in `WALK_SHARE` of the library's (a fifth of
that for a negation of a search the index looks up), and reads up to twice as far as they
predict, not past that share; when the page is still short there, or the prediction is
farther, the search is kept whole as above, from the first book. The pages after the walked
one are cut from the kept books, from the walked page's last book on.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.library.custom.store import by_label
from bookorbit_desktop.library.search.compiler import Condition
from bookorbit_desktop.library.search.pages import library_size
from bookorbit_desktop.library.store.keyset import Key, Order, key_of
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.queries import list_books
from bookorbit_desktop.library.store.sql import in_list
from bookorbit_desktop.library.store.title_order import BY_TITLE, TIES

PAGE = 1000
# The library table's orders, by its stored keys (`book_sort_key`, folded as the table folds).
BY_AUTHOR = Order((("k.authors", False), *TIES.columns))
_ORDERS = {"title": BY_TITLE, "author": BY_AUTHOR}
FEW = 5000  # a search finding more books than this walks the order's index
SAMPLE = 300  # the books checked to predict how far the first page's walk would go
# The walk reads at most one book in this many of the library's: checking a book by its own rows
# costs about ten times what reading its text in a scan of every book's does.
WALK_SHARE = 10
LOOKED_UP_SHARE = 5  # a fifth of that when an index finds the books left out: keeping is quick
# What a page's records are built by, from the books' ids (in any order).
Records = Callable[[Iterable[int]], list[dict[str, Any]]]
_TABLES = itertools.count()  # the temporary tables' numbers: each search has its own


def book_pages(
    size: int = PAGE,
    sort: str = "title",
    found: Condition | None = None,
    *,
    descending: bool = False,
    few: int = FEW,
    walk: int | None = None,
    records: Records | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Every book's record, or those of the books a search `found`, in the order `sort` names
    (title, author, or a custom column's `#label`; `descending` as the library table sorts
    the other way: by the key from the highest, equal keys still by title, and a custom
    column's books without a value first), `size` at a time (a search finding more
    than `few` books walks the order's index; its first page by title may be walked reading up
    to `walk` books, one in `WALK_SHARE` of the library's when None). `records` builds a page's
    records from the books' ids: `list_books` (None) or `listing_lines` for the listing's
    lines."""
    records = records or list_books
    walks = _walks(sort, descending)
    order, book_id = walks[0][0], "k.book_id"
    key: Key | None = None
    walking = sort == "title" and not descending and size  # the title order from its start
    if found is not None and found.each is not None and found.scans and walking:
        books = library_size()
        most = books // WALK_SHARE if walk is None else walk
        if not (found.negation or found).scans:  # an index finds the books to keep
            most //= LOOKED_UP_SHARE
        walked = _walked(found.each, found.each_params, size, books, most)
        if walked is not None:
            if walked:
                yield _records(walked, records)
            if len(walked) < size:  # the walk read the last book
                return
            key = key_of(walked[-1], order)
    with _found_test(found, book_id, few) as (search, search_params):
        for order, tables, within, within_params in walks:
            while True:
                where, params = order.beyond(key) if key is not None else ("1", [])
                rows = database.execute_sql(
                    f"SELECT {book_id}, {order.expressions} FROM {tables}"
                    f" WHERE {within} AND {where} AND {search}"
                    f" ORDER BY {order.order_by()} LIMIT ?",
                    (*within_params, *params, *search_params, size),
                ).fetchall()
                if not rows:
                    break
                yield _records(rows, records)
                key = key_of(rows[-1], order)
            key = None


# An order's walks: each an order, the tables it reads, a condition and its parameters.
Walk = tuple[Order, str, str, Sequence[object]]


def _walks(sort: str, descending: bool = False) -> list[Walk]:
    """The walks along indexes that list the books in the order `sort` names: title, author,
    or a custom column's label (`#label`), by its values as the library table sorts them: the
    books with a value by its stored key (`store.custom_keys_schema`), those of one value in
    title order, then those without one in title order; `descending`, as the table's other
    way: the sort key from the highest (equal keys by title), a custom column's books without
    a value first. InvalidValueError for no such column."""
    if sort in _ORDERS:
        return [(_first_from_highest(_ORDERS[sort], descending), "book_sort_key k", "1", ())]
    column = by_label(sort) if sort.startswith("#") else None
    if column is None:
        raise InvalidValueError(
            f"Books cannot be sorted by {sort!r}: sort by title, author or a custom column's"
            " #label (`bookorbit-desktop books columns` lists them)."
        )
    valued = Order((("cv.key", descending), *BY_TITLE.columns))
    walks: list[Walk] = [
        (
            valued,
            "custom_value cv CROSS JOIN book_sort_key k ON k.book_id = cv.book_id",
            "cv.column_id = ?",
            (column.id,),
        ),
        (
            BY_TITLE,
            "book_sort_key k",
            "NOT EXISTS (SELECT 1 FROM custom_value v WHERE v.column_id = ?"
            " AND v.book_id = k.book_id)",
            (column.id,),
        ),
    ]
    return walks[::-1] if descending else walks


def _first_from_highest(order: Order, descending: bool) -> Order:
    """`order` with its first key from the highest when `descending` (the others as they are)."""
    (first, _ascending), *rest = order.columns
    return Order(((first, descending), *rest))


def _records(rows: Sequence[Sequence[Any]], records: Records) -> list[dict[str, Any]]:
    """The records of the books whose ids begin `rows`, in their order: tens of thousands of
    objects built at once for a full page, without the cycle collector's scans (`gc_pause`)."""
    with paused_collection():
        books = {book["id"]: book for book in records([row[0] for row in rows])}
        return [books[row[0]] for row in rows if row[0] in books]


def _walked(
    each: str, params: Sequence[object], size: int, books: int, most: int
) -> list[Sequence[Any]] | None:
    """(id, and the title order's key) of the first `size` books in title order that `each`
    keeps (the book `b`), read by checking the books in turn from the first, when `SAMPLE`
    books spread over the library (`books`: its highest id) predict the page full within
    `most` books read. The walk reads up to twice as many books as predicted. Fewer rows: no
    other book is kept. None: the walk was not worth it, or stopped short of a page; the books
    are to be found another way."""
    if books > most:
        step = max(1, books // SAMPLE)
        sample = range(step, books + 1, step)
        read, kept = database.execute_sql(
            f"SELECT count(*), coalesce(sum({each}), 0) FROM book b"
            f" WHERE {in_list('b.id', sample)}",
            (*params, *sample),
        ).fetchone()
        if not kept or size * read // kept > most:
            return None
        books = min(most, 2 * size * read // kept)
    rows, last = _walk(each, params, size, books)
    return rows if len(rows) == size or last else None


def _walk(
    each: str, params: Sequence[object], size: int, books: int
) -> tuple[list[Sequence[Any]], bool]:
    """Up to `size` rows (id, and the title order's key) of the books `each` keeps among the first
    `books` books in title order, and whether those reach the last book."""
    # The first book past the walk (none: it reaches the last book).
    past = database.execute_sql(
        f"SELECT {BY_TITLE.expressions} FROM book_sort_key k ORDER BY {BY_TITLE.order_by()}"
        " LIMIT 1 OFFSET ?",
        (books,),
    ).fetchone()
    within, within_params = BY_TITLE.beyond(tuple(past), backward=True) if past else ("1", [])
    rows = database.execute_sql(
        f"SELECT k.book_id, {BY_TITLE.expressions} FROM book_sort_key k"
        f" CROSS JOIN book b ON b.id = k.book_id WHERE {within} AND {each}"
        f" ORDER BY {BY_TITLE.order_by()} LIMIT ?",
        (*within_params, *params, size),
    ).fetchall()
    return rows, past is None


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
