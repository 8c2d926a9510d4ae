"""Paging through a 250-book library: every book exactly once, in a total order, both ways."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.server.opds.support import (
    A,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_ids,
    jing_validate,
    link_href,
    walk_pages,
    write_book_file,
)

BOOKS = 250


@pytest.fixture
def big_library(catalog: Catalog) -> list[Book]:
    """250 books whose sort keys collide on purpose: 25 share each added_at, 5 each title."""
    folder = catalog.ctx.paths.data_dir / "books"
    books = []
    with database.atomic():
        for number in range(BOOKS):
            title = f"Book {number % 50:02d}"
            books.append(
                add_book(
                    title,
                    ["Prolific Author"],
                    file=write_book_file(folder, f"{number}.epub", f"book {number}".encode()),
                    series="Long Saga",
                    series_index=number % 10,
                    status="reading",
                    added_at=1_000_000 + number // 25,
                )
            )
    return books


def _book_ids(pages) -> list[int]:
    return [int(entry_id.rsplit(":", 1)[1]) for page in pages for entry_id in entry_ids(page)]


@pytest.mark.parametrize("page_size", [50, 7])
async def test_every_list_pages_through_all_books_once(catalog, big_library, page_size):
    set_setting("opds.page_size", page_size)
    author_feed = "/opds/authors/" + str(
        big_library[0].book_authors.get().author_id  # the one author of every book
    )
    by_key = {book.id: book for book in big_library}
    expected_orders = {
        "/opds/recent": sorted(by_key, key=lambda i: (-by_key[i].added_at, -i)),
        "/opds/books": sorted(by_key, key=lambda i: (by_key[i].sort_title, i)),
        author_feed: sorted(by_key, key=lambda i: (by_key[i].sort_title, i)),
        "/opds/series/books?name=Long%20Saga": sorted(
            by_key, key=lambda i: (by_key[i].series_index, by_key[i].sort_title, i)
        ),
        "/opds/search?q=book": sorted(by_key, key=lambda i: (by_key[i].sort_title, i)),
        "/opds/reading": sorted(by_key, reverse=True),  # same state time: newest id first
    }
    for href, expected in expected_orders.items():
        pages = await walk_pages(catalog, href)
        ids = _book_ids(pages)
        assert len(ids) == len(set(ids)) == BOOKS, href
        assert ids == expected, href
        assert len(pages) == -(-BOOKS // page_size), href
        assert all(len(page.findall(f"{A}entry")) == page_size for page in pages[:-1])


async def test_previous_first_and_last_links_are_consistent(catalog, big_library):
    set_setting("opds.page_size", 40)
    forward = await walk_pages(catalog, "/opds/books")
    assert link_href(forward[0], "previous") is None
    assert link_href(forward[-1], "next") is None
    for page in forward:
        assert link_href(page, "first") == "/opds/books"
        assert link_href(page, "last") == link_href(forward[0], "last")
    backward = []
    href = link_href(forward[-1], "last")
    while href is not None:
        page, _body = await catalog.feed(href)
        backward.append(page)
        href = link_href(page, "previous")
    assert _book_ids(reversed(backward)) == _book_ids(forward)
    assert [len(page.findall(f"{A}entry")) for page in backward] == [40] * 6 + [10]


async def test_search_results_report_their_totals(catalog, big_library):
    set_setting("opds.page_size", 100)
    root, _body = await catalog.feed("/opds/search?q=book%2007&page=1")
    opensearch = "{http://a9.com/-/spec/opensearch/1.1/}"
    assert root.findtext(f"{opensearch}totalResults") == "5"
    assert root.findtext(f"{opensearch}itemsPerPage") == "100"
    assert root.findtext(f"{opensearch}startIndex") == "1"


async def test_a_middle_page_with_every_paging_link_is_valid_opds(catalog, big_library, tmp_path):
    set_setting("opds.page_size", 20)
    bodies = []
    for href in ("/opds/books?page=5", "/opds/search?q=book&page=3", "/opds/authors"):
        root, body = await catalog.feed(href)
        bodies.append(body)
    root, body = await catalog.feed("/opds/books?page=5")
    for rel in ("next", "previous", "last"):  # pages reached by key, both ways, and the end
        _page, linked = await catalog.feed(link_href(root, rel))
        bodies.append(linked)
    assert {link.get("rel") for link in root.findall(f"{A}link")} >= {
        "self",
        "start",
        "up",
        "search",
        "first",
        "previous",
        "next",
        "last",
    }
    jing_validate(bodies, tmp_path / "jing")
