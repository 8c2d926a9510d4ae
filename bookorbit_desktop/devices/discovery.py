"""The UDP responder KOReader's Calibre > Connect finds the desktop with.

KOReader broadcasts the five bytes `hello` to each of calibre's five ports in turn and waits
3 s on each for exactly `calibre wireless device client (on HOST);CONTENT_PORT,TCP_PORT` (both
numbers, no newline); it then connects to the TCP port at the address the answer came from.
The responder takes the first of those ports that is free on every address it binds, and it
binds the addresses the other ports listen on (`listen_addresses`): all of them for `0.0.0.0`,
`::` or no host, else only the chosen one. (A socket bound to one address hears only datagrams
sent to it, not broadcasts: with a chosen address, the user types it into KOReader.)

A reply goes wherever a datagram's source says, and a source can be forged, so a stranger
could try to aim replies at someone else. Hence:

| rule | bound |
|---|---|
| only the queries KOReader sends (`QUERIES`), byte for byte | anything else: silence |
| only sources on the local network (private, link-local, loopback) | the internet: silence |
| the host name in the reply is cut to `MAX_NAME_BYTES` | a reply is at most `MAX_REPLY_BYTES` |
| per source address (`guards.rate`) | `PER_ADDRESS_BURST`, then `PER_ADDRESS_RATE` a second |
| all sources together | `TOTAL_BURST`, then `TOTAL_RATE` a second |

The reply cannot be as short as the query: KOReader's greeting alone is 30 bytes and its query
5. So a reply is at most `MAX_REPLY_BYTES` = 60 bytes for 5, a factor of exactly 12
(`AMPLIFICATION`), and the rate bounds turn that into at most 60 bytes a second sustained
towards any one address and 1.2 KB a second in all: nothing worth forging a source for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Sequence
from typing import cast

from bookorbit_desktop.guards.addresses import local_network
from bookorbit_desktop.guards.rate import AddressRate

log = logging.getLogger(__name__)

BROADCAST_PORTS = (54982, 48123, 39001, 44044, 59678)
GREETING = "calibre wireless device client"
QUERIES = frozenset({b"hello"})  # KOReader's find_calibre_server sends nothing else
MAX_NAME_BYTES = 12
MAX_REPLY_BYTES = len(f"{GREETING} (on );65535,65535") + MAX_NAME_BYTES
AMPLIFICATION = MAX_REPLY_BYTES / min(len(query) for query in QUERIES)
PER_ADDRESS_BURST = 3.0  # one search sends one query to this port; a user retries a few times
PER_ADDRESS_RATE = 1.0
TOTAL_BURST = 20.0
TOTAL_RATE = 20.0
_ALL = ("", "0.0.0.0", "::")


def reply_text(host_name: str, content_port: int, tcp_port: int) -> bytes:
    short = host_name.partition(".")[0] or "BookOrbit"
    # ";" and "," delimit the numbers KOReader reads, and ")" closes the name
    short = "".join("_" if ch in ";,()" or not ch.isprintable() else ch for ch in short)
    short = short.encode()[:MAX_NAME_BYTES].decode(errors="ignore") or "BookOrbit"
    return f"{GREETING} (on {short});{content_port},{tcp_port}".encode()


def listen_addresses(host: str) -> list[str]:
    """The IPv4 addresses to bind for a server asked to listen on `host` (KOReader searches
    over IPv4 only; a host with no IPv4 address gets none)."""
    if host in _ALL:
        return ["0.0.0.0"]
    try:
        found = socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_DGRAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))


def reply_rate(clock: Callable[[], float] = time.monotonic) -> AddressRate:
    return AddressRate(
        PER_ADDRESS_RATE,
        PER_ADDRESS_BURST,
        total_rate=TOTAL_RATE,
        total_burst=TOTAL_BURST,
        clock=clock,
    )


class _Responder(asyncio.DatagramProtocol):
    def __init__(self, reply: Callable[[], bytes], rate: AddressRate) -> None:
        self.reply, self.rate = reply, rate
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        host = str(addr[0])
        if data not in QUERIES or not local_network(host) or not self.rate.allow(host):
            return
        if self.transport is not None:
            self.transport.sendto(self.reply(), addr)


class Discovery:
    """Answers KOReader's searches on the first port of `ports` free on every address of
    `host`; `port` once started."""

    def __init__(
        self,
        tcp_port: Callable[[], int],
        content_port: Callable[[], int],
        ports: Sequence[int] = BROADCAST_PORTS,
        clock: Callable[[], float] = time.monotonic,
        host: str = "0.0.0.0",
    ) -> None:
        self.ports = tuple(ports)
        self.host = host
        self._tcp_port, self._content_port = tcp_port, content_port
        self.rate = reply_rate(clock)  # one budget for every address bound
        self.port: int | None = None
        self._transports: list[asyncio.DatagramTransport] = []

    def _reply(self) -> bytes:
        return reply_text(socket.gethostname(), self._content_port(), self._tcp_port())

    async def start(self) -> int | None:
        """Bind the first free port; None (and a log line) when there is none or `host` has
        no IPv4 address."""
        addresses = listen_addresses(self.host)
        if not addresses:
            log.warning(
                "KOReader's calibre search is not answered: %s has no IPv4 address", self.host
            )
            return None
        for port in self.ports:
            sockets = _bind_all(addresses, port)
            if sockets is None:
                continue
            loop = asyncio.get_running_loop()
            for sock in sockets:
                transport, _ = await loop.create_datagram_endpoint(
                    lambda: _Responder(self._reply, self.rate), sock=sock
                )
                self._transports.append(transport)
            self.port = port
            log.info(
                "Answering KOReader's calibre search on UDP port %d (%s)",
                port,
                ", ".join(addresses),
            )
            return port
        log.warning("calibre's discovery ports are all in use: %s", self.ports)
        return None

    def addresses(self) -> list[str]:
        """The addresses bound, for tests and the log."""
        return [str(t.get_extra_info("sockname")[0]) for t in self._transports]

    def stop(self) -> None:
        for transport in self._transports:
            transport.close()
        self._transports, self.port = [], None


def _bind_all(addresses: list[str], port: int) -> list[socket.socket] | None:
    """`port` bound on every one of `addresses`, or None (nothing left open) when one is taken."""
    bound: list[socket.socket] = []
    for address in addresses:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind((address, port))
        except OSError:
            sock.close()
            for other in bound:
                with contextlib.suppress(OSError):
                    other.close()
            return None
        bound.append(sock)
    return bound
