"""The Hardcover shelves in the catalog, over loopback: a navigation feed of the shelves and a
paged acquisition feed of each shelf's books in the library (never a book waiting in the Inbox
or without a file), newest join first, with caching validators, valid as OPDS 1.2 (jing) and
as OPDS 2.0 (the JSON schemas)."""

from __future__ import annotations

import time

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.server.opds.json_support import json_feed, navigation_titles, walk_json_pages
from tests.server.opds.support import (
    A,
    Catalog,
    assert_feed_structure,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_titles,
    jing_validate,
    walk_pages,
    write_book_file,
)

WANT, READING = 1, 2


def _shelves(paths) -> dict[str, int]:
    """Library books linked to Hardcover books on the shelves (hc ids 11…), pulled."""
    folder = paths.data_dir / "books"
    books, rows = {}, []
    for hc_id, title, status, has_file in (
        (11, "Anathem", WANT, True),
        (12, "Blindsight", WANT, True),
        (13, "Cryptonomicon", READING, True),
        (14, "Dhalgren", WANT, True),  # waits in the Inbox
        (15, "Excession", WANT, False),  # no file
        (16, "Foundation", WANT, True),  # on the shelf, but linked to nothing
    ):
        file = write_book_file(folder, f"{hc_id}.epub", title.encode()) if has_file else None
        book = add_book(title, ["Some Author"], file=file)
        books[title] = book.id
        rows.append(pulled.PulledRow(100 + hc_id, hc_id, {"status_id": status}, None, title=title))
        if hc_id != 16:
            pin(book.id, hc_id, edition_id=None, edition_pages=None, reason="picked")
    inbox.hold([books["Dhalgren"]])
    pulled.save_page(rows, 1, {})
    pulled.save_lists(
        [{"id": 7, "name": "Space & <Time>", "slug": "space", "book_ids": [13, 11, 99]}], 1, {}
    )
    return books


async def test_the_shelves_and_their_books_in_atom(catalog: Catalog, tmp_path):
    _shelves(catalog.ctx.paths)
    root, root_raw = await catalog.feed("/opds/")
    assert "Hardcover shelves" in entry_titles(root)
    nav, nav_raw = await catalog.feed("/opds/hardcover")
    assert_feed_structure(nav, acquisition=False)
    assert entry_titles(nav) == ["Want to Read", "Currently Reading", "Space & <Time>"]
    counts = [e.findtext(f"{A}content") for e in nav.findall(f"{A}entry")]
    assert counts == ["2 books", "1 book", "2 books"]
    set_setting("opds.page_size", 1)  # keyset paging: one book a page
    pages = await walk_pages(catalog, "/opds/hardcover/want-to-read")
    # Joined together (the first request lists them): the newest book first.
    assert [t for page in pages for t in entry_titles(page)] == ["Blindsight", "Anathem"]
    for page in pages:
        assert_feed_structure(page, acquisition=True)
    listed, listed_raw = await catalog.feed("/opds/hardcover/list-7")
    assert entry_titles(listed) == ["Cryptonomicon"]  # the page size: 1
    empty, empty_raw = await catalog.feed("/opds/hardcover/currently-reading")
    assert entry_titles(empty) == ["Cryptonomicon"]
    bodies = [root_raw, nav_raw, listed_raw, empty_raw]
    bodies += [(await catalog.feed("/opds/hardcover/want-to-read"))[1]]
    jing_validate(bodies, tmp_path / "jing")


async def test_the_shelves_in_opds2_json_are_valid(catalog: Catalog):
    _shelves(catalog.ctx.paths)
    nav = await json_feed(catalog, "/opds/v2/hardcover")  # validated against the schema there
    assert navigation_titles(nav) == ["Want to Read", "Currently Reading", "Space & <Time>"]
    assert [item["href"] for item in nav["navigation"]] == [
        "/opds/v2/hardcover/want-to-read",
        "/opds/v2/hardcover/currently-reading",
        "/opds/v2/hardcover/list-7",
    ]
    set_setting("opds.page_size", 1)
    pages = await walk_json_pages(catalog, "/opds/v2/hardcover/want-to-read")
    titles = [p["metadata"]["title"] for page in pages for p in page.get("publications", [])]
    assert titles == ["Blindsight", "Anathem"]
    listed = await json_feed(catalog, "/opds/v2/hardcover/list-7")
    assert [p["metadata"]["title"] for p in listed["publications"]] == ["Cryptonomicon"]


async def test_an_unknown_shelf_is_not_found_and_no_shelves_is_an_empty_feed(catalog: Catalog):
    response = await catalog.get("/opds/hardcover/list-999")
    assert response.status == 404
    response = await catalog.get("/opds/hardcover/wishlist")
    assert response.status == 404
    nav, _raw = await catalog.feed("/opds/hardcover")
    assert entry_titles(nav) == ["Want to Read", "Currently Reading"]
    document = await json_feed(catalog, "/opds/v2/hardcover/want-to-read")
    assert "publications" not in document or document["publications"] == []


async def test_a_book_that_joins_comes_first_whatever_its_title_or_id(catalog: Catalog):
    """Newest join first: a book put on the shelf (or an older library book linked to a book on
    it) is listed above every book the feed showed before; one that leaves and comes back
    joins anew."""
    books = _shelves(catalog.ctx.paths)
    first, _raw = await catalog.feed("/opds/hardcover/want-to-read")
    assert entry_titles(first) == ["Blindsight", "Anathem"]
    # Foundation (an older book, a smaller id than the next one) is linked; Aardvark is added.
    pin(books["Foundation"], 16, edition_id=None, edition_pages=None, reason="picked")
    folder = catalog.ctx.paths.data_dir / "books"
    added = add_book("Aardvark", ["Some Author"], file=write_book_file(folder, "a.epub", b"A"))
    pulled.save_page(
        [pulled.PulledRow(200, 20, {"status_id": WANT}, None, title="Aardvark")], 1, {}
    )
    pin(added.id, 20, edition_id=None, edition_pages=None, reason="picked")
    second, _raw = await catalog.feed("/opds/hardcover/want-to-read")
    assert entry_titles(second) == ["Aardvark", "Foundation", "Blindsight", "Anathem"]
    # Blindsight becomes Currently Reading, then Want to Read again: it joins anew.
    pulled.save_page([pulled.PulledRow(112, 12, {"status_id": READING}, None)], 1, {})
    third, _raw = await catalog.feed("/opds/hardcover/want-to-read")
    assert entry_titles(third) == ["Aardvark", "Foundation", "Anathem"]
    pulled.save_page([pulled.PulledRow(112, 12, {"status_id": WANT}, None)], 1, {})
    fourth, _raw = await catalog.feed("/opds/hardcover/want-to-read")
    assert entry_titles(fourth) == ["Blindsight", "Aardvark", "Foundation", "Anathem"]


async def test_an_unchanged_shelf_page_keeps_its_validators_as_time_passes(catalog: Catalog):
    """A page is dated by its books, not by the clock: asked again minutes later, unchanged,
    it is the same bytes, so a client holding it gets 304."""
    _shelves(catalog.ctx.paths)
    for href in ("/opds/hardcover/want-to-read", "/opds/v2/hardcover/want-to-read"):
        first = await catalog.get(href)
        body = await first.read()
        now = catalog.ctx.clock()
        catalog.ctx.clock = lambda now=now: now + 300
        try:
            later = await catalog.get(href)
            assert await later.read() == body
            again = await catalog.get(href, headers={"If-None-Match": first.headers["ETag"]})
            assert again.status == 304
        finally:
            catalog.ctx.clock = time.time


async def test_a_shelf_page_has_validators_and_answers_304_until_it_changes(catalog: Catalog):
    _shelves(catalog.ctx.paths)
    for href in ("/opds/hardcover/want-to-read", "/opds/v2/hardcover/want-to-read"):
        response = await catalog.get(href)
        etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
        head = await catalog.session.head(catalog.url(href))
        assert (head.headers["ETag"], head.headers["Last-Modified"]) == (etag, modified)
        for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
            again = await catalog.get(href, headers=headers)
            assert again.status == 304, headers
            assert await again.read() == b""
            assert again.headers["ETag"] == etag
        stale = await catalog.get(href, headers={"If-None-Match": '"other"'})
        assert stale.status == 200
    before = await catalog.get("/opds/hardcover/want-to-read")
    pulled.save_page([pulled.PulledRow(112, 12, {"status_id": READING}, None)], 1, {})
    after = await catalog.get(
        "/opds/hardcover/want-to-read",
        headers={"If-None-Match": before.headers["ETag"], "If-Modified-Since": "x"},
    )
    assert after.status == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    # KOReader keeps a feed under its address and Last-Modified: the date moves with the page.
    assert after.headers["Last-Modified"] != before.headers["Last-Modified"]
