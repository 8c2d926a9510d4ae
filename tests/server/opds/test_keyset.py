"""Paging by sort key while the library changes: books added and removed between two requests
never make a feed show an entry twice or miss one that stayed, in every list of the catalog."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.server.opds.support import (
    Catalog,
    assert_walked_once,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_ids,
    link_href,
    walk_pages,
    write_book_file,
)

BOOKS = 24
PAGE_SIZE = 3
_added = itertools.count()


def _add(catalog: Catalog, title: str) -> None:
    number = next(_added)
    folder = catalog.ctx.paths.data_dir / "books"
    add_book(
        title,
        [f"{title} Writer"],
        file=write_book_file(folder, f"new-{number}.epub", f"new {number}".encode()),
        series="Saga",
        series_index=number % 3,
    )


def _remove(position: Callable[[list[Book]], Book]) -> Callable[[Catalog], None]:
    def remove(_catalog: Catalog) -> None:
        books = list(Book.select().order_by(Book.sort_title, Book.id))
        position(books).delete_instance()  # its files, credits and state go with it

    return remove


ADD_FIRST = ("add first", lambda catalog: _add(catalog, "Aardvark Book"))
ADD_LAST = ("add last", lambda catalog: _add(catalog, "Zebra Book"))
ADD_AMONG = ("add among equals", lambda catalog: _add(catalog, "Book 03"))
REMOVE_FIRST = ("remove first", _remove(lambda books: books[0]))
REMOVE_LAST = ("remove last", _remove(lambda books: books[-1]))
REMOVE_MIDDLE = ("remove middle", _remove(lambda books: books[len(books) // 2]))

# What happens before each request after the first, in turn (a table of interleavings).
INTERLEAVINGS = {
    "removals": [REMOVE_FIRST, REMOVE_MIDDLE, REMOVE_LAST],
    "additions": [ADD_FIRST, ADD_AMONG, ADD_LAST],
    "mixed": [REMOVE_FIRST, ADD_FIRST, REMOVE_MIDDLE, ADD_AMONG, REMOVE_LAST, ADD_LAST],
}

FEEDS = [
    "/opds/books",
    "/opds/recent",
    "/opds/authors",
    "/opds/series",
    "/opds/series/books?name=Saga",
    "/opds/search?q=book",
    "/opds/reading",
]


@pytest.fixture
def shelves(catalog: Catalog) -> None:
    fill_shelves(catalog)


def fill_shelves(catalog: Catalog) -> None:
    """24 books whose sort keys collide: 8 titles, 8 authors, two series, 4 added times."""
    folder = catalog.ctx.paths.data_dir / "books"
    with database.atomic():
        for number in range(BOOKS):
            add_book(
                f"Book {number % 8:02d}",
                [f"Author {number % 8}"],
                file=write_book_file(folder, f"{number}.epub", f"book {number}".encode()),
                series="Saga" if number % 2 else f"Saga {number}",
                series_index=number % 4 if number % 3 else None,
                status="reading",
                added_at=1_000_000 + number // 6,
            )


async def _every_entry(catalog: Catalog, href: str) -> list[str]:
    return [entry for page in await walk_pages(catalog, href) for entry in entry_ids(page)]


@pytest.mark.parametrize("interleaving", INTERLEAVINGS)
@pytest.mark.parametrize("href", FEEDS)
async def test_changes_between_pages_never_repeat_or_skip_an_entry(
    catalog, shelves, href, interleaving
):
    set_setting("opds.page_size", PAGE_SIZE)
    before = await _every_entry(catalog, href)
    changes = itertools.cycle(INTERLEAVINGS[interleaving])
    seen: list[str] = []
    next_href: str | None = href
    requests = 0
    while next_href is not None:
        if requests:
            _name, change = next(changes)
            change(catalog)
        root, _body = await catalog.feed(next_href)
        seen += entry_ids(root)
        next_href = link_href(root, "next")
        requests += 1
        assert requests < 100, "paging does not end"
    after = await _every_entry(catalog, href)
    assert_walked_once(before, seen, after)


@pytest.mark.parametrize("href", FEEDS)
async def test_an_old_page_number_address_still_works_and_links_on_by_key(catalog, shelves, href):
    set_setting("opds.page_size", PAGE_SIZE)
    every = await _every_entry(catalog, href)
    separator = "&" if "?" in href else "?"
    root, _body = await catalog.feed(f"{href}{separator}page=2")
    assert entry_ids(root) == every[PAGE_SIZE : 2 * PAGE_SIZE]
    following, _body = await catalog.feed(link_href(root, "next"))
    assert entry_ids(following) == every[2 * PAGE_SIZE : 3 * PAGE_SIZE]
    assert "page=" not in link_href(root, "next")
    previous, _body = await catalog.feed(link_href(root, "previous"))
    assert entry_ids(previous) == every[:PAGE_SIZE]
