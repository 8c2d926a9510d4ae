"""Shared pieces of the kosync tests: the real server on 127.0.0.1 with an account, and a raw
HTTP client that sends what KOReader sends and returns the undecoded answer."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest_asyncio
from yarl import URL

from bookorbit_desktop.config import Paths
from bookorbit_desktop.guards.throttle import LoginThrottle
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.accounts import set_account
from bookorbit_desktop.server.app import LanServer

USER = "alice"
PASSWORD = "passwd123"
KEY = hashlib.md5(PASSWORD.encode()).hexdigest()
ACCEPT = "application/vnd.koreader.v1+json"
# The request headers lua-Spore sends (kosync-protocol.md §2), besides Host and Content-Length.
KOREADER_HEADERS = {
    "Accept": ACCEPT,
    "User-Agent": "lua-Spore",
    "TE": "trailers",
    "Connection": "close, TE",
}
START = 1_790_000_000.0  # 2026-09-21, a fixed server clock


class Clock:
    """The server's injected clock: fixed until a test moves it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


@dataclass
class Kosync:
    base: str
    session: aiohttp.ClientSession
    ctx: ServerContext
    server: LanServer
    clock: Clock
    hook_calls: list[int] = field(default_factory=list)

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = (USER, KEY),
        koreader: bool = True,
    ) -> Reply:
        """One request; `path` is sent as written (no re-encoding, doubled slashes kept)."""
        sent: dict[str, str] = dict(KOREADER_HEADERS) if koreader else {}
        if auth is not None:
            sent["x-auth-user"], sent["x-auth-key"] = auth
        data: bytes | None = None
        if body is not None:
            data = body if isinstance(body, bytes) else None
            if isinstance(body, str):
                data = body.encode()
            elif isinstance(body, dict | list):
                data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        url = URL(self.base + path, encoded=True)
        async with self.session.request(method, url, data=data, headers=sent) as response:
            raw = await response.read()
            return Reply(response.status, dict(response.headers), raw)

    async def push(self, document: str = "doc1", percentage: Any = 0.5, **fields: Any) -> Reply:
        body = {
            "document": document,
            "percentage": percentage,
            "progress": fields.pop("progress", "/body/DocFragment[2]/body/p[3]/text().10"),
            "device": fields.pop("device", "Kobo_clara"),
            "device_id": fields.pop("device_id", "C64C9F5BF0C1520EFC308725F518CB1F"),
        }
        body.update(fields)
        return await self.request("PUT", "/kosync/syncs/progress", body=body)

    async def pull(self, document: str = "doc1", **kwargs: Any) -> Reply:
        return await self.request(
            "GET", f"/kosync/syncs/progress/{quote(document, safe='')}", **kwargs
        )


async def start_kosync(paths: Paths, clock: Clock | None = None) -> Kosync:
    clock = clock or Clock()
    calls: list[int] = []
    ctx = ServerContext(
        paths=paths,
        opds_enabled=False,
        on_reading_changed=calls.append,
        clock=clock,
        throttle=LoginThrottle(clock=clock),
    )
    server = LanServer(ctx, host="127.0.0.1", port=0)
    await server.start()
    session = aiohttp.ClientSession(skip_auto_headers=("User-Agent", "Accept"))
    return Kosync(f"http://127.0.0.1:{server.port}", session, ctx, server, clock, calls)


@pytest_asyncio.fixture(name="kosync")
async def kosync_fixture(library: Paths) -> AsyncIterator[Kosync]:
    """The real server on 127.0.0.1 with the account alice / passwd123."""
    set_account(USER, KEY)
    client = await start_kosync(library)
    yield client
    await client.session.close()
    await client.server.stop()


async def raw_http(port: int, request: bytes) -> tuple[bytes, dict[str, str], bytes]:
    """Send exact bytes; return (status line, headers as sent, body) of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip()] = value.strip()
    return status, headers, body
