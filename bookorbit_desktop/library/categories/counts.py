"""Every category's values with how many of the library's books have each, one SQL aggregate a
category, read from the indexes the library keeps (the credits' by author, the tag links' by
tag, the stored sort keys' of series, publisher and language), never book by book in Python.

A value's books are counted as the search finds them (`terms`): a series, publisher or language
by its folded text (the sort key's), shown as one of its books spells it; a format only of the
files that are there. A book waiting in the Inbox counts nowhere, as in every list of the
library: the Inbox's few books are counted apart and taken away, so the whole library's count
tests no book for it. A book with no value counts in no value of that category. Safe to run in
a worker thread: it only reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from bookorbit_desktop.library.categories.tree import Value, below, tag_tree
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import INBOX_IDS

TITLES = {
    "authors": "Authors",
    "series": "Series",
    "publishers": "Publishers",
    "languages": "Languages",
    "formats": "Formats",
    "ratings": "Ratings",
    "tags": "Tags",
}
Row = tuple[str, int]  # a value as the library stores it (a rating as text: "4.5"), its books


def _by_key(column: str) -> str:
    return (
        f"SELECT k.{column} AS key, count(*) AS books, min(k.book_id) AS id FROM book_sort_key k"
        f" WHERE k.{column} < x'' AND {{among}} GROUP BY k.{column}"  # x'': none (a BLOB)
    )


# Each category's groups: (key, books), the books of those `{among}` (a condition on the book
# id named second) that have the value.
_GROUPS = {
    "authors": (
        "SELECT ba.author_id AS key, count(DISTINCT ba.book_id) AS books FROM book_author ba"
        " WHERE {among} GROUP BY ba.author_id",
        "ba.book_id",
    ),
    "series": (_by_key("series"), "k.book_id"),
    "publishers": (_by_key("publisher"), "k.book_id"),
    "languages": (_by_key("language"), "k.book_id"),
    "formats": (
        "SELECT f.format AS key, count(DISTINCT f.book_id) AS books FROM book_file f"
        " WHERE f.missing = 0 AND {among} GROUP BY f.format",
        "f.book_id",
    ),
    "ratings": (
        "SELECT r.rating AS key, count(*) AS books FROM reading_state r"
        " WHERE r.rating IS NOT NULL AND {among} GROUP BY r.rating",
        "r.book_id",
    ),
    "tags": (
        "SELECT bt.tag_id AS key, count(*) AS books FROM book_tag bt WHERE {among}"
        " GROUP BY bt.tag_id",
        "bt.book_id",
    ),
}
_BY_KEY = "SELECT b.{column}, g.key, g.books FROM ({groups}) g CROSS JOIN book b ON b.id = g.id"
# The groups as shown, (value, key, books), in the order shown.
_SHOWN = {
    # By the authors' filed sort (surname first).
    "authors": "SELECT a.name, g.key, g.books FROM ({groups}) g"
    " CROSS JOIN author a ON a.id = g.key ORDER BY a.sort_key, a.name",
    "series": _BY_KEY.replace("{column}", "series") + " ORDER BY g.key",
    "publishers": _BY_KEY.replace("{column}", "publisher") + " ORDER BY g.key",
    "languages": _BY_KEY.replace("{column}", "language") + " ORDER BY g.key",
    "formats": "SELECT g.key, g.key, g.books FROM ({groups}) g ORDER BY g.key",
    "ratings": "SELECT g.key, g.key, g.books FROM ({groups}) g ORDER BY g.key DESC",
    "tags": "SELECT t.name, g.key, g.books FROM ({groups}) g CROSS JOIN tag t ON t.id = g.key",
}
# The books under each parent tag, each once: (parent key, tag id) pairs as one JSON list.
_PARENTS = (
    "SELECT u.path AS key, count(DISTINCT bt.book_id) AS books FROM (SELECT"
    " json_extract(value, '$[0]') AS path, json_extract(value, '$[1]') AS tag_id"
    " FROM json_each(?)) u CROSS JOIN book_tag bt ON bt.tag_id = u.tag_id"
    " WHERE {among} GROUP BY u.path"
)


@dataclass(frozen=True)
class Category:
    """A category's values with their books: `rows` in the order shown, or for the tags
    `tree`."""

    kind: str  # a key of `TITLES`
    title: str
    rows: Sequence[Row] = ()
    tree: tuple[Value, ...] = ()


def _held(groups: str, book_id: str, params: Sequence[object] = ()) -> dict[object, int]:
    """Each group's books waiting in the Inbox (none when it is empty, as it mostly is)."""
    if not database.execute_sql(f"SELECT EXISTS {INBOX_IDS}").fetchone()[0]:
        return {}
    among = groups.format(among=f"{book_id} IN {INBOX_IDS}")
    return dict(database.execute_sql(f"SELECT key, books FROM ({among})", params).fetchall())


def _counted(kind: str) -> list[tuple[object, object, int]]:
    """The category's (value, key, books) in the order shown, the Inbox's books left out."""
    groups, book_id = _GROUPS[kind]
    found = database.execute_sql(_SHOWN[kind].format(groups=groups.format(among="1")))
    held = _held(groups, book_id)
    shown = [(value, key, books - held.get(key, 0)) for value, key, books in found.fetchall()]
    return [row for row in shown if row[2] > 0]


def parent_counts(tags: dict[str, int]) -> dict[str, int]:
    """The books under each parent of the tags (name -> id), by the parent's key, each once."""
    pairs = [[key, tags[name]] for key, names in below(tags).items() for name in names]
    if not pairs:
        return {}
    params = (json.dumps(pairs),)
    counted = dict(database.execute_sql(_PARENTS.format(among="1"), params).fetchall())
    held = _held(_PARENTS, "bt.book_id", params)
    return {key: books - held.get(key, 0) for key, books in counted.items()}


def category(kind: str) -> Category:
    """One category with its values and their counts, as the library has them now."""
    counted = _counted(kind)
    if kind == "tags":
        ids = {str(name): int(str(key)) for name, key, _books in counted}
        books = {str(name): count for name, _key, count in counted}
        return Category(kind, TITLES[kind], tree=tag_tree(books, parent_counts(ids)))
    if kind == "ratings":  # 4.0 as "4"
        return Category(kind, TITLES[kind], [(f"{cast(float, v):g}", n) for v, _k, n in counted])
    return Category(kind, TITLES[kind], [(str(value), books) for value, _key, books in counted])


def categories() -> list[Category]:
    """Every category, in the browser's order."""
    return [category(kind) for kind in TITLES]
