"""Hardcover as a metadata source, through the app's Hardcover client (its shared rate budget,
60 requests a minute, and its retries; see shared docs hardcover-api.md §1.3).

A book linked to Hardcover is read from its linked edition (the user chose that edition); an
unlinked one by its ISBN; failing both, `find_book` (supplied by the caller, who owns the
matching rules) may name the one Hardcover book a guarded title and author search proves to
be this book. That search never guesses: when matching would not link, there is no
candidate. What is sent: the edition id, the ISBN, or the title and first author, with the
user's token (which never leaves the client's Authorization header).

For a fetch of many books, `expect(books)` lets the linked editions and ISBNs go in chunks
of 50 books a request (`hardcover_batch`): one request where a book-by-book fetch sends 50;
only the books those do not find are searched for one by one. Every request made here is
bounded by the 10 s metadata timeout, whatever timeout the client was made with.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

from bookorbit_desktop.hardcover.api.client import HardcoverClient, request_timeout
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    BadResponseError,
    GraphQLResponseError,
    HardcoverError,
    NetworkError,
    NotConnectedError,
    RateLimitedError,
)
from bookorbit_desktop.hardcover.api.records import contributors_from, series_from, to_int, to_text
from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.metadata_sources.hardcover_batch import EditionBatches
from bookorbit_desktop.metadata_sources.records import (
    MALFORMED,
    RATE_LIMITED,
    REFUSED,
    TIMED_OUT,
    Candidate,
    Lookup,
    SourceError,
)
from bookorbit_desktop.metadata_sources.source import ISBN, first_author, isbn13_of
from bookorbit_desktop.metadata_sources.web import TIMEOUT_SECONDS

NAME = "hardcover"
LABEL = "Hardcover"
FindBook = Callable[[Lookup], Awaitable[int | None]]


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """Every Hardcover request sent inside waits at most the metadata timeout per try."""
    token = request_timeout.set(TIMEOUT_SECONDS)
    try:
        yield
    finally:
        request_timeout.reset(token)


def failure(error: BaseException) -> SourceError:
    """A Hardcover client error as a source status and message."""
    if isinstance(error, RateLimitedError):
        return SourceError(RATE_LIMITED, f"Hardcover asked to slow down: {error.message}")
    if isinstance(error, (AuthError, NotConnectedError)):
        return SourceError(REFUSED, f"{error.title}: {error.message}")
    if isinstance(error, TimeoutError) or (
        isinstance(error, NetworkError) and "in time" in error.message
    ):
        return SourceError(TIMED_OUT, "Hardcover did not answer in time. Try again later.")
    if isinstance(error, (BadResponseError, GraphQLResponseError)):
        return SourceError(MALFORMED, f"Hardcover sent an answer we cannot read: {error.message}")
    if isinstance(error, HardcoverError):
        return SourceError(REFUSED, f"{error.title}: {error.message}")
    return SourceError(MALFORMED, "Hardcover sent an answer we cannot read. Try again later.")


def _image(raw: Any) -> tuple[str | None, int | None, int | None]:
    if not isinstance(raw, Mapping):
        return None, None, None
    url = to_text(raw.get("url"))
    if url and not url.startswith(("https://", "http://")):
        url = None
    return url, to_int(raw.get("width")), to_int(raw.get("height"))


def _name(raw: Any) -> str | None:
    return to_text(raw.get("name")) if isinstance(raw, Mapping) else None


def _language(raw: Any) -> str | None:
    return to_text(raw.get("code2")) if isinstance(raw, Mapping) else None


def candidate_from(
    book: Mapping[str, Any], edition: Mapping[str, Any] | None, matched_by: str
) -> Candidate:
    """A candidate from a `books` row and one of its `editions` (fields as our operations
    select them); the edition's values come first where it has them."""
    edition = edition or {}
    contributors = contributors_from(book.get("cached_contributors"))
    series = series_from(book.get("book_series"))
    cover = _image(edition.get("image"))
    if cover[0] is None:
        cover = _image(book.get("image"))
    isbn = parse_isbn(to_text(edition.get("isbn_13")) or "")
    return Candidate(
        source=NAME,
        source_id=str(edition.get("id") or f"book:{book.get('id')}"),
        title=to_text(edition.get("title")) or to_text(book.get("title")),
        subtitle=to_text(edition.get("subtitle")) or to_text(book.get("subtitle")),
        authors=tuple(c.name for c in contributors if c.role is None),
        series=series[0].name if series else None,
        series_index=series[0].position if series else None,
        description=to_text(book.get("description")),
        publisher=_name(edition.get("publisher")),
        release_date=to_text(edition.get("release_date")) or to_text(book.get("release_date")),
        language=_language(edition.get("language")),
        isbn13=isbn.isbn13 if isbn else None,
        pages=to_int(edition.get("pages")) or to_int(book.get("pages")),
        cover_url=cover[0],
        cover_width=cover[1],
        cover_height=cover[2],
        matched_by=matched_by,
    )


class HardcoverSource:
    name = NAME
    label = LABEL

    def __init__(self, client: HardcoverClient, *, find_book: FindBook | None = None) -> None:
        self.client = client
        self.find_book = find_book
        self.batches: EditionBatches | None = None

    def expect(self, books: Sequence[Lookup]) -> None:
        """The books a fetch will look up: their editions are asked in chunks (module doc)."""
        self.batches = EditionBatches(books, self._execute)

    async def _execute(self, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
        try:
            with bounded():
                return await self.client.execute(operation, variables)
        except (HardcoverError, TimeoutError) as error:
            raise failure(error) from None

    async def _editions(
        self, ids: list[int], isbn13: list[str], isbn10: list[str], matched_by: str
    ) -> list[Candidate]:
        variables = {"ids": ids, "isbn13": isbn13, "isbn10": isbn10}
        rows = (await self._execute("MetadataEditions", variables)).get("editions")
        if not isinstance(rows, list):
            raise SourceError(MALFORMED, "Hardcover sent an answer without editions.")
        found = []
        for row in rows:
            book = row.get("book") if isinstance(row, Mapping) else None
            if not isinstance(book, Mapping) or "id" not in row:
                raise SourceError(MALFORMED, "Hardcover sent an edition without its book.")
            found.append(candidate_from(book, row, matched_by))
        if ids:  # the linked edition first, whatever its popularity
            found.sort(key=lambda c: c.source_id != str(ids[0]))
        return found

    async def by_identifier(self, kind: str, value: str) -> list[Candidate]:
        if kind == ISBN:
            isbn = parse_isbn(value)
            if isbn is None:
                return []
            tens = [isbn.isbn10] if isbn.isbn10 else []
            return await self._editions([], [isbn.isbn13], tens, "isbn")
        edition_id = to_int(value)
        return [] if edition_id is None else await self._editions([edition_id], [], [], "edition")

    async def by_book(self, book_id: int, matched_by: str = "search") -> list[Candidate]:
        row = (await self._execute("MetadataBook", {"id": book_id})).get("books_by_pk")
        if row is None:
            return []
        if not isinstance(row, Mapping):
            raise SourceError(MALFORMED, "Hardcover sent a book we cannot read.")
        editions = row.get("editions") or []
        edition = editions[0] if editions and isinstance(editions[0], Mapping) else None
        found = candidate_from(row, edition, matched_by)
        return [found]

    async def _found(self, book: Lookup) -> list[Candidate]:
        """The book the guarded search (`find_book`, which reads the library's own record of
        `book` to match it) proves; without `find_book`, nothing is guessed."""
        if self.find_book is None:
            return []
        try:
            with bounded():
                book_id = await self.find_book(book)
        except (HardcoverError, TimeoutError) as error:
            raise failure(error) from None
        return [] if book_id is None else await self.by_book(book_id)

    async def lookup(self, book: Lookup) -> list[Candidate]:
        if self.batches is not None and self.batches.covers(book):
            return await self._batched(book, self.batches)
        if book.hardcover_edition_id is not None:
            found = await self.by_identifier("id", str(book.hardcover_edition_id))
            if found:
                return found[:1]
        if book.hardcover_book_id is not None:
            found = await self.by_book(book.hardcover_book_id, "linked")
            if found:
                return found
        isbn = isbn13_of(book)
        if isbn:
            found = await self.by_identifier(ISBN, isbn)
            if found:
                return found
        if first_author(book) is None and not book.title:
            return []
        return await self._found(book)

    async def _batched(self, book: Lookup, batches: EditionBatches) -> list[Candidate]:
        """`lookup` from the book's chunk: the same order (linked edition, linked book, ISBN,
        guarded search), the first two answers read from one request for many books."""
        rows = await batches.rows_of(book)
        if rows.linked:
            return [candidate_from(rows.linked[0]["book"], rows.linked[0], "edition")]
        if book.hardcover_book_id is not None:
            found = await self.by_book(book.hardcover_book_id, "linked")
            if found:
                return found
        if rows.by_isbn:
            return [candidate_from(row["book"], row, "isbn") for row in rows.by_isbn]
        if first_author(book) is None and not book.title:
            return []
        return await self._found(book)
