"""The custom columns' categories: the browser lists each column of a kind whose values books
share, after the built-in categories, with how many books have each value, counted as the
search finds them (`terms.column_search`), from the index of the columns' keys.

Listed, as calibre's tag browser lists them: a fixed list, a text, a series (by its name,
whatever the books' numbers), a tag-like column (its dotted values a tree, as the tags are), a
rating and a yes/no. A long text, a number and a date are each book's own: a list of them
groups no books.
A value is counted as the search compares it: a text folded (one row for "Calm" and "calm",
spelled as its first book spells it), a rating in stars, a yes/no as yes or no. A book without
a value counts in none, and a book waiting in the Inbox nowhere (`counts.counted`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from bookorbit_desktop.library.categories.counts import (
    TITLES,
    Category,
    Row,
    category,
    counted,
    path_counts,
)
from bookorbit_desktop.library.categories.paths import parents_of, tag_key
from bookorbit_desktop.library.categories.tree import tag_tree
from bookorbit_desktop.library.custom import series, store
from bookorbit_desktop.library.custom.kinds import Column, column_of, shown
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.sql import INBOX_IDS

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
# A series' books by its name, whatever their numbers (`custom.series`), shown as one of its
# books spells it (`_TEXTS`).
_SERIES = (
    f"SELECT {series.name_of_key('cv.key')} AS key, count(*) AS books, min(cv.book_id) AS id,"
    " cv.column_id AS column_id FROM custom_value cv WHERE cv.column_id = ? AND {among}"
    " GROUP BY 1"
)
# A tag-like column's values one by one (`store.custom_items_schema`: folded as the search
# folds them, a book once a value), shown as the first book spells it.
_ITEMS = (
    "SELECT ci.key AS key, count(*) AS books, min(ci.book_id) AS id, ci.value AS value"
    " FROM custom_item ci WHERE ci.column_id = ? AND {among} GROUP BY ci.key"
)
_ITEMS_SHOWN = "SELECT g.value, g.key, g.books FROM ({groups}) g ORDER BY g.key"
# The books at or below each of a tag-like column's paths, as the triggers keep them
# (`store.category_tally_schema`, keyed as the values are compared); the Inbox's values.
_PATHS = (
    "SELECT c.path, c.books FROM json_each(?2) p CROSS JOIN custom_path c"
    " ON c.column_id = ?1 AND c.path = p.value"
)
_INBOX_VALUES = (
    "SELECT ci.book_id, ci.value FROM custom_item ci"
    f" WHERE ci.column_id = ?1 AND ci.book_id IN {INBOX_IDS}"
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
    tree = tag_tree(books, _parent_counts(column, books), field=f"#{column.label}")
    return Category(column.key, _title(column), tree=tree, column=column)


def _values(column: Column) -> list[Row]:
    if column.kind == "series":
        found = counted(_SERIES, "cv.book_id", _TEXTS, (column.id,))
        return [(series.parts(str(value))[0], books) for value, _key, books in found]
    if column.kind not in ("rating", "bool"):
        found = counted(_KEYS, "cv.book_id", _TEXTS, (column.id,))
        return [(str(value), books) for value, _key, books in found]
    found = counted(_KEYS, "cv.book_id", _NUMBERS, (column.id,))
    if column.kind == "rating":  # 4.0 as "4"
        return [(f"{cast(float, value):g}", books) for value, _key, books in found]
    return [(shown(bool(value)), books) for value, _key, books in found]


def _parent_counts(column: Column, values: Iterable[str]) -> dict[str, int]:
    """The books at or below each parent of the column's dotted `values`, by the parent's key
    in the tree (`tree`), each book once."""
    spelled = {tag_key(path): path for value in values for path in parents_of(value)}
    folded = {key: fold(path) for key, path in spelled.items()}
    found = path_counts(set(folded.values()), _PATHS, _INBOX_VALUES, fold, (column.id,))
    return {key: found.get(path, 0) for key, path in folded.items()}
