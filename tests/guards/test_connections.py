"""Connection bookkeeping: a share per address, a total below the descriptor limit, and the
oldest idle connection making room for a new one."""

from __future__ import annotations

import resource
import select
import socket
import sys

import pytest
from aiohttp import web

from bookorbit_desktop.guards.connections import (
    ACCEPT_BATCH,
    MAX_TOTAL,
    QUEUED_CONNECTIONS,
    RESERVED_DESCRIPTORS,
    ConnectionLimits,
    raise_descriptor_limit,
    total_cap,
)
from bookorbit_desktop.server.binding import BatchedSite


class Conn:
    def __init__(self, name: str, idle: bool = True) -> None:
        self.name = name
        self.idle = idle
        self.closed = False


def limits(total: int, per_address: int) -> ConnectionLimits:
    def close(conn: Conn) -> None:
        conn.closed = True

    return ConnectionLimits(total, per_address, is_idle=lambda c: c.idle, close=close)


@pytest.mark.parametrize(
    ("descriptors", "cap"),
    [
        (1024, 1024 - RESERVED_DESCRIPTORS),
        (512, 512 - RESERVED_DESCRIPTORS),
        (RESERVED_DESCRIPTORS + 16, 16),
        (256, 16),
        (50, 16),
        (100_000, MAX_TOTAL),
    ],
)
def test_total_cap_stays_below_the_descriptor_limit(descriptors, cap):
    assert total_cap(descriptors) == cap


@pytest.mark.parametrize(
    ("opens", "per_address", "expected"),
    [
        (["a", "a", "a"], 2, [True, True, False]),
        (["a", "b", "a", "b", "a"], 2, [True, True, True, True, False]),
        (["a"] * 5, 5, [True] * 5),
    ],
)
def test_each_address_gets_its_share(opens, per_address, expected):
    book = limits(100, per_address)
    assert [book.opened(Conn(f"{n}"), address) for n, address in enumerate(opens)] == expected


def test_when_full_the_oldest_idle_connection_makes_room():
    book = limits(3, 10)
    busy, idle_old, idle_new = Conn("busy", idle=False), Conn("old"), Conn("new")
    for conn in (busy, idle_old, idle_new):
        assert book.opened(conn, "10.0.0.2")
    newcomer = Conn("newcomer")
    assert book.opened(newcomer, "10.0.0.3")
    assert idle_old.closed and not busy.closed and not idle_new.closed
    assert len(book) == 3 and book.evicted == 1


def test_when_every_connection_is_busy_a_new_one_is_refused():
    book = limits(2, 10)
    for n in range(2):
        assert book.opened(Conn(f"{n}", idle=False), "10.0.0.2")
    assert not book.opened(Conn("late"), "10.0.0.4")
    assert book.refused == 1


def test_closing_frees_the_share_and_counts():
    book = limits(10, 1)
    first = Conn("first")
    assert book.opened(first, "10.0.0.5")
    assert not book.opened(Conn("second"), "10.0.0.5")
    book.closed(first)
    book.closed(first)  # twice is harmless
    assert book.count("10.0.0.5") == 0 and book.closed_total == 1
    assert book.opened(Conn("third"), "10.0.0.5")


def test_the_soft_descriptor_limit_is_raised_within_the_hard_one():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))
        now = raise_descriptor_limit(wanted=512)
        expected = 512 if hard == resource.RLIM_INFINITY else min(512, hard)
        assert now == expected == resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.skipif(sys.platform != "linux", reason="Linux drops handshakes past the queue")
async def test_a_batched_site_accepts_a_few_at_a_time_but_the_system_queues_many():
    """The loop is kept busy (a blocking wait on this thread), so nothing is accepted: every
    handshake that completes sits in the system's queue, which must hold more than a batch."""
    runner = web.AppRunner(web.Application())
    await runner.setup()
    site = BatchedSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    wanted = QUEUED_CONNECTIONS - 8
    clients = [socket.socket() for _ in range(wanted)]
    try:
        for client in clients:
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", port))
        _, ready, _ = select.select([], clients, [], 1.0)
        connected = [c for c in ready if c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0]
    finally:
        for client in clients:
            client.close()
        await runner.cleanup()
    assert wanted > ACCEPT_BATCH
    assert len(connected) == wanted
