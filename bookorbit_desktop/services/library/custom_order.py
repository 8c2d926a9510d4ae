"""The library table's order by a custom column (`custom:<id>`): the books with a value by its
stored key (`store.custom_keys_schema`), walked from the index of (column, key, book), then
those without one in title order, from the title's index; descending, those without one first,
then the values from the highest. No sort of the whole library either way.
"""

from __future__ import annotations

from array import array
from itertools import chain
from typing import Any

from bookorbit_desktop.library.store.models import database

CUSTOM = "custom:"


def custom_order(
    column: str, descending: bool, tables: str, condition: str, params: list[Any]
) -> array[int]:
    """The ids of the books `condition` (on the stored keys' `k`, read `tables`) lets through,
    in the order of the custom column `column`."""
    column_id = int(column.removeprefix(CUSTOM))
    # CROSS JOIN: the column's values are the outer loop, in their index's order.
    valued = tables.replace(
        "FROM book_sort_key k",
        "FROM custom_value cv CROSS JOIN book_sort_key k ON k.book_id = cv.book_id",
        1,
    )
    with database.atomic():  # both parts in one snapshot
        return _read(column_id, descending, tables, valued, condition, params)


def _read(
    column_id: int, descending: bool, tables: str, valued: str, condition: str, params: list[Any]
) -> array[int]:
    direction = " DESC" if descending else ""
    with_value = database.execute_sql(
        f"SELECT k.book_id {valued} WHERE cv.column_id = ? AND {condition}"
        f" ORDER BY cv.key{direction}, cv.book_id{direction}",
        [column_id, *params],
    ).fetchall()
    without = database.execute_sql(
        f"SELECT k.book_id {tables} WHERE {condition} AND k.book_id NOT IN"
        " (SELECT book_id FROM custom_value WHERE column_id = ?)"
        " ORDER BY k.title, k.sort_title, k.book_id",
        [*params, column_id],
    ).fetchall()
    first, last = (without, with_value) if descending else (with_value, without)
    return array("q", (row[0] for row in chain(first, last)))
