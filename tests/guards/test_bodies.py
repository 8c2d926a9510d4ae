"""The body time limits, against a real aiohttp server on 127.0.0.1 and a raw socket client:
a whole body arrives in time or is dropped; a streamed upload may take long while bytes keep
coming at a real pace, and is dropped when they trickle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bookorbit_desktop.guards import bodies

pytestmark = pytest.mark.asyncio
SECONDS = 0.5


def _closing(response: web.Response) -> web.Response:
    response.force_close()  # the rest of the body is never waited for
    return response


async def _whole(request: web.Request) -> web.Response:
    try:
        body = await bodies.read_body(request.content, SECONDS)
    except TimeoutError:
        return _closing(web.Response(status=408, text="slow"))
    return web.Response(text=str(len(body)))


async def _streamed(request: web.Request) -> web.Response:
    size = 0
    try:
        async for chunk in bodies.stream_body(request.content, 1024, SECONDS):
            size += len(chunk)
    except TimeoutError:
        return _closing(web.Response(status=408, text=f"slow after {size}"))
    return web.Response(text=str(size))


@pytest.fixture
async def port() -> AsyncIterator[int]:
    app = web.Application()
    app.router.add_post("/whole", _whole)
    app.router.add_post("/streamed", _streamed)
    runner = web.AppRunner(app, lingering_time=0)  # as the LAN server runs
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield runner.addresses[0][1]
    await runner.cleanup()


async def _answer(reader: asyncio.StreamReader) -> bytes:
    """The answer's status line and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(head.lower().partition(b"content-length: ")[2].partition(b"\r\n")[0])
    return head.split(b"\r\n")[0] + b" " + await reader.readexactly(length)


async def _send(port: int, path: str, length: int, pieces: list[tuple[bytes, float]]) -> bytes:
    """Post a body of `length` bytes sent as (piece, pause after it) until an answer comes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
    answer = asyncio.create_task(_answer(reader))
    for piece, pause in pieces:
        if answer.done():
            break
        writer.write(piece)
        await asyncio.sleep(pause)
    try:
        return await asyncio.wait_for(answer, 5)
    finally:
        writer.close()


@pytest.mark.parametrize(
    ("path", "length", "pieces", "expected"),
    [
        # A body that arrives with its head is read at once.
        ("/whole", 3, [(b"abc", 0)], b"HTTP/1.1 200 OK 3"),
        # Part of a body, then silence: dropped once the time is up.
        ("/whole", 10, [(b"abc", 2 * SECONDS)], b"HTTP/1.1 408 Request Timeout slow"),
        # A steady trickle is no better than silence for a small body.
        ("/whole", 100, [(b"a", SECONDS / 5)] * 20, b"HTTP/1.1 408 Request Timeout slow"),
        # An upload taking longer than the first seconds, at a real pace, arrives whole.
        (
            "/streamed",
            160 * 1024,
            [(b"x" * 16 * 1024, SECONDS / 4)] * 10,
            b"HTTP/1.1 200 OK 163840",
        ),
        # A trickled upload is cut, however long it has left to go.
        ("/streamed", 1000, [(b"a", SECONDS / 5)] * 20, b"HTTP/1.1 408 Request Timeout slow after"),
    ],
)
async def test_a_body_arrives_within_its_time_or_is_dropped(port, path, length, pieces, expected):
    answer = await _send(port, path, length, pieces)
    assert answer.startswith(expected), answer
