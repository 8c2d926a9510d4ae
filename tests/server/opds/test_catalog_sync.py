"""A Hardcover shelf synced to an e-reader the way KOReader's "Sync catalog" walks it
(`sync_device`), against the real server on loopback, over rounds of shelf changes: the books
the device holds afterwards are the ones put on the shelf."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.server.opds.support import (
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    write_book_file,
)
from tests.server.opds.sync_device import ACCEPT, AUTHOR, Device

WANT_TO_READ = "/opds/hardcover/want-to-read"
WANT, READ = 1, 3


class Shelf:
    """Library books linked to Hardcover books, moved on and off Want to Read as a pull would."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0

    def add(self, number: int) -> list[str]:
        titles = []
        for _ in range(number):
            self.count += 1
            title = f"Title {self.count:03d}"  # a book added later sorts later by title
            path = write_book_file(self.folder, f"{self.count}.epub", title.encode())
            book = add_book(title, [AUTHOR], file=path)
            pin(book.id, self.count, edition_id=None, edition_pages=None, reason="picked")
            self.status(self.count, WANT)
            titles.append(title)
        return titles

    def status(self, hc_id: int, status: int) -> None:
        row = pulled.PulledRow(1000 + hc_id, hc_id, {"status_id": status}, None)
        pulled.save_page([row], 1, {})


@pytest.mark.parametrize("accept", ["opds2", "none"])
async def test_a_synced_device_gets_every_book_put_on_want_to_read(
    catalog: Catalog, tmp_path, accept: str
):
    set_setting("opds.page_size", 20)  # the walk follows `next` links across pages
    shelf = Shelf(catalog.ctx.paths.data_dir / "books")
    device = Device(catalog, tmp_path / "sync", 50, ACCEPT[accept], WANT_TO_READ)
    # 52 at once: the device takes its limit, the 50 newest (the same join: newest id first).
    first = shelf.add(52)
    assert await device.sync() == set(first[2:])
    # More books, one at a time between syncs and three at once: each arrives.
    second = shelf.add(1)
    assert await device.sync() == set(first[2:] + second)
    third = shelf.add(3)
    assert await device.sync() == set(first[2:] + second + third)
    # Nothing changed: nothing to do.
    assert await device.sync() == set(first[2:] + second + third)
    # Books leave the shelf (finished): the device keeps its copies and the feed stays in
    # step; a book added afterwards still arrives, and so does one put back.
    shelf.status(56, READ)  # the newest, the one the device remembers
    shelf.status(10, READ)
    shelf.status(1, READ)  # one of the two beyond the device's limit at the first sync
    fourth = shelf.add(1)
    assert await device.sync() == set(first[2:] + second + third + fourth)
    shelf.status(1, WANT)  # put back: it joins anew, and arrives
    shelf.status(20, READ)
    fifth = shelf.add(2)
    got = await device.sync()
    assert got == set(first[:1] + first[2:] + second + third + fourth + fifth)
