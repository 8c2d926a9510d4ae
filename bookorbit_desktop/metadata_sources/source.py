"""The one interface every metadata source implements, and the default way a source answers
a book: by its ISBN when it has one, else by a search for title and first author.

A source (`Source`) is an object with a `name`, a `label` for people and a coroutine
`lookup(Lookup)`. The web sources (Open Library, Google Books) are also a `TitleSearch`:
`by_identifier(kind, value)` (kind `isbn` or `id`, the source's own id) and `search(title,
author)`, which `isbn_then_search` combines. Hardcover searches only through the guarded
match of its own module. Each returns candidates (possibly none) or raises
`records.SourceError`; none of them writes anything.

`same_title` is the check every title search applies to its hits (see its docstring).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.metadata_sources.records import Candidate, Lookup

ISBN = "isbn"
OWN_ID = "id"


class Source(Protocol):
    name: str
    label: str

    async def lookup(self, book: Lookup) -> list[Candidate]: ...


class TitleSearch(Protocol):
    async def by_identifier(self, kind: str, value: str) -> list[Candidate]: ...

    async def search(self, title: str, author: str | None) -> list[Candidate]: ...


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


async def isbn_then_search(source: TitleSearch, book: Lookup) -> list[Candidate]:
    """By ISBN; when that finds nothing (or there is none), by title and first author."""
    isbn = isbn13_of(book)
    if isbn:
        found = await source.by_identifier(ISBN, isbn)
        if found:
            return found
    return await source.search(book.title, first_author(book))


# Where a subtitle (or a series note) starts: a colon or semicolon, a dash with spaces around
# it ("Dune - Deluxe Edition"), an en or em dash, or an opening parenthesis. A hyphen inside a
# word ("Half-Blood") is not one.
_SUBTITLE = re.compile(r"\s*(?:[:;]|\s-\s|[–—]|\()")


def _folded(text: str) -> str:
    """Letters and digits only, case, accents and punctuation aside ("&" reads "and")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and "))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


def _main_title(text: str) -> str | None:
    """The title before its subtitle, folded; None when it has no subtitle separator."""
    parts = _SUBTITLE.split(text, maxsplit=1)
    return _folded(parts[0]) if len(parts) > 1 else None


def same_title(asked: str, found: str | None) -> bool:
    """A search hit is kept only when its title is the asked one (case, accents, spacing and
    punctuation aside), or one of them is the other's whole title followed by a subtitle
    ("Dune" / "Dune: Deluxe Edition", "Emma" / "Emma (Penguin Classics)"). A bare prefix is
    another book: "Emma" is not "Emmanuel", "Dune" not "Dune Messiah"."""
    if not found:
        return False
    a, b = _folded(asked), _folded(found)
    if not (a and b):
        return False
    return a == b or _main_title(found) == a or _main_title(asked) == b
