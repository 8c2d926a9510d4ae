"""OPDS 1.2 Atom documents: navigation and acquisition feeds, and the OpenSearch description.

KOReader parses feeds with a namespace-unaware lexer keyed on raw tag names, so Atom is the
default namespace and `feed`, `entry`, `link`, `title`, `author`, `summary`, `content` are
never prefixed.
It keeps only the last of repeated elements other than `entry` and `link`, which is why its
download names use the last `<author>`. Documents are built with lxml (escaping is its job)
from text already cleaned by `opds_text`; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from bookorbit_desktop.library.store.keyset import FIRST, LAST
from bookorbit_desktop.server.opds.formats import format_info
from bookorbit_desktop.server.opds.model import (
    ACQUISITION_TYPE,
    NAVIGATION_TYPE,
    CatalogUrls,
    Feed,
    FeedMeta,
    NavEntry,
    cover_type,
    ordered_files,
    rfc3339,
    series_label,
)
from bookorbit_desktop.server.opds.queries import BookEntry
from bookorbit_desktop.server.opds.text import (
    entry_authors,
    entry_title,
    feed_line,
    plain_summary,
    xml_safe,
)
from bookorbit_desktop.sizes import file_size

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/terms/"
OPDS_NS = "http://opds-spec.org/2010/catalog"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
_NSMAP = {None: ATOM_NS, "dc": DC_NS, "opds": OPDS_NS, "opensearch": OPENSEARCH_NS}

OPENSEARCH_TYPE = "application/opensearchdescription+xml"
REL_ACQUISITION = "http://opds-spec.org/acquisition"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
CATALOG_AUTHOR = "BookOrbit Desktop"
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A child element; an unqualified tag takes the parent's namespace (Atom in feeds)."""
    if not tag.startswith("{"):
        # "{namespace" from the parent's own tag: a page has hundreds of elements, and asking
        # lxml for the parent's QName cost a fifth of making each one.
        tag = parent.tag.partition("}")[0] + "}" + tag
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _link(parent: etree._Element, rel: str, href: str, type_: str, **attrs: str) -> None:
    _sub(parent, "link", rel=rel, href=href, type=type_, **attrs)


def _feed(meta: FeedMeta, urls: CatalogUrls) -> etree._Element:
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap=_NSMAP)
    _sub(feed, "id", meta.id)
    _sub(feed, "title", feed_line(meta.title))
    _sub(feed, "updated", rfc3339(meta.updated))
    author = _sub(feed, "author")
    _sub(author, "name", CATALOG_AUTHOR)
    _link(feed, "self", meta.self_href, meta.kind)
    _link(feed, "start", urls.root, NAVIGATION_TYPE)
    if meta.alternate is not None:
        _link(feed, "alternate", *meta.alternate)
    if meta.up_href:
        _link(feed, "up", meta.up_href, NAVIGATION_TYPE)
    # The OpenSearch description only: KOReader uses it when present, and a bare
    # "{searchTerms}" template is not a valid link address in OPDS.
    _link(feed, "search", urls.search_description(), OPENSEARCH_TYPE, title="Search")
    if meta.page is not None and meta.page_href is not None:
        # RFC 5005 paging, as OPDS 1.2 asks: first, previous, next and last.
        page = meta.page
        _link(feed, "first", meta.page_href(FIRST), meta.kind)
        if page.previous is not None:
            _link(feed, "previous", meta.page_href(page.previous), meta.kind)
        if page.next is not None:
            _link(feed, "next", meta.page_href(page.next), meta.kind)
        _link(feed, "last", meta.page_href(LAST), meta.kind)
        if meta.search_results:  # the total and the page's place only when known (search)
            if page.total is not None:
                _sub(feed, f"{{{OPENSEARCH_NS}}}totalResults", str(page.total))
            _sub(feed, f"{{{OPENSEARCH_NS}}}itemsPerPage", str(page.size))
            if page.start is not None:
                _sub(feed, f"{{{OPENSEARCH_NS}}}startIndex", str(page.start + 1))
    return feed


def _serialise(root: etree._Element) -> bytes:
    return _XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def navigation_feed(meta: FeedMeta, entries: Sequence[NavEntry], urls: CatalogUrls) -> bytes:
    feed = _feed(meta, urls)
    for item in entries:
        entry = _sub(feed, "entry")
        title = feed_line(item.title) or "—"
        _sub(entry, "title", title)
        _sub(entry, "id", item.id)
        _sub(entry, "updated", rfc3339(meta.updated))
        # Every entry has a non-empty <content> (RFC 4287 4.1.2, as there is no alternate link;
        # older KOReader parsers lose the entries after an empty one).
        _sub(entry, "content", xml_safe(item.content).strip() or title, type="text")
        _link(entry, item.rel, item.href, item.kind)
    return _serialise(feed)


def _book_entry(feed: etree._Element, book: BookEntry, urls: CatalogUrls) -> None:
    entry = _sub(feed, "entry")
    # KOReader names the downloaded file after this title and the last author below;
    # downloads.py derives the same name from the same functions.
    _sub(entry, "title", entry_title(book.title))
    _sub(entry, "id", f"urn:bookorbit:book:{book.id}")
    _sub(entry, "updated", rfc3339(book.updated_at))
    _sub(entry, "published", rfc3339(book.added_at))
    for name in entry_authors(book.authors):
        author = _sub(entry, "author")
        _sub(author, "name", name)
    for code in book.languages:  # each of them, the main one first
        if language := feed_line(code):
            _sub(entry, f"{{{DC_NS}}}language", language)
    if issued := feed_line(book.published):
        _sub(entry, f"{{{DC_NS}}}issued", issued)
    if publisher := feed_line(book.publisher):
        _sub(entry, f"{{{DC_NS}}}publisher", publisher)
    if isbn := feed_line(book.isbn13):
        _sub(entry, f"{{{DC_NS}}}identifier", f"urn:isbn:{isbn}")
    series = series_label(book.series, book.series_index)
    if series:
        _sub(
            entry,
            "category",
            scheme="urn:bookorbit:series",
            term=feed_line(book.series),
            label=series,
        )
    summary = plain_summary(book.description)
    if series:
        summary = f"Series: {series}\n\n{summary}" if summary else f"Series: {series}"
    if summary:
        _sub(entry, "summary", summary)
    _sub(entry, "content", book_content(book, summary), type="text")
    # Every book has a cover: its own, or one generated from its title (a JPEG).
    _link(entry, REL_IMAGE, urls.cover(book), cover_type(book.cover_path or ".jpg"))
    _link(entry, REL_THUMBNAIL, urls.thumbnail(book), "image/jpeg")
    for file in ordered_files(book):
        info = format_info(file.format)
        _link(
            entry,
            REL_ACQUISITION,
            urls.download(file),
            info.mime,
            title=info.label,
            length=str(file.size),
        )


def book_content(book: BookEntry, summary: str) -> str:
    """An entry's `<content>`: subtitle, authors, publication, pages and files, then the
    summary. Never empty: every listed book has a file (KOReader's "Book information" shows
    this text; the entry's title stays the title alone, as KOReader names the file after it)."""
    lines = [feed_line(book.subtitle)]
    if authors := entry_authors(book.authors):
        lines.append("By " + ", ".join(authors))
    publisher = feed_line(book.publisher)
    published = [feed_line(book.published), f"by {publisher}" if publisher else ""]
    if any(published):
        lines.append(" ".join(["Published", *filter(None, published)]))
    if book.pages:
        lines.append(f"{book.pages:,} pages")
    files = ordered_files(book)
    lines.append(", ".join(f"{format_info(f.format).label} ({file_size(f.size)})" for f in files))
    facts = "\n".join(line for line in lines if line) or entry_title(book.title)
    return f"{facts}\n\n{summary}" if summary else facts


def acquisition_feed(meta: FeedMeta, books: Sequence[BookEntry], urls: CatalogUrls) -> bytes:
    feed = _feed(meta, urls)
    for book in books:
        _book_entry(feed, book, urls)
    return _serialise(feed)


def feed_document(feed: Feed, urls: CatalogUrls) -> bytes:
    """The Atom document of a catalog page."""
    if feed.books is not None:
        return acquisition_feed(feed.meta, feed.books, urls)
    return navigation_feed(feed.meta, feed.entries, urls)


def opensearch_description(template: str) -> bytes:
    """The OpenSearch description KOReader reads to build its search URL."""
    root = etree.Element(f"{{{OPENSEARCH_NS}}}OpenSearchDescription", nsmap={None: OPENSEARCH_NS})
    _sub(root, "ShortName", "BookOrbit")
    _sub(root, "Description", "Search the BookOrbit library by title, author or series")
    _sub(root, "InputEncoding", "UTF-8")
    _sub(root, "OutputEncoding", "UTF-8")
    _sub(root, "Url", type=ACQUISITION_TYPE, template=template)
    return _serialise(root)
