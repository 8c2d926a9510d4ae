"""The UDP responder on loopback: the first free port, bound on every address, KOReader's reply."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest

from bookorbit_desktop.devices.discovery import (
    MAX_REPLIES_PER_SECOND,
    Discovery,
    _Responder,
    is_local_network,
    reply_text,
)

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
        assert discovery._transport.get_extra_info("sockname")[0] == "0.0.0.0"
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


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("192.168.1.5", True),
        ("10.0.0.2", True),
        ("172.16.4.4", True),
        ("169.254.1.1", True),
        ("127.0.0.1", True),
        ("8.8.8.8", False),
        ("not an address", False),
    ],
)
def test_only_the_local_network_is_answered(address, local):
    assert is_local_network(address) is local


class _Transport:
    def __init__(self) -> None:
        self.sent: list[tuple[bytes, tuple]] = []

    def sendto(self, data: bytes, addr: tuple) -> None:
        self.sent.append((data, addr))


def test_replies_are_rate_limited_and_strangers_ignored():
    now = [100.0]
    responder = _Responder(lambda: b"reply", lambda: now[0])
    responder.transport = _Transport()  # type: ignore[assignment]
    for _ in range(MAX_REPLIES_PER_SECOND + 10):
        responder.datagram_received(b"hello", ("192.168.1.9", 8134))
    responder.datagram_received(b"hello", ("8.8.8.8", 8134))
    assert len(responder.transport.sent) == MAX_REPLIES_PER_SECOND
    now[0] += 1.0
    responder.datagram_received(b"hello", ("192.168.1.9", 8134))
    assert len(responder.transport.sent) == MAX_REPLIES_PER_SECOND + 1


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
