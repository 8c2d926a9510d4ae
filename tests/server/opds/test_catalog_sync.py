"""A shelf synced to an e-reader the way KOReader's "Sync catalog" (opds.koplugin, v2025.08 and
later) walks it, against the real server on loopback, over rounds of shelf changes: the books
the device holds afterwards are the ones put on the shelf.

The device below is the project's own client of that behaviour, as KOReader documents it: a
sync reads the feed from its first entry, following `next` links, until it meets the entry it
remembered at its previous sync (the first entry then); it downloads at most its "max number of
files to sync" (50 by default) of the entries it met, skipping a book whose file it already
has, and remembers the feed's first entry. KOReader v2026.07 and later ask for OPDS 2.0 JSON
first; earlier versions send no Accept header and read Atom."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

import aiohttp
import pytest
from lxml import etree

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.server.opds.support import (
    AUTH_HEADERS,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    write_book_file,
)

WANT, READ = 1, 3
AUTHOR = "Some Author"
ATOM = "{http://www.w3.org/2005/Atom}"
ACQUISITION = "http://opds-spec.org/acquisition"
ACCEPT = {
    "opds2": "application/opds+json, application/atom+xml;profile=opds-catalog, */*",
    "none": None,
}


class Device:
    """An e-reader with one catalog entry ticked "Sync catalog" and one sync folder."""

    def __init__(self, catalog: Catalog, folder: Path, limit: int, accept: str | None) -> None:
        self.catalog, self.folder, self.limit, self.accept = catalog, folder, limit, accept
        self.remembered: str | None = None
        folder.mkdir()

    async def sync(self) -> set[str]:
        """ "Sync all catalogs"; the titles of the books in the sync folder afterwards."""
        headers = {"Accept": self.accept} if self.accept else {}
        headers |= AUTH_HEADERS
        async with aiohttp.ClientSession(headers=headers) as session:
            url: str | None = self.catalog.url("/opds/hardcover/want-to-read")
            met: list[tuple[str, str, str]] = []  # (id, title, download address)
            first: str | None = None
            while url is not None and len(met) < self.limit:
                async with session.get(url) as answer:
                    assert answer.status == 200, await answer.text()
                    kind, body = answer.content_type, await answer.read()
                entries, following = _read(kind, body, url)
                if first is None and entries:
                    first = entries[0][0]
                stop = next((i for i, e in enumerate(entries) if e[0] == self.remembered), None)
                met += entries[:stop]
                url = None if stop is not None else following
            for _id, title, href in met[: self.limit]:
                target = self.folder / f"{AUTHOR} - {title}.epub"
                if target.exists():
                    continue
                async with session.get(href) as answer:
                    assert answer.status == 200
                    target.write_bytes(await answer.read())
            if first is not None:
                self.remembered = first
        prefix = f"{AUTHOR} - "
        return {p.stem.removeprefix(prefix) for p in self.folder.iterdir() if p.suffix == ".epub"}


def _read(kind: str, body: bytes, url: str) -> tuple[list[tuple[str, str, str]], str | None]:
    """The entries of one feed page (id, title, download address) and its `next` page."""
    if kind == "application/opds+json":
        feed = json.loads(body)
        entries = [
            (
                pub["metadata"]["identifier"],
                pub["metadata"]["title"],
                urljoin(
                    url, next(link["href"] for link in pub["links"] if link["rel"] == ACQUISITION)
                ),
            )
            for pub in feed.get("publications", [])
        ]
        following = next(
            (link["href"] for link in feed.get("links", []) if link["rel"] == "next"), None
        )
    else:
        root = etree.fromstring(body)
        entries = [
            (
                entry.findtext(f"{ATOM}id"),
                entry.findtext(f"{ATOM}title"),
                urljoin(
                    url,
                    next(
                        link.get("href")
                        for link in entry.findall(f"{ATOM}link")
                        if link.get("rel") == ACQUISITION
                    ),
                ),
            )
            for entry in root.findall(f"{ATOM}entry")
        ]
        following = next(
            (link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "next"),
            None,
        )
    return entries, None if following is None else urljoin(url, following)


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
    device = Device(catalog, tmp_path / "sync", limit=50, accept=ACCEPT[accept])
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
