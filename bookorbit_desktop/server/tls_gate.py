"""HTTPS whose connection limits and handshake timeout hold *before* the TLS handshake.

asyncio's own TLS server hands a connection to the app only once its handshake is done, and
waits up to a minute for that: thousands of silent connections from one laptop would hold a
descriptor each, past every per-address cap, until none is left for anyone (HTTP included).
Here each accepted TCP connection first meets a `_Gate`: it counts in the server's
`ConnectionLimits` under its address (so the per-address and total caps apply at once, and an
unfinished handshake is the first thing closed to make room), and the handshake must finish
within `HANDSHAKE_SECONDS`. Only then does aiohttp's request handler take the connection over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bookorbit_desktop.guards.connections import (
    QUEUED_CONNECTIONS,
    ConnectionLimits,
    accept_backlog,
    peer_address,
    queue_deeper,
)

log = logging.getLogger(__name__)

HANDSHAKE_SECONDS = 4.0
MAX_EARLY_BYTES = 64 * 1024


class _Gate(asyncio.Protocol):
    """One accepted connection until its handshake is done (then the handler's)."""

    def __init__(self, site: GatedTlsSite) -> None:
        self._site = site
        self._raw: asyncio.Transport | None = None
        self._task: asyncio.Task[None] | None = None
        # What the client sent between the handshake and the handover, for the handler.
        self._early = bytearray()
        self._eof = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._raw = transport
        transport.pause_reading()  # the client's hello waits for the TLS layer
        if not self._site.limits.opened(self, peer_address(transport) or "unknown"):
            transport.abort()
            return
        self._site.gates.add(self)
        self._task = asyncio.get_running_loop().create_task(self._handshake())

    async def _handshake(self) -> None:
        raw = self._raw
        assert raw is not None
        loop = asyncio.get_running_loop()
        try:
            secure = await loop.start_tls(
                raw,
                self,
                self._site.context,
                server_side=True,
                ssl_handshake_timeout=HANDSHAKE_SECONDS,
            )
        except (OSError, ssl.SSLError, TimeoutError, ConnectionError):
            secure = None
        finally:
            self._site.limits.closed(self)  # the handler counts itself from here on
            self._site.gates.discard(self)
        if secure is None or raw.is_closing():
            raw.abort()
            return
        handler = self._site.make_handler()
        secure.set_protocol(handler)
        handler.connection_made(secure)
        if self._early:
            handler.data_received(bytes(self._early))
        if self._eof:
            handler.eof_received()

    # The request may arrive right after the handshake, before the handler takes over.
    def data_received(self, data: bytes) -> None:
        self._early += data
        if len(self._early) > MAX_EARLY_BYTES and self._raw is not None:
            self._raw.abort()

    def eof_received(self) -> bool | None:
        self._eof = True
        return True  # keep the connection open for the answer

    def connection_lost(self, exc: BaseException | None) -> None:
        self._site.limits.closed(self)
        self._site.gates.discard(self)

    def is_waiting(self) -> bool:
        return True  # no request yet: the first to go when the server needs room

    def close_now(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._raw is not None:
            self._raw.abort()


class GatedTlsSite(web.TCPSite):
    """`web.TCPSite` for HTTPS with the gate in front of every connection."""

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str,
        port: int,
        *,
        context: ssl.SSLContext,
        limits: ConnectionLimits,
    ) -> None:
        super().__init__(runner, host, port, ssl_context=context, backlog=QUEUED_CONNECTIONS)
        self.context = context
        self.limits = limits
        self.gates: set[_Gate] = set()
        server = runner.server
        assert server is not None
        self.make_handler: Callable[[], Any] = server

    async def start(self) -> None:
        await web.BaseSite.start(self)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Gate(self), self._host, self._port, backlog=accept_backlog()
        )
        queue_deeper(self._server)
        self._bound_port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        for gate in list(self.gates):
            with contextlib.suppress(Exception):
                gate.close_now()
        await super().stop()
