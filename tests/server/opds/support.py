"""Shared pieces of the catalog tests: the real server on loopback, a client, feed checks.

Feeds are validated with Debian's `jing` against the published OPDS 1.2 RELAX NG schema (with
its URI-pattern fix, see tests/data/opds/LICENSE.md) and, independently, by asserting the
elements KOReader relies on with lxml.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from lxml import etree

from bookorbit_desktop.config import Paths
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.server.app import LanServer

SCHEMA = Path(__file__).resolve().parents[2] / "data" / "opds" / "opds-1.2-fixed.rnc"
ATOM = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM}}}"
DC = "{http://purl.org/dc/terms/}"
USER = "reader"
PASSWORD = "pässwörd 1"
AUTH_HEADERS = {"Authorization": aiohttp.encode_basic_auth(USER, PASSWORD)}
ACQUISITION_REL = "http://opds-spec.org/acquisition"


@dataclass
class Catalog:
    base: str
    session: aiohttp.ClientSession
    ctx: ServerContext
    server: LanServer

    def url(self, href: str) -> str:
        return href if href.startswith("http") else self.base + href

    async def get(self, href: str, **kwargs: object) -> aiohttp.ClientResponse:
        return await self.session.get(self.url(href), **kwargs)

    async def feed(self, href: str) -> tuple[etree._Element, bytes]:
        response = await self.get(href)
        body = await response.read()
        assert response.status == 200, (href, response.status, body[:300])
        assert response.headers["Content-Type"].startswith(
            "application/atom+xml;profile=opds-catalog"
        )
        return etree.fromstring(body), body


async def start_catalog(paths: Paths, **ctx_options: object) -> tuple[LanServer, str]:
    ctx = ServerContext(paths=paths, **ctx_options)  # type: ignore[arg-type]
    server = LanServer(ctx, host="127.0.0.1", port=0)
    await server.start()
    return server, f"http://127.0.0.1:{server.port}"


@pytest_asyncio.fixture(name="catalog")
async def catalog_fixture(library: Paths) -> AsyncIterator[Catalog]:
    """The real server (kosync + OPDS) on 127.0.0.1 with the account set up."""
    set_account(USER, key_for_password(PASSWORD))
    server, base = await start_catalog(library)
    async with aiohttp.ClientSession(headers=AUTH_HEADERS, auto_decompress=False) as session:
        yield Catalog(base, session, server.ctx, server)
    await server.stop()


def jing_validate(documents: Sequence[bytes], folder: Path) -> None:
    """Validate every document with jing in one run; fail with jing's messages."""
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("Debian's jing (RELAX NG validator) is not installed: apt-get install jing")
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number, document in enumerate(documents):
        path = folder / f"feed-{number}.xml"
        path.write_bytes(document)
        files.append(str(path))
    result = subprocess.run(
        [jing, "-c", str(SCHEMA), *files], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def links(element: etree._Element, rel: str | None = None) -> list[etree._Element]:
    found = element.findall(f"{A}link")
    return [link for link in found if rel is None or link.get("rel") == rel]


def link_href(element: etree._Element, rel: str) -> str | None:
    found = links(element, rel)
    return found[0].get("href") if found else None


def assert_feed_structure(root: etree._Element, *, acquisition: bool) -> None:
    """What OPDS 1.2 and KOReader need, checked element by element."""
    assert root.tag == f"{A}feed"
    assert root.nsmap.get(None) == ATOM, "Atom must be the default (unprefixed) namespace"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{A}{tag}") is not None, f"feed without <{tag}>"
    assert root.find(f"{A}author/{A}name") is not None
    assert link_href(root, "self")
    assert link_href(root, "start") == "/opds"
    search = links(root, "search")
    assert [link.get("type") for link in search] == ["application/opensearchdescription+xml"]
    for entry in root.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert entry.find(f"{A}{tag}") is not None, f"entry without <{tag}>"
        assert entry.findtext(f"{A}title").strip()
        # RFC 4287 4.1.2: <content> where there is no alternate link; never an empty one.
        (content,) = entry.findall(f"{A}content")
        assert content.get("type") == "text" and (content.text or "").strip(), etree.tostring(entry)
        for link in links(entry):
            assert link.get("href") and link.get("type"), etree.tostring(link)
        if acquisition:
            assert links(entry, ACQUISITION_REL), "book entry without acquisition link"
        else:
            kinds = [link.get("type") for link in links(entry)]
            assert any("application/atom+xml" in kind for kind in kinds)


def entry_titles(root: etree._Element) -> list[str]:
    return [entry.findtext(f"{A}title") for entry in root.findall(f"{A}entry")]


def entry_ids(root: etree._Element) -> list[str]:
    return [entry.findtext(f"{A}id") for entry in root.findall(f"{A}entry")]


def assert_walked_once(before: list[str], seen: list[str], after: list[str]) -> None:
    """A walk of pages while entries came and went (`before` and `after` listed whole): each
    entry shown at most once, every entry there all along shown, in the list's order."""
    assert len(seen) == len(set(seen)), f"an entry shown twice: {seen}"
    stayed = set(before) & set(after)
    assert stayed <= set(seen), f"entries missed: {stayed - set(seen)}"
    assert [entry for entry in after if entry in seen and entry in stayed] == [
        entry for entry in seen if entry in stayed
    ]


async def walk_pages(catalog: Catalog, href: str) -> list[etree._Element]:
    """Every page of a feed, following `next` links as KOReader does."""
    pages = []
    seen = set()
    next_href: str | None = href
    while next_href is not None:
        assert next_href not in seen, f"pagination loops back to {next_href}"
        seen.add(next_href)
        root, _body = await catalog.feed(next_href)
        pages.append(root)
        next_href = link_href(root, "next")
    return pages


def write_book_file(folder: Path, name: str, content: bytes) -> Path:
    """A small file standing in for a book (its bytes only need to be distinct)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
