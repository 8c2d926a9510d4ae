"""Listening sockets: what an error binding one means, in words a user can act on, the ports
a listener ended up on, and a site that accepts in the small batches `connections` counts.

Every listener (the sync server, the highlights receiver) reads the same errors the same way;
only the advice for a taken port names the listener's own setting.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from bookorbit_desktop.guards.connections import QUEUED_CONNECTIONS, accept_backlog, queue_deeper


def port_taken(error: OSError) -> bool:
    """The port is already in use (Linux/macOS errno, or Windows' WSAEADDRINUSE)."""
    return error.errno == errno.EADDRINUSE or getattr(error, "winerror", None) == 10048


def bind_problem(error: OSError, host: str, port: int, *, taken_advice: str) -> str:
    """The message for failing to listen on `host`:`port`; `taken_advice` follows "Port N is
    already in use on this computer." when it is."""
    if port_taken(error):
        return f"Port {port} is already in use on this computer. {taken_advice}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return (
            f"This computer does not allow BookOrbit to listen on port {port}. Choose a port "
            "above 1024."
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return (
            f"The address {host} does not belong to this computer (any more). Choose one of "
            "its current addresses, or 0.0.0.0 for all of them."
        )
    return f"Could not listen on {host} port {port}: {error.strerror or error}."


def listening_ports(addresses: Iterable[Any]) -> list[int]:
    """The ports of a runner's `addresses`, in the order its sites started (a port asked for as
    0 shows here as the one the system chose)."""
    ports: list[int] = []
    for address in addresses:
        if isinstance(address, tuple) and len(address) >= 2 and int(address[1]) not in ports:
            ports.append(int(address[1]))
    return ports


class Listener:
    """A listener that owns an aiohttp runner while it serves."""

    _runner: web.BaseRunner | None = None

    @property
    def running(self) -> bool:
        return self._runner is not None


class BatchedSite(web.TCPSite):
    """`web.TCPSite` accepting a few connections a turn, so the caps keep up."""

    def __init__(self, runner: web.BaseRunner, host: str, port: int) -> None:
        super().__init__(runner, host, port, backlog=QUEUED_CONNECTIONS)

    async def start(self) -> None:
        self._backlog = accept_backlog()
        await super().start()
        queue_deeper(self._server)
