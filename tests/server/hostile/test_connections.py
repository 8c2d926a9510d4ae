"""Idle, slow and numerous connections cannot use up the server's descriptors or time.

The server runs with both descriptor limits at 1,024 (a common desktop default); attackers
open more connections than that from many loopback addresses while the real user on
127.0.0.1 keeps being answered.
"""

from __future__ import annotations

import asyncio
import resource
import time

import pytest

from bookorbit_desktop.guards.connections import IDLE_SECONDS, PER_ADDRESS
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

HEALTH = http_request("GET", "/kosync/healthcheck")
AUTH = http_request("GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": KEY})


@pytest.fixture
def many_descriptors():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2500:
        pytest.skip(f"this test opens 1,200 sockets; the hard descriptor limit is {hard}")
    resource.setrlimit(
        resource.RLIMIT_NOFILE,
        (max(soft, 4096) if hard == resource.RLIM_INFINITY else min(hard, 4096), hard),
    )
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def open_idle(port: int, source: str) -> asyncio.StreamWriter | None:
    try:
        _reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    except OSError:
        return None
    return writer


async def _flood_then_ask(port: int, flooded: int) -> list[tuple[int, bytes, float]]:
    """1,100 idle connections to `flooded` (14 per address, 79 addresses), then the real user's
    four requests to the sync server on `port`."""
    writers = []
    for n in range(1100):
        writer = await open_idle(flooded, attacker(n // 14))
        if writer is not None:
            writers.append(writer)
    await asyncio.sleep(0.5)
    answers = [await exchange(port, raw, timeout=5.0) for raw in (HEALTH, AUTH, HEALTH, AUTH)]
    for writer in writers:
        writer.transport.abort()
    return answers


async def test_1100_idle_connections_leave_room_for_the_real_user(tmp_path, many_descriptors):
    data_dir = prepare_library(tmp_path / "data")
    with serving(data_dir, open_files=1024) as served:
        answers = await _flood_then_ask(served.port, served.port)
        log = served.log()
        still_running = served.process.poll() is None
    assert [status for status, _body, _seconds in answers] == [200, 200, 200, 200]
    assert max(seconds for _status, _body, seconds in answers) < 2.0
    assert "Too many open files" not in log
    assert still_running


async def test_idle_connections_to_the_highlights_port_leave_room_for_the_sync_server(
    tmp_path, many_descriptors
):
    data_dir = prepare_library(tmp_path / "data")
    with serving(data_dir, open_files=1024, extra_args=("--highlights-port", "0")) as served:
        assert served.process.stdout is not None
        line = ""
        while not line.startswith("Highlights receiver on port "):
            line = served.process.stdout.readline()
            assert line, "serve ended before its highlights receiver listened"
        answers = await _flood_then_ask(served.port, int(line.split()[4].rstrip(".")))
        log = served.log()
    assert [status for status, _body, _seconds in answers] == [200, 200, 200, 200]
    assert max(seconds for _status, _body, seconds in answers) < 2.0
    assert "Too many open files" not in log


async def test_one_address_cannot_hold_more_than_its_share(tmp_path):
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        source = attacker(3)
        writers = [await open_idle(port, source) for _ in range(PER_ADDRESS + 10)]
        await asyncio.sleep(0.3)
        closed = 0
        for writer in writers:
            assert writer is not None
            if writer.transport.is_closing() or await _closed_by_server(writer):
                closed += 1
        answered = await exchange(port, HEALTH, source=attacker(4))
        for writer in writers:
            writer.transport.abort()
    assert closed >= 10  # the connections beyond its share were closed at once
    assert answered[0] == 200


async def _closed_by_server(writer: asyncio.StreamWriter) -> bool:
    reader = writer._protocol._stream_reader  # type: ignore[attr-defined]
    try:
        data = await asyncio.wait_for(reader.read(1), 0.2)
    except TimeoutError:
        return False
    except OSError:
        return True
    return data == b""


async def test_slow_and_silent_connections_are_closed(tmp_path):
    with serving(prepare_library(tmp_path / "data")) as served:
        port = served.port
        silent = [await open_idle(port, attacker(20 + n)) for n in range(5)]
        slow_reader, slow = await asyncio.open_connection(
            "127.0.0.1", port, local_addr=(attacker(30), 0)
        )
        body_reader, body = await asyncio.open_connection(
            "127.0.0.1", port, local_addr=(attacker(31), 0)
        )
        body.write(
            http_request(
                "PUT", "/kosync/syncs/progress", {"x-auth-user": USER, "x-auth-key": KEY}
            ).replace(
                b"\r\n\r\n", b"\r\nContent-Length: 5000\r\nContent-Type: application/json\r\n\r\n"
            )
            + b'{"document": '
        )
        started = time.monotonic()
        head = http_request("GET", "/kosync/healthcheck")
        closed_at = None
        for byte in head[:-4]:  # a head one byte a second: never complete
            if slow_reader.at_eof():
                closed_at = time.monotonic() - started
                break
            slow.write(bytes((byte,)))
            try:
                await asyncio.wait_for(slow_reader.read(1), 1.0)
            except TimeoutError:
                continue
            except OSError:
                pass
            closed_at = time.monotonic() - started
            break
        body_answer = await asyncio.wait_for(body_reader.read(), 20)
        silent_closed = [await _closed_by_server(writer) for writer in silent if writer]
        still_served = await exchange(port, HEALTH)
    assert closed_at is not None and closed_at < IDLE_SECONDS + 3, closed_at
    assert body_answer.startswith(b"HTTP/1.1 408") or body_answer == b"", body_answer[:40]
    assert all(silent_closed)
    assert still_served[0] == 200
