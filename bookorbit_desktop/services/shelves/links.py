"""Which library book a Hardcover shelf entry with no linked copy is likely to be, and why.

Only two kinds of evidence propose a book, both by matching's own rules and normalisation
(`hardcover.matching.normalize`): the same ISBN with a title that agrees (the threshold an
ISBN link needs), or a title and an author that agree as strongly as an automatic link by
search needs, with the same volume and neither an omnibus. A library book already linked to
a Hardcover book is never proposed (matching decided what it is), nor one in the Inbox. A
proposal is only shown: it becomes a link when the user clicks Link (`services.shelves`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bookorbit_desktop.hardcover.matching.normalize import (
    Person,
    TitleParts,
    parse_person,
    parse_title,
    person_similarity,
    split_authors,
    title_similarity,
)
from bookorbit_desktop.hardcover.matching.scoring import (
    ISBN_TITLE_MIN,
    STRONG_AUTHOR_MIN,
    STRONG_TITLE_MIN,
)
from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.library.store import listing
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.shelves import LINKED_STATES
from bookorbit_desktop.library.store.sql import OUTSIDE_INBOX, in_list


@dataclass(frozen=True)
class LibraryBook:
    id: int
    title: str
    authors: tuple[str, ...]
    isbns: frozenset[str]


@dataclass(frozen=True)
class Likely:
    book_id: int
    title: str
    reason: str  # "same ISBN 9780…, title agrees", "title and author agree (…)"


def _isbn13(value: str) -> str | None:
    found = parse_isbn(value)
    return found.isbn13 if found else None


class Candidates:
    """The library books that may be proposed (not linked to Hardcover, outside the Inbox),
    indexed by ISBN-13 and by the title's folded core; read once, asked many times."""

    def __init__(self, books: Iterable[LibraryBook]) -> None:
        self.by_isbn: dict[str, list[LibraryBook]] = {}
        self.by_core: dict[str, list[tuple[LibraryBook, TitleParts]]] = {}
        for book in books:
            for isbn in book.isbns:
                self.by_isbn.setdefault(isbn, []).append(book)
            parts = parse_title(book.title)
            if parts.core:
                self.by_core.setdefault(parts.core, []).append((book, parts))

    @classmethod
    def read(cls) -> Candidates:
        linked = in_list("m.state", LINKED_STATES)
        rows = database.execute_sql(
            "SELECT b.id, b.title, b.isbn13, b.isbn10 FROM book b WHERE "
            f"{OUTSIDE_INBOX} AND b.id NOT IN (SELECT m.book_id FROM hardcover_match m "
            f"WHERE {linked} AND m.hc_book_id IS NOT NULL)",
            LINKED_STATES,
        ).fetchall()
        names = listing.names(None)
        books = []
        for book_id, title, isbn13, isbn10 in rows:
            isbns = {i for i in (_isbn13(isbn13 or ""), _isbn13(isbn10 or "")) if i}
            books.append(
                LibraryBook(
                    int(book_id), str(title or ""), tuple(names.get(book_id, ())), frozenset(isbns)
                )
            )
        return cls(books)

    def likely(
        self, title: str | None, authors: Sequence[str], isbns: Sequence[str]
    ) -> Likely | None:
        """The library book this Hardcover book is likely to be, with why; None when nothing
        agrees well enough."""
        if not title:
            return None
        wanted = parse_title(title)
        for raw in isbns:
            isbn = _isbn13(raw)
            for book in self.by_isbn.get(isbn or "", ()):
                if title_similarity(wanted, parse_title(book.title)) >= ISBN_TITLE_MIN:
                    return Likely(book.id, book.title, f"same ISBN {isbn}, and the title agrees")
        if not authors or wanted.omnibus:
            return None
        for book, parts in self.by_core.get(wanted.core, ()):
            if parts.omnibus or parts.volume != wanted.volume:
                continue
            if title_similarity(wanted, parts) < STRONG_TITLE_MIN:
                continue
            author = _author_agreeing(authors, book.authors)
            if author is not None:
                return Likely(book.id, book.title, f"title and author agree ({author})")
        return None


def _people(names: Iterable[str]) -> list[tuple[str, Person]]:
    found: list[tuple[str, Person]] = []
    for name in names:
        for piece in split_authors(name):
            person = parse_person(piece)
            if person is not None:
                found.append((piece, person))
    return found


def _author_agreeing(theirs: Sequence[str], ours: Sequence[str]) -> str | None:
    """The library's name of an author both sides name, if any agrees strongly enough."""
    mine = _people(ours)
    for _name, person in _people(theirs):
        for my_name, my_person in mine:
            if person_similarity(person, my_person) >= STRONG_AUTHOR_MIN:
                return my_name
    return None
