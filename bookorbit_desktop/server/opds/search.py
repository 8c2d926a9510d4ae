"""Catalog search: the listed books (those with a file) whose title, series or authors hold
every query word, in title order, one page at a time.

The matching is `library.search.query`'s, over the index the database keeps current with every
write: a search right after an import, an edit or a sync costs what any other search costs.
"""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.search.query import matching_keys
from bookorbit_desktop.library.store.keyset import Cursor
from bookorbit_desktop.server.opds.paging import Page, list_page
from bookorbit_desktop.server.opds.queries import BY_TITLE, BookEntry, load_books

SEARCH_ORDER = BY_TITLE  # the order `matching_keys` gives


def search_books(query_terms: Sequence[str], cursor: Cursor, size: int) -> Page[BookEntry]:
    """Books whose title, series or authors contain every term (already folded), by title,
    from `cursor` on."""
    keys = matching_keys(query_terms, available_only=True)
    ids = [int(key[-1]) for key in keys]
    # Each book's key from the search's own rows: paging reads no row again.
    place = dict(zip(ids, keys, strict=True))
    start, stop, previous, following = list_page(ids, place.__getitem__, cursor, size)
    books = load_books(ids[start:stop])
    return Page(books, size, cursor, previous, following, total=len(ids), start=start)
