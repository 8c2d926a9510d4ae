"""The Hardcover books a matching run has fetched: by id, by slug, by ISBN, merges followed.

Books are fetched many per request (`MatchCandidates`, `EditionsByIsbn`) and kept for the run,
so a book named by several of the library's files, or met again in a search, costs nothing
more. A book Hardcover merged into another is followed to the one that survives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.matching.catalog import (
    EditionInfo,
    HardcoverBook,
    book_from_graphql,
    edition_from_record,
)
from bookorbit_desktop.hardcover.matching.scoring import LocalBook
from bookorbit_desktop.library.metadata.isbn import parse_isbn

HYDRATE_CHUNK = 100  # books per MatchCandidates request (Hardcover pages hold 100 rows)
_MAX_MERGE_HOPS = 3


class HasLocalBook(Protocol):
    @property
    def local(self) -> LocalBook: ...


class FetchedBooks:
    """The books fetched with one client, and the ids and slugs Hardcover does not have."""

    def __init__(self, client: HardcoverClient) -> None:
        self.client = client
        self._books: dict[int, HardcoverBook] = {}
        self._slugs: dict[str, int] = {}
        self._missing: set[int | str] = set()
        self.isbn_requests = 0

    async def hydrate(
        self, ids: Iterable[int] = (), slugs: Iterable[str] = (), languages: Iterable[str] = ()
    ) -> None:
        """Fetch the books (and, for merged ones, the books they were merged into)."""
        want_ids = [i for i in dict.fromkeys(ids) if not self._known(i)]
        want_slugs = [s for s in dict.fromkeys(slugs) if not self._known(s)]
        langs = sorted(set(languages)) or ["en"]
        for _hop in range(_MAX_MERGE_HOPS):
            wanted: list[int | str] = [*want_ids, *want_slugs]
            for start in range(0, len(wanted), HYDRATE_CHUNK):
                chunk = wanted[start : start + HYDRATE_CHUNK]
                variables = {
                    "ids": [i for i in chunk if isinstance(i, int)],
                    "slugs": [s for s in chunk if isinstance(s, str)],
                    "languages": langs,
                }
                data = await self.client.execute("MatchCandidates", variables)
                for row in data.get("books") or []:
                    book = book_from_graphql(row)
                    self._books[book.id] = book
                    if book.slug:
                        self._slugs[book.slug] = book.id
            self._missing |= {i for i in want_ids if i not in self._books}
            self._missing |= {s for s in want_slugs if s not in self._slugs}
            merged_into = {b.canonical_id for b in self._books.values() if b.canonical_id}
            want_ids, want_slugs = [i for i in merged_into if not self._known(i)], []
            if not want_ids:
                return

    def _known(self, key: int | str) -> bool:
        """Fetched already, or asked for and absent from Hardcover."""
        found = key in self._slugs if isinstance(key, str) else key in self._books
        return found or key in self._missing

    def book(self, key: int | str | None) -> HardcoverBook | None:
        """A fetched book by id or slug, following merges to the surviving book."""
        book_id = self._slugs.get(key) if isinstance(key, str) else key
        book = self._books.get(book_id) if book_id is not None else None
        for _hop in range(_MAX_MERGE_HOPS):
            if book is None or book.canonical_id not in self._books:
                break
            book = self._books[book.canonical_id]
        return book

    async def _resolve_isbns(self, work: Sequence[HasLocalBook]) -> dict[str, list[EditionInfo]]:
        """Editions by ISBN-13 for every ISBN (both forms) of every book, in batches."""
        isbn13s: set[str] = set()
        isbn10s: set[str] = set()
        for item in work:
            for value in (item.local.isbn13, item.local.isbn10):
                parsed = parse_isbn(value) if value else None
                if parsed is not None:
                    isbn13s.add(parsed.isbn13)
                    if parsed.isbn10:
                        isbn10s.add(parsed.isbn10)
        if not isbn13s:
            return {}
        before = self.client.requests_sent
        editions = await self.client.editions_by_isbn(sorted(isbn13s), sorted(isbn10s))
        self.isbn_requests += self.client.requests_sent - before
        by_isbn: dict[str, list[EditionInfo]] = {}
        for record in editions:
            edition = edition_from_record(record)
            keys = set()
            for value in (record.isbn_13, record.isbn_10):
                parsed = parse_isbn(value) if value else None
                if parsed is not None:
                    keys.add(parsed.isbn13)
            for key in keys:
                by_isbn.setdefault(key, []).append(edition)
        return by_isbn
