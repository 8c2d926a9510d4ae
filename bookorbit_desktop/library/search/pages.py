"""The listed books a search finds, in title order (the library's: `store.title_order`, the
window's), a page at a time.

Listed: the catalog's books (`store.sql.AVAILABLE`: a file that is not missing, not waiting in
the Inbox). Two ways to the matches, each costing about the same at 1,000 and at 250,000
books for the searches people make (the catalog's search chooses between them):

- `walk`: from a sort key, books are read in title order and each one's indexed text checked
  (`match_condition(few=True)`), until enough match or `books` have been read. Quick when the
  words are common: a page of "harbour" reads a few hundred books, wherever it starts.
- `few_found`: every match at once, from the index, when there are at most `most`. Its
  candidates are read one by one and the reading stops at `most + 1`, so learning that a word
  matches 30,000 books costs what reading 1,001 of them does.

`found_beyond` walks on while the matches seen so far say the rest are near, then lets the index
give the ones left (sorted: a read of every match), so rare words cannot make a walk long.

What still grows with the library: words of one or two characters only (too short for the
trigram index, as two CJK characters are) that few books match are found by reading every
book's indexed text; matches crowded in one stretch of titles, walked towards from far away,
are found by reading every match once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bookorbit_desktop.library.search.query import found_query, match_condition
from bookorbit_desktop.library.store.keyset import Key, KeyPart, comparable
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import available
from bookorbit_desktop.library.store.title_order import BY_TITLE

TITLE_ORDER = BY_TITLE  # over the book's stored keys `k`, walked along their index
_LISTED = available("k.book_id")


@dataclass(frozen=True)
class Walk:
    keys: list[Key]  # the matches found, the nearest first
    books: int  # the books read to find them
    edge: Key | None  # the last book read, if the list goes on past it


def _keys(sql: str, params: Sequence[KeyPart]) -> list[Key]:
    return [tuple(row) for row in database.execute_sql(sql, list(params))]


def _count(sql: str, params: Sequence[KeyPart]) -> int:
    return int(database.execute_sql(sql, list(params)).fetchone()[0])


def library_size() -> int:
    """About how many books the library holds: the highest id (quick, and never fewer)."""
    return _count("SELECT coalesce(max(id), 0) FROM book", [])


def few_found(terms: Sequence[str], most: int) -> list[Key] | None:
    """The title keys (`TITLE_ORDER`, the id last) of every listed book whose folded title,
    series or authors contain every term, in title order, if there are at most `most` of them;
    None if there are more."""
    if not terms:
        return []
    found, params = found_query(terms)
    keys = _keys(
        f"SELECT {TITLE_ORDER.expressions} FROM ({found}) hit"
        f" CROSS JOIN book_sort_key k ON k.book_id = hit.id WHERE {_LISTED} LIMIT ?",
        [*params, most + 1],
    )
    # Sorted here: an ORDER BY would read every match before the LIMIT. Python orders texts
    # by code point, as SQLite's BINARY collation orders their UTF-8.
    return sorted(keys, key=comparable) if len(keys) <= most else None


def walk(
    terms: Sequence[str], key: Key | None, limit: int, *, backward: bool = False, books: int
) -> Walk:
    """Up to `limit` listed books whose folded title, series or authors contain every term,
    among the `books` books after `key` in title order (before it when `backward`; from the
    first book, or the last, when `key` is None)."""
    if not terms or limit < 1:
        return Walk([], 0, None)
    start, start_params = TITLE_ORDER.beyond(key, backward) if key is not None else ("1", [])
    order = TITLE_ORDER.order_by(backward)
    # The window's last book and the first one past it (fewer: the window reaches the end).
    edges = _keys(
        f"SELECT {TITLE_ORDER.expressions} FROM book_sort_key k WHERE {start}"
        f" ORDER BY {order} LIMIT 2 OFFSET ?",
        [*start_params, books - 1],
    )
    within, within_params = "1", list[KeyPart]()
    if len(edges) == 2:
        within, within_params = TITLE_ORDER.beyond(edges[1], not backward)
    # The text check before the file check: most books read fail the first.
    holds, terms_params = match_condition(terms, "k.book_id", few=True)
    keys = _keys(
        f"SELECT {TITLE_ORDER.expressions} FROM book_sort_key k WHERE {start} AND {within}"
        f" AND {holds} AND {_LISTED} ORDER BY {order} LIMIT ?",
        [*start_params, *within_params, *terms_params, limit],
    )
    if len(keys) == limit:  # read up to the last match only
        before, before_params = TITLE_ORDER.beyond(keys[-1], not backward)
        read = _count(
            f"SELECT count(*) FROM book_sort_key k WHERE {start} AND {before}",
            [*start_params, *before_params],
        )
        return Walk(keys, read + 1, keys[-1])
    if len(edges) == 2:
        return Walk(keys, books, edges[0])
    read = _count(f"SELECT count(*) FROM book_sort_key k WHERE {start}", start_params)
    return Walk(keys, read, None)


def found_beyond(
    terms: Sequence[str],
    key: Key | None,
    limit: int,
    *,
    backward: bool = False,
    window: int,
) -> list[Key]:
    """Up to `limit` keys of the listed books whose folded title, series or authors contain
    every term, the nearest first: those after `key` in title order (before it when
    `backward`; from the first book, or the last, when `key` is None). Walks start with
    `window` books."""
    if not terms or limit < 1:
        return []
    keys: list[Key] = []
    read, books = 0, window
    while True:
        step = walk(terms, key, limit - len(keys), backward=backward, books=books)
        keys += step.keys
        read += step.books
        if len(keys) == limit or step.edge is None:
            return keys
        key = step.edge
        # Walk on over twice the books the matches so far predict, never past four windows.
        books = 2 * (limit - len(keys)) * read // len(keys) + 1 if keys else 4 * window
        if read + books > 4 * window:
            return keys + _sorted_beyond(terms, key, limit - len(keys), backward)


def _sorted_beyond(terms: Sequence[str], key: Key, limit: int, backward: bool) -> list[Key]:
    """The first `limit` matches after `key`, from the index: every match is read and sorted."""
    past, past_params = TITLE_ORDER.beyond(key, backward)
    found, found_params = found_query(terms)
    return _keys(
        f"SELECT {TITLE_ORDER.expressions} FROM book_sort_key k WHERE {past}"
        f" AND k.book_id IN ({found}) AND {_LISTED} ORDER BY {TITLE_ORDER.order_by(backward)}"
        " LIMIT ?",
        [*past_params, *found_params, limit],
    )
