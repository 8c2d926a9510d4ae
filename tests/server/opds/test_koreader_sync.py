"""A shelf synced to an e-reader by KOReader's own catalog sync: the plugin's code
(tests/data/koreader/, opds.koplugin's "Sync catalog") runs under LuaJIT against the real server on
loopback, over rounds of shelf changes, and the books it downloads are the ones on the shelf.

KOReader walks the feed from the first entry, following `next` links, until it meets the book it
remembered at its previous sync (the first entry then), and queues at most its "max number of
files to sync" (50 by default) per sync."""

from __future__ import annotations

import asyncio
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.store.settings import set_setting
from tests.devices.test_lua_session import _missing
from tests.factories import add_book
from tests.server.opds.support import (
    PASSWORD,
    USER,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    write_book_file,
)

HERE = Path(__file__).parent
KOREADER = HERE.parents[1] / "data" / "koreader"
SCRIPT = HERE / "koreader_sync.lua"
WANT, READ = 1, 3
AUTHOR = "Some Author"


class Device:
    """A KOReader that stays on: one catalog entry ticked "Sync catalog", one sync folder."""

    def __init__(self, process: asyncio.subprocess.Process, folder: Path) -> None:
        self.process, self.folder = process, folder

    async def sync(self) -> set[str]:
        """Run "Sync all catalogs"; the titles of the books in the sync folder afterwards."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"sync\n")
        await self.process.stdin.drain()
        line = await asyncio.wait_for(self.process.stdout.readline(), 60)
        assert line.startswith(b"synced "), line
        prefix = f"{AUTHOR} - "
        return {p.stem.removeprefix(prefix) for p in self.folder.iterdir() if p.suffix == ".epub"}

    async def close(self) -> str:
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), 30)
        return (await self.process.stderr.read()).decode()


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


async def _device(catalog: Catalog, folder: Path, limit: int, accept: str) -> Device:
    folder.mkdir()
    url = catalog.url("/opds/hardcover/want-to-read")
    process = await asyncio.create_subprocess_exec(
        "luajit", str(SCRIPT), str(KOREADER), url, USER, PASSWORD, str(folder), str(limit), accept,
        stdin=PIPE, stdout=PIPE, stderr=PIPE,
    )  # fmt: skip
    return Device(process, folder)


# KOReader v2026.07 and later ask for OPDS 2.0 JSON first; earlier ones send no Accept (Atom).
@pytest.mark.parametrize("accept", ["opds2", "none"])
async def test_koreader_syncs_every_book_put_on_want_to_read(
    catalog: Catalog, tmp_path, accept: str
):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    set_setting("opds.page_size", 20)  # the walk follows `next` links across pages
    shelf = Shelf(catalog.ctx.paths.data_dir / "books")
    device = await _device(catalog, tmp_path / "sync", limit=50, accept=accept)
    try:
        # 52 at once: KOReader takes its limit, the 50 newest (the same join: newest id first).
        first = shelf.add(52)
        assert await device.sync() == set(first[2:])
        # More books, one at a time between syncs and three at once: each arrives.
        second = shelf.add(1)
        assert await device.sync() == set(first[2:] + second)
        third = shelf.add(3)
        assert await device.sync() == set(first[2:] + second + third)
        # Nothing changed: nothing to do.
        assert await device.sync() == set(first[2:] + second + third)
        # Books leave the shelf (finished): KOReader keeps its copies and the feed stays
        # in step; a book added afterwards still arrives, and so does one put back.
        shelf.status(56, READ)  # the newest, the one KOReader remembers
        shelf.status(10, READ)
        shelf.status(1, READ)  # one of the two beyond KOReader's limit at the first sync
        fourth = shelf.add(1)
        assert await device.sync() == set(first[2:] + second + third + fourth)
        shelf.status(1, WANT)  # put back: it joins anew, and arrives
        shelf.status(20, READ)
        fifth = shelf.add(2)
        got = await device.sync()
        assert got == set(first[:1] + first[2:] + second + third + fourth + fifth)
    finally:
        errors = await device.close()
    assert "Cannot get catalog" not in errors and "Could not save" not in errors, errors
