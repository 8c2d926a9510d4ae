"""Your shelves as KOReader reaches them (`library.own_shelves`: every saved search, tag and
series): each shelf's catalog address, as the catalog itself makes it (`CatalogUrls`), a QR
code of an address to scan from the e-reader's phone, and the books a shelf holds now, for
Send to device."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import segno

from bookorbit_desktop.library import own_shelves
from bookorbit_desktop.server.opds.model import CatalogUrls

_URLS = CatalogUrls()  # the Atom addresses: the catalog answers each as OPDS 2.0 to who asks


@dataclass(frozen=True)
class ShelfAddress:
    kind: str  # "search", "tag" or "series"
    name: str
    title: str  # as the catalog titles it ("Tag: holiday")
    path: str  # below the server's address: /opds/shelves/tag?name=holiday


def shelf_addresses() -> list[ShelfAddress]:
    """Every shelf, in the catalog's order (the saved searches, then tags, then series)."""
    return [
        ShelfAddress(s.kind, s.name, s.title, _URLS.feed(f"shelves/{s.kind}", name=s.name))
        for s in own_shelves.shelves()
    ]


def shelf_book_ids(kind: str, name: str) -> list[int]:
    """The listed books (a file present, outside the Inbox) the shelf holds now, by title;
    none when there is no such shelf any more."""
    shelf = own_shelves.find(kind, name)
    return [] if shelf is None else own_shelves.book_ids(shelf, date.today())


def qr_png(text: str, scale: int = 4) -> bytes:
    """A PNG of `text`'s QR code (error correction M, a quiet zone of four modules)."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
