"""Fetches from outside reach public addresses only: every redirect is checked, names resolve to
public addresses only, and a configured source's own address (a test double on loopback) is
the one exception, for exactly its host and port.

Real aiohttp servers on 127.0.0.1 play a configured source that redirects and a machine on the
user's network that must never be asked; a resolver injected under `PublicResolver` plays DNS
answers pointing into the network; aioresponses plays the outside servers' error paths.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aioresponses import aioresponses
from yarl import URL

from bookorbit_desktop.metadata_sources import openlibrary, outside
from bookorbit_desktop.metadata_sources.covers import CoverError, download_cover
from bookorbit_desktop.metadata_sources.records import REFUSED, SourceError
from bookorbit_desktop.metadata_sources.web import get_json
from bookorbit_desktop.services.metadata.remote_covers import RemoteCovers
from tests.fakes.hardcover_server import COVER_PNG

TIMEOUT = aiohttp.ClientTimeout(total=5)


@dataclass
class Server:
    """One loopback server; `hits` lists the paths it was asked for."""

    routes: dict[str, web.StreamResponse | str] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.hits.append(request.path)
        found = self.routes.get(request.path)
        if isinstance(found, str):  # a redirect to this address
            return web.Response(status=302, headers={"Location": found})
        if found is None:
            return web.Response(status=404)
        return found


@pytest.fixture
async def servers() -> AsyncIterator[tuple[Server, Server]]:
    """(the configured source, another service on this computer)."""
    started = []
    runners = []
    for _ in range(2):
        server = Server()
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", server._answer)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        server.port = runner.addresses[0][1]
        started.append(server)
        runners.append(runner)
    yield started[0], started[1]
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
def source_and_other(servers, monkeypatch):
    source, other = servers
    monkeypatch.setenv(openlibrary.BASE_URL_ENV, source.base)
    other.routes["/admin"] = web.Response(text="router admin page")
    source.routes["/cover.png"] = web.Response(body=COVER_PNG, content_type="image/png")
    source.routes["/here"] = "/cover.png"  # a redirect within the configured address
    source.routes["/other-port"] = f"{other.base}/admin"
    source.routes["/router"] = "https://192.168.1.1/admin"
    source.routes["/plain-http"] = "http://covers.example.org/1.jpg"
    source.routes["/localhost-name"] = f"https://localhost:{other.port}/admin"
    source.routes["/mapped"] = f"https://[::ffff:127.0.0.1]:{other.port}/admin"
    source.routes["/loop"] = "/loop"
    return source, other


async def test_a_redirect_within_the_configured_address_is_followed(source_and_other):
    source, _ = source_and_other
    async with outside.open_session() as session:
        answer = await outside.get(session, f"{source.base}/here", max_bytes=10**6, timeout=TIMEOUT)
    assert (answer.status, answer.body) == (200, COVER_PNG)
    assert source.hits == ["/here", "/cover.png"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/other-port", "not a secure"),  # the exception is the configured port, not the host
        ("/router", "private or local network"),
        ("/plain-http", "not a secure"),
        ("/localhost-name", "private or local network"),  # refused once resolved
        ("/mapped", "private or local network"),
        ("/loop", "redirected more than 5 times"),
    ],
)
async def test_a_redirect_is_checked_like_the_first_address(source_and_other, caplog, path, reason):
    source, other = source_and_other
    caplog.set_level(logging.INFO)
    async with outside.open_session() as session:
        with pytest.raises(CoverError, match=reason) as raised:
            await download_cover(session, f"{source.base}{path}")
    assert other.hits == []  # the service on this computer was never asked
    assert "\n" not in str(raised.value.message)
    refusals = [r for r in caplog.records if r.name == outside.__name__]
    assert len(refusals) == 1  # logged once, by the door itself
    assert not any(r.exc_info for r in caplog.records)


async def test_a_source_answer_redirected_into_the_network_is_refused(source_and_other):
    source, other = source_and_other
    async with outside.open_session() as session:
        with pytest.raises(SourceError) as raised:
            await get_json(session, f"{source.base}/other-port", label="Open Library")
    assert raised.value.status == REFUSED
    assert raised.value.message.startswith("Open Library was not asked: ")
    assert other.hits == []


async def test_the_preview_of_a_cover_follows_no_redirect_into_the_network(
    source_and_other, tmp_path
):
    source, other = source_and_other
    covers = RemoteCovers(tmp_path / "previews")
    assert await covers.fetch(f"{source.base}/other-port") is None
    assert await covers.fetch(f"{source.base}/router") is None
    assert other.hits == []
    assert not (tmp_path / "previews").exists()


async def test_without_the_configuration_loopback_is_refused(servers, monkeypatch):
    source, _ = servers
    monkeypatch.delenv(openlibrary.BASE_URL_ENV, raising=False)
    source.routes["/cover.png"] = web.Response(body=COVER_PNG, content_type="image/png")
    async with outside.open_session() as session:
        with pytest.raises(CoverError, match="not a secure"):
            await download_cover(session, f"{source.base}/cover.png")
        with pytest.raises(CoverError, match="private or local network"):
            await download_cover(session, f"https://127.0.0.1:{source.port}/cover.png")
    assert source.hits == []


class FakeDNS(AbstractResolver):
    """Answers names from a table, as a DNS server under someone else's control would."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[tuple[str, int]] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append((host, port))
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in self.table[host]
        ]

    async def close(self) -> None:
        pass


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["10.1.2.3"], ["::1"], ["192.168.0.1", "::ffff:10.0.0.1"], ["100.64.0.9"]],
)
async def test_a_name_resolving_into_the_network_is_refused(addresses):
    resolver = outside.PublicResolver(frozenset(), FakeDNS({"covers.example.org": addresses}))
    with pytest.raises(outside.RefusedFetch, match="private or local network"):
        await resolver.resolve("covers.example.org", 443)


async def test_of_a_name_resolving_to_both_only_the_public_addresses_are_kept():
    dns = FakeDNS({"covers.example.org": ["10.0.0.1", "93.184.216.34", "fd00::1"]})
    resolver = outside.PublicResolver(frozenset(), dns)
    found = await resolver.resolve("covers.example.org", 443)
    assert [entry["host"] for entry in found] == ["93.184.216.34"]


async def test_a_rebound_name_is_refused_when_connecting(servers):
    """The name passes the address check (it is a name); what it resolves to does not."""
    source, _ = servers
    dns = FakeDNS({"covers.example.org": ["127.0.0.1"]})
    url = f"https://covers.example.org:{source.port}/cover.png"
    async with outside.open_session(resolver=dns) as session:
        with pytest.raises(outside.RefusedFetch, match=r"covers\.example\.org is on a private"):
            await outside.get(session, url, max_bytes=10**6, timeout=TIMEOUT)
    assert dns.asked == [("covers.example.org", source.port)]
    assert source.hits == []


async def test_a_configured_name_may_resolve_to_loopback_on_its_own_port_only(servers, monkeypatch):
    source, other = servers
    source.routes["/cover.png"] = web.Response(body=COVER_PNG, content_type="image/png")
    other.routes["/admin"] = web.Response(text="admin")
    monkeypatch.setenv(openlibrary.BASE_URL_ENV, f"http://books.test:{source.port}")
    dns = FakeDNS({"books.test": ["127.0.0.1"]})
    async with outside.open_session(resolver=dns) as session:
        url = f"http://books.test:{source.port}/cover.png"
        answer = await outside.get(session, url, max_bytes=10**6, timeout=TIMEOUT)
        assert answer.body == COVER_PNG
        with pytest.raises(outside.RefusedFetch, match="private or local network"):
            url = f"https://books.test:{other.port}/admin"
            await outside.get(session, url, max_bytes=10**6, timeout=TIMEOUT)
    assert other.hits == []


CONFIGURED = frozenset({("127.0.0.1", 8080), ("books.test", 80)})


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://covers.openlibrary.org/b/id/1-L.jpg", None),
        ("https://93.184.216.34/a.jpg", None),
        ("https://[2a00:1450::1]/a.jpg", None),
        ("http://127.0.0.1:8080/covers/1.jpg", None),  # the configured source
        ("http://books.test/covers/1.jpg", None),  # configured, on port 80
        ("http://BOOKS.test:80/covers/1.jpg", None),
        ("http://127.0.0.1:8081/covers/1.jpg", "not a secure"),
        ("https://127.0.0.1:8081/covers/1.jpg", "private or local network"),
        ("http://books.test:8080/", "not a secure"),
        ("http://covers.openlibrary.org/b/id/1-L.jpg", "not a secure"),
        ("https://192.168.1.1/", "private or local network"),
        ("https://10.0.0.1:8443/", "private or local network"),
        ("https://[::1]/", "private or local network"),
        ("https://[fd00::1]/", "private or local network"),
        ("https://[::ffff:192.168.1.1]/", "private or local network"),
        ("https://100.64.0.1/", "private or local network"),
        ("https://169.254.169.254/latest/meta-data", "private or local network"),
        ("https://0.0.0.0/", "private or local network"),
        ("ftp://covers.example.org/a.jpg", "not a web address"),
        ("file:///etc/passwd", "not a web address"),
        ("https:///no-host", "not a web address"),
        ("", "not a web address"),
    ],
)
def test_which_addresses_are_fetched(url, reason):
    found = outside.refusal(URL(url), CONFIGURED)
    assert found is None if reason is None else reason in found


def test_the_configured_addresses_come_from_the_sources_settings():
    environ = {
        "BOOKORBIT_OPENLIBRARY_URL": "http://127.0.0.1:8080",
        "BOOKORBIT_GOOGLEBOOKS_URL": "http://Books.Test/books/v1",
        "BOOKORBIT_HARDCOVER_URL": "https://api.hardcover.app/v1/graphql",
        "BOOKORBIT_OTHER_URL": "http://10.0.0.1:9000",
    }
    assert outside.configured_origins(environ) == {
        ("127.0.0.1", 8080),
        ("books.test", 80),
        ("api.hardcover.app", 443),
    }
    assert outside.configured_origins({"BOOKORBIT_OPENLIBRARY_URL": "http://[::1"}) == set()


COVER = "https://covers.example.org/b/id/1-L.jpg"


async def test_redirects_between_public_addresses_are_followed():
    """Open Library's covers answer with a redirect to the Internet Archive."""
    archive = "https://ia800100.us.archive.org/view/1-L.jpg"
    async with aiohttp.ClientSession() as session:
        with aioresponses() as mock:
            mock.get(COVER, status=302, headers={"Location": archive})
            mock.get(archive, body=COVER_PNG, content_type="image/png")
            prepared = await download_cover(session, COVER)
    assert prepared[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("https://10.0.0.5/admin", "10.0.0.5 is on a private or local network"),
        ("http://ia800100.us.archive.org/1.jpg", "not a secure"),
        ("gopher://covers.example.org/", "not a web address"),
        ("https://[::1", "not a web address"),
    ],
)
async def test_a_redirect_out_of_bounds_is_refused_with_one_plain_line(location, reason):
    async with aiohttp.ClientSession() as session:
        with aioresponses() as mock:
            mock.get(COVER, status=302, headers={"Location": location})
            with pytest.raises(CoverError, match=re.escape(reason)) as raised:
                await download_cover(session, COVER)
    assert str(raised.value.message).startswith("The cover was not downloaded: ")
    assert "\n" not in raised.value.message


async def test_a_redirect_without_an_address_is_an_answer_like_any_other():
    async with aiohttp.ClientSession() as session:
        with aioresponses() as mock:
            mock.get(COVER, status=302)
            with pytest.raises(CoverError, match="HTTP 302"):
                await download_cover(session, COVER)


async def test_a_body_that_arrives_in_pieces_is_read_whole(monkeypatch):
    """A cover sent slowly, in pieces, is read to its end (not only what arrived first)."""
    import asyncio

    from aiohttp import web

    from bookorbit_desktop.metadata_sources import outside

    async def slow(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(4):
            await response.write(b"x" * 50_000)
            await asyncio.sleep(0.05)
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/cover.jpg", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    monkeypatch.setenv(openlibrary.BASE_URL_ENV, f"http://127.0.0.1:{port}")
    try:
        async with aiohttp.ClientSession() as session:
            answer = await outside.get(
                session,
                f"http://127.0.0.1:{port}/cover.jpg",
                max_bytes=1_000_000,
                timeout=aiohttp.ClientTimeout(total=10),
            )
        assert answer.status == 200 and len(answer.body) == 200_000
    finally:
        await runner.cleanup()
