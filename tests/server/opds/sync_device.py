"""KOReader's "Sync catalog" (opds.koplugin, v2025.08 and later) as the project's own client of
the behaviour KOReader documents: a sync reads the feed from its first entry, following `next`
links, until it meets the entry it remembered at its previous sync (the first entry then); it
downloads at most its "max number of files to sync" (50 by default) of the entries it met,
skipping a book whose file it already has, and remembers the feed's first entry. KOReader
v2026.07 and later ask for OPDS 2.0 JSON first; earlier versions send no Accept header and read
Atom."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

import aiohttp
from lxml import etree

from tests.server.opds.support import AUTH_HEADERS, Catalog

AUTHOR = "Some Author"
ATOM = "{http://www.w3.org/2005/Atom}"
ACQUISITION = "http://opds-spec.org/acquisition"
ACCEPT = {
    "opds2": "application/opds+json, application/atom+xml;profile=opds-catalog, */*",
    "none": None,
}


class Device:
    """An e-reader with one catalog entry (`feed`) ticked "Sync catalog" and one sync folder."""

    def __init__(
        self, catalog: Catalog, folder: Path, limit: int, accept: str | None, feed: str
    ) -> None:
        self.catalog, self.folder, self.limit, self.accept = catalog, folder, limit, accept
        self.feed = feed  # the catalog entry's address
        self.remembered: str | None = None
        folder.mkdir()

    async def sync(self) -> set[str]:
        """ "Sync all catalogs"; the titles of the books in the sync folder afterwards."""
        headers = {"Accept": self.accept} if self.accept else {}
        headers |= AUTH_HEADERS
        async with aiohttp.ClientSession(headers=headers) as session:
            url: str | None = self.catalog.url(self.feed)
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
