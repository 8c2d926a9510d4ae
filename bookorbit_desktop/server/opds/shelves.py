"""The user's Hardcover shelves as the catalog lists them: the shelves with how many of their
books the catalog has, and each shelf's books in the library, newest first by when the book
joined the shelf (ties by id, newest first), paged by key.

A shelf's feed is a list of joins (`joined`): the shelf feed's route records them
(`store.record_catalog_listing`) before the page is read, so a book that joined the shelf
comes before every book listed earlier and the next "Sync catalog" finds it.

The shelves come from the library's tables (`library.store.shelves`); nothing here reaches
Hardcover. A shelf's book is listed like every other list's: it has a file present and is not
waiting in the Inbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.store import shelves as store
from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import AVAILABLE
from bookorbit_desktop.server.opds.joined import joined_books
from bookorbit_desktop.server.opds.paging import Page, list_page
from bookorbit_desktop.server.opds.queries import BookEntry

# The navigation feed's order: the shelves' places (Want to Read, Currently Reading, the
# lists by name), for the tokens of its page links.
SHELVES = Order((("place", False),))
# What a shelf's address may name (anything else is not found).
SHELF_KEY = r"(?:want-to-read|currently-reading|list-[0-9]{1,18})"


@dataclass(frozen=True)
class ShelfEntry:
    id: str  # the shelf's key (want-to-read, list-7), its address
    name: str
    books: int  # the shelf's books the catalog lists


def _books_in_catalog(key: str) -> int:
    where, params = store.books_on_shelf_condition(key)
    sql = f"SELECT count(*) FROM book b WHERE {AVAILABLE} AND {where}"
    return int(database.execute_sql(sql, tuple(params)).fetchone()[0])


def shelves(cursor: Cursor, size: int) -> Page[ShelfEntry]:
    every = store.shelves()
    places = list(range(len(every)))
    start, stop, previous, following = list_page(places, lambda n: (n,), cursor, size)
    items = [ShelfEntry(s.key, s.name, _books_in_catalog(s.key)) for s in every[start:stop]]
    return Page(items, size, cursor, previous, following)


def shelf_name(key: str) -> str | None:
    """The shelf's name, or None when the user has no such shelf."""
    return next((s.name for s in store.shelves() if s.key == key), None)


def shelf_books(key: str, cursor: Cursor, size: int) -> Page[BookEntry]:
    """The shelf's books in the catalog, newest join first (as last recorded)."""
    where, params = store.books_on_shelf_condition(key)
    return joined_books(key, where, params, cursor, size)
