"""A list the catalog offers for syncing, read in the order of its joins (`store.joins`): newest
join first, ties by id, newest first, paged by key. KOReader's catalog sync walks such a feed
from its first entry and stops at the book it downloaded first at its previous sync, so a book
that joins is always listed before every book listed earlier. The Hardcover shelves
(`shelves`) and the user's own shelves (`your_shelves`) are read here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.library.store.sql import AVAILABLE
from bookorbit_desktop.server.opds.paging import Listing, Page
from bookorbit_desktop.server.opds.queries import BookEntry, load_books

# Newest join first, then the newest book (by the join's own book id, `j.book_id`, which its
# index ends in: by `b.id`, SQLite sorted the books joined at the same moment for every page).
BY_JOINED = Order((("j.joined_at", True), ("j.book_id", True)))


def joined_books(
    key: str, where: str, params: Sequence[Any], cursor: Cursor, size: int
) -> Page[BookEntry]:
    """The listed books of the list `key` that meet `where` (on the book `b`), newest join
    first, as last recorded."""
    books = Listing(
        "book b JOIN shelf_joined j ON j.book_id = b.id",
        f"j.shelf = ? AND {AVAILABLE} AND ({where})",
        [key, *params],
        BY_JOINED,
    )
    rows, previous, following = books.page("b.id", cursor, size)
    return Page(load_books([row[0] for row in rows]), size, cursor, previous, following)


def latest_change(page: Page[BookEntry]) -> float:
    """The date of a page of such a list: its books' latest change, not the clock, so an
    unchanged page is the same bytes and its caching validators (`freshness`) hold."""
    return max((book.updated_at for book in page.items), default=0.0)
