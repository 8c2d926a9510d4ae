"""calibre's two channels for the channel suite: the wireless device port and its UDP discovery.

The device port is a framed protocol (`<length>[opcode, {arguments}]`) in which the server
speaks first: a client is "answered" when GET_INITIALIZATION_INFO arrives. Its refusal is to
end the connection (there is no error reply a stranger could use). The discovery responder
answers a datagram with one datagram; its refusal is silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

from bookorbit_desktop.devices.server import DEVICE_PER_ADDRESS
from bookorbit_desktop.guards.connections import DEVICE_CONNECTIONS
from tests.guards import wire
from tests.guards.channels import DEPTH, DEVICE_PASSWORD, Channel, Connection, Lan, Refusal

CLOSED = frozenset({"closed"})


async def _greeted(lan: Lan, source: str) -> Connection:
    """A connection that got the server's GET_INITIALIZATION_INFO."""
    reader, writer = await wire.connect(lan.devices.status.port, source)
    op, _args = await wire.read_frame(reader, 2.0)
    assert op == wire.GET_INITIALIZATION_INFO
    return reader, writer


async def _ends(connection: Connection, sent: bytes) -> Refusal:
    reader, writer = connection
    started = time.perf_counter()
    writer.write(sent)
    with contextlib.suppress(OSError):
        await writer.drain()
    ended = await wire.ended_within(reader, 3.0)
    writer.close()
    return Refusal("closed" if ended else "silent", ended, time.perf_counter() - started)


@dataclass(frozen=True)
class DeviceChannel(Channel):
    too_large: frozenset[str] = CLOSED
    nested_kinds: frozenset[str] = CLOSED

    def port(self, lan: Lan) -> int:
        return lan.devices.status.port

    async def slow_sender(self, lan: Lan, source: str) -> Connection:
        reader, writer = await _greeted(lan, source)
        writer.write(b'500[0, {"passwordHash": "')
        await writer.drain()
        return reader, writer

    async def answers(self, lan: Lan, source: str) -> bool:
        try:
            _reader, writer = await _greeted(lan, source)
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            return False
        writer.close()
        return True

    async def oversized(self, lan: Lan, source: str) -> Refusal:
        # A frame that says it is 2 MB long; 64 KiB of it follow.
        return await _ends(await _greeted(lan, source), b"2000000[" + b"0" * 65536)

    async def nested(self, lan: Lan, source: str) -> Refusal:
        body = b"[0," + b"[" * DEPTH + b"]" * DEPTH + b"]"
        return await _ends(await _greeted(lan, source), str(len(body)).encode() + body)

    async def forge(self, lan: Lan, source: str, text: str) -> None:
        # A wrong password first, then the right one with the name in every field that has one.
        reader, writer = await _greeted(lan, source)
        writer.write(wire.frame(wire.OK, {"passwordHash": text, "deviceName": text}))
        await wire.ended_within(reader, 2.0)
        writer.close()
        reader, writer = await wire.connect(self.port(lan), source)
        try:
            _op, args = await wire.read_frame(reader, 2.0)
            answer = {
                "passwordHash": wire.password_hash(DEVICE_PASSWORD, args["passwordChallenge"]),
                "deviceName": text,
                "deviceKind": text,
                "canSendOkToSendbook": True,
                "canStreamBooks": True,
                "acceptedExtensions": ["epub", text],
            }
            writer.write(wire.frame(wire.OK, answer))
            op, _args = await wire.read_frame(reader, 2.0)
            assert op == wire.GET_DEVICE_INFORMATION
            info = {"device_store_uuid": text, "device_name": text}
            writer.write(wire.frame(wire.OK, {"device_info": info, "device_version": text}))
            await wire.read_frame(reader, 2.0)  # the session goes on: the name is in use
        finally:
            writer.close()  # and ends: "Device <name>: the device closed the connection"
        for _ in range(20):
            if lan.devices.status.device is None:
                break
            await asyncio.sleep(0.05)

    async def bad_request(self, lan: Lan, source: str) -> None:
        with contextlib.suppress(OSError, TimeoutError, asyncio.IncompleteReadError):
            await _ends(await _greeted(lan, source), b"hello?")

    async def hold_idle(self, lan: Lan, first_attacker: int) -> list[asyncio.StreamWriter]:
        count = DEVICE_CONNECTIONS + 2 * DEVICE_PER_ADDRESS
        return await wire.open_many(self.port(lan), count, DEVICE_PER_ADDRESS, first_attacker)


@dataclass(frozen=True)
class DiscoveryChannel(Channel):
    too_large: frozenset[str] = frozenset({"silent"})

    def port(self, lan: Lan) -> int:
        port = lan.devices.status.discovery_port
        assert port is not None
        return port

    async def answers(self, lan: Lan, source: str) -> bool:
        replies = await wire.datagram_replies(self.port(lan), [b"hello"], source=source)
        return len(replies) == 1

    async def oversized(self, lan: Lan, source: str) -> Refusal:
        started = time.perf_counter()
        replies = await wire.datagram_replies(self.port(lan), [b"hello" * 800], source=source)
        kind = f"{len(replies)} replies" if replies else "silent"
        return Refusal(kind, True, time.perf_counter() - started)

    async def forge(self, lan: Lan, source: str, text: str) -> None:
        await wire.datagram_replies(self.port(lan), [text.encode(), b"hello"], source=source)

    async def bad_request(self, lan: Lan, source: str) -> None:
        await wire.datagram_replies(self.port(lan), [b"x" * 4096], source=source, wait=0.0)


DEVICE = DeviceChannel("device")
DISCOVERY = DiscoveryChannel(
    "discovery",
    not_applicable={
        "slow_body": "a datagram arrives whole or not at all: there is no body to trickle",
        "nested": "the responder parses no query: any datagram is a search",
        "idle": "UDP holds no connection to leave open",
    },
)
