"""A catalog page (`model.Feed`) as an OPDS 2.0 feed document.

Feed links mirror the Atom feed's: self, start, up, first / previous / next / last (carrying
the same keyset cursors) and search, here a templated link `…/search{?query}` that KOReader
fills with its one variable, `query`. Every address points into the JSON feeds, except the
root's `alternate`, which leads to the Atom catalog. The schemas want at least one
publication or navigation link, so an empty list (a search without hits, an empty shelf)
carries one navigation link back to the catalog's start.
"""

from __future__ import annotations

import json
from typing import Any

from bookorbit_desktop.library.store.keyset import FIRST, LAST
from bookorbit_desktop.server.opds.model import (
    OPDS2_TYPE,
    CatalogUrls,
    Feed,
    FeedMeta,
    NavEntry,
    rfc3339,
)
from bookorbit_desktop.server.opds.opds2.publication import publication
from bookorbit_desktop.server.opds.text import feed_line

BACK_TO_START = "Back to the catalog"


def json_document(feed: Feed, urls: CatalogUrls) -> bytes:
    """The UTF-8 JSON of `feed` (compact: KOReader fetches it over Wi-Fi on an e-reader)."""
    return json.dumps(feed_object(feed, urls), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def feed_object(feed: Feed, urls: CatalogUrls) -> dict[str, Any]:
    meta = feed.meta
    document: dict[str, Any] = {"metadata": _metadata(meta), "links": _links(meta, urls)}
    if feed.books:
        document["publications"] = [publication(book, urls) for book in feed.books]
    elif feed.entries:
        document["navigation"] = [_navigation(entry) for entry in feed.entries]
    else:
        document["navigation"] = [
            {"rel": "start", "href": urls.root, "type": OPDS2_TYPE, "title": BACK_TO_START}
        ]
    return document


def _metadata(meta: FeedMeta) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "title": feed_line(meta.title) or "—",
        "modified": rfc3339(meta.updated),
    }
    if meta.page is not None:
        metadata["itemsPerPage"] = meta.page.size
        if meta.search_results and meta.page.total is not None:
            metadata["numberOfItems"] = meta.page.total
    return metadata


def _link(rel: str, href: str, **extra: Any) -> dict[str, Any]:
    return {"rel": rel, "href": href, "type": OPDS2_TYPE, **extra}


def _links(meta: FeedMeta, urls: CatalogUrls) -> list[dict[str, Any]]:
    links = [_link("self", meta.self_href), _link("start", urls.root)]
    if meta.up_href:
        links.append(_link("up", meta.up_href))
    if meta.alternate is not None:
        href, kind = meta.alternate
        links.append({"rel": "alternate", "href": href, "type": kind})
    links.append(_link("search", urls.search_uri_template(), templated=True, title="Search"))
    if meta.page is not None and meta.page_href is not None:
        page = meta.page
        links.append(_link("first", meta.page_href(FIRST)))
        if page.previous is not None:
            links.append(_link("previous", meta.page_href(page.previous)))
        if page.next is not None:
            links.append(_link("next", meta.page_href(page.next)))
        links.append(_link("last", meta.page_href(LAST)))
    return links


def _navigation(entry: NavEntry) -> dict[str, Any]:
    link: dict[str, Any] = {
        "rel": entry.rel,
        "href": entry.href,
        "type": OPDS2_TYPE,
        "title": feed_line(entry.title) or "—",
    }
    if entry.count is not None:
        link["properties"] = {"numberOfItems": entry.count}
    return link
