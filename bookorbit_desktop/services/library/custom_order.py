"""The library table's order by a custom column (`custom:<id>`): the books with a value by its
stored key (`store.custom_keys_schema`), walked from the index of (column, key, book), the
books of one value in title order, then those without one in the table's title order;
descending, those without one first, then the values from the highest. No sort of the whole
library either way: the title order is the table's own (`table_window.ordered_ids`), the books
with a value taken out of it. A sort's first page (`first_in_custom_order`) is read from the
same indexes only as far as the page needs.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from bookorbit_desktop.library.custom.kinds import CUSTOM as CUSTOM
from bookorbit_desktop.library.custom.kinds import column_of
from bookorbit_desktop.library.store.models import database

_NO_KEY = object()  # before the first row's key


def custom_order(
    column: str,
    descending: bool,
    tables: str,
    condition: str,
    params: list[Any],
    by_title: array[int],
) -> array[int]:
    """The ids of the books `condition` lets through, in the order of the custom column
    `column`. `tables` and `condition` are those of the stored keys' query (the book's id
    `k.book_id`); `by_title`, the same books in title order."""
    # The values' index alone gives their books: the stored keys' row is not read for each.
    valued_tables = tables.replace("FROM book_sort_key k", "FROM custom_value cv", 1)
    direction = " DESC" if descending else ""
    rows = database.execute_sql(
        f"SELECT cv.book_id, cv.key {valued_tables.replace('k.book_id', 'cv.book_id')}"
        f" WHERE cv.column_id = ? AND {condition.replace('k.book_id', 'cv.book_id')}"
        f" ORDER BY cv.key{direction}, cv.book_id{direction}",
        [column_of(column), *params],
    )
    last_id = database.execute_sql("SELECT max(id) FROM book").fetchone()[0] or 0
    valued, without = _dealt(rows, by_title, last_id)
    return without + valued if descending else valued + without


def _dealt(
    rows: Iterable[tuple[int, Any]], by_title: array[int], last_id: int
) -> tuple[array[int], array[int]]:
    """The books of `rows` (book, key; in the keys' order), those of one value in title order,
    and the other books of `by_title` in its order: one walk of `by_title` deals each book to
    its value or to those without one (book ids up to `last_id`).

    Done in the interpreter's own steps, between which the window's thread gets its lock, and
    kept in arrays, which are freed at once: a set of the books with a value and a filter in
    C each held the lock for 50 to 90 ms at 250,000 books, and so did freeing a list of
    166,000 rows."""
    runs: list[array[int]] = []  # the books of each value, in the keys' order
    run_of = array("i", bytes(4 * (last_id + 1)))  # a book's value: its run's number, from 1
    last: object = _NO_KEY
    for book, key in rows:
        if key != last:
            runs.append(array("q"))
            last = key
        runs[-1].append(book)
        run_of[book] = len(runs)
    dealt = [array("q") for _run in runs]
    without = array("q")
    for book in by_title:
        n = run_of[book]
        if n:
            dealt[n - 1].append(book)
        else:
            without.append(book)
    found = array("q")
    for run, titled in zip(runs, dealt, strict=True):
        found.extend(titled if len(titled) == len(run) else run)  # (by_title holds them all)
    return found, without


def first_in_custom_order(
    column: str,
    descending: bool,
    tables: str,
    where: tuple[str, list[Any]],
    by_title: str,
    limit: int,
) -> array[int]:
    """The first `limit` books of `custom_order`'s order, read only as far as they need: the
    books with a value walked from the values' index (those of one value sorted by `by_title`,
    the title order's keys, among themselves), and those without one from the title's index.
    `tables` and `where` (the condition and its parameters) are those of `custom_order`."""
    condition, params = where
    column_id = column_of(column)
    direction = " DESC" if descending else ""
    valued_tables = tables.replace(
        "FROM book_sort_key k",
        "FROM custom_value cv CROSS JOIN book_sort_key k ON k.book_id = cv.book_id",
        1,
    )
    valued = (
        f"SELECT k.book_id {valued_tables} WHERE cv.column_id = ? AND {condition}"
        f" ORDER BY cv.key{direction}, {by_title} LIMIT ?",
        [column_id, *params],
    )
    without = (
        f"SELECT k.book_id {tables} WHERE {condition} AND NOT EXISTS (SELECT 1 FROM"
        " custom_value v WHERE v.column_id = ? AND v.book_id = k.book_id)"
        f" ORDER BY {by_title} LIMIT ?",
        [*params, column_id],
    )
    found = array("q")
    with database.atomic():  # both in one snapshot
        for sql, values in (without, valued) if descending else (valued, without):
            if len(found) < limit:  # the second read only when the first leaves room
                cursor = database.execute_sql(sql, [*values, limit - len(found)])
                found.extend(map(itemgetter(0), cursor))
    return found
