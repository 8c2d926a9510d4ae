"""Request bodies: read only once the sender's credentials passed, and never when declared too
large. A real `serve` process on loopback; attackers from other loopback addresses."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from tests.server.hostile.support import (
    KEY,
    LINUX_LOOPBACK,
    USER,
    attacker,
    exchange,
    http_request,
    prepare_library,
    serving,
)

pytestmark = LINUX_LOOPBACK

STALLERS = 100


def push_head(user: str, key: str, length: int) -> bytes:
    return (
        "PUT /kosync/syncs/progress HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"x-auth-user: {user}\r\nx-auth-key: {key}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def push(document: str) -> bytes:
    body = json.dumps(
        {"document": document, "percentage": 0.5, "progress": "p", "device": "kobo"}
    ).encode()
    headers = {"x-auth-user": USER, "x-auth-key": KEY, "Content-Type": "application/json"}
    return http_request("PUT", "/kosync/syncs/progress", headers, body)


async def stall(port: int, source: str) -> tuple[bytes, float]:
    """Send a push head from a stranger and never the body: what comes back, how soon."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    try:
        writer.write(push_head("mallory", "0" * 32, 600) + b'{"docu')
        async with asyncio.timeout(10):
            answer = await reader.read()  # the server answers and closes
    finally:
        writer.close()
    return answer, time.perf_counter() - started


async def test_stalled_bodies_from_strangers_are_refused_at_once_and_cost_the_user_nothing(
    tmp_path,
):
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        stallers = asyncio.gather(
            *(stall(port, attacker(n)) for n in range(STALLERS)), return_exceptions=True
        )
        real = []
        for n in range(30):
            real.append(await exchange(port, push(f"doc{n}"), timeout=5))
        stalled = await stallers
    assert all(not isinstance(result, BaseException) for result in stalled), stalled
    # Refused (or, when many strangers guess at once, told to retry), never waited for.
    assert {answer.split(b" ", 2)[1] for answer, _seconds in stalled} <= {b"401", b"502"}
    assert max(seconds for _answer, seconds in stalled) < 3.0  # not the 8 s body timeout
    assert {status for status, _body, _seconds in real} == {200}
    assert max(seconds for _status, _body, seconds in real) < 2.0


@pytest.mark.parametrize("credentials", [(USER, KEY), ("mallory", "0" * 32)])
async def test_a_huge_declared_body_is_refused_at_once(tmp_path, credentials):
    with serving(prepare_library(tmp_path / "data")) as served:
        head = push_head(*credentials, 10 * 1024**3)  # 10 GB declared, nothing sent
        status, body, seconds = await exchange(served.port, head, timeout=10)
    assert status in (401, 413), (status, body)
    if credentials[0] == USER:
        assert (status, json.loads(body)["code"]) == (413, 2003)
    assert seconds < 1.0, seconds
