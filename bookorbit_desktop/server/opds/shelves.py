"""The user's Hardcover shelves as the catalog lists them: the shelves with how many of their
books the catalog has, and each shelf's books in the library, newest first by when the book
joined the shelf (ties by id, newest first), paged by key.

KOReader's catalog sync ("Sync catalog") walks a feed from its first entry, following `next`
links, and stops at the book it downloaded first at its previous sync; a book that joins a
shelf therefore always comes before every book listed earlier (`store.record_catalog_listing`,
which the shelf feed's route runs before the page is read), so the next sync finds it.

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
from bookorbit_desktop.server.opds.paging import Listing, Page, list_page
from bookorbit_desktop.server.opds.queries import BookEntry, load_books

# The navigation feed's order: the shelves' places (Want to Read, Currently Reading, the
# lists by name), for the tokens of its page links.
SHELVES = Order((("place", False),))
# A shelf feed's order: newest join first, then the newest book (by the join's own book id,
# `j.book_id`, which its index ends in: by `b.id`, SQLite sorted the books joined at the same
# moment for every page).
BY_JOINED = Order((("j.joined_at", True), ("j.book_id", True)))
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
    books = Listing(
        "book b JOIN shelf_joined j ON j.book_id = b.id",
        f"j.shelf = ? AND {AVAILABLE} AND ({where})",
        [key, *params],
        BY_JOINED,
    )
    rows, previous, following = books.page("b.id", cursor, size)
    return Page(load_books([row[0] for row in rows]), size, cursor, previous, following)
