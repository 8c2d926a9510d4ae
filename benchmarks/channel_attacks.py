"""The attacks `lan_attack.py` runs on the channels besides kosync and the catalog, each in a
process of its own at low priority (a stranger's laptop has its own CPU).

- `highlights`: an export of 19,000 highlights posted, then re-sent again and again with edited
  notes (as KOReader does after an edit), while four posts send their head and half their
  body and then nothing.
- `webdav`: a statistics.sqlite3 of about 100 MB (two million page records) uploaded to /dav/
  with the account, as KOReader's statistics sync does, again and again (each one is
  imported), while eight uploads trickle a byte every half second.
- `device`: forty connections to the device port that never answer, while others send a
  deeply nested frame, again and again.
- `discovery`: datagrams to the UDP responder as fast as the attacker can send them.

Each puts (requests sent, answered, bytes sent, bytes back) on the queue it is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
import time
from pathlib import Path

from tests.server.hostile.support import PASSWORD, USER, attacker, basic, http_request

KINDS = ("highlights", "webdav", "device", "discovery")
PAGE_RECORDS = 2_000_000  # about 100 MB of statistics
ENTRIES = 19_000
STATISTICS = Path(tempfile.gettempdir()) / "lan-attack-statistics.sqlite3"
TITLE, AUTHOR = "A Long Book", "Someone"  # a book of the library: its highlights are merged


class Tally:
    def __init__(self) -> None:
        self.sent = self.answered = self.bytes_out = self.bytes_back = 0


async def _connect(port: int, source: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))


async def _hold(port: int, source: str, head: bytes, until: float, then: bytes = b"") -> None:
    """A connection that sends `head`, then `then` a byte every half second (or nothing),
    reopened when the server ends it, until the end."""
    while time.monotonic() < until:
        try:
            reader, writer = await _connect(port, source)
        except OSError:
            await asyncio.sleep(0.2)
            continue
        writer.write(head)
        ended = asyncio.ensure_future(reader.read(-1))  # done once the server ends it
        for byte in then or bytes(100_000):
            if ended.done() or time.monotonic() > until:
                break
            if then:
                writer.write(bytes([byte]))
            await asyncio.sleep(0.5)
        ended.cancel()
        writer.close()


def _export(note: str) -> bytes:
    entries = [
        {"text": f"Highlight number {n} of a long book.", "note": note, "time": 1.7e9 + n}
        for n in range(ENTRIES)
    ]
    body = {"title": TITLE, "author": AUTHOR, "type": 1, "entries": entries}
    return json.dumps(body).encode()


async def _exchange(port: int, source: str, raw: bytes, tally: Tally) -> None:
    try:
        reader, writer = await _connect(port, source)
        writer.write(raw)
        await writer.drain()
        tally.sent += 1
        tally.bytes_out += len(raw)
        answer = await asyncio.wait_for(reader.read(), 60)
        tally.bytes_back += len(answer)
        tally.answered += bool(answer)
        writer.close()
    except (OSError, TimeoutError):
        await asyncio.sleep(0.1)


async def highlights(ports: dict[str, int], until: float, tally: Tally) -> None:
    port = ports["highlights"]
    head = b"POST /send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    half = [
        _hold(
            port,
            attacker(n),
            head + b'Content-Length: 2000000\r\n\r\n{"title": "Half", "entries": [',
            until,
        )
        for n in range(4)
    ]
    headers = {"Content-Type": "application/json"}

    async def resend() -> None:
        edit = 0
        while time.monotonic() < until or not tally.answered:  # at least one re-send is in
            edit += 1
            raw = http_request("POST", "/send", headers, _export(f"edited {edit}"))
            await _exchange(port, attacker(10), raw, tally)

    await asyncio.gather(resend(), *half)


async def webdav(ports: dict[str, int], until: float, tally: Tally) -> None:
    port = ports["http"]
    auth = basic(USER, PASSWORD)
    head = (
        f"PUT /dav/trickle.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {auth}\r\n"
        "Content-Length: 100000\r\n\r\n"
    ).encode()
    trickles = [_hold(port, attacker(n), head, until, then=b"x" * 100_000) for n in range(8)]
    statistics = STATISTICS.read_bytes()

    async def upload() -> None:
        while time.monotonic() < until:
            raw = http_request(
                "PUT", "/dav/statistics.sqlite3", {"Authorization": auth}, statistics
            )
            await _exchange(port, attacker(20), raw, tally)

    await asyncio.gather(upload(), *trickles)


async def device(ports: dict[str, int], until: float, tally: Tally) -> None:
    port = ports["device"]
    silent = [_hold(port, attacker(n // 4), b"", until) for n in range(40)]
    body = b"[0," + b"[" * 50_000 + b"]" * 50_000 + b"]"
    nested = str(len(body)).encode() + body

    async def nest(n: int) -> None:
        while time.monotonic() < until:
            await _exchange(port, attacker(20 + n), nested, tally)

    await asyncio.gather(*silent, *(nest(n) for n in range(4)))


class _Counter(asyncio.DatagramProtocol):
    def __init__(self, tally: Tally) -> None:
        self.tally = tally

    def datagram_received(self, data: bytes, addr: object) -> None:
        self.tally.bytes_back += len(data)


async def discovery(ports: dict[str, int], until: float, tally: Tally) -> None:
    loop = asyncio.get_running_loop()
    endpoints = [
        await loop.create_datagram_endpoint(
            lambda: _Counter(tally),
            local_addr=(attacker(n), 0),
            remote_addr=("127.0.0.1", ports["discovery"]),
        )
        for n in range(4)
    ]
    while time.monotonic() < until:
        for transport, _ in endpoints:
            for _ in range(50):
                transport.sendto(b"hello")
                tally.sent += 1
                tally.bytes_out += 5
        await asyncio.sleep(0.001)
    await asyncio.sleep(0.5)
    for transport, _ in endpoints:
        transport.close()


async def prepare(kind: str, ports: dict[str, int]) -> None:
    """What is in place before the attack: the book's highlights, as a device first sent them
    (a re-send with edited notes is what merges); the statistics file to upload."""
    if kind == "webdav":
        from benchmarks.history_bench import build_file

        STATISTICS.unlink(missing_ok=True)
        build_file(STATISTICS, PAGE_RECORDS, books=200, years=3)
    if kind == "highlights":
        raw = http_request("POST", "/send", {"Content-Type": "application/json"}, _export(""))
        await _exchange(ports["highlights"], attacker(10), raw, Tally())


def run(kind: str, ports: dict[str, int], seconds: float, out: object) -> None:
    """The attack `kind` for `seconds` (in its own process): puts "ready" on queue `out` once
    prepared, then the tally once done."""
    os.nice(10)
    tally = Tally()
    attack = {"highlights": highlights, "webdav": webdav, "device": device, "discovery": discovery}

    async def main() -> None:
        await prepare(kind, ports)
        out.put("ready")  # type: ignore[attr-defined]
        until = time.monotonic() + seconds
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(attack[kind](ports, until, tally), seconds + 30)

    asyncio.run(main())
    out.put((tally.sent, tally.answered, tally.bytes_out, tally.bytes_back))  # type: ignore[attr-defined]
