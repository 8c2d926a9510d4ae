"""The library table's order by a custom column (`custom:<id>`): the books with a value by its
stored key (`store.custom_keys_schema`), walked from the index of (column, key, book), then
those without one in the table's title order; descending, those without one first, then the
values from the highest. No sort of the whole library either way: the title order is the
table's own (`table_window.ordered_ids`), the books with a value taken out of it.
"""

from __future__ import annotations

from array import array
from itertools import filterfalse
from operator import itemgetter
from typing import Any

from bookorbit_desktop.library.custom.kinds import CUSTOM as CUSTOM
from bookorbit_desktop.library.custom.kinds import column_of
from bookorbit_desktop.library.store.models import database


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
        f"SELECT cv.book_id {valued_tables.replace('k.book_id', 'cv.book_id')}"
        f" WHERE cv.column_id = ? AND {condition.replace('k.book_id', 'cv.book_id')}"
        f" ORDER BY cv.key{direction}, cv.book_id{direction}",
        [column_of(column), *params],
    )
    valued = array("q", map(itemgetter(0), rows))
    without = array("q", filterfalse(set(valued).__contains__, by_title))
    return without + valued if descending else valued + without
