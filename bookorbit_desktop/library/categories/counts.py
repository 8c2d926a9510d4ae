"""Every category's values with how many of the library's books have each, one SQL aggregate a
category, read from the indexes the library keeps (the tag links' by tag, the languages' by
folded code, the stored sort keys' of series and publisher), never book by book in Python; the
largest, an author's books and the books at or below each tag path, as triggers keep them
(`store.category_tally_schema`).

A value's books are counted as the search finds them (`terms`): a series, publisher or language
by its folded text (a book under each of its languages), shown as one of its books spells it;
a format only of the files that are there. A book waiting in the Inbox counts nowhere, as in
every list of the library: the Inbox's few books are counted apart and taken away, so the whole
library's count tests no book for it. A book with no value counts in no value of that category.
Safe to run in a worker thread: it only reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from bookorbit_desktop.library.categories.paths import paths, tag_key
from bookorbit_desktop.library.categories.terms import (
    column_label,
    column_search,
    label,
    value_search,
)
from bookorbit_desktop.library.categories.tree import Value, below, tag_tree
from bookorbit_desktop.library.custom.kinds import Column
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
    # Each language of a book (`store.language_schema`), by its folded key's index.
    "languages": (
        "SELECT l.key AS key, count(*) AS books, min(l.book_id) AS id FROM book_language l"
        " WHERE {among} GROUP BY l.key",
        "l.book_id",
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
    # By the authors' filed sort (surname first), as the Authors dialog lists them, their
    # books as the triggers keep them (`store.category_tally_schema`): the groups count only
    # the Inbox's.
    "authors": "SELECT a.name, a.id, a.books FROM author a WHERE a.books > 0"
    " ORDER BY a.sort_key, a.id",
    "series": _BY_KEY.replace("{column}", "series") + " ORDER BY g.key",
    "publishers": _BY_KEY.replace("{column}", "publisher") + " ORDER BY g.key",
    "languages": "SELECT l.code, g.key, g.books FROM ({groups}) g"
    " CROSS JOIN book_language l ON l.key = g.key AND l.book_id = g.id ORDER BY g.key",
    "ratings": "SELECT g.key, g.key, g.books FROM ({groups}) g ORDER BY g.key DESC",
    "tags": "SELECT t.name, g.key, g.books FROM ({groups}) g CROSS JOIN tag t ON t.id = g.key",
}
# The formats: each set of formats books have (the stored sort key: "EPUB, PDF"), with its books;
# and the books with a file that is missing, whose formats are only the files there.
_FORMAT_SETS = (
    "SELECT k.formats AS key, count(*) AS books FROM book_sort_key k"
    " WHERE k.formats < x'' AND {among} GROUP BY k.formats"
)
_MISSING = (
    "SELECT k.formats, (SELECT group_concat(DISTINCT f.format) FROM book_file f"
    " WHERE f.book_id = k.book_id AND f.missing = 0) FROM book_sort_key k WHERE k.book_id IN"
    f" (SELECT book_id FROM book_file WHERE missing = 1) AND k.book_id NOT IN {INBOX_IDS}"
)
_SET = ", "  # between the formats of a set
# The books at or below each of some paths (a JSON array of keys), as the triggers keep them
# (`store.category_tally_schema`); and the names of the Inbox's books, to take them away.
_TAG_PATHS = "SELECT c.path, c.books FROM json_each(?) p CROSS JOIN tag_path c ON c.path = p.value"
_INBOX_TAGS = (
    "SELECT bt.book_id, t.name FROM book_tag bt CROSS JOIN tag t ON t.id = bt.tag_id"
    f" WHERE bt.book_id IN {INBOX_IDS}"
)


@dataclass(frozen=True)
class Category:
    """A category's values with their books: `rows` in the order shown, or for the tags (and
    a tag-like custom column's dotted values) `tree`."""

    kind: str  # a key of `TITLES`, or a custom column's field (`custom.kinds.field_of`)
    title: str
    rows: Sequence[Row] = ()
    tree: tuple[Value, ...] = ()
    column: Column | None = None  # the custom column listed

    def search(self, value: str) -> str:
        """The search that finds the books of one of `rows`' values."""
        if self.column is None:
            return value_search(self.kind, value)
        return column_search(self.column.label, self.column.kind, value)

    def label(self, value: str) -> str:
        """One of `rows`' values as the browser shows it."""
        if self.column is None:
            return label(self.kind, value)
        return column_label(self.column.kind, value)


def _inbox_holds_books() -> bool:
    return bool(database.execute_sql(f"SELECT EXISTS {INBOX_IDS}").fetchone()[0])


def _held(groups: str, book_id: str, params: Sequence[object] = ()) -> dict[object, int]:
    """Each group's books waiting in the Inbox (none when it is empty, as it mostly is)."""
    if not _inbox_holds_books():
        return {}
    among = groups.format(among=f"{book_id} IN {INBOX_IDS}")
    return dict(database.execute_sql(f"SELECT key, books FROM ({among})", params).fetchall())


def _counted(kind: str) -> list[tuple[object, object, int]]:
    """The category's (value, key, books) in the order shown, the Inbox's books left out."""
    groups, book_id = _GROUPS[kind]
    return counted(groups, book_id, _SHOWN[kind])


def counted(
    groups: str, book_id: str, order: str, params: Sequence[object] = ()
) -> list[tuple[object, object, int]]:
    """The (value, key, books) of `groups` (their books `{among}` those of the condition on
    `book_id`; `params` its parameters) in the order `order` reads them (of `{groups}`), the
    Inbox's books left out."""
    found = database.execute_sql(order.format(groups=groups.format(among="1")), params)
    rows = found.fetchall()
    held = _held(groups, book_id, params)
    if not held:  # every group has books
        return rows
    shown = [(value, key, books - held.get(key, 0)) for value, key, books in rows]
    return [row for row in shown if row[2] > 0]


def _formats() -> list[Row]:
    """Each format with the books that have a file of it there: the sets' books counted for
    each format of the set (a book has each of its set once), the missing files taken away."""
    counted: dict[str, int] = {}
    held = _held(_FORMAT_SETS, "k.book_id")
    for formats, books in database.execute_sql(_FORMAT_SETS.format(among="1")).fetchall():
        for name in str(formats).lower().split(_SET):
            counted[name] = counted.get(name, 0) + books - held.get(formats, 0)
    for formats, present in database.execute_sql(_MISSING).fetchall():
        for name in str(formats).lower().split(_SET) if formats else ():
            counted[name] -= 1
        for name in str(present).split(",") if present else ():
            counted[name] = counted.get(name, 0) + 1
    return [(name, books) for name, books in sorted(counted.items()) if books > 0]


def path_counts(
    wanted: Iterable[str],
    kept: str,
    inbox: str,
    key: Callable[[str], str],
    params: Sequence[object] = (),
) -> dict[str, int]:
    """The books at or below each path of `wanted` (by its key), each book once: as `kept`
    reads them (the JSON array of keys, after `params`), the Inbox's books taken away (their
    names, `inbox`, read with `params`; none when it is empty, as it mostly is)."""
    keys = json.dumps(list(wanted), ensure_ascii=False)
    found: dict[str, int] = dict(database.execute_sql(kept, (*params, keys)).fetchall())
    if found and _inbox_holds_books():
        under: dict[int, set[str]] = {}
        for book_id, name in database.execute_sql(inbox, params).fetchall():
            under.setdefault(book_id, set()).update(paths(str(name), key))
        for held in under.values():
            for path in held & found.keys():
                found[path] -= 1
    return found


def category(kind: str) -> Category:
    """One category with its values and their counts, as the library has them now."""
    if kind == "formats":
        return Category(kind, TITLES[kind], _formats())
    counted = _counted(kind)
    if kind == "tags":
        books = {str(name): count for name, _key, count in counted}
        parents = path_counts(below(books), _TAG_PATHS, _INBOX_TAGS, tag_key)
        return Category(kind, TITLES[kind], tree=tag_tree(books, parents))
    if kind == "ratings":  # 4.0 as "4"
        return Category(kind, TITLES[kind], [(f"{cast(float, v):g}", n) for v, _k, n in counted])
    if kind == "languages":  # in the order of their names, as shown
        rows = sorted(((str(v), n) for v, _k, n in counted), key=lambda r: label(kind, r[0]))
        return Category(kind, TITLES[kind], rows)
    return Category(kind, TITLES[kind], [(str(value), books) for value, _key, books in counted])


def categories() -> list[Category]:
    """Every category, in the browser's order."""
    return [category(kind) for kind in TITLES]
