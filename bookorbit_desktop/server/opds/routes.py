"""The OPDS 1.2 catalog KOReader browses and downloads books from, mounted under /opds.

The root navigation feed leads to Recently added (newest first, what KOReader's catalog sync
follows), All books, Authors, Series, Currently reading, Want to read and Read; every feed
links the OpenSearch description for search. Feeds and files all need the sync account's
credentials (HTTP Basic) and are served at their final address: KOReader drops credentials
on redirects.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from urllib.parse import quote

from aiohttp import web
from peewee import OperationalError

from bookorbit_desktop.config import DEFAULT_SETTINGS
from bookorbit_desktop.guards.text import for_log
from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.lan import server_url
from bookorbit_desktop.server.opds import queries as queries
from bookorbit_desktop.server.opds.auth import Handler, require_account
from bookorbit_desktop.server.opds.downloads import make_cover_handlers, make_download_handler
from bookorbit_desktop.server.opds.feeds import (
    ACQUISITION_TYPE,
    NAVIGATION_TYPE,
    REL_SORT_NEW,
    CatalogUrls,
    FeedMeta,
    NavEntry,
    acquisition_feed,
    navigation_feed,
    opensearch_description,
)
from bookorbit_desktop.server.opds.paging import BadCursor, Page, decode
from bookorbit_desktop.server.opds.queries import BookEntry
from bookorbit_desktop.server.opds.search import SEARCH_ORDER, search_books
from bookorbit_desktop.server.opds.text import feed_line, search_terms
from bookorbit_desktop.server.workers import LibraryBusyError

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 500
_PAGE = re.compile(r"[0-9]{1,9}")  # ASCII digits only, and small enough for SQLite's OFFSET
_BAD_CURSOR = "This page address is out of date or damaged. Start again from the first page."
# Ids in addresses: up to 18 digits always fit SQLite's 64-bit integers (longer ones are 404).
_ID = r"[0-9]{1,18}"
_OPENSEARCH_MIME = "application/opensearchdescription+xml; charset=utf-8"

SyncHandler = Callable[[web.Request], web.Response]
BookQuery = Callable[[Cursor, int], Page[BookEntry]]  # (where it starts, page size) -> page

# The lists of books, as the root feed presents them: name in the URL, title, description,
# their order and the query that lists their books. Authors and Series come between All books
# and the shelves.
_BOOK_LISTS: tuple[tuple[str, str, str, Order, BookQuery], ...] = (
    ("recent", "Recently added", "Newest books first", queries.NEWEST, queries.recently_added),
    ("books", "All books", "Every book, by title", queries.BY_TITLE, queries.all_books),
    (
        "reading",
        "Currently reading",
        "Books you are reading now",
        queries.BY_STATE_CHANGE,
        partial(queries.books_with_status, queries.CURRENTLY_READING),
    ),
    (
        "want",
        "Want to read",
        "Books on your want-to-read shelf",
        queries.BY_STATE_CHANGE,
        partial(queries.books_with_status, queries.WANT_TO_READ),
    ),
    (
        "read",
        "Read",
        "Books you have finished, latest first",
        queries.BY_FINISH,
        partial(queries.books_with_status, queries.READ),
    ),
)


class BadRequest(Exception):
    """A request the catalog answers with 400 and this message."""


def page_cursor(request: web.Request, order: Order) -> Cursor:
    """Where the asked page starts: the `cursor` token of our links, else the old `page`
    number (bookmarked addresses keep working), else the first page."""
    token = request.query.get("cursor")
    if token is not None:
        try:
            return decode(token.strip(), order)
        except BadCursor as error:
            raise BadRequest(_BAD_CURSOR) from error
    raw = request.query.get("page", "1").strip()
    if not _PAGE.fullmatch(raw) or int(raw) < 1:
        raise BadRequest("The page number must be a whole number from 1 up.")
    return Cursor(number=int(raw))


def page_size() -> int:
    """The `opds.page_size` setting, or its default when the stored value is unusable."""
    value = get_setting("opds.page_size")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        return int(DEFAULT_SETTINGS["opds.page_size"])
    return value


def _atom(body: bytes, kind: str) -> web.Response:
    # Feeds change whenever the library does: no Last-Modified, so KOReader never shows a
    # stale cached copy, and no compression (KOReader asks for identity).
    return web.Response(
        body=body,
        headers={"Content-Type": f"{kind};charset=utf-8", "Cache-Control": "no-cache"},
    )


class Catalog:
    """The feed handlers; each builds one document from one library query."""

    def __init__(self, ctx: ServerContext, urls: CatalogUrls) -> None:
        self._ctx = ctx
        self._urls = urls

    def _meta(
        self,
        feed_id: str,
        title: str,
        kind: str,
        page: Page | None = None,
        page_href: Callable[[Cursor], str] | None = None,
        **extra: object,
    ) -> FeedMeta:
        # The self link is rebuilt from our own address scheme, never echoed from the request.
        if page is not None and page_href is not None:
            self_href = page_href(page.at)
        else:
            self_href = self._urls.root
        return FeedMeta(
            id=feed_id,
            title=title,
            self_href=self_href,
            kind=kind,
            updated=self._ctx.clock(),
            page=page,
            page_href=page_href,
            **extra,  # type: ignore[arg-type]
        )

    def _books(
        self,
        feed_id: str,
        title: str,
        page: Page[BookEntry],
        page_href: Callable[[Cursor], str],
        *,
        up: str | None = None,
        search_results: bool = False,
    ) -> web.Response:
        meta = self._meta(
            feed_id,
            title,
            ACQUISITION_TYPE,
            up_href=up or self._urls.root,
            page=page,
            page_href=page_href,
            search_results=search_results,
        )
        return _atom(acquisition_feed(meta, page.items, self._urls), ACQUISITION_TYPE)

    def _navigation(
        self, feed_id: str, title: str, page: Page, path: str, entries: list[NavEntry]
    ) -> web.Response:
        meta = self._meta(
            feed_id,
            title,
            NAVIGATION_TYPE,
            up_href=self._urls.root,
            page=page,
            page_href=partial(self._urls.feed, path),
        )
        return _atom(navigation_feed(meta, entries, self._urls), NAVIGATION_TYPE)

    def root(self, request: web.Request) -> web.Response:
        urls = self._urls
        lists = {
            name: NavEntry(
                f"urn:bookorbit:opds:{name}", title, urls.feed(name), ACQUISITION_TYPE, text
            )
            for name, title, text, _order, _query in _BOOK_LISTS
        }
        # OPDS marks the newest-first list with the "new" sort relation.
        lists["recent"] = replace(lists["recent"], rel=REL_SORT_NEW)
        recent, books, *shelves = lists.values()
        entries = [
            recent,
            books,
            NavEntry(
                "urn:bookorbit:opds:authors",
                "Authors",
                urls.feed("authors"),
                NAVIGATION_TYPE,
                "Books by author",
            ),
            NavEntry(
                "urn:bookorbit:opds:series",
                "Series",
                urls.feed("series"),
                NAVIGATION_TYPE,
                "Books by series, in series order",
            ),
            *shelves,
        ]
        meta = self._meta("urn:bookorbit:opds:root", "BookOrbit library", NAVIGATION_TYPE)
        return _atom(navigation_feed(meta, entries, urls), NAVIGATION_TYPE)

    def book_list(self, name: str, title: str, order: Order, query: BookQuery) -> SyncHandler:
        """The handler of one paginated list of books, at <prefix>/<name>."""

        def handler(request: web.Request) -> web.Response:
            page = query(page_cursor(request, order), page_size())
            href = partial(self._urls.feed, name)
            return self._books(f"urn:bookorbit:opds:{name}", title, page, href)

        return handler

    def authors(self, request: web.Request) -> web.Response:
        page = queries.authors(page_cursor(request, queries.AUTHORS), page_size())
        entries = [
            NavEntry(
                f"urn:bookorbit:author:{author.id}",
                author.name,
                self._urls.feed(f"authors/{author.id}"),
                ACQUISITION_TYPE,
                _count(author.books),
            )
            for author in page.items
        ]
        return self._navigation("urn:bookorbit:opds:authors", "Authors", page, "authors", entries)

    def author_books(self, request: web.Request) -> web.Response:
        author_id = int(request.match_info["author_id"])
        name = queries.author_name(author_id)
        if name is None:
            raise web.HTTPNotFound(text="There is no such author in the library.\n")
        page = queries.books_by_author(
            author_id, page_cursor(request, queries.BY_TITLE), page_size()
        )
        href = partial(self._urls.feed, f"authors/{author_id}")
        return self._books(
            f"urn:bookorbit:author:{author_id}",
            feed_line(name),
            page,
            href,
            up=self._urls.feed("authors"),
        )

    def series(self, request: web.Request) -> web.Response:
        page = queries.series(page_cursor(request, queries.SERIES), page_size())
        entries = [
            NavEntry(
                self._series_id(item.name),
                item.name,
                self._urls.feed("series/books", name=item.name),
                ACQUISITION_TYPE,
                _count(item.books),
            )
            for item in page.items
        ]
        return self._navigation("urn:bookorbit:opds:series", "Series", page, "series", entries)

    def _series_id(self, name: str) -> str:
        return "urn:bookorbit:series:" + quote(name, safe="")

    def series_books(self, request: web.Request) -> web.Response:
        name = request.query.get("name", "")
        if not name.strip():
            raise BadRequest("Which series? The address needs a series name (?name=...).")
        page = queries.books_in_series(name, page_cursor(request, queries.IN_SERIES), page_size())

        def href(cursor: Cursor) -> str:
            return self._urls.feed("series/books", cursor, name=name)

        return self._books(
            self._series_id(name),
            feed_line(name),
            page,
            href,
            up=self._urls.feed("series"),
        )

    def search(self, request: web.Request) -> web.Response:
        query = request.query.get("q", "")
        page = search_books(search_terms(query), page_cursor(request, SEARCH_ORDER), page_size())

        def href(cursor: Cursor) -> str:
            return self._urls.feed("search", cursor, q=query)

        title = f"Search: {feed_line(query)}" if feed_line(query) else "Search"
        return self._books("urn:bookorbit:opds:search", title, page, href, search_results=True)

    def opensearch(self, request: web.Request) -> web.Response:
        # The address this connection reached, never the client's Host header.
        template = reached_origin(request) + self._urls.search_template()
        return web.Response(
            body=opensearch_description(template),
            headers={"Content-Type": _OPENSEARCH_MIME, "Cache-Control": "no-cache"},
        )


def _count(books: int) -> str:
    return "1 book" if books == 1 else f"{books} books"


def reached_origin(request: web.Request) -> str:
    """`http(s)://address:port` of the socket this request arrived on (the server's own side)."""
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    if transport is None or not isinstance(sockname, tuple) or len(sockname) < 2:
        raise BadRequest("The server cannot tell which of its addresses was used.")
    address = ipaddress.ip_address(str(sockname[0]).split("%")[0])
    scheme = "https" if transport.get_extra_info("sslcontext") else "http"
    return server_url(str(address), int(sockname[1]), scheme=scheme)


def _busy(request: web.Request, error: Exception) -> web.Response:
    """The short 503 a catalog request gets while the library is busy (logged once)."""
    log.warning("Catalog request %s failed: %s", for_log(request.rel_url), error)
    return web.Response(
        status=503,
        text="The library is busy. Try again in a moment.\n",
        headers={"Retry-After": "2"},
    )


def _threaded(ctx: ServerContext, handler: SyncHandler) -> Handler:
    """`handler` run on a database thread; bad requests and a busy library get a short
    explanation instead of a traceback."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await ctx.workers.read(handler, request)
        except BadRequest as error:
            return web.Response(status=400, text=f"{error}\n")
        except (OperationalError, LibraryBusyError) as error:
            return _busy(request, error)

    return wrapped


def _answering_errors(handler: Handler) -> Handler:
    """An async handler whose busy-library errors become a short 503."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (OperationalError, LibraryBusyError) as error:
            return _busy(request, error)

    return wrapped


def setup_opds(app: web.Application, ctx: ServerContext) -> None:
    """Mount the catalog's routes on `app` (nothing when the catalog is turned off)."""
    if not ctx.opds_enabled:
        return
    urls = CatalogUrls()
    catalog = Catalog(ctx, urls)
    cover, thumbnail = make_cover_handlers(ctx)
    prefix = urls.prefix
    feeds: list[tuple[str, SyncHandler]] = [
        (prefix, catalog.root),
        (f"{prefix}/", catalog.root),
        (f"{prefix}/authors", catalog.authors),
        (prefix + "/authors/{author_id:" + _ID + "}", catalog.author_books),
        (f"{prefix}/series", catalog.series),
        (f"{prefix}/series/books", catalog.series_books),
        (f"{prefix}/search", catalog.search),
        (f"{prefix}/opensearch.xml", catalog.opensearch),
    ]
    feeds += [
        (f"{prefix}/{name}", catalog.book_list(name, title, order, query))
        for name, title, _text, order, query in _BOOK_LISTS
    ]
    files: list[tuple[str, Handler]] = [
        (prefix + "/download/{file_id:" + _ID + "}.{ext:[A-Za-z0-9]+}", make_download_handler(ctx)),
        (prefix + "/covers/{book_id:" + _ID + "}", cover),
        (prefix + "/thumbnails/{book_id:" + _ID + "}.jpg", thumbnail),
    ]
    routes = [(path, _threaded(ctx, handler)) for path, handler in feeds]
    routes += [(path, _answering_errors(handler)) for path, handler in files]
    for path, handler in routes:
        app.router.add_get(path, require_account(ctx, handler))
