"""Where an identifier's book is on the web: the page of the source that gave it, for the
identifiers that have one (an ISBN at Open Library, a Hardcover slug, a Goodreads, Amazon, Open
Library or Google Books id). The value goes into the address only when it is a plain code
(letters, digits, '.', '_' and '-'), so a typed value can never point anywhere else."""

from __future__ import annotations

import re

_CODE = re.compile(r"[A-Za-z0-9._-]{1,100}")
_PAGES = {
    "isbn": ("Open Library", "https://openlibrary.org/isbn/{}"),
    "hardcover": ("Hardcover", "https://hardcover.app/books/{}"),
    "hardcover-slug": ("Hardcover", "https://hardcover.app/books/{}"),
    "goodreads": ("Goodreads", "https://www.goodreads.com/book/show/{}"),
    "asin": ("Amazon", "https://www.amazon.com/dp/{}"),
    "amazon": ("Amazon", "https://www.amazon.com/dp/{}"),
    "google": ("Google Books", "https://books.google.com/books?id={}"),
    "openlibrary": ("Open Library", "https://openlibrary.org/books/{}"),
}


def identifier_link(scheme: str, value: str) -> tuple[str, str] | None:
    """(the source's name, the book's page there) for one identifier, or None."""
    page = _PAGES.get(scheme.strip().casefold())
    code = value.strip()
    if page is None or not _CODE.fullmatch(code):
        return None
    if scheme.strip().casefold() == "hardcover" and code.isdigit():
        return None  # an edition's number, which no page address takes
    name, address = page
    if scheme.strip().casefold() == "openlibrary" and code.upper().endswith("W"):
        address = "https://openlibrary.org/works/{}"  # a work's id rather than an edition's
    return name, address.format(code)
