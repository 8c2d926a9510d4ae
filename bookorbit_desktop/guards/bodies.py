"""Time limits on request bodies, so a sender that trickles its body holds only its own
connection, and not for long.

A body that has not fully arrived `BODY_SECONDS` after the handler asked for it is dropped
(`read_body`: small bodies, read whole). A large upload cannot arrive in a fixed time over a
slow Wi-Fi, so `stream_body` gives it `BODY_SECONDS` to start and then more time for every
byte that arrives, at `MIN_BYTES_PER_SECOND`: a real upload, even over a poor link, stays far
ahead of its deadline, while a body sent a byte at a time runs out of time within seconds.
Both raise `TimeoutError`; the channel answers it in its own protocol (408, or its error body).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

from aiohttp import StreamReader

from bookorbit_desktop.guards.connections import BODY_SECONDS

# The slowest pace a large upload may keep on average: an e-reader's Wi-Fi sends a megabyte a
# second or more, so only a sender holding the connection on purpose is this slow.
MIN_BYTES_PER_SECOND = 32 * 1024

__all__ = ["BODY_SECONDS", "MIN_BYTES_PER_SECOND", "read_body", "stream_body"]


async def read_body(content: StreamReader, seconds: float | None = None) -> bytes:
    """The whole body of `content` (a request's `content`), within `seconds` (by default
    `BODY_SECONDS`, read when called so tests may shorten it); TimeoutError after that."""
    if content.is_eof():  # it all arrived with the head: the usual case, no timer needed
        return await content.read()
    async with asyncio.timeout(BODY_SECONDS if seconds is None else seconds):
        return await content.read()


async def stream_body(
    content: StreamReader,
    chunk_bytes: int,
    seconds: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> AsyncIterator[bytes]:
    """The body of `content` in chunks of at most `chunk_bytes`. The first `seconds` (by
    default `BODY_SECONDS`) are free; every byte received adds 1/`MIN_BYTES_PER_SECOND` s to
    the deadline. TimeoutError once the deadline passes, whether or not bytes still come."""
    deadline = clock() + (BODY_SECONDS if seconds is None else seconds)
    while True:
        left = deadline - clock()
        if left <= 0:
            raise TimeoutError("the body arrived too slowly")
        async with asyncio.timeout(left):
            chunk = await content.read(chunk_bytes)
        if not chunk:
            return
        deadline += len(chunk) / MIN_BYTES_PER_SECOND
        yield chunk
