"""A search finding more books than the catalog counts: its pages are walked in title order
from the page's key. In both renderings every book that stays is shown once while books come
and go, in the order the counted search shows; the paging links lead back and forth; books in
the Inbox or without a file stay out; the total is left out, never guessed."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable

import pytest

from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.models import Book, BookFile
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.server.opds import search
from tests.server.opds import json_support
from tests.server.opds.support import (
    A,
    Catalog,
    assert_walked_once,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_ids,
    jing_validate,
    link_href,
    walk_pages,
)
from tests.server.opds.test_keyset import INTERLEAVINGS, PAGE_SIZE, fill_shelves

ATOM = "/opds/search?q=book"
JSON = "/opds/v2/search?query=book"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
Fetch = Callable[[Catalog, str], Awaitable[tuple[list[str], str | None]]]


async def _atom(catalog: Catalog, href: str) -> tuple[list[str], str | None]:
    root, _body = await catalog.feed(href)
    return entry_ids(root), link_href(root, "next")


async def _json(catalog: Catalog, href: str) -> tuple[list[str], str | None]:
    document = await json_support.json_feed(catalog, href)
    return json_support.publication_ids(document), json_support.link_href(document, "next")


RENDERINGS: dict[str, tuple[str, Fetch]] = {"atom": (ATOM, _atom), "json": (JSON, _json)}


@pytest.fixture(params=[5000, 2], ids=["one walk", "short walks"])
def shelves(catalog: Catalog, monkeypatch, request) -> None:
    """24 books whose sort keys collide, all matching "book", paged 3 at a time; the catalog
    counts no more than 2 found books, so every search below is walked: over the whole
    library at once, or 2 books at a time (walks go on, and the index gives the rest)."""
    fill_shelves(catalog)
    set_setting("opds.page_size", PAGE_SIZE)
    monkeypatch.setattr(search, "COUNTED", 2)
    monkeypatch.setattr(search, "WINDOW", request.param)


async def _pages(catalog: Catalog, href: str, fetch: Fetch) -> list[list[str]]:
    pages: list[list[str]] = []
    next_href: str | None = href
    while next_href is not None:
        shown, next_href = await fetch(catalog, next_href)
        pages.append(shown)
        assert len(pages) < 100, "paging does not end"
    return pages


@pytest.mark.parametrize("rendering", RENDERINGS)
async def test_walked_pages_are_the_counted_pages(catalog, shelves, monkeypatch, rendering):
    href, fetch = RENDERINGS[rendering]
    walked = await _pages(catalog, href, fetch)
    monkeypatch.setattr(search, "COUNTED", 1000)
    assert walked == await _pages(catalog, href, fetch)
    assert [len(page) for page in walked] == [PAGE_SIZE] * 8


@pytest.mark.parametrize("interleaving", INTERLEAVINGS)
@pytest.mark.parametrize("rendering", RENDERINGS)
async def test_changes_between_walked_pages_never_repeat_or_skip_a_book(
    catalog, shelves, rendering, interleaving
):
    href, fetch = RENDERINGS[rendering]
    before = [entry for page in await _pages(catalog, href, fetch) for entry in page]
    changes = itertools.cycle(INTERLEAVINGS[interleaving])
    seen: list[str] = []
    next_href: str | None = href
    while next_href is not None:
        if seen:
            _name, change = next(changes)
            change(catalog)
        shown, next_href = await fetch(catalog, next_href)
        seen += shown
        assert len(seen) < 100, "paging does not end"
    after = [entry for page in await _pages(catalog, href, fetch) for entry in page]
    assert_walked_once(before, seen, after)


async def test_previous_last_and_page_number_links_of_a_walked_search(catalog, shelves):
    forward = await walk_pages(catalog, ATOM)
    every = [entry for page in forward for entry in entry_ids(page)]
    backward = []
    href = link_href(forward[0], "last")
    while href is not None:
        page, _body = await catalog.feed(href)
        backward.append(entry_ids(page))
        href = link_href(page, "previous")
    assert [entry for page in reversed(backward) for entry in page] == every
    assert link_href(forward[0], "previous") is None
    # An old page-number address: its page, then links by key both ways.
    second, _body = await catalog.feed(f"{ATOM}&page=2")
    assert entry_ids(second) == every[PAGE_SIZE : 2 * PAGE_SIZE]
    following, _body = await catalog.feed(link_href(second, "next"))
    assert entry_ids(following) == every[2 * PAGE_SIZE : 3 * PAGE_SIZE]
    earlier, _body = await catalog.feed(link_href(second, "previous"))
    assert entry_ids(earlier) == every[:PAGE_SIZE]
    # A page number past the end: empty, and its previous page is the last one.
    beyond, _body = await catalog.feed(f"{ATOM}&page=99")
    assert entry_ids(beyond) == [] and link_href(beyond, "next") is None
    assert beyond.findtext(f"{OPENSEARCH}totalResults") == str(len(every))  # all were walked
    last, _body = await catalog.feed(link_href(beyond, "previous"))
    assert entry_ids(last) == every[-PAGE_SIZE:]


async def test_a_walked_search_gives_its_total_and_place_only_when_known(catalog, shelves):
    first, _body = await catalog.feed(f"{ATOM}&page=1")
    assert first.find(f"{OPENSEARCH}totalResults") is None
    assert first.findtext(f"{OPENSEARCH}startIndex") == "1"
    assert first.findtext(f"{OPENSEARCH}itemsPerPage") == str(PAGE_SIZE)
    by_key, _body = await catalog.feed(link_href(first, "next"))
    assert by_key.find(f"{OPENSEARCH}totalResults") is None
    assert by_key.find(f"{OPENSEARCH}startIndex") is None
    by_number, _body = await catalog.feed(f"{ATOM}&page=3")
    assert by_number.findtext(f"{OPENSEARCH}startIndex") == str(2 * PAGE_SIZE + 1)
    document = await json_support.json_feed(catalog, JSON)
    assert "numberOfItems" not in document["metadata"]
    # Every book on one page: then the walk has seen them all, and says how many.
    set_setting("opds.page_size", 50)
    whole, _body = await catalog.feed(ATOM)
    assert whole.findtext(f"{OPENSEARCH}totalResults") == "24"
    assert len(whole.findall(f"{A}entry")) == 24
    document = await json_support.json_feed(catalog, JSON)
    assert document["metadata"]["numberOfItems"] == 24


@pytest.mark.parametrize("rendering", RENDERINGS)
async def test_books_in_the_inbox_or_without_a_file_never_appear(catalog, shelves, rendering):
    href, fetch = RENDERINGS[rendering]
    books = list(Book.select().order_by(Book.sort_title, Book.id))
    held = [book.id for book in books[:7]]  # the first pages' books
    inbox.hold(held)
    missing = books[12].id
    BookFile.update(missing=True).where(BookFile.book == missing).execute()
    shown = [entry for page in await _pages(catalog, href, fetch) for entry in page]
    shown_ids = [int(entry.rsplit(":", 1)[1]) for entry in shown]
    kept = [book.id for book in books if book.id not in {*held, missing}]
    assert shown_ids == kept


async def test_walked_pages_are_valid_opds(catalog, shelves, tmp_path):
    forward = await walk_pages(catalog, ATOM)
    hrefs = [f"{ATOM}&page=2", link_href(forward[0], "last"), link_href(forward[2], "next")]
    bodies = [(await catalog.feed(href))[1] for href in hrefs]
    jing_validate(bodies, tmp_path / "jing")


async def test_a_search_finding_few_among_many_books_keeps_its_total_on_every_page(
    catalog, monkeypatch
):
    fill_shelves(catalog)
    set_setting("opds.page_size", 1)
    monkeypatch.setattr(search, "WINDOW", 2)  # the library is longer than a walk
    pages = await walk_pages(catalog, "/opds/search?q=book%2003")  # 3 of the 24 books
    assert [len(entry_ids(page)) for page in pages] == [1, 1, 1]
    assert [page.findtext(f"{OPENSEARCH}totalResults") for page in pages] == ["3"] * 3
    assert [page.findtext(f"{OPENSEARCH}startIndex") for page in pages] == ["1", "2", "3"]
