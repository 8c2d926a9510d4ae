"""The one interface every metadata source implements, and the default way a source answers
a book: by its ISBN when it has one, else by a search for title and first author.

A source is an object with a `name`, a `label` for people, and three coroutines:
`by_identifier(kind, value)` (kind `isbn` or `id`, the source's own id), `search(title,
author)` and `lookup(Lookup)`. Each returns candidates (possibly none) or raises
`records.SourceError`; none of them writes anything.
"""

from __future__ import annotations

from typing import Protocol

from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.metadata_sources.records import Candidate, Lookup

ISBN = "isbn"
OWN_ID = "id"


class Source(Protocol):
    name: str
    label: str

    async def by_identifier(self, kind: str, value: str) -> list[Candidate]: ...

    async def search(self, title: str, author: str | None) -> list[Candidate]: ...

    async def lookup(self, book: Lookup) -> list[Candidate]: ...


def isbn13_of(book: Lookup) -> str | None:
    """The book's ISBN-13 (from its ISBN-10 when that is all it has)."""
    for raw in (book.isbn13, book.isbn10):
        found = parse_isbn(raw) if raw else None
        if found is not None:
            return found.isbn13
    return None


def first_author(book: Lookup) -> str | None:
    name = next((a for a in book.authors if a and a.casefold() != "unknown"), None)
    return name


async def isbn_then_search(source: Source, book: Lookup) -> list[Candidate]:
    """By ISBN; when that finds nothing (or there is none), by title and first author."""
    isbn = isbn13_of(book)
    if isbn:
        found = await source.by_identifier(ISBN, isbn)
        if found:
            return found
    return await source.search(book.title, first_author(book))


def _folded(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def same_title(asked: str, found: str | None) -> bool:
    """A search hit is kept only when its title is the asked one (case, spaces and punctuation
    aside), or one starts with the other ("Dune" / "Dune: Deluxe Edition")."""
    if not found:
        return False
    a, b = _folded(asked), _folded(found)
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))
