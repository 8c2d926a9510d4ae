"""Attackers on the LAN, as a separate process so they never slow down the measuring client.

    python -m tests.server.hostile.flood PORT KIND CLIENTS SECONDS

KIND is `password` (wrong catalog passwords, a new connection each), `slow` (request heads
sent one byte a second), `idle` (connections that send nothing, reopened when closed) or
`headers` (failed logins with the largest head the server accepts, abandoned at once).
Each client uses its own loopback address. Prints one line: requests sent, answers seen.
"""

from __future__ import annotations

import asyncio
import sys
import time

from tests.server.hostile.support import USER, attacker, basic, http_request

sent = 0
answered = 0


async def _connect(port: int, source: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))


async def password(port: int, source: str, until: float) -> None:
    global sent, answered
    n = 0
    while time.monotonic() < until:
        n += 1
        raw = http_request("GET", "/opds", {"Authorization": basic(USER, f"guess{n}")})
        try:
            reader, writer = await _connect(port, source)
            writer.write(raw)
            sent += 1
            if await reader.read(12):
                answered += 1
            writer.close()
        except OSError:
            await asyncio.sleep(0.05)


async def slow(port: int, source: str, until: float) -> None:
    global sent
    while time.monotonic() < until:
        try:
            reader, writer = await _connect(port, source)
            sent += 1
            for byte in http_request("GET", "/kosync/healthcheck", {"X-Pad": "a" * 50}):
                if time.monotonic() >= until or writer.is_closing() or reader.at_eof():
                    break
                writer.write(bytes((byte,)))
                await asyncio.sleep(1.0)
            writer.close()
        except OSError:
            await asyncio.sleep(0.2)


async def idle(port: int, source: str, until: float) -> None:
    global sent
    while time.monotonic() < until:
        try:
            reader, writer = await _connect(port, source)
            sent += 1
            await asyncio.wait_for(reader.read(), max(0.01, until - time.monotonic()))
            writer.close()
        except (OSError, TimeoutError):
            await asyncio.sleep(0.2)


async def headers(port: int, source: str, until: float) -> None:
    global sent
    pad = {f"X-Pad-{n}": "p" * 8000 for n in range(26)}
    raw = http_request(
        "GET", "/kosync/users/auth", {"x-auth-user": USER, "x-auth-key": "0" * 32, **pad}
    )
    while time.monotonic() < until:
        try:
            _reader, writer = await _connect(port, source)
            writer.write(raw)
            await writer.drain()
            sent += 1
            writer.transport.abort()  # gone before the answer
        except OSError:
            await asyncio.sleep(0.05)


KINDS = {"password": password, "slow": slow, "idle": idle, "headers": headers}


async def flood(port: int, kind: str, clients: int, seconds: float, per_address: int = 1) -> None:
    until = time.monotonic() + seconds
    run = KINDS[kind]
    await asyncio.gather(*(run(port, attacker(n // per_address), until) for n in range(clients)))


def main() -> None:
    port, kind, clients, seconds = sys.argv[1:5]
    per_address = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass
    asyncio.run(flood(int(port), kind, int(clients), float(seconds), per_address))
    print(f"sent {sent} answered {answered}", flush=True)


if __name__ == "__main__":
    main()
