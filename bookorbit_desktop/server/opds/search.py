"""Catalog search: the listed books (those with a file) whose title, series or authors hold
every query word, in title order, one page at a time.

The matching is `library.search`'s, over the index the database keeps current with every write:
a search right after an import, an edit or a sync costs what any other search costs. A page
costs about the same whatever the library's size, the page's depth and the number of matches
(see `library.search.pages`): the books are walked in title order from the page's key until
the page is full.

The total (Atom `opensearch:totalResults`, OPDS 2.0 `numberOfItems`) and the page's place
(`opensearch:startIndex`) are given when known, never guessed:

- when the books walked for the page (`WINDOW` at most) say the words are rare (at that rate,
  at most half of `COUNTED` in the library), the index is asked for every match; up to
  `COUNTED` of them, the page is cut from them all: total and place exact on every page;
- otherwise the page is walked: its place is known from the first book on (the first page, a
  `?page=N` address), the total when such a page also holds the last match. Counting 30,000
  matches would cost what listing them does. Both elements are optional and KOReader shows
  neither; readers page by the `next` link, there whenever more books follow (OpenSearch 1.1
  alone would read a page without a total as the last).
"""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.search.pages import (
    TITLE_ORDER,
    few_found,
    found_beyond,
    library_size,
    walk,
)
from bookorbit_desktop.library.store.keyset import LAST, Cursor, Key
from bookorbit_desktop.server.opds.paging import Page, list_page
from bookorbit_desktop.server.opds.queries import BookEntry, load_books

SEARCH_ORDER = TITLE_ORDER
COUNTED = 1000  # a search finding more books than this gives no total
WINDOW = 2000  # books walked before the search judges how rare its words are


def search_books(query_terms: Sequence[str], cursor: Cursor, size: int) -> Page[BookEntry]:
    """Books whose title, series or authors contain every term (already folded), by title,
    from `cursor` on."""
    skip = cursor.offset(size)  # an old page-number address counts from the start
    need = skip + size + 1  # one more than the page: is there a next one?
    opening = walk(query_terms, cursor.key, need, backward=cursor.backward, books=WINDOW)
    # So few matches among the books walked that there are probably few in all (half of
    # `COUNTED` at that rate): let the index count them.
    if 2 * len(opening.keys) * library_size() <= COUNTED * opening.books:
        keys = few_found(query_terms, COUNTED)
        if keys is not None:
            return _counted_page(keys, cursor, size)
    found = opening.keys
    if len(found) < need and opening.edge is not None:
        more = need - len(found)
        rest = found_beyond(
            query_terms, opening.edge, more, backward=cursor.backward, window=WINDOW
        )
        found = found + rest
    return _walked_page(query_terms, found, cursor, size)


def _counted_page(keys: list[Key], cursor: Cursor, size: int) -> Page[BookEntry]:
    """The page at `cursor` of the search's every match (`keys`, in order)."""
    ids = [int(key[-1]) for key in keys]
    place = dict(zip(ids, keys, strict=True))
    start, stop, previous, following = list_page(ids, place.__getitem__, cursor, size)
    books = load_books(ids[start:stop])
    return Page(books, size, cursor, previous, following, total=len(ids), start=start)


def _walked_page(
    terms: Sequence[str], found: list[Key], cursor: Cursor, size: int
) -> Page[BookEntry]:
    """The page at `cursor` from the matches walked from it (`found`, the nearest first): no
    total unless the page holds them all, its place only where known."""

    def any_beyond(key: Key | None, backward: bool) -> bool:
        return bool(found_beyond(terms, key, 1, backward=backward, window=WINDOW))

    start: int | None  # how many matches come before the page, when known
    if cursor.backward:  # the page before a key, or the last page
        keys = found[:size][::-1]
        previous = Cursor(keys[0], backward=True) if len(found) > size else None
        last = keys[-1] if keys else cursor.key
        following = Cursor(last) if last is not None and any_beyond(last, False) else None
        start = 0 if previous is None else None
    elif cursor.key is None:  # from the first book (by page number): every match before it
        skip = cursor.offset(size)
        keys = found[skip : skip + size]
        following = Cursor(keys[-1]) if len(found) > skip + size else None
        start = min(skip, len(found))
        # A page number past the end: the last page comes before it.
        previous = (Cursor(keys[0], backward=True) if keys else LAST) if start else None
    else:  # the page after a key
        keys = found[:size]
        following = Cursor(keys[-1]) if len(found) > size else None
        first = keys[0] if keys else cursor.key
        previous = Cursor(first, backward=True) if any_beyond(first, True) else None
        start = 0 if previous is None else None
    total = start + len(keys) if start is not None and following is None else None
    books = load_books([int(key[-1]) for key in keys])
    return Page(books, size, cursor, previous, following, total=total, start=start)
