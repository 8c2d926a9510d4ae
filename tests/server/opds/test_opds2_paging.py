"""JSON feeds paged by sort key while the library changes: every book that stays is shown
exactly once, in every list of the OPDS 2.0 catalog, as in the Atom one (one paging rule)."""

from __future__ import annotations

import itertools

import pytest

from bookorbit_desktop.library.store.settings import set_setting
from tests.server.opds.json_support import (
    json_feed,
    link_href,
    publication_ids,
    walk_json_pages,
)
from tests.server.opds.support import (
    Catalog,
    assert_walked_once,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
)
from tests.server.opds.test_keyset import INTERLEAVINGS, PAGE_SIZE, fill_shelves


@pytest.fixture
def shelves(catalog: Catalog) -> None:
    fill_shelves(catalog)  # 24 books whose sort keys collide


FEEDS = [
    "/opds/v2/books",
    "/opds/v2/recent",
    "/opds/v2/authors",
    "/opds/v2/series",
    "/opds/v2/series/books?name=Saga",
    "/opds/v2/search?query=book",
    "/opds/v2/reading",
]


def _shown(document: dict) -> list[str]:
    """Publication ids, or the titles of navigation entries (not an empty list's way back)."""
    if "publications" in document:
        return publication_ids(document)
    return [item["title"] for item in document["navigation"] if item["rel"] != "start"]


async def _every_entry(catalog: Catalog, href: str) -> list[str]:
    return [entry for page in await walk_json_pages(catalog, href) for entry in _shown(page)]


@pytest.mark.parametrize("interleaving", INTERLEAVINGS)
@pytest.mark.parametrize("href", FEEDS)
async def test_changes_between_pages_never_repeat_or_skip_an_entry(
    catalog, shelves, href, interleaving
):
    set_setting("opds.page_size", PAGE_SIZE)
    before = await _every_entry(catalog, href)
    assert len(before) > 2 * PAGE_SIZE  # several pages
    changes = itertools.cycle(INTERLEAVINGS[interleaving])
    seen: list[str] = []
    next_href: str | None = href
    requests = 0
    while next_href is not None:
        if requests:
            _name, change = next(changes)
            change(catalog)
        document = await json_feed(catalog, next_href)
        seen += _shown(document)
        next_href = link_href(document, "next")
        requests += 1
        assert requests < 100, "paging does not end"
    after = await _every_entry(catalog, href)
    assert_walked_once(before, seen, after)


async def test_an_old_page_number_address_works_and_links_on_by_key(catalog, shelves):
    set_setting("opds.page_size", PAGE_SIZE)
    every = await _every_entry(catalog, "/opds/v2/books")
    second = await json_feed(catalog, "/opds/v2/books?page=2")
    assert publication_ids(second) == every[PAGE_SIZE : 2 * PAGE_SIZE]
    assert "page=" not in link_href(second, "next")
    third = await json_feed(catalog, link_href(second, "next"))
    assert publication_ids(third) == every[2 * PAGE_SIZE : 3 * PAGE_SIZE]
