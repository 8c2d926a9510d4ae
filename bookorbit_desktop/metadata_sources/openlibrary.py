"""Open Library (openlibrary.org): a book by ISBN or Open Library edition id through the Books
API (`/api/books?bibkeys=ISBN:…&jscmd=details&format=json`: the edition's record and its
author names), and by title and author through `/search.json`; then the work the edition
belongs to (`/works/OL…W.json`), where Open Library keeps the description, the subjects and
often the series (`openlibrary_records`). The edition gives what is per edition (publisher,
date, pages, ISBN, cover, language); the work the description, series and number, and
subjects (tag suggestions, never applied unasked). A work that cannot be read (404, an error,
a malformed answer) leaves the edition's own values; only a rate limit fails the book.

Requests per book: for a fetch of many books (`expect`), the ISBNs of up to
`BOOKS_PER_REQUEST` books go in one Books API request, and each work is read once per fetch
(editions of one work share it), so a book found by its ISBN costs one work read and a share
of a Books API request, about 1.05 requests. A title search's hits are works already, with
their subjects in the answer; their works are not read (one more request a hit would take a
library past 1.2 requests a book), so a book found only by its title gets no description or
series from Open Library.

Open Library asks for no key but for politeness. Its API documentation
(openlibrary.org/developers/api) allows 1 request a second to anonymous clients and 3 a
second to those whose User-Agent names the app and a contact (`web.user_agent`: the project's
page, and the user's e-mail when given in Settings ▸ Metadata); the pace follows
(`REQUEST_INTERVAL`, divided by `IDENTIFIED_SPEEDUP` when identified). Covers come from
covers.openlibrary.org by cover id (`-L` is the large size; its pixel size is not in the
record; `default=false` makes a missing one a 404 instead of a blank image). What is sent:
the ISBN, or the title and first author, and the work's id.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from typing import Any

import aiohttp

from bookorbit_desktop.hardcover.api.records import to_int, to_text
from bookorbit_desktop.metadata_sources.chunk import Chunk
from bookorbit_desktop.metadata_sources.openlibrary_records import (
    WorkFacts,
    description,
    first,
    language,
    release_date,
    series_of,
    statements,
    subjects,
    work_key,
)
from bookorbit_desktop.metadata_sources.outside import OPENLIBRARY_URL_ENV
from bookorbit_desktop.metadata_sources.records import (
    RATE_LIMITED,
    Candidate,
    Lookup,
    SourceError,
)
from bookorbit_desktop.metadata_sources.source import (
    ISBN,
    isbn13_of,
    isbn_then_search,
    same_title,
)
from bookorbit_desktop.metadata_sources.web import (
    Pacer,
    get_json,
    identified,
    malformed,
)

log = logging.getLogger(__name__)

NAME = "openlibrary"
LABEL = "Open Library"
BASE_URL = "https://openlibrary.org"
COVERS_URL = "https://covers.openlibrary.org"
BASE_URL_ENV = OPENLIBRARY_URL_ENV  # another address (a test double on loopback)
REQUEST_INTERVAL = 1.0  # seconds: Open Library's rate for anonymous clients (1 a second)
IDENTIFIED_SPEEDUP = 3  # a User-Agent with a contact may send 3 a second
BOOKS_PER_REQUEST = 20  # ISBNs in one Books API request (`expect`)
SEARCH_LIMIT = 5
_SEARCH_FIELDS = (
    "key,title,subtitle,author_name,first_publish_year,publisher,isbn,language,cover_i,"
    "number_of_pages_median,subject"
)


class OpenLibrary:
    name = NAME
    label = LABEL

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str | None = None,
        covers_url: str | None = None,
        interval: float | None = None,  # seconds between requests (as the contact allows)
        email: str | None = None,  # the user's, for the User-Agent
    ) -> None:
        self.session = session
        self.base_url = (base_url or os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")
        default_covers = f"{self.base_url}/covers" if self.base_url != BASE_URL else COVERS_URL
        self.covers_url = (covers_url or default_covers).rstrip("/")
        self._interval = interval
        self.email = email
        self.pacer = Pacer(self._pace(), label=LABEL)
        self._chunks: dict[str, Chunk[str, dict[str, Any]]] = {}
        self._works: dict[str, WorkFacts | None] = {}
        self._work_locks: dict[str, asyncio.Lock] = {}

    def _pace(self) -> float:
        if self._interval is not None:
            return self._interval
        return REQUEST_INTERVAL / (IDENTIFIED_SPEEDUP if identified(self.email) else 1)

    def identify(self, email: str | None) -> None:
        """The user's e-mail for the User-Agent (from the settings, before a fetch), and the
        pace it allows, unless another pace was set since."""
        paced = self.pacer.interval == self._pace()
        self.email = email
        if paced:
            self.pacer.interval = self._pace()

    def expect(self, books: Sequence[Lookup]) -> None:
        """The books a fetch will ask about: their ISBNs go to the Books API in chunks."""
        keys = list(dict.fromkeys(f"ISBN:{i}" for b in books if (i := isbn13_of(b))))
        for start in range(0, len(keys), BOOKS_PER_REQUEST):
            chunk: Chunk[str, dict[str, Any]] = Chunk(keys[start : start + BOOKS_PER_REQUEST])
            for key in chunk.keys:
                self._chunks.setdefault(key, chunk)

    def cover_url(self, cover_id: Any) -> str | None:
        found = to_int(cover_id)
        # default=false: a missing cover is a 404, not a blank placeholder image.
        url = f"{self.covers_url}/b/id/{found}-L.jpg?default=false"
        return url if found and found > 0 else None

    async def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        return await get_json(
            self.session,
            f"{self.base_url}{path}",
            label=LABEL,
            params=params,
            pacer=self.pacer,
            email=self.email,
        )

    async def _books_api(self, keys: list[str]) -> dict[str, Any]:
        params = {"bibkeys": ",".join(keys), "jscmd": "details", "format": "json"}
        answer = await self._get("/api/books", params)
        if not isinstance(answer, dict):
            raise malformed(LABEL, "a record per key")
        return answer

    async def _entry(self, key: str) -> Any:
        chunk = self._chunks.get(key)
        if chunk is None:
            return (await self._books_api([key])).get(key)
        return (await chunk.answer(self._books_api)).get(key)

    async def by_identifier(self, kind: str, value: str) -> list[Candidate]:
        key = f"ISBN:{value}" if kind == ISBN else f"OLID:{value}"
        entry = await self._entry(key)
        if entry is None:
            return []
        details = entry.get("details") if isinstance(entry, dict) else None
        if not isinstance(details, dict):
            raise malformed(LABEL, "the edition's details")
        work = await self._work(work_key(details))
        return [self._edition(details, work, "isbn" if kind == ISBN else "id")]

    async def _work(self, key: str | None) -> WorkFacts | None:
        """The work's facts, read once per fetch (None: no work, or none readable); the
        editions of one work wait for the first one's read."""
        if key is None:
            return None
        async with self._work_locks.setdefault(key, asyncio.Lock()):
            if key not in self._works:
                self._works[key] = await self._read_work(key)  # a rate limit is not kept
        return self._works[key]

    async def _read_work(self, key: str) -> WorkFacts | None:
        try:
            work = await self._get(f"{key}.json")
            if not isinstance(work, dict):
                raise malformed(LABEL, "the work's record")
        except SourceError as error:
            if error.status == RATE_LIMITED:
                raise
            log.info("%s: work %s not read: %s", LABEL, key, error.message)
            return None
        return WorkFacts.of(work)

    def _edition(
        self, details: dict[str, Any], work: WorkFacts | None, matched_by: str
    ) -> Candidate:
        authors = tuple(
            name
            for entry in details.get("authors") or ()
            if isinstance(entry, dict) and (name := to_text(entry.get("name")))
        )
        publisher = to_text(first(details.get("publishers")))
        said = [*(work.statements if work else ()), *statements(details)]
        series = series_of(said, publisher)
        key = to_text(details.get("key")) or ""
        return Candidate(
            source=NAME,
            source_id=key.rsplit("/", 1)[-1],
            title=to_text(details.get("title")),
            subtitle=to_text(details.get("subtitle")),
            authors=authors,
            series=series.name,
            series_index=series.number if series.name else None,
            description=(work.description if work else None)
            or description(details.get("description")),
            publisher=publisher,
            release_date=release_date(details.get("publish_date")),
            language=language(details.get("languages")),
            isbn13=to_text(first(details.get("isbn_13"))),
            pages=to_int(details.get("number_of_pages")),
            cover_url=self.cover_url(first(details.get("covers"))),
            matched_by=matched_by,
            subjects=_suggested(work, series.collections),
        )

    async def search(self, title: str, author: str | None) -> list[Candidate]:
        params = {"title": title, "limit": str(SEARCH_LIMIT), "fields": _SEARCH_FIELDS}
        if author:
            params["author"] = author
        answer = await self._get("/search.json", params)
        docs = answer.get("docs") if isinstance(answer, dict) else None
        if not isinstance(docs, list):
            raise malformed(LABEL, "a list of results")
        found = []
        for doc in docs:
            if not isinstance(doc, dict) or not same_title(title, to_text(doc.get("title"))):
                continue
            isbns = [i for i in doc.get("isbn") or () if isinstance(i, str) and len(i) == 13]
            year = to_int(doc.get("first_publish_year"))
            found.append(
                Candidate(
                    source=NAME,
                    source_id=(to_text(doc.get("key")) or "").rsplit("/", 1)[-1],
                    title=to_text(doc.get("title")),
                    subtitle=to_text(doc.get("subtitle")),
                    authors=tuple(a for a in doc.get("author_name") or () if to_text(a)),
                    publisher=to_text(first(doc.get("publisher"))),
                    release_date=str(year) if year else None,
                    language=language(doc.get("language")),
                    isbn13=isbns[0] if isbns else None,
                    pages=to_int(doc.get("number_of_pages_median")),
                    cover_url=self.cover_url(doc.get("cover_i")),
                    matched_by="search",
                    subjects=subjects(doc.get("subject")),
                )
            )
        return found

    async def lookup(self, book: Lookup) -> list[Candidate]:
        return await isbn_then_search(self, book)


def _suggested(work: WorkFacts | None, collections: Sequence[str]) -> tuple[str, ...]:
    """The work's subjects, then the collections the edition is in (tag suggestions)."""
    found = list(work.subjects if work else ())
    return tuple(found + [c for c in collections if c not in found])
