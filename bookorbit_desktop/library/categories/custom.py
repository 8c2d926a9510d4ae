"""The custom columns' categories: the browser lists each column of a kind whose values books
share, after the built-in categories, with how many books have each value, counted as the
search finds them (`terms.column_search`), from the index of the columns' keys.

Listed, as calibre's tag browser lists them: a fixed list, a text (and calibre's series, which
comes in as one), a tag-like column (its dotted values a tree, as the tags are), a rating and a
yes/no. A long text, a number and a date are each book's own: a list of them groups no books.
A value is counted as the search compares it: a text folded (one row for "Calm" and "calm",
spelled as its first book spells it), a rating in stars, a yes/no as yes or no. A book without
a value counts in none, and a book waiting in the Inbox nowhere (`counts.counted`).
"""

from __future__ import annotations

import json
from typing import cast

from bookorbit_desktop.library.categories.counts import (
    PARENTS,
    TITLES,
    Category,
    Row,
    category,
    counted,
)
from bookorbit_desktop.library.categories.tree import below, tag_tree
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.kinds import Column, column_of, shown

LISTED = ("enumeration", "text", "series", "rating", "bool")
Head = tuple[str, str]  # a category's kind and title, as the browser lists it

# A value's groups by its key (`store.custom_keys_schema`: a text folded, an empty one an
# empty BLOB, after every text; a rating in stars; a yes/no 1 or 0).
_KEYS = (
    "SELECT cv.key AS key, count(*) AS books, min(cv.book_id) AS id, cv.column_id AS column_id"
    " FROM custom_value cv WHERE cv.column_id = ? AND {among} GROUP BY cv.key"
)
_TEXTS = (
    "SELECT json_extract(v.value, '$'), g.key, g.books FROM ({groups}) g CROSS JOIN"
    " custom_value v ON v.column_id = g.column_id AND v.book_id = g.id WHERE g.key < x''"
    " ORDER BY g.key"
)
_NUMBERS = "SELECT g.key, g.key, g.books FROM ({groups}) g ORDER BY g.key DESC"
# A tag-like column's values one by one (`store.custom_items_schema`: folded as the search
# folds them, a book once a value), shown as the first book spells it.
_ITEMS = (
    "SELECT ci.key AS key, count(*) AS books, min(ci.book_id) AS id, ci.value AS value"
    " FROM custom_item ci WHERE ci.column_id = ? AND {among} GROUP BY ci.key"
)
_ITEMS_SHOWN = "SELECT g.value, g.key, g.books FROM ({groups}) g ORDER BY g.key"
# The books under each parent of a tag-like column's dotted values, each once: each parent
# (by its key) with its values' keys, as a JSON object; a parent's books grouped from the
# values' rows (the index of (column, key, book)), which takes half the time of one
# count(DISTINCT) over every parent's rows.
_UNDER = (
    "SELECT p.key AS key, (SELECT count(*) FROM (SELECT 1 FROM json_each(p.value) v CROSS JOIN"
    " custom_item ci ON ci.column_id = ? AND ci.key = v.value WHERE {among}"
    " GROUP BY ci.book_id)) AS books FROM json_each(?) p"
)


def heads() -> list[Head]:
    """Every category, in the browser's order: the built-in ones, then the custom columns
    listed (by name), each titled with its label ("Status (#status)": a calibre column of the
    library's reading status is not taken for the library's own, and the filter box names it
    so)."""
    columns = [column for column in store.columns() if column.kind in LISTED]
    return [*TITLES.items(), *((column.key, _title(column)) for column in columns)]


def _title(column: Column) -> str:
    return f"{column.name} (#{column.label})"


def any_category(kind: str) -> Category | None:
    """A built-in category, or a custom column's (None: the column is gone)."""
    column_id = column_of(kind)
    if column_id is None:
        return category(kind)
    column = store.column(column_id)
    return None if column is None or column.kind not in LISTED else column_category(column)


def column_category(column: Column) -> Category:
    """A custom column's values with their books, a tag-like column's as a tree."""
    if not column.multiple:
        return Category(column.key, _title(column), _values(column), column=column)
    found = counted(_ITEMS, "ci.book_id", _ITEMS_SHOWN, (column.id,))
    books = {str(value): count for value, _key, count in found}
    keys = {str(value): str(key) for value, key, _count in found}
    tree = tag_tree(books, _parent_counts(column, books, keys), field=f"#{column.label}")
    return Category(column.key, _title(column), tree=tree, column=column)


def _values(column: Column) -> list[Row]:
    if column.kind not in ("rating", "bool"):
        found = counted(_KEYS, "cv.book_id", _TEXTS, (column.id,))
        return [(str(value), books) for value, _key, books in found]
    found = counted(_KEYS, "cv.book_id", _NUMBERS, (column.id,))
    if column.kind == "rating":  # 4.0 as "4"
        return [(f"{cast(float, value):g}", books) for value, _key, books in found]
    return [(shown(bool(value)), books) for value, _key, books in found]


def _parent_counts(column: Column, books: dict[str, int], keys: dict[str, str]) -> dict[str, int]:
    """The books under each parent of the column's dotted values (value -> its books, its
    key), by the parent's key (`tree`), each book once: a parent of one value has its books;
    those of several are counted from their values' rows, a parent at a time."""
    found: dict[str, int] = {}
    under: dict[str, list[str]] = {}
    for parent, names in below(books).items():
        if len(names) == 1:
            found[parent] = books[names[0]]
        else:
            under[parent] = [keys[name] for name in names]
    if under:
        params = (column.id, json.dumps(under, ensure_ascii=False))
        found |= {str(k): n for _p, k, n in counted(_UNDER, "ci.book_id", PARENTS, params)}
    return found
