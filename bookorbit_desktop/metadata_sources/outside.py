"""Every GET the metadata sources, cover downloads and cover previews send outside: one door.

A source's answer names whatever cover address it likes, and any web server may redirect, so
an address is checked before anything is sent to it, on every hop, and again when it is
resolved:
- `refusal`: https only, to a host name or a public IP address (`guards.addresses`);
- `get` follows redirects itself (aiohttp's own following is off), at most `MAX_REDIRECTS`,
  each new address under the same rule;
- `PublicResolver`, the resolver of every session `open_session` makes, keeps only the public
  addresses a name resolves to, so a name that points (or is re-pointed, DNS rebinding) into
  the user's own network is refused at the moment of connecting, whatever the name looked like.
The one exception is a source address configured in the environment (`BOOKORBIT_OPENLIBRARY_URL`,
`BOOKORBIT_GOOGLEBOOKS_URL`, `BOOKORBIT_HARDCOVER_URL`: a test double on loopback, or a mirror):
that exact host and port may be plain http and private; any other port of that host may not.
A refused fetch is `RefusedFetch`, whose message is one plain line, logged here once.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bookorbit_desktop.guards.addresses import public_address
from bookorbit_desktop.log_text import for_log

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PRIVATE = "is on a private or local network, where an outside source may not lead"
Origin = tuple[str, int]
# The sources' addresses the environment may set (the one exception above), named here, below
# the sources that read them, so that the door never imports a source.
OPENLIBRARY_URL_ENV = "BOOKORBIT_OPENLIBRARY_URL"
GOOGLEBOOKS_URL_ENV = "BOOKORBIT_GOOGLEBOOKS_URL"


class RefusedFetch(OSError):
    """An address the app does not fetch from; the message says why in one line. An OSError,
    so that aiohttp hands it on out of the resolver (inside a ClientConnectorError)."""


def configured_origins(environ: Mapping[str, str] = os.environ) -> frozenset[Origin]:
    """The (host, port) of each source address set in the environment."""
    from bookorbit_desktop.hardcover.api.client import ENDPOINT_ENV

    names = (OPENLIBRARY_URL_ENV, GOOGLEBOOKS_URL_ENV, ENDPOINT_ENV)
    found = set()
    for name in names:
        try:
            url = URL(environ.get(name, "").strip())
        except ValueError:
            continue
        if url.raw_host and url.port is not None:
            found.add((url.raw_host.lower(), url.port))
    return frozenset(found)


def refusal(url: URL, configured: frozenset[Origin]) -> str | None:
    """Why `url` is not fetched, or None when it may be."""
    host = url.raw_host
    if url.scheme not in ("http", "https") or not host or url.port is None:
        return f"{str(url)[:200]!r} is not a web address"
    if (host.lower(), url.port) in configured:
        return None
    if url.scheme != "https":
        return f"{url.host} is not a secure (https) address"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: `PublicResolver` judges the addresses it resolves to
    return None if public_address(host) else f"{url.host} {PRIVATE}"


class PublicResolver(AbstractResolver):
    """Resolves with `inner` (aiohttp's default resolver) and keeps only public addresses,
    except for a configured source's own host and port."""

    def __init__(
        self, configured: frozenset[Origin], inner: AbstractResolver | None = None
    ) -> None:
        self._configured = configured
        self._inner = inner if inner is not None else aiohttp.DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        if (host.rstrip(".").lower(), port) in self._configured:
            return found
        public = [entry for entry in found if public_address(entry["host"])]
        if not public:
            raise RefusedFetch(f"{host} {PRIVATE}")
        return public

    async def close(self) -> None:
        await self._inner.close()


def open_session(*, resolver: AbstractResolver | None = None) -> aiohttp.ClientSession:
    """A session for outside fetches: its names resolve to public addresses only (`resolver`
    is the one asked first; aiohttp's default when None). Call inside the running loop."""
    connector = aiohttp.TCPConnector(resolver=PublicResolver(configured_origins(), resolver))
    return aiohttp.ClientSession(connector=connector)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # a 200 answer's first `max_bytes` + 1 bytes (more means too large); else b""
    retry_after: str | None = None  # the answer's Retry-After header, as sent


async def get(
    session: aiohttp.ClientSession,
    url: str,
    *,
    max_bytes: int,
    timeout: aiohttp.ClientTimeout,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
) -> Answer:
    """GET `url`, following redirects by hand under `refusal`'s rule. RefusedFetch for an
    address not fetched from; aiohttp.ClientError and TimeoutError as aiohttp raises them."""
    configured = configured_origins()
    try:
        address = _address(url)
        for _hop in range(MAX_REDIRECTS + 1):
            reason = refusal(address, configured)
            if reason is not None:
                raise RefusedFetch(reason)
            async with session.get(
                address,
                params=params,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                location = response.headers.get("Location")
                if response.status in REDIRECTS and location:
                    address = _next_address(response.url, location)
                    params = None  # the new address carries its own query
                    continue
                ok = response.status == 200
                body = await _read_up_to(response, max_bytes + 1) if ok else b""
                return Answer(response.status, body, response.headers.get("Retry-After"))
        raise RefusedFetch(f"{address.host} redirected more than {MAX_REDIRECTS} times")
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.os_error, RefusedFetch):
            _refused(url, error.os_error)
            raise error.os_error from None
        raise
    except RefusedFetch as error:
        _refused(url, error)
        raise


def _address(url: str) -> URL:
    try:
        return URL(url)
    except ValueError:
        raise RefusedFetch(f"{url[:200]!r} is not a web address") from None


def _next_address(current: URL, location: str) -> URL:
    try:
        return current.join(URL(location))
    except ValueError:
        raise RefusedFetch(
            f"{current.host} redirected to something that is not a web address"
        ) from None


def _refused(url: str, error: RefusedFetch) -> None:
    log.warning("Not fetched: %s (%s)", for_log(url, 200), for_log(error, 200))


async def _read_up_to(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body's first `limit` bytes, or all of it when shorter (one `read(n)` returns only
    what has arrived so far)."""
    parts, size = [], 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        parts.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(parts)[:limit]
