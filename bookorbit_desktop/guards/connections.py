"""Limits on connections, so idle or slow sockets cannot use up the server's file descriptors.

Every open connection costs a descriptor; at the usual limit of 1,024 a thousand idle sockets
from one laptop on the Wi-Fi would leave none for the real e-reader (or for the library file).
So the server raises its soft descriptor limit where allowed and keeps connections below it:
at most `PER_ADDRESS` from one address (a KOReader device uses one or two), and in total a cap
below the limit. When the total is reached, the oldest connection that is only waiting (no
request in progress) is closed to make room; a new connection is refused only when every one
is busy. How long a connection may wait for its request is aiohttp's keep-alive timeout,
counted from the moment it opened; a slow request body has its own timeout in the handler.

The bookkeeping is a plain class (`ConnectionLimits`) the request handler calls.
"""

from __future__ import annotations

import asyncio
import asyncio.selector_events
import contextlib
import logging
import sys
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bookorbit_desktop.allocator import glibc, trim_function

log = logging.getLogger(__name__)

PER_ADDRESS = 16
MAX_TOTAL = 1024
# Each time a selector loop wakes, asyncio accepts as many queued connections as a listening
# socket's backlog allows, and the caps see them only two turns later (the transport is made,
# then `connection_made` runs); one they close gives its descriptor back a turn after that. So up
# to four batches per listening socket hold descriptors the caps have not counted. The sockets
# therefore take `ACCEPT_BATCH` at a time while the system still queues `QUEUED_CONNECTIONS`.
ACCEPT_BATCH = 4
QUEUED_CONNECTIONS = 128
# HTTP, HTTPS, the highlights receiver and the wireless device port, each on up to two sockets
# (a name such as localhost binds IPv4 and IPv6).
LISTENING_SOCKETS = 8
# The wireless device port keeps its own, small cap (one device at a time; `devices.server`).
DEVICE_CONNECTIONS = 32
# Descriptors kept free for the database, its WAL, logs, served files and threads (96), the
# device port's connections, and the accepted connections the caps have not seen yet.
RESERVED_DESCRIPTORS = 96 + DEVICE_CONNECTIONS + 4 * ACCEPT_BATCH * LISTENING_SOCKETS
WANTED_DESCRIPTORS = 8192
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameters
_M_ARENA_MAX = -8
IDLE_SECONDS = 8.0  # from connecting (or the last answer) to a complete request head
# What one read from a socket asks for. asyncio asks for 256 KiB, so every read allocates a
# buffer above the fixed mmap threshold `tame_allocator` sets: an mmap, a page fault, an
# mremap and a munmap per request. 64 KiB (the largest body the app takes) comes from the heap.
READ_CHUNK_BYTES = 64 * 1024
BODY_SECONDS = 8.0  # to receive a request body
# KOReader's largest request is a push of well under 1 KiB; this leaves room for long
# metadata while refusing anything that is clearly not a sync request.
MAX_BODY_BYTES = 64 * 1024


def raise_descriptor_limit(wanted: int = WANTED_DESCRIPTORS) -> int:
    """Raise the soft limit on open files towards `wanted` (never above the hard limit);
    return the soft limit in force afterwards (a large number where there is none)."""
    if sys.platform == "win32":
        return 16_384
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as error:
            log.info("Could not raise the open-file limit from %d: %s", soft, error)
    return soft if soft != resource.RLIM_INFINITY else wanted


def tame_allocator() -> Callable[[], None] | None:
    """Let freed request buffers go back to the system (glibc only); returns the call that
    hands the heap's free tail back after a burst (None where there is none).

    glibc raises its mmap threshold each time a large block is freed, after which request heads
    of a few hundred KiB come from the heap and stay there: a flood of abandoned requests would
    leave the process at a gigabyte although Python holds none of it. A fixed threshold (and
    few arenas for the database threads) keeps the resident size near what is in use.
    """
    libc = glibc()
    if libc is None:  # another C library (musl): nothing to tune
        return None
    libc.mallopt(_M_MMAP_THRESHOLD, 128 * 1024)
    libc.mallopt(_M_ARENA_MAX, 2)
    return trim_function(libc)


def accept_backlog() -> int:
    """The backlog a listener starts with on the running loop. A selector loop (Linux and macOS,
    Qt's loop there too) accepts that many at each wake, so it gets the small batch; Windows'
    proactor accepts one at a time and keeps the first queue length it is given."""
    loop = asyncio.get_running_loop()
    if isinstance(loop, asyncio.selector_events.BaseSelectorEventLoop):
        return ACCEPT_BATCH
    return QUEUED_CONNECTIONS


def queue_deeper(server: Any) -> None:
    """Let the system queue `QUEUED_CONNECTIONS` for an asyncio `server` started with
    `accept_backlog()` (asyncio uses one number for the batch and the queue; listening again
    sets the queue's length)."""
    for listening in getattr(server, "sockets", None) or ():
        with contextlib.suppress(OSError), listening.dup() as sock:
            sock.listen(QUEUED_CONNECTIONS)


def peer_address(transport: Any) -> str | None:
    """The remote address of a transport or stream writer (None where it has none)."""
    peer = transport.get_extra_info("peername") if transport is not None else None
    return str(peer[0]) if isinstance(peer, tuple) and peer else None


def total_cap(descriptor_limit: int) -> int:
    """How many connections may be open at once with `descriptor_limit` descriptors."""
    return max(16, min(MAX_TOTAL, descriptor_limit - RESERVED_DESCRIPTORS))


class ConnectionLimits:
    """Open connections by address, oldest first. A connection is any object; `is_idle(conn)`
    says whether it may be closed to make room, `close(conn)` closes it."""

    def __init__(
        self,
        total: int,
        per_address: int = PER_ADDRESS,
        *,
        is_idle: Callable[[Any], bool],
        close: Callable[[Any], None],
    ) -> None:
        self.total = total
        self.per_address = per_address
        self._is_idle = is_idle
        self._close = close
        self._open: OrderedDict[Any, str] = OrderedDict()
        self._by_address: dict[str, int] = {}
        self.refused = 0
        self.evicted = 0
        self.closed_total = 0  # connections closed so far (the server trims memory after bursts)

    def __len__(self) -> int:
        return len(self._open)

    def count(self, address: str) -> int:
        return self._by_address.get(address, 0)

    def opened(self, conn: Any, address: str) -> bool:
        """Register a new connection; False means refuse it (the caller closes it)."""
        if self.count(address) >= self.per_address:
            self.refused += 1
            return False
        if len(self._open) >= self.total and not self._evict_one():
            self.refused += 1
            return False
        self._open[conn] = address
        self._by_address[address] = self.count(address) + 1
        return True

    def _evict_one(self) -> bool:
        for conn in self._open:
            if self._is_idle(conn):
                self.closed(conn)
                self.evicted += 1
                self._close(conn)
                return True
        return False

    def closed(self, conn: Any) -> None:
        address = self._open.pop(conn, None)
        if address is None:
            return
        self.closed_total += 1
        left = self._by_address.get(address, 1) - 1
        if left > 0:
            self._by_address[address] = left
        else:
            self._by_address.pop(address, None)
