"""The UDP responder on loopback: the first free port, the host it follows, the queries it
answers, the size and rate of its replies, and KOReader's own reading of a reply."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import socket
import subprocess
from asyncio.subprocess import PIPE
from pathlib import Path
from types import SimpleNamespace

import pytest

from bookorbit_desktop.devices.discovery import (
    MAX_REPLY_BYTES,
    PER_ADDRESS_BURST,
    Discovery,
    _Responder,
    listen_addresses,
    reply_rate,
    reply_text,
)
from bookorbit_desktop.devices.records import DeviceRecords
from bookorbit_desktop.devices.server import DeviceServer

# What KOReader's find_calibre_server reads from the answer (a Lua pattern, as a regex).
KOREADER_PATTERN = re.compile(r"calibre wireless device client \(on (.*?)\);(\d+),(\d+)$")


def _free_udp_port() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", 0))
    return sock


async def test_the_first_free_port_answers_hello_with_both_ports():
    taken = _free_udp_port()
    spare = _free_udp_port()
    free_port = spare.getsockname()[1]
    spare.close()
    discovery = Discovery(lambda: 9090, lambda: 8765, ports=(taken.getsockname()[1], free_port))
    try:
        assert await discovery.start() == free_port
        assert discovery.addresses() == ["0.0.0.0"]
        loop = asyncio.get_running_loop()
        device = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        device.setblocking(False)
        device.bind(("127.0.0.1", 0))
        await loop.sock_sendto(device, b"hello", ("127.0.0.1", free_port))
        data = await asyncio.wait_for(loop.sock_recv(device, 1024), 5)
        device.close()
        match = KOREADER_PATTERN.search(data.decode())
        assert match and match.group(2, 3) == ("8765", "9090")
        assert not data.endswith(b"\n")
    finally:
        discovery.stop()
        taken.close()


async def test_no_free_port_is_not_fatal():
    taken = _free_udp_port()
    discovery = Discovery(lambda: 9090, lambda: 8765, ports=(taken.getsockname()[1],))
    assert await discovery.start() is None
    discovery.stop()
    taken.close()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("laptop.local", "calibre wireless device client (on laptop);8765,9090"),
        ("we;ird,(x)", "calibre wireless device client (on we_ird__x_);8765,9090"),
        ("", "calibre wireless device client (on BookOrbit);8765,9090"),
    ],
)
def test_the_reply_keeps_koreaders_pattern_whatever_the_host_name(name, expected):
    text = reply_text(name, 8765, 9090).decode()
    assert text == expected
    assert KOREADER_PATTERN.search(text).group(2, 3) == ("8765", "9090")


def _spare_udp_port() -> int:
    spare = _free_udp_port()
    port = spare.getsockname()[1]
    spare.close()
    return port


async def _started(host: str = "127.0.0.1") -> Discovery:
    discovery = Discovery(lambda: 9090, lambda: 8765, ports=(_spare_udp_port(),), host=host)
    assert await discovery.start() is not None
    return discovery


async def _replies(port: int, payloads: list[bytes], source: str = "127.0.0.2") -> list[bytes]:
    loop = asyncio.get_running_loop()
    device = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    device.setblocking(False)
    device.bind((source, 0))
    try:
        for payload in payloads:
            await loop.sock_sendto(device, payload, ("127.0.0.1", port))
        replies = []
        with contextlib.suppress(TimeoutError):
            while True:
                replies.append(await asyncio.wait_for(loop.sock_recv(device, 4096), 0.3))
        return replies
    finally:
        device.close()


async def test_discovery_follows_the_host_like_the_device_port(library):
    port = _spare_udp_port()
    server = DeviceServer(
        "pw", DeviceRecords(), "127.0.0.1", 0, discovery=True, discovery_ports=(port,)
    )
    await server.start()
    try:
        assert server.status.discovery_port == port
        # Bound to 127.0.0.1 alone, the port is still free on another address.
        other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        other.bind(("127.0.0.2", port))
        other.close()
        assert await _replies(port, [b"hello"]) != []
    finally:
        await server.stop()


@pytest.mark.parametrize(
    ("host", "addresses"),
    [
        ("0.0.0.0", ["0.0.0.0"]),
        ("", ["0.0.0.0"]),
        ("::", ["0.0.0.0"]),  # IPv4 and IPv6, as the sync server's "::" is
        ("127.0.0.1", ["127.0.0.1"]),
        ("localhost", ["127.0.0.1"]),
        ("::1", []),  # KOReader searches over IPv4 only
    ],
)
def test_listen_addresses(host, addresses):
    assert listen_addresses(host) == addresses


async def test_only_koreaders_query_is_answered():
    discovery = await _started()
    try:
        for query in (b"x", b"hello\n", b"HELLO", b"hello" * 800, b"", b"hello\x00"):
            assert await _replies(discovery.port, [query]) == [], query
        assert len(await _replies(discovery.port, [b"hello"], source="127.0.0.3")) == 1
    finally:
        discovery.stop()


async def test_a_reply_is_at_most_twelve_times_the_query(monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "a-very-long-host-name-indeed" * 2)
    discovery = Discovery(
        lambda: 65535, lambda: 65535, ports=(_spare_udp_port(),), host="127.0.0.1"
    )
    await discovery.start()
    try:
        [reply] = await _replies(discovery.port, [b"hello"])
    finally:
        discovery.stop()
    assert len(reply) <= 12 * len(b"hello") == MAX_REPLY_BYTES
    assert KOREADER_PATTERN.search(reply.decode()).group(2, 3) == ("65535", "65535")


async def test_replies_are_rate_limited_per_address():
    discovery = await _started()
    try:
        flooded = await _replies(discovery.port, [b"hello"] * 10, source="127.0.0.2")
        assert len(flooded) == PER_ADDRESS_BURST
        # Another device on the same network is still answered.
        assert len(await _replies(discovery.port, [b"hello"], source="127.0.0.3")) == 1
    finally:
        discovery.stop()


@pytest.mark.parametrize(
    ("asks", "strangers", "answered"),
    [(3, 0, 3), (5, 0, 3), (3, 5, 3)],
)
def test_replies_go_only_to_the_local_network_within_the_rate(asks, strangers, answered):
    now = [100.0]
    responder = _Responder(lambda: b"reply", reply_rate(lambda: now[0]))
    sent: list[tuple[bytes, tuple]] = []
    responder.transport = SimpleNamespace(sendto=lambda data, addr: sent.append((data, addr)))  # type: ignore[assignment]
    for _ in range(asks):
        responder.datagram_received(b"hello", ("192.168.1.9", 8134))
    for _ in range(strangers):
        responder.datagram_received(b"hello", ("8.8.8.8", 8134))
    assert len(sent) == answered
    now[0] += 1.0
    responder.datagram_received(b"hello", ("192.168.1.9", 8134))
    assert len(sent) == answered + 1


def _luasocket_missing() -> str | None:
    if shutil.which("luajit") is None:
        return "luajit is not installed (Debian package luajit; `make test` installs it as root)"
    probe = subprocess.run(["luajit", "-e", "require('socket')"], capture_output=True)
    if probe.returncode != 0:
        return "LuaSocket is not installed (Debian package lua-socket)"
    return None


async def test_koreaders_own_lua_pattern_reads_the_reply():
    reason = _luasocket_missing()
    if reason:
        pytest.skip(reason)
    spare = _free_udp_port()
    port = spare.getsockname()[1]
    spare.close()
    discovery = Discovery(lambda: 9091, lambda: 8765, ports=(port,))
    await discovery.start()
    try:
        script = Path(__file__).with_name("discovery_probe.lua")
        process = await asyncio.create_subprocess_exec(
            "luajit", str(script), str(port), stdout=PIPE, stderr=PIPE
        )
        out, err = await asyncio.wait_for(process.communicate(), 15)
    finally:
        discovery.stop()
    assert process.returncode == 0, err.decode()
    host, tcp_port, content_port, _ = out.decode().split(" ", 3)
    assert (host, tcp_port, content_port) == ("127.0.0.1", "9091", "8765")
