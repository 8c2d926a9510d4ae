"""The OPDS 1.2 catalog KOReader browses and downloads books from, mounted under /opds.

The root navigation feed leads to Recently added (newest first, what KOReader's catalog sync
follows), All books, Authors, Series, By tag, Currently reading, Want to read, Read and the
Hardcover shelves (Want to Read, Currently Reading and the user's lists, from the pull) and Your
shelves (every saved search, tag and series, `your_shelves`); every feed links the OpenSearch
description for search. The same feeds are served as OPDS 2.0 JSON under
/opds/v2 (`catalog` makes each page once, `feeds` or `opds2` writes it); each root links the
other as `alternate`. At the /opds addresses the request's `Accept` header chooses between the
two (`negotiation`): a client that prefers OPDS 2.0 (KOReader v2026.07 and later) gets the JSON
feed there, with links into /opds/v2, and every such answer says `Vary: Accept`. Feeds and
files all need the sync account's credentials (HTTP Basic) and are served at their final
address: KOReader drops credentials on redirects.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from aiohttp import hdrs, web
from peewee import OperationalError

from bookorbit_desktop.log_text import for_log
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.lan import server_url
from bookorbit_desktop.server.opds.auth import Handler, require_account
from bookorbit_desktop.server.opds.catalog import SECTIONS, Catalog, FeedHandler
from bookorbit_desktop.server.opds.downloads import make_cover_handlers, make_download_handler
from bookorbit_desktop.server.opds.feeds import feed_document, opensearch_description
from bookorbit_desktop.server.opds.freshness import Validators
from bookorbit_desktop.server.opds.model import NAVIGATION_TYPE, OPDS2_TYPE, CatalogUrls, Feed
from bookorbit_desktop.server.opds.negotiation import Rendering, preferred
from bookorbit_desktop.server.opds.opds2.writer import json_document
from bookorbit_desktop.server.opds.page_request import BAD_CURSOR, BadRequest
from bookorbit_desktop.server.opds.paging import BadCursor
from bookorbit_desktop.server.opds.shelf_route import Recorder, record_shelf, shelf_feed
from bookorbit_desktop.server.opds.shelves import SHELF_KEY
from bookorbit_desktop.server.opds.your_shelves import KIND, record_listing
from bookorbit_desktop.server.workers import LibraryBusyError

log = logging.getLogger(__name__)

_ID = r"[0-9]{1,18}"  # ids in addresses: up to 18 digits always fit SQLite's 64-bit integers
_OPENSEARCH_MIME = "application/opensearchdescription+xml; charset=utf-8"
JSON_FEEDS = "/v2"  # the OPDS 2.0 feeds live at <prefix>/v2, beside the Atom ones

SyncHandler = Callable[[web.Request], web.Response]
Renderer = Callable[[Feed, CatalogUrls], web.Response]

SHELF_FEED = "/hardcover/{shelf:" + SHELF_KEY + "}"
YOUR_SHELF_FEED = "/shelves/{kind:" + KIND + "}"
# The feeds of joins (`shelf_route`: their joins recorded first, caching validators): address
# below the feeds' root, what records the joins.
JOINED_FEEDS: dict[str, Recorder] = {SHELF_FEED: record_shelf, YOUR_SHELF_FEED: record_listing}

# The feeds besides the root's sections (`catalog.SECTIONS`, mounted by themselves): address
# below the feeds' root, `Catalog` method.
FEEDS: tuple[tuple[str, str], ...] = (
    ("", "root"),
    ("/", "root"),
    ("/authors/{author_id:" + _ID + "}", "author_books"),
    ("/tags/{tag_id:" + _ID + "}", "tag_books"),
    ("/series/books", "series_books"),
    ("/search", "search"),
    (SHELF_FEED, "shelf_books"),
    (YOUR_SHELF_FEED, "your_shelf_books"),
)


def _atom(feed: Feed, urls: CatalogUrls) -> web.Response:
    # Feeds change whenever the library does: no Last-Modified, so KOReader never shows a
    # stale cached copy, and no compression (KOReader asks for identity).
    return web.Response(
        body=feed_document(feed, urls),
        headers={"Content-Type": f"{feed.meta.kind};charset=utf-8", "Cache-Control": "no-cache"},
    )


def _json(feed: Feed, urls: CatalogUrls) -> web.Response:
    return web.Response(
        body=json_document(feed, urls),
        headers={"Content-Type": f"{OPDS2_TYPE}; charset=utf-8", "Cache-Control": "no-cache"},
    )


def _rendered(handler: FeedHandler, render: Renderer, urls: CatalogUrls) -> SyncHandler:
    def respond(request: web.Request) -> web.Response:
        return render(handler(request), urls)

    return respond


def _feed_routes(catalog: Catalog, render: Renderer) -> list[tuple[str, SyncHandler]]:
    """Every feed of one rendering: (address below the feeds' root, handler run on a database
    thread)."""
    handlers: list[tuple[str, FeedHandler]] = [
        (path, getattr(catalog, method)) for path, method in FEEDS
    ]
    handlers += [(f"/{item.name}", catalog.section(item)) for item in SECTIONS]
    return [(path, _rendered(handler, render, catalog.urls)) for path, handler in handlers]


def _negotiated(atom: SyncHandler, opds2: SyncHandler) -> SyncHandler:
    """One feed at its Atom address, in the rendering the request's `Accept` prefers."""

    def respond(request: web.Request) -> web.Response:
        chosen = preferred(request.headers.get(hdrs.ACCEPT))
        response = (opds2 if chosen is Rendering.JSON else atom)(request)
        response.headers[hdrs.VARY] = hdrs.ACCEPT
        return response

    return respond


def opensearch_handler(urls: CatalogUrls) -> SyncHandler:
    """The OpenSearch description of the Atom search."""

    def opensearch(request: web.Request) -> web.Response:
        # The address this connection reached, never the client's Host header.
        template = reached_origin(request) + urls.search_template()
        return web.Response(
            body=opensearch_description(template),
            headers={"Content-Type": _OPENSEARCH_MIME, "Cache-Control": "no-cache"},
        )

    return opensearch


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
        except BadCursor:  # a token of the right shape whose key does not fit the list
            return web.Response(status=400, text=f"{BAD_CURSOR}\n")
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


def _joined(ctx: ServerContext, path: str, handler: Handler, validators: Validators) -> Handler:
    """A feed of joins (`JOINED_FEEDS`) behind the recording of its joins; any other as is."""
    record = next((r for feed, r in JOINED_FEEDS.items() if path.endswith(feed)), None)
    if record is None:
        return handler
    return _answering_errors(shelf_feed(ctx, handler, validators, record))


def setup_opds(app: web.Application, ctx: ServerContext) -> None:
    """Mount the catalog's routes on `app` (nothing when the catalog is turned off)."""
    if not ctx.opds_enabled:
        return
    urls = CatalogUrls()
    json_urls = CatalogUrls(feeds=JSON_FEEDS, search_param="query")
    atom = Catalog(ctx, urls, alternate=(json_urls.root, OPDS2_TYPE))
    opds2 = Catalog(ctx, json_urls, alternate=(urls.root, NAVIGATION_TYPE))
    # The JSON feeds as they answer at the Atom addresses (a search's words come as there).
    opds2_here = Catalog(ctx, json_urls, alternate=(urls.root, NAVIGATION_TYPE), answers=urls)
    cover, thumbnail = make_cover_handlers(ctx)
    prefix = urls.prefix
    feeds = [
        (urls.root + path, _negotiated(as_atom, as_json))
        for (path, as_atom), (_, as_json) in zip(
            _feed_routes(atom, _atom), _feed_routes(opds2_here, _json), strict=True
        )
    ]
    feeds += [(json_urls.root + path, handler) for path, handler in _feed_routes(opds2, _json)]
    feeds.append((urls.search_description(), opensearch_handler(urls)))
    files: list[tuple[str, Handler]] = [
        (prefix + "/download/{file_id:" + _ID + "}.{ext:[A-Za-z0-9]+}", make_download_handler(ctx)),
        (prefix + "/covers/{book_id:" + _ID + "}", cover),
        (prefix + "/thumbnails/{book_id:" + _ID + "}.jpg", thumbnail),
    ]
    routes = [(path, _threaded(ctx, handler)) for path, handler in feeds]
    validators = Validators(ctx.clock)
    routes = [(path, _joined(ctx, path, handler, validators)) for path, handler in routes]
    routes += [(path, _answering_errors(handler)) for path, handler in files]
    for path, handler in routes:
        app.router.add_get(path, require_account(ctx, handler))
