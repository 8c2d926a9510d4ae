"""Silent connections to the HTTPS port count against the caps before any TLS handshake.

The server runs with both descriptor limits at 1,024; attackers open 1,500 connections to the
HTTPS port and never say a word (no TLS hello), 1,000 of them from one address. The real user
on 127.0.0.1 is answered over HTTPS and HTTP within 2 s throughout, one address holds no more
than its share, and unfinished handshakes are closed after a few seconds.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from pathlib import Path

from bookorbit_desktop.guards.connections import PER_ADDRESS
from bookorbit_desktop.server.tls_gate import HANDSHAKE_SECONDS
from tests.server.hostile.support import (
    LINUX_LOOPBACK,
    attacker,
    exchange,
    prepare_library,
    serving,
)
from tests.server.hostile.test_connections import HEALTH, many_descriptors, open_idle

pytestmark = LINUX_LOOPBACK
__all__ = ["many_descriptors"]

ONE_ADDRESS = 1000
SPREAD = 50  # addresses with 10 connections each


def https_port_of(process) -> int:
    for _ in range(40):
        line = process.stdout.readline()
        if line.startswith("HTTPS on port "):
            return int(line.split()[3])
    raise AssertionError("the server printed no HTTPS port")


def descriptors(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


async def https_health(port: int) -> tuple[bool, float]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    started = time.perf_counter()
    try:
        async with asyncio.timeout(5):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
            writer.write(HEALTH)
            data = await reader.read()
            writer.close()
    except (OSError, TimeoutError, ssl.SSLError):
        return False, time.perf_counter() - started
    return data.startswith(b"HTTP/1.1 200"), time.perf_counter() - started


async def test_silent_https_connections_cannot_take_the_server_down(tmp_path, many_descriptors):
    data_dir = prepare_library(tmp_path / "data")
    with serving(data_dir, open_files=1024, extra_args=("--https-port", "0")) as served:
        https = https_port_of(served.process)
        assert (await https_health(https))[0]
        sources = [attacker(900)] * ONE_ADDRESS + [attacker(n) for n in range(SPREAD)] * 10
        before = descriptors(served.process.pid)
        silent = await asyncio.gather(*(open_idle(https, source) for source in sources))
        during = descriptors(served.process.pid)
        results: list[tuple[bool, float]] = []
        plain: list[tuple[int, bytes, float]] = []
        until = time.monotonic() + HANDSHAKE_SECONDS + 2
        while time.monotonic() < until:
            results.append(await https_health(https))
            plain.append(await exchange(served.port, HEALTH, timeout=5))
            await asyncio.sleep(0.25)
        after = descriptors(served.process.pid)
        for writer in silent:
            if writer is not None:
                writer.transport.abort()
    assert all(ok for ok, _seconds in results), results
    assert max(seconds for _ok, seconds in results) < 2.0, results
    assert {status for status, _body, _seconds in plain} == {200}
    assert max(seconds for _status, _body, seconds in plain) < 2.0
    # One address holds its share, the others theirs: far from the 1,024 descriptors ...
    assert during - before <= PER_ADDRESS + SPREAD * 10 + 20, (before, during)
    # ... and handshakes never begun are closed after HANDSHAKE_SECONDS.
    assert after - before <= 20, (before, during, after)
