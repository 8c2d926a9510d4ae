"""What each catalog address lists, as a `model.Feed`: one library query, one page, its links.

Both renderings (Atom at /opds, JSON at /opds/v2) are served by the same `Catalog` methods with
their own `CatalogUrls`, so the lists, their order, paging and request checks are one rule.

Adding a feed to both renderings: a list of books is one `BookList` (a query and its order);
a navigation feed is one `Section` naming a `Catalog` method that returns `self.navigation(...)`
with one `NavEntry` per row (the handler of the feeds its entries lead to goes in
`routes.FEEDS`). Put either in `SECTIONS`, in the order the root lists it: it is mounted at
<feeds>/<name> and listed on the root by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Protocol, TypeVar
from urllib.parse import quote

from aiohttp import web

from bookorbit_desktop.library.store.keyset import Cursor, Order
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.opds import queries as queries
from bookorbit_desktop.server.opds import shelves as shelf_lists
from bookorbit_desktop.server.opds import tags as tag_lists
from bookorbit_desktop.server.opds import your_shelves
from bookorbit_desktop.server.opds.joined import BY_JOINED, latest_change
from bookorbit_desktop.server.opds.model import (
    ACQUISITION_TYPE,
    NAVIGATION_TYPE,
    REL_SORT_NEW,
    CatalogUrls,
    Feed,
    FeedMeta,
    NavEntry,
)
from bookorbit_desktop.server.opds.page_request import BadRequest, page_cursor, page_size
from bookorbit_desktop.server.opds.paging import Page
from bookorbit_desktop.server.opds.queries import BookEntry
from bookorbit_desktop.server.opds.search import SEARCH_ORDER, search_books
from bookorbit_desktop.server.opds.text import feed_line, search_terms


class Group(Protocol):
    """What the catalog lists books by: an author, a tag, a Hardcover shelf."""

    @property
    def id(self) -> int | str: ...
    @property
    def name(self) -> str: ...
    @property
    def books(self) -> int: ...


G = TypeVar("G", bound=Group)


BookQuery = Callable[[Cursor, int], Page[BookEntry]]  # (where it starts, page size) -> page
FeedHandler = Callable[[web.Request], Feed]


@dataclass(frozen=True)
class BookList:
    """A list of books as the root feed presents it: name in the URL, title, description,
    its order and the query that lists its books."""

    name: str
    title: str
    text: str
    order: Order
    query: BookQuery
    rel: str = "subsection"  # the relation of the root's link to it


@dataclass(frozen=True)
class Section:
    """A navigation feed the root links to: name in the URL, title, description, and the
    `Catalog` method that makes its pages."""

    name: str
    title: str
    text: str
    method: str


BOOK_LISTS: tuple[BookList, ...] = (
    # OPDS marks the newest-first list with the "new" sort relation.
    BookList(
        "recent",
        "Recently added",
        "Newest books first",
        queries.NEWEST,
        queries.recently_added,
        rel=REL_SORT_NEW,
    ),
    BookList("books", "All books", "Every book, by title", queries.BY_TITLE, queries.all_books),
    BookList(
        "reading",
        "Currently reading",
        "Books you are reading now",
        queries.BY_STATE_CHANGE,
        partial(queries.books_with_status, queries.CURRENTLY_READING),
    ),
    BookList(
        "want",
        "Want to read",
        "Books on your want-to-read shelf",
        queries.BY_STATE_CHANGE,
        partial(queries.books_with_status, queries.WANT_TO_READ),
    ),
    BookList(
        "read",
        "Read",
        "Books you have finished, latest first",
        queries.BY_FINISH,
        partial(queries.books_with_status, queries.READ),
    ),
)
_RECENT, _ALL, *_SHELVES = BOOK_LISTS
# What the root lists, in order: Authors and Series come between All books and the shelves.
SECTIONS: tuple[BookList | Section, ...] = (
    _RECENT,
    _ALL,
    Section("authors", "Authors", "Books by author", "authors"),
    Section("series", "Series", "Books by series, in series order", "series"),
    Section("tags", "By tag", "Books by your tags", "tags"),
    *_SHELVES,
    Section(
        "hardcover",
        "Hardcover shelves",
        "Want to Read, Currently Reading and your lists on Hardcover",
        "hardcover_shelves",
    ),
    Section("shelves", "Your shelves", "Your saved searches, tags and series", "your_shelves"),
)


class Catalog:
    """The feed handlers of one rendering; each builds one `Feed` from one library query.

    `alternate` is (address, type) of the other rendering's root, linked from this root.
    `answers` are the addresses its handlers serve when they are not its own `urls` (the JSON
    rendering of a feed asked for at its Atom address): a search reads its words from their
    search parameter."""

    def __init__(
        self,
        ctx: ServerContext,
        urls: CatalogUrls,
        alternate: tuple[str, str] | None = None,
        *,
        answers: CatalogUrls | None = None,
    ) -> None:
        self._ctx = ctx
        self.urls = urls
        self._alternate = alternate
        self._search_param = (answers or urls).search_param

    def _meta(
        self,
        feed_id: str,
        title: str,
        kind: str,
        page: Page | None = None,
        page_href: Callable[[Cursor], str] | None = None,
        updated: float | None = None,
        **extra: object,
    ) -> FeedMeta:
        # The self link is rebuilt from our own address scheme, never echoed from the request.
        if page is not None and page_href is not None:
            self_href = page_href(page.at)
        else:
            self_href = self.urls.root
        return FeedMeta(
            id=feed_id,
            title=title,
            self_href=self_href,
            kind=kind,
            updated=self._ctx.clock() if updated is None else updated,
            page=page,
            page_href=page_href,
            **extra,  # type: ignore[arg-type]
        )

    def books(
        self,
        feed_id: str,
        title: str,
        page: Page[BookEntry],
        page_href: Callable[[Cursor], str],
        *,
        up: str | None = None,
        search_results: bool = False,
        updated: float | None = None,
    ) -> Feed:
        """An acquisition feed: one page of books, `updated` at that time (None: now)."""
        meta = self._meta(
            feed_id,
            title,
            ACQUISITION_TYPE,
            up_href=up or self.urls.root,
            page=page,
            page_href=page_href,
            updated=updated,
            search_results=search_results,
        )
        return Feed(meta, books=page.items)

    def navigation(
        self, feed_id: str, title: str, page: Page, path: str, entries: Sequence[NavEntry]
    ) -> Feed:
        """A paginated navigation feed at <feeds>/<path>, one level below the root."""
        meta = self._meta(
            feed_id,
            title,
            NAVIGATION_TYPE,
            up_href=self.urls.root,
            page=page,
            page_href=partial(self.urls.feed, path),
        )
        return Feed(meta, entries=entries)

    def root(self, request: web.Request) -> Feed:
        entries = [
            NavEntry(
                f"urn:bookorbit:opds:{item.name}",
                item.title,
                self.urls.feed(item.name),
                ACQUISITION_TYPE if isinstance(item, BookList) else NAVIGATION_TYPE,
                item.text,
                rel=item.rel if isinstance(item, BookList) else "subsection",
            )
            for item in SECTIONS
        ]
        meta = self._meta("urn:bookorbit:opds:root", "BookOrbit library", NAVIGATION_TYPE)
        return Feed(replace(meta, alternate=self._alternate), entries=entries)

    def section(self, item: BookList | Section) -> FeedHandler:
        """The handler of a feed the root links to, at <feeds>/<name>."""
        if isinstance(item, BookList):
            return self.book_list(item)
        handler: FeedHandler = getattr(self, item.method)
        return handler

    def book_list(self, item: BookList) -> FeedHandler:
        """The handler of one paginated list of books, at <feeds>/<name>."""

        def handler(request: web.Request) -> Feed:
            page = item.query(page_cursor(request, item.order), page_size())
            href = partial(self.urls.feed, item.name)
            return self.books(f"urn:bookorbit:opds:{item.name}", item.title, page, href)

        return handler

    def authors(self, request: web.Request) -> Feed:
        page = queries.authors(page_cursor(request, queries.AUTHORS), page_size())
        return self.groups("author", "Authors", "authors", page)

    def author_books(self, request: web.Request) -> Feed:
        author_id = int(request.match_info["author_id"])
        name = _found(queries.author_name(author_id), "There is no such author in the library.")
        cursor = page_cursor(request, queries.BY_TITLE)
        page = queries.books_by_author(author_id, cursor, page_size())
        return self.group_books("author", "authors", author_id, name, page)

    def series(self, request: web.Request) -> Feed:
        page = queries.series(page_cursor(request, queries.SERIES), page_size())
        entries = [
            _group(_series_id(s.name), s.name, self.urls.feed("series/books", name=s.name), s.books)
            for s in page.items
        ]
        return self.navigation("urn:bookorbit:opds:series", "Series", page, "series", entries)

    def series_books(self, request: web.Request) -> Feed:
        name = request.query.get("name", "")
        if not name.strip():
            raise BadRequest("Which series? The address needs a series name (?name=...).")
        page = queries.books_in_series(name, page_cursor(request, queries.IN_SERIES), page_size())

        def href(cursor: Cursor) -> str:
            return self.urls.feed("series/books", cursor, name=name)

        return self.books(
            _series_id(name), feed_line(name), page, href, up=self.urls.feed("series")
        )

    def tags(self, request: web.Request) -> Feed:
        page = tag_lists.tags(page_cursor(request, tag_lists.TAGS), page_size())
        return self.groups("tag", "By tag", "tags", page)

    def tag_books(self, request: web.Request) -> Feed:
        tag_id = int(request.match_info["tag_id"])
        name = _found(tag_lists.tag_name(tag_id), "There is no such tag in the library.")
        page = tag_lists.books_with_tag(tag_id, page_cursor(request, queries.BY_TITLE), page_size())
        return self.group_books("tag", "tags", tag_id, name, page)

    def hardcover_shelves(self, request: web.Request) -> Feed:
        page = shelf_lists.shelves(page_cursor(request, shelf_lists.SHELVES), page_size())
        return self.groups("shelf", "Hardcover shelves", "hardcover", page)

    def shelf_books(self, request: web.Request) -> Feed:
        key = request.match_info["shelf"]
        name = _found(shelf_lists.shelf_name(key), "You have no such shelf on Hardcover.")
        page = shelf_lists.shelf_books(key, page_cursor(request, BY_JOINED), page_size())
        return self.group_books("shelf", "hardcover", key, name, page, latest_change(page))

    def your_shelves(self, request: web.Request) -> Feed:
        today = date.fromtimestamp(self._ctx.clock())
        cursor = page_cursor(request, your_shelves.SHELVES)
        page = your_shelves.shelves(cursor, page_size(), today)
        entries = [
            _group(
                f"urn:bookorbit:{s.kind}-shelf:{quote(s.name, safe='')}",
                s.title,
                self.urls.feed(f"shelves/{s.kind}", name=s.name),
                s.books,
            )
            for s in page.items
        ]
        feed_id = "urn:bookorbit:opds:shelves"
        return self.navigation(feed_id, "Your shelves", page, "shelves", entries)

    def your_shelf_books(self, request: web.Request) -> Feed:
        shelf = your_shelves.asked(request)
        if shelf is None:
            raise web.HTTPNotFound(text="You have no such shelf.\n")
        today = date.fromtimestamp(self._ctx.clock())
        cursor = page_cursor(request, BY_JOINED)
        page = your_shelves.shelf_books(shelf, today, cursor, page_size())
        href = partial(self._your_shelf_href, shelf.kind, shelf.name)
        feed_id = f"urn:bookorbit:{shelf.kind}-shelf:{quote(shelf.name, safe='')}"
        up, updated = self.urls.feed("shelves"), latest_change(page)
        return self.books(feed_id, feed_line(shelf.title), page, href, up=up, updated=updated)

    def _your_shelf_href(self, kind: str, name: str, cursor: Cursor) -> str:
        return self.urls.feed(f"shelves/{kind}", cursor, name=name)

    def groups(self, kind: str, title: str, path: str, page: Page[G]) -> Feed:
        """The feed of one page of groups (authors, tags, shelves) at <feeds>/<path>: each links
        to its books at <feeds>/<path>/<its id>."""
        entries = [
            _group(
                f"urn:bookorbit:{kind}:{g.id}", g.name, self.urls.feed(f"{path}/{g.id}"), g.books
            )
            for g in page.items
        ]
        return self.navigation(f"urn:bookorbit:opds:{path}", title, page, path, entries)

    def group_books(
        self,
        kind: str,
        path: str,
        group_id: int | str,
        name: str,
        page: Page[BookEntry],
        updated: float | None = None,
    ) -> Feed:
        """One group's books at <feeds>/<path>/<group_id>, a level below the list of groups."""
        href = partial(self.urls.feed, f"{path}/{group_id}")
        up = self.urls.feed(path)
        feed_id = f"urn:bookorbit:{kind}:{group_id}"
        return self.books(feed_id, feed_line(name), page, href, up=up, updated=updated)

    def search(self, request: web.Request) -> Feed:
        query = request.query.get(self._search_param, "")
        page = search_books(search_terms(query), page_cursor(request, SEARCH_ORDER), page_size())
        title = f"Search: {feed_line(query)}" if feed_line(query) else "Search"
        href = partial(self._search_href, query)
        return self.books("urn:bookorbit:opds:search", title, page, href, search_results=True)

    def _search_href(self, query: str, cursor: Cursor) -> str:
        return self.urls.search(cursor, query)


def _series_id(name: str) -> str:
    return "urn:bookorbit:series:" + quote(name, safe="")


def _found(name: str | None, missing: str) -> str:
    """A group's name, or Not Found (with `missing` as its text) when there is no such group."""
    if name is None:
        raise web.HTTPNotFound(text=missing + "\n")
    return name


def _group(entry_id: str, name: str, href: str, books: int) -> NavEntry:
    """The link to one group's books (an author, a series, a tag, a shelf), with their count."""
    words = "1 book" if books == 1 else f"{books} books"
    return NavEntry(entry_id, name, href, ACQUISITION_TYPE, words, count=books)
