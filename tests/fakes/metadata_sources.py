"""A loopback fake of Open Library and Google Books, for the command-line tests, the window's
tests and the metadata benchmark (Hardcover has its own fake, `hardcover_server`).

One aiohttp server on 127.0.0.1 answers both, with the fields and shapes of the real APIs:
Open Library's `/api/books?bibkeys=…&jscmd=details` (several keys at once), `/search.json`,
the works `/works/OL…W.json` and covers under `/covers/b/id/{id}-L.jpg`; Google Books under
`/books/v1/volumes` and `/books/v1/volumes/{id}`. `openlibrary_url` and `google_url` are the
base addresses to give the sources.

As on Open Library, a book is an edition (publisher, date, pages, ISBN, cover, and its
`series` statements, which may name a publisher's collection: "Folio ; 2") that names its
work (`works: [{key}]`); the work holds the description, the subjects and, on some works,
series statements (`FakeBook.work_description`, `subjects`, `work_series`). Books with the same
`work_key` share one work.

Latency, a rate limit per source (requests per second with a burst; over it, 429 with
`SourceLimits.retry_after`), a forced failure per source (`fail["google"] = 503`, `"timeout"`
or `"malformed"`) and a queue of refusals to send next (`refuse["openlibrary"] = [(429,
"40")]`: the status and its Retry-After) and covers that fail (`failing_covers`, by id:
503) are configurable. Every request is logged with its
time on `clock` (`asked`), so a test can see that nothing was asked during a wait.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.hardcover_server import COVER_PNG


@dataclass
class FakeBook:
    isbn13: str
    title: str
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    published: str | None = None  # Open Library writes "October 1, 1988"; Google "1988-10-01"
    description: str | None = None
    language: str = "en"
    pages: int | None = None
    series: str | None = None
    cover_id: int | None = None
    google_id: str = ""
    work_key: str = ""  # "OL123W"; made from the ISBN when not given
    work_description: str | None = None  # Open Library's work's, as a typed text
    work_series: tuple[str, ...] = ()  # series statements on the work
    subjects: tuple[str, ...] = ()  # the work's
    edition_series: tuple[str, ...] = ()  # more statements on the edition, after `series`


@dataclass
class SourceLimits:
    per_second: float | None = None  # None: no limit
    burst: int = 2
    retry_after: str | None = None  # the 429's Retry-After header


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class FakeBookSources:
    books: list[FakeBook] = field(default_factory=list)
    latency: float = 0.0  # seconds every answer takes
    limits: dict[str, SourceLimits] = field(default_factory=dict)  # "openlibrary" | "google"
    fail: dict[str, int | str] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=lambda: {"openlibrary": 0, "google": 0})
    refused: dict[str, int] = field(default_factory=lambda: {"openlibrary": 0, "google": 0})
    refuse: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict)
    asked: list[tuple[str, float, str]] = field(default_factory=list)  # (source, time, path)
    agents: set[str] = field(default_factory=set)  # the User-Agents the requests carried
    failing_covers: set[int] = field(default_factory=set)  # cover ids answered 503
    clock: Callable[[], float] = time.monotonic
    base: str = ""
    cover: bytes = COVER_PNG  # what every cover address answers

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._buckets: dict[str, _Bucket] = {}

    @property
    def openlibrary_url(self) -> str:
        return self.base

    @property
    def google_url(self) -> str:
        return f"{self.base}/books/v1"

    def add(self, book: FakeBook) -> FakeBook:
        if not book.google_id:
            book.google_id = f"g{book.isbn13[-8:]}"
        if not book.work_key:
            book.work_key = f"OL{book.isbn13[-6:]}W"
        self.books.append(book)
        return book

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/api/books", self._ol_books)
        app.router.add_get("/search.json", self._ol_search)
        app.router.add_get("/works/{name}", self._ol_work)
        app.router.add_get("/covers/b/id/{name}", self._cover)
        app.router.add_get("/books/v1/volumes", self._gb_volumes)
        app.router.add_get("/books/v1/volumes/{id}", self._gb_volume)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self.base

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBookSources:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ----------------------------------------------------------------- shared
    async def _logged(self, source: str, request: web.Request) -> web.Response | None:
        """Log the request, then `_gate` it."""
        self.asked.append((source, self.clock(), request.path))
        self.agents.add(request.headers.get("User-Agent", ""))
        return await self._gate(source)

    async def _gate(self, source: str) -> web.Response | None:
        """Latency, the forced failure and the rate limit; None to answer normally."""
        self.requests[source] += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        queued = self.refuse.get(source)
        if queued:
            status, wait = queued.pop(0)
            self.refused[source] += 1
            headers = {"Retry-After": wait} if wait is not None else {}
            return web.json_response({"error": status}, status=status, headers=headers)
        failure = self.fail.get(source)
        if failure == "timeout":
            await asyncio.sleep(30)
        if failure == "malformed":
            return web.Response(text="<html>busy</html>", content_type="application/json")
        if isinstance(failure, int):
            return web.json_response({"error": {"code": failure}}, status=failure)
        limit = self.limits.get(source)
        if limit is not None and limit.per_second:
            now = time.monotonic()
            bucket = self._buckets.setdefault(source, _Bucket(float(limit.burst), now))
            bucket.tokens = min(limit.burst, bucket.tokens + (now - bucket.at) * limit.per_second)
            bucket.at = now
            if bucket.tokens < 1:
                self.refused[source] += 1
                wait = {"Retry-After": limit.retry_after} if limit.retry_after else {}
                return web.json_response({"error": "Too Many Requests"}, status=429, headers=wait)
            bucket.tokens -= 1
        return None

    def _by_isbn(self, isbn: str) -> FakeBook | None:
        return next((b for b in self.books if b.isbn13 == isbn), None)

    def _search(self, title: str, author: str) -> list[FakeBook]:
        title, author = title.casefold(), author.casefold()
        return [
            b
            for b in self.books
            if title
            and title in b.title.casefold()
            and (not author or any(author in a.casefold() for a in b.authors))
        ]

    # ----------------------------------------------------------------- Open Library
    def _ol_details(self, book: FakeBook) -> dict[str, Any]:
        details: dict[str, Any] = {
            "key": f"/books/OL{book.isbn13[-7:]}M",
            "title": book.title,
            "authors": [{"key": f"/authors/OL{i}A", "name": a} for i, a in enumerate(book.authors)],
            "publishers": [book.publisher] if book.publisher else [],
            "isbn_13": [book.isbn13],
            "languages": [
                {"key": "/languages/" + {"en": "eng", "fr": "fre"}.get(book.language, "eng")}
            ],
            "type": {"key": "/type/edition"},
        }
        if book.published:
            details["publish_date"] = book.published
        if book.pages:
            details["number_of_pages"] = book.pages
        statements = ([book.series] if book.series else []) + list(book.edition_series)
        if statements:
            details["series"] = statements
        details["works"] = [{"key": f"/works/{book.work_key}"}]
        if book.description:
            details["description"] = {"type": "/type/text", "value": book.description}
        if book.cover_id:
            details["covers"] = [book.cover_id]
        return details

    async def _ol_books(self, request: web.Request) -> web.Response:
        refused = await self._logged("openlibrary", request)
        if refused is not None:
            return refused
        answer: dict[str, Any] = {}
        for key in request.query.get("bibkeys", "").split(","):
            scheme, _, value = key.partition(":")
            book = self._by_isbn(value) if scheme == "ISBN" else None
            if book is not None:
                answer[key] = {
                    "bib_key": key,
                    "info_url": "",
                    "preview": "noview",
                    "details": self._ol_details(book),
                }
        return web.json_response(answer)

    async def _ol_search(self, request: web.Request) -> web.Response:
        refused = await self._logged("openlibrary", request)
        if refused is not None:
            return refused
        found = self._search(request.query.get("title", ""), request.query.get("author", ""))
        docs = [
            {
                "key": f"/works/{b.work_key}",
                "title": b.title,
                "author_name": list(b.authors),
                "isbn": [b.isbn13],
                "cover_i": b.cover_id,
                "subject": list(b.subjects),
            }
            for b in found[: int(request.query.get("limit", "5"))]
        ]
        return web.json_response(
            {"numFound": len(found), "start": 0, "numFoundExact": True, "docs": docs}
        )

    async def _ol_work(self, request: web.Request) -> web.Response:
        refused = await self._logged("openlibrary", request)
        if refused is not None:
            return refused
        key = request.match_info["name"].removesuffix(".json")
        book = next((b for b in self.books if b.work_key == key), None)
        if book is None:
            return web.json_response({"error": "notfound", "key": f"/works/{key}"}, status=404)
        work: dict[str, Any] = {
            "key": f"/works/{key}",
            "title": book.title,
            "authors": [
                {"author": {"key": f"/authors/OL{i}A"}, "type": {"key": "/type/author_role"}}
                for i, _ in enumerate(book.authors)
            ],
            "type": {"key": "/type/work"},
        }
        if book.work_description:
            work["description"] = {"type": "/type/text", "value": book.work_description}
        if book.subjects:
            work["subjects"] = list(book.subjects)
        if book.work_series:
            work["series"] = list(book.work_series)
        return web.json_response(work)

    async def _cover(self, request: web.Request) -> web.Response:
        found = re.fullmatch(r"(\d+)-[SML]\.jpg", request.match_info["name"])
        if not found:
            raise web.HTTPNotFound()
        if int(found.group(1)) in self.failing_covers:
            return web.Response(status=503, text="busy")
        return web.Response(body=self.cover, content_type="image/png")

    # ----------------------------------------------------------------- Google Books
    def _gb_volume_of(self, book: FakeBook) -> dict[str, Any]:
        info: dict[str, Any] = {
            "title": book.title,
            "authors": list(book.authors),
            "industryIdentifiers": [{"type": "ISBN_13", "identifier": book.isbn13}],
            "printType": "BOOK",
            "language": book.language,
        }
        for key, value in (
            ("publisher", book.publisher),
            ("description", book.description),
            ("pageCount", book.pages),
        ):
            if value:
                info[key] = value
        if book.cover_id:
            thumb = f"{self.base}/covers/b/id/{book.cover_id}-M.jpg"
            info["imageLinks"] = {"smallThumbnail": thumb, "thumbnail": thumb}
        return {"kind": "books#volume", "id": book.google_id, "volumeInfo": info}

    async def _gb_volumes(self, request: web.Request) -> web.Response:
        refused = await self._logged("google", request)
        if refused is not None:
            return refused
        query = request.query.get("q", "")
        if query.startswith("isbn:"):
            book = self._by_isbn(query.removeprefix("isbn:"))
            found = [book] if book else []
        else:
            title = re.search(r'intitle:"([^"]*)"', query)
            author = re.search(r'inauthor:"([^"]*)"', query)
            found = self._search(title.group(1) if title else "", author.group(1) if author else "")
        body: dict[str, Any] = {"kind": "books#volumes", "totalItems": len(found)}
        if found:
            body["items"] = [self._gb_volume_of(b) for b in found[:5]]
        return web.Response(text=json.dumps(body), content_type="application/json")

    async def _gb_volume(self, request: web.Request) -> web.Response:
        refused = await self._logged("google", request)
        if refused is not None:
            return refused
        book = next((b for b in self.books if b.google_id == request.match_info["id"]), None)
        if book is None:
            return web.json_response({"error": {"code": 404}}, status=404)
        return web.json_response(self._gb_volume_of(book))


class ThreadedFakeBookSources:
    """Runs a `FakeBookSources` on its own event loop thread (for code that owns its loop,
    such as the command line's `asyncio.run`)."""

    def __init__(self, server: FakeBookSources) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> FakeBookSources:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(30)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.close(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
