"""The user's own shelves in the catalog, over loopback: "Your shelves" on the root, a paged
navigation feed of every saved search, tag and series with how many listed books each holds,
and each shelf's books (never a book waiting in the Inbox or without a file) newest first by
when they came to match, with caching validators, valid as OPDS 1.2 (jing) and as OPDS 2.0
(the JSON schemas)."""

from __future__ import annotations

import time

from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.library.tags.store import set_book_tags
from bookorbit_desktop.services.library.saved_searches import (
    delete_search,
    rename_search,
    save_search,
)
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

SHELVES = ["Short & <sweet>", "Tag: beach", "Tag: Space", "Series: Culture"]


def _library(catalog: Catalog) -> dict[str, int]:
    folder = catalog.ctx.paths.data_dir / "books"
    books = {}
    for title, tags, series, has_file in (
        ("Anathem", ["Space"], None, True),
        ("Consider Phlebas", ["Space", "beach"], "Culture", True),
        ("Excession", ["Space"], "Culture", True),
        ("Dhalgren", ["beach"], None, True),  # waits in the Inbox
        ("Blindsight", ["Space"], None, False),  # no file
    ):
        file = write_book_file(folder, f"{title}.epub", title.encode()) if has_file else None
        book = add_book(title, ["Some Author"], file=file, series=series)
        set_book_tags(book.id, tags, time.time())
        books[title] = book.id
    inbox.hold([books["Dhalgren"]])
    save_search("Short & <sweet>", "title:e and not tags:beach")
    return books


async def test_your_shelves_and_their_books_in_atom_are_valid(catalog: Catalog, tmp_path):
    _library(catalog)
    root, root_raw = await catalog.feed("/opds/")
    assert entry_titles(root)[-1] == "Your shelves"
    nav, nav_raw = await catalog.feed("/opds/shelves")
    assert_feed_structure(nav, acquisition=False)
    assert entry_titles(nav) == SHELVES
    counts = [e.findtext(f"{A}content") for e in nav.findall(f"{A}entry")]
    assert counts == ["2 books", "1 book", "3 books", "2 books"]
    hrefs = [e.find(f"{A}link").get("href") for e in nav.findall(f"{A}entry")]
    assert hrefs == [
        "/opds/shelves/search?name=Short%20%26%20%3Csweet%3E",
        "/opds/shelves/tag?name=beach",
        "/opds/shelves/tag?name=Space",
        "/opds/shelves/series?name=Culture",
    ]
    set_setting("opds.page_size", 1)  # keyset paging: one book a page
    pages = await walk_pages(catalog, "/opds/shelves/tag?name=space")  # a tag, case aside
    # Joined together (the first request lists them): the newest book first.
    assert [t for page in pages for t in entry_titles(page)] == [
        "Excession",
        "Consider Phlebas",
        "Anathem",
    ]
    for page in pages:
        assert_feed_structure(page, acquisition=True)
    bodies = [root_raw, nav_raw]
    for href in hrefs:
        bodies.append((await catalog.feed(href))[1])
    bodies += [(await catalog.feed("/opds/shelves"))[1]]  # a navigation page of one shelf
    jing_validate(bodies, tmp_path / "jing")


async def test_your_shelves_in_opds2_json_are_valid(catalog: Catalog):
    _library(catalog)
    nav = await json_feed(catalog, "/opds/v2/shelves")  # validated against the schema there
    assert navigation_titles(nav) == SHELVES
    assert nav["navigation"][3]["href"] == "/opds/v2/shelves/series?name=Culture"
    set_setting("opds.page_size", 1)
    pages = await walk_json_pages(catalog, "/opds/v2/shelves/search?name=Short%20%26%20%3Csweet%3E")
    titles = [p["metadata"]["title"] for page in pages for p in page.get("publications", [])]
    assert titles == ["Excession", "Anathem"]
    # Negotiated at the Atom address, as KOReader asks.
    series = await json_feed(catalog, "/opds/shelves/series?name=Culture")
    assert [p["metadata"]["title"] for p in series["publications"]] == ["Excession"]


async def test_a_book_that_comes_to_match_comes_first_and_one_that_leaves_goes(catalog: Catalog):
    books = _library(catalog)
    href = "/opds/shelves/search?name=Short%20%26%20%3Csweet%3E"
    first, _raw = await catalog.feed(href)
    assert entry_titles(first) == ["Excession", "Anathem"]
    folder = catalog.ctx.paths.data_dir / "books"
    add_book("Ember", ["Some Author"], file=write_book_file(folder, "e.epub", b"E"))
    set_book_tags(books["Consider Phlebas"], ["Space"], time.time())  # no longer a beach read
    second, _raw = await catalog.feed(href)
    # Joined together: the newest book first.
    assert entry_titles(second) == ["Ember", "Consider Phlebas", "Excession", "Anathem"]
    set_book_tags(books["Excession"], ["beach"], time.time())
    third, _raw = await catalog.feed(href)
    assert entry_titles(third) == ["Ember", "Consider Phlebas", "Anathem"]
    set_book_tags(books["Excession"], [], time.time())
    fourth, _raw = await catalog.feed(href)
    assert entry_titles(fourth) == ["Excession", "Ember", "Consider Phlebas", "Anathem"]


async def test_an_unknown_shelf_is_not_found_and_a_renamed_search_moves(catalog: Catalog):
    _library(catalog)
    for href in (
        "/opds/shelves/search?name=Nothing",
        "/opds/shelves/tag?name=nothing",
        "/opds/shelves/series?name=Nothing",
        "/opds/shelves/series",
        "/opds/shelves/author?name=Anathem",
    ):
        assert (await catalog.get(href)).status == 404, href
    rename_search("Short & <sweet>", "Short")
    assert (await catalog.get("/opds/shelves/search?name=Short%20%26%20%3Csweet%3E")).status == 404
    assert entry_titles((await catalog.feed("/opds/shelves/search?name=Short"))[0]) == [
        "Excession",
        "Anathem",
    ]
    delete_search("Short")
    assert entry_titles((await catalog.feed("/opds/shelves"))[0]) == SHELVES[1:]


async def test_an_unchanged_shelf_page_keeps_its_validators(catalog: Catalog):
    """Dated by its books, not by the clock: asked again minutes later, unchanged, a page is
    the same bytes, so a client holding it gets 304; a book that joins changes it."""
    books = _library(catalog)
    tags = {}
    for href in ("/opds/shelves/tag?name=Space", "/opds/v2/shelves/tag?name=Space"):
        first = await catalog.get(href)
        body = await first.read()
        assert first.headers["Last-Modified"]
        now = catalog.ctx.clock()
        catalog.ctx.clock = lambda now=now: now + 300
        try:
            later = await catalog.get(href)
            assert await later.read() == body
            tags[href] = first.headers["ETag"]
            again = await catalog.get(href, headers={"If-None-Match": tags[href]})
            assert again.status == 304
        finally:
            catalog.ctx.clock = time.time
    set_book_tags(books["Dhalgren"], ["Space"], time.time())
    inbox.approve([books["Dhalgren"]])
    for href, tag in tags.items():
        changed = await catalog.get(href, headers={"If-None-Match": tag})
        assert changed.status == 200
        assert b"Dhalgren" in await changed.read()


def _joins(key: str) -> int:
    sql = "SELECT count(*) FROM shelf_joined WHERE shelf = ?"
    return int(database.execute_sql(sql, (key,)).fetchone()[0])


async def test_a_shelf_that_is_gone_loses_its_joins(catalog: Catalog):
    books = _library(catalog)
    assert entry_titles((await catalog.feed("/opds/shelves/tag?name=beach"))[0]) == [
        "Consider Phlebas"
    ]
    assert _joins("tag:beach") == 1
    for title in ("Consider Phlebas", "Dhalgren"):  # no book carries it: the tag goes
        set_book_tags(books[title], [], time.time())
    assert (await catalog.get("/opds/shelves/tag?name=beach")).status == 404
    assert _joins("tag:beach") == 0
    await catalog.feed("/opds/shelves/search?name=Short%20%26%20%3Csweet%3E")
    assert _joins("search:Short & <sweet>") == 3  # Consider Phlebas too, untagged
    delete_search("Short & <sweet>")
    assert _joins("search:Short & <sweet>") == 0
