"""Hardcover asked about many books at once: the editions of up to `BOOKS_PER_REQUEST` books
(their linked edition ids and ISBNs) in one `editions(where: {_or: [{id: {_in}}, {isbn_13:
{_in}}, {isbn_10: {_in}}]})` request, which Hardcover counts as ONE request (shared docs
hardcover-api.md §4), paged by 100 rows (its cap on a list).

A fetch names its books first (`EditionBatches(books, send)`); the books with an ISBN or a
linked edition are cut into chunks in that order. The first book of a chunk to be looked up
sends the chunk's request; the chunk's other books wait for it and read their rows from it.
A chunk whose request failed fails each of its books the same way without asking again in
this fetch (`retry` asks them in a new one); a cancelled request leaves the chunk to the next
of its books. Only rows
whose id or ISBN is the book's own are the book's: the batch never matches by anything else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.metadata_sources.chunk import Chunk
from bookorbit_desktop.metadata_sources.records import Lookup
from bookorbit_desktop.metadata_sources.source import isbn13_of
from bookorbit_desktop.metadata_sources.web import malformed

OPERATION = "MetadataEditionsBatch"
BOOKS_PER_REQUEST = 50  # up to 50 ids and 100 ISBNs a request; usually one page of rows
PAGE_ROWS = 100  # Hardcover's cap on the rows of a list
EDITIONS_PER_BOOK = 5  # candidates kept per ISBN, the most read first (as one book's request)
Send = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Keys:
    """What identifies a book's editions on Hardcover."""

    edition_id: int | None
    isbn13: str | None
    isbn10: str | None

    @classmethod
    def of(cls, book: Lookup) -> Keys:
        isbn = parse_isbn(isbn13_of(book) or "")
        return cls(
            book.hardcover_edition_id,
            isbn.isbn13 if isbn else None,
            isbn.isbn10 if isbn else None,
        )

    def __bool__(self) -> bool:
        return bool(self.edition_id or self.isbn13)


@dataclass(frozen=True)
class BookRows:
    """A book's rows from its chunk's answer: its linked edition, and the editions of its
    ISBN, the most read first."""

    linked: tuple[Row, ...]
    by_isbn: tuple[Row, ...]


class EditionBatches:
    def __init__(
        self, books: Sequence[Lookup], send: Send, *, size: int = BOOKS_PER_REQUEST
    ) -> None:
        self._send = send
        self._keys: dict[int, Keys] = {}
        self._chunk_of: dict[int, Chunk[Keys, list[Row]]] = {}
        pending: list[tuple[int, Keys]] = []
        for book in books:
            keys = Keys.of(book)
            if keys and book.book_id not in self._keys:
                self._keys[book.book_id] = keys
                pending.append((book.book_id, keys))
        for start in range(0, len(pending), size):
            part = pending[start : start + size]
            chunk: Chunk[Keys, list[Row]] = Chunk([keys for _, keys in part])
            for book_id, _ in part:
                self._chunk_of[book_id] = chunk

    def covers(self, book: Lookup) -> bool:
        """Whether `book` is in a chunk with the same ids as when the fetch named it."""
        return book.book_id in self._chunk_of and Keys.of(book) == self._keys[book.book_id]

    @property
    def chunks(self) -> int:
        return len({id(chunk) for chunk in self._chunk_of.values()})

    async def rows_of(self, book: Lookup) -> BookRows:
        """The rows of `book` (its chunk asked first when no book of it was); SourceError when
        the chunk's request failed."""
        rows = await self._chunk_of[book.book_id].answer(self._ask)
        keys = self._keys[book.book_id]
        linked = tuple(r for r in rows if keys.edition_id and r.get("id") == keys.edition_id)
        by_isbn = tuple(
            r
            for r in rows
            if (keys.isbn13 and r.get("isbn_13") == keys.isbn13)
            or (keys.isbn10 and r.get("isbn_10") == keys.isbn10)
        )
        return BookRows(linked[:1], by_isbn[:EDITIONS_PER_BOOK])

    async def _ask(self, keys: list[Keys]) -> list[Row]:
        variables: dict[str, Any] = {
            "ids": sorted({k.edition_id for k in keys if k.edition_id}),
            "isbn13": sorted({k.isbn13 for k in keys if k.isbn13}),
            "isbn10": sorted({k.isbn10 for k in keys if k.isbn10}),
        }
        rows: list[Row] = []
        while True:
            answer = await self._send(OPERATION, {**variables, "offset": len(rows)})
            page = answer.get("editions")
            if not isinstance(page, list):
                raise malformed("Hardcover", "editions")
            for row in page:
                if not isinstance(row, Mapping) or "id" not in row:
                    raise malformed("Hardcover", "an edition's id")
                if not isinstance(row.get("book"), Mapping):
                    raise malformed("Hardcover", "an edition's book")
            rows.extend(page)
            if len(page) < PAGE_ROWS:
                return rows
