"""The UDP responder KOReader's Calibre > Connect finds the desktop with.

KOReader broadcasts a datagram to each of calibre's five ports in turn and waits 3 s on each
for exactly `calibre wireless device client (on HOST);CONTENT_PORT,TCP_PORT` (both numbers,
no newline); it then connects to the TCP port at the address the answer came from. The
responder takes the first of those ports that is free and binds on every address (a socket
bound to one address never hears a broadcast). It answers only addresses of the local network
(private, link-local, loopback) and at most `MAX_REPLIES_PER_SECOND` times a second, so it can
neither be found from the internet nor be used to flood anyone.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Sequence
from typing import cast

log = logging.getLogger(__name__)

BROADCAST_PORTS = (54982, 48123, 39001, 44044, 59678)
GREETING = "calibre wireless device client"
MAX_REPLIES_PER_SECOND = 20
MAX_DATAGRAM_BYTES = 512


def reply_text(host_name: str, content_port: int, tcp_port: int) -> bytes:
    short = host_name.partition(".")[0] or "BookOrbit"
    # ";" and "," delimit the numbers KOReader reads, and ")" closes the name
    short = "".join("_" if ch in ";,()" else ch for ch in short)
    return f"{GREETING} (on {short});{content_port},{tcp_port}".encode()


def is_local_network(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private or ip.is_link_local or ip.is_loopback


class _Responder(asyncio.DatagramProtocol):
    def __init__(self, reply: Callable[[], bytes], clock: Callable[[], float]) -> None:
        self.reply, self.clock = reply, clock
        self.transport: asyncio.DatagramTransport | None = None
        self.window_start, self.replies = 0.0, 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        host = str(addr[0])
        if len(data) > MAX_DATAGRAM_BYTES or not is_local_network(host) or not self._allowed():
            return
        if self.transport is not None:
            self.transport.sendto(self.reply(), addr)

    def _allowed(self) -> bool:
        now = self.clock()
        if now - self.window_start >= 1.0:
            self.window_start, self.replies = now, 0
        self.replies += 1
        return self.replies <= MAX_REPLIES_PER_SECOND


class Discovery:
    """Answers KOReader's broadcasts on the first free port of `ports`; `port` once started."""

    def __init__(
        self,
        tcp_port: Callable[[], int],
        content_port: Callable[[], int],
        ports: Sequence[int] = BROADCAST_PORTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ports = tuple(ports)
        self._tcp_port, self._content_port, self._clock = tcp_port, content_port, clock
        self.port: int | None = None
        self._transport: asyncio.DatagramTransport | None = None

    def _reply(self) -> bytes:
        return reply_text(socket.gethostname(), self._content_port(), self._tcp_port())

    async def start(self) -> int | None:
        """Bind the first free port; None (and a log line) when all of them are taken."""
        loop = asyncio.get_running_loop()
        for port in self.ports:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.bind(("0.0.0.0", port))
            except OSError:
                sock.close()
                continue
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Responder(self._reply, self._clock), sock=sock
            )
            self._transport, self.port = transport, port
            log.info("Answering KOReader's calibre search on UDP port %d", port)
            return port
        log.warning("calibre's discovery ports are all in use: %s", self.ports)
        return None

    def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
        self._transport, self.port = None, None
