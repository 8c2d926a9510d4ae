"""The user's own shelves in the catalog ("Your shelves", `library.own_shelves`): every saved
search, tag and series, each with how many listed books it holds, and each one's books newest
first by when they started to belong to it (`joined`), so KOReader's "Sync catalog" downloads
each book that joins. A shelf's address is `<feeds>/shelves/<kind>?name=<name>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aiohttp import web

from bookorbit_desktop.library import own_shelves
from bookorbit_desktop.library.own_shelves import Collection
from bookorbit_desktop.library.store.joins import forget_joins
from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.server.opds.joined import joined_books
from bookorbit_desktop.server.opds.paging import Page, list_page
from bookorbit_desktop.server.opds.queries import BookEntry

# The navigation feed's order: the shelves' places (`own_shelves.shelves`).
SHELVES = Order((("place", False),))
# The kinds an address may name (anything else is not found).
KIND = "(?:" + "|".join(own_shelves.KINDS) + ")"


@dataclass(frozen=True)
class ShelfLink:
    kind: str
    name: str
    title: str
    books: int  # the listed books it holds


def shelves(cursor: Cursor, size: int, today: date) -> Page[ShelfLink]:
    every = own_shelves.shelves()
    places = list(range(len(every)))
    start, stop, previous, following = list_page(places, lambda n: (n,), cursor, size)
    items = [
        ShelfLink(s.kind, s.name, s.title, own_shelves.count(s, today)) for s in every[start:stop]
    ]
    return Page(items, size, cursor, previous, following)


def asked(request: web.Request) -> Collection | None:
    """The shelf a request's address names, None when there is none."""
    return own_shelves.find(request.match_info["kind"], request.query.get("name", ""))


def shelf_books(shelf: Collection, today: date, cursor: Cursor, size: int) -> Page[BookEntry]:
    """The shelf's books, newest join first (as last recorded)."""
    where, params = own_shelves.condition(shelf, today) or ("0", [])
    return joined_books(shelf.key, where, params, cursor, size)


def record_listing(request: web.Request, now: float) -> None:
    """Note the joins of the shelf the request names, as listed `now`; a shelf that is gone
    (a tag no book carries, a series emptied) loses its joins."""
    shelf = asked(request)
    if shelf is None:
        gone = Collection(request.match_info["kind"], request.query.get("name", ""))
        forget_joins(gone.key)
        return
    own_shelves.record_listing(shelf, date.fromtimestamp(now), now)
