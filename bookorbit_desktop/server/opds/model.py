"""The catalog as plain data, before it is written as Atom (OPDS 1.2) or JSON (OPDS 2.0).

A `Feed` is one page the catalog answers with: its `FeedMeta` (title, self link, paging) and
either navigation entries (`NavEntry`: a titled link to another feed) or books (`BookEntry`,
from `queries`). `CatalogUrls` makes every address the catalog hands out, for one of the two
renderings; the rules both writers apply to a book (file order, cover type, series label) live
here too. Nothing here touches the database, lxml or aiohttp.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from bookorbit_desktop.library.store.keyset import FIRST, Cursor
from bookorbit_desktop.server.opds.formats import format_rank
from bookorbit_desktop.server.opds.paging import Page, encode
from bookorbit_desktop.server.opds.queries import BookEntry, FileEntry
from bookorbit_desktop.server.opds.text import feed_line

NAVIGATION_TYPE = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS2_TYPE = "application/opds+json"
REL_SORT_NEW = "http://opds-spec.org/sort/new"


@dataclass(frozen=True)
class CatalogUrls:
    """Every address the catalog hands out, root-relative, so all of them resolve directly.

    Files (downloads, covers, thumbnails) live under `prefix` for both renderings; the feeds
    live under `prefix + feeds` (the Atom feeds at /opds, the JSON ones at /opds/v2), and the
    search words travel in `search_param`."""

    prefix: str = "/opds"
    feeds: str = ""
    search_param: str = "q"

    @property
    def root(self) -> str:
        return self.prefix + self.feeds

    def feed(self, path: str, cursor: Cursor = FIRST, **params: str | int) -> str:
        query = dict(params)
        if cursor.key is None and not cursor.backward and cursor.number > 1:
            query["page"] = cursor.number  # an old page-number address stays one
        elif not cursor.is_first:
            query["cursor"] = encode(cursor)
        address = f"{self.root}/{path}"
        return f"{address}?{urlencode(query, quote_via=quote)}" if query else address

    def search(self, cursor: Cursor, words: str) -> str:
        return self.feed("search", cursor, **{self.search_param: words})

    def search_description(self) -> str:
        return f"{self.root}/opensearch.xml"

    def search_template(self) -> str:
        return f"{self.root}/search?q={{searchTerms}}"

    def search_uri_template(self) -> str:
        """The RFC 6570 template of the search address (OPDS 2.0's templated search link)."""
        return f"{self.root}/search{{?{self.search_param}}}"

    def download(self, file: FileEntry) -> str:
        # The URL ends in the real extension: KOReader takes the saved file's type from it.
        return f"{self.prefix}/download/{file.id}.{quote(file.format.lower(), safe='')}"

    def cover(self, book: BookEntry) -> str:
        return f"{self.prefix}/covers/{book.id}?v={int(book.updated_at)}"

    def thumbnail(self, book: BookEntry) -> str:
        return f"{self.prefix}/thumbnails/{book.id}.jpg?v={int(book.updated_at)}"


@dataclass(frozen=True)
class FeedMeta:
    id: str
    title: str
    self_href: str
    kind: str  # NAVIGATION_TYPE or ACQUISITION_TYPE
    updated: float
    up_href: str | None = None
    # For paginated feeds: the page and a function from a cursor to its page's address.
    page: Page | None = None
    page_href: Callable[[Cursor], str] | None = field(default=None, compare=False)
    search_results: bool = False
    # The same feed in the other rendering: (address, type), on the root feed.
    alternate: tuple[str, str] | None = None


@dataclass(frozen=True)
class NavEntry:
    id: str
    title: str
    href: str
    kind: str  # the linked feed's Atom type: NAVIGATION_TYPE or ACQUISITION_TYPE
    content: str = ""
    rel: str = "subsection"
    count: int | None = None  # how many books the linked feed lists, when known


@dataclass(frozen=True)
class Feed:
    """One catalog page: navigation entries or books (never both), and what describes it."""

    meta: FeedMeta
    entries: Sequence[NavEntry] = ()
    books: Sequence[BookEntry] | None = None  # set for acquisition feeds, even when empty

    @property
    def is_acquisition(self) -> bool:
        return self.books is not None


def series_label(series: str | None, index: float | None) -> str:
    name = feed_line(series)
    if not name:
        return ""
    if index is None:
        return name
    number = int(index) if float(index).is_integer() else index
    return f"{name} #{number}"


def ordered_files(book: BookEntry) -> list[FileEntry]:
    """The book's files, best format for KOReader first."""
    return sorted(book.files, key=lambda f: (format_rank(f.format), f.id))


def cover_type(cover_path: str) -> str:
    suffix = cover_path.rsplit(".", 1)[-1].lower() if "." in cover_path else ""
    return {"png": "image/png", "gif": "image/gif", "webp": "image/webp"}.get(suffix, "image/jpeg")


def rfc3339(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, tz=UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")
