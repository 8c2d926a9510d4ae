"""A saved search and a tag synced to an e-reader the way KOReader's "Sync catalog" walks them
(`sync_device`), against the real server on loopback, over rounds of books joining and leaving
(tagged and untagged, finished and put back): the books each device holds afterwards are the
ones that came to match, newest first, in JSON and in Atom."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.library.tags.store import book_tags, set_book_tags
from bookorbit_desktop.services.library.saved_searches import save_search
from tests.factories import add_book
from tests.server.opds.support import (
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    write_book_file,
)
from tests.server.opds.sync_device import ACCEPT, AUTHOR, Device

SEARCH = "/opds/shelves/search?name=Beach%20reads"
TAG = "/opds/shelves/tag?name=holiday"


class Books:
    """Library books numbered from 1 ("Title 001"), tagged and finished as the window would."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.ids = folder, [0]

    def add(self, *tags: str) -> str:
        number = len(self.ids)
        title = f"Title {number:03d}"
        path = write_book_file(self.folder, f"{number}.epub", title.encode())
        book = add_book(title, [AUTHOR], file=path)
        self.ids.append(book.id)
        set_book_tags(book.id, tags, time.time())
        return title

    def tag(self, number: int, *tags: str) -> None:
        set_book_tags(self.ids[number], tags, time.time())

    def status(self, number: int, status: str) -> None:
        ReadingState.update(status=status).where(ReadingState.book == self.ids[number]).execute()

    def tags(self, number: int) -> list[str]:
        return book_tags([self.ids[number]])[self.ids[number]]


def _titles(*numbers: int) -> set[str]:
    return {f"Title {number:03d}" for number in numbers}


@pytest.mark.parametrize("accept", ["opds2", "none"])
async def test_devices_get_every_book_that_joins_a_saved_search_or_a_tag(
    catalog: Catalog, tmp_path, accept: str
):
    set_setting("opds.page_size", 3)  # the walk follows `next` links across pages
    save_search("Beach reads", "tags:beach and not status:read")
    books = Books(catalog.ctx.paths.data_dir / "books")
    on_search = Device(catalog, tmp_path / "search", 5, ACCEPT[accept], SEARCH)
    on_tag = Device(catalog, tmp_path / "tag", 5, ACCEPT[accept], TAG)
    # Seven at once, four of them for the holidays: the search's device takes its limit, the
    # five newest (joined together: newest id first).
    for number in range(1, 8):
        books.add("beach", "holiday") if number <= 4 else books.add("beach")
    assert await on_search.sync() == _titles(3, 4, 5, 6, 7)
    assert await on_tag.sync() == _titles(1, 2, 3, 4)
    # One more for both: each device gets it.
    books.add("beach", "holiday")
    assert await on_search.sync() == _titles(3, 4, 5, 6, 7, 8)
    assert await on_tag.sync() == _titles(1, 2, 3, 4, 8)
    # Books leave (the newest of each, the entry each device remembers) and others join: a
    # finished book, an untagged one, a book tagged later, a new book.
    books.status(8, "read")
    books.tag(8, "beach")
    books.tag(5, "beach", "holiday")
    books.add("beach")
    assert await on_search.sync() == _titles(3, 4, 5, 6, 7, 8, 9)
    assert await on_tag.sync() == _titles(1, 2, 3, 4, 5, 8)
    # Nothing changed: nothing to do.
    assert await on_search.sync() == _titles(3, 4, 5, 6, 7, 8, 9)
    # Book 1 (beyond the limit at the first sync) is finished, then put back: it joins anew,
    # and arrives; so does book 8, tagged for the holidays again.
    books.status(1, "read")
    assert await on_search.sync() == _titles(3, 4, 5, 6, 7, 8, 9)
    books.status(1, "unread")
    books.tag(8, "beach", "holiday")
    assert await on_search.sync() == _titles(1, 3, 4, 5, 6, 7, 8, 9)
    assert await on_tag.sync() == _titles(1, 2, 3, 4, 5, 8)
    assert books.tags(8) == ["beach", "holiday"]
