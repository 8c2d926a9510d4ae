"""The reachability self-test: firewall detection and advice as tables, the probe for real."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.app import LanServer
from bookorbit_desktop.server.reachability import (
    MACOS_FIREWALL,
    WINDOWS_FIREWALL,
    Facts,
    ProbeResult,
    advise,
    firewall_commands,
    firewall_in_use,
    firewalls_from_outputs,
    gather_facts,
    probe,
)

ANSWERED = ProbeResult(True, True)
REFUSED = ProbeResult(False, False, "Connection refused")
OTHER_SERVER = ProbeResult(True, False)


@pytest.mark.parametrize(
    ("system", "on", "named"),
    [
        ("linux", {"ufw", "nftables", "iptables"}, "ufw"),
        ("linux", {"firewalld", "nftables"}, "firewalld"),
        ("linux", {"nftables"}, "nftables"),
        ("linux", {"iptables"}, "iptables"),
        ("linux", set(), None),
        ("linux", {WINDOWS_FIREWALL}, None),
        ("win32", {WINDOWS_FIREWALL}, WINDOWS_FIREWALL),
        ("win32", set(), None),
        ("darwin", {MACOS_FIREWALL}, MACOS_FIREWALL),
        ("darwin", {"ufw"}, None),
        ("freebsd13", {"ufw"}, None),
    ],
)
def test_the_firewall_named(system, on, named):
    assert firewall_in_use(system, on) == named


@pytest.mark.parametrize(
    ("system", "outputs", "on"),
    [
        ("linux", {"ufw": "active\n", "firewalld": "inactive\n", "nftables": None}, {"ufw"}),
        ("linux", {"firewalld": "active\n", "nftables": "active\n"}, {"firewalld", "nftables"}),
        ("linux", {"ufw": "unknown\n", "iptables": "failed\n"}, set()),
        ("linux", {}, set()),
        (
            "win32",
            {WINDOWS_FIREWALL: "Private Profile Settings:\nState    ON\nOk.\n"},
            {WINDOWS_FIREWALL},
        ),
        ("win32", {WINDOWS_FIREWALL: "State    OFF\n"}, set()),
        ("win32", {WINDOWS_FIREWALL: None}, set()),
        ("darwin", {MACOS_FIREWALL: "Firewall is enabled. (State = 1)\n"}, {MACOS_FIREWALL}),
        ("darwin", {MACOS_FIREWALL: "Firewall is disabled. (State = 0)\n"}, set()),
    ],
)
def test_firewalls_read_from_command_outputs(system, outputs, on):
    assert firewalls_from_outputs(system, outputs) == on


@pytest.mark.parametrize(
    ("system", "on", "result", "reachable", "says", "allow"),
    [
        (
            "linux",
            {"ufw"},
            REFUSED,
            False,
            "ufw is probably blocking port 8765",
            "sudo ufw allow 8765/tcp",
        ),
        ("linux", {"firewalld"}, REFUSED, False, "firewalld", "--add-port=8765/tcp"),
        ("linux", {"nftables"}, REFUSED, False, "nftables", "nft add rule"),
        ("linux", {"iptables"}, REFUSED, False, "iptables", "iptables -I INPUT"),
        ("linux", set(), REFUSED, False, "Listen on", None),
        ("linux", {"ufw"}, ANSWERED, True, "ufw is on", "sudo ufw allow 8765/tcp"),
        ("linux", set(), ANSWERED, True, "The server answers at 192.168.1.20:8765.", None),
        ("win32", {WINDOWS_FIREWALL}, REFUSED, False, WINDOWS_FIREWALL, "localport=8765"),
        ("darwin", {MACOS_FIREWALL}, ANSWERED, True, MACOS_FIREWALL, "Allow incoming"),
        ("linux", {"ufw"}, OTHER_SERVER, False, "not BookOrbit's sync server", None),
    ],
)
def test_advice(system, on, result, reachable, says, allow):
    verdict = advise(Facts(system, frozenset(on), "192.168.1.20", 8765, result))
    assert verdict.reachable is reachable
    assert says in verdict.message
    if allow is None:
        assert verdict.how_to_allow is None
    else:
        assert allow in (verdict.how_to_allow or "")


def test_each_system_has_read_only_commands():
    assert set(firewall_commands("linux")) == {"ufw", "firewalld", "nftables", "iptables"}
    assert all("sudo" not in command for command in firewall_commands("linux").values())
    assert set(firewall_commands("win32")) == {WINDOWS_FIREWALL}
    assert set(firewall_commands("darwin")) == {MACOS_FIREWALL}


@pytest.mark.asyncio
async def test_probe_finds_the_running_server_and_not_a_closed_port(library):
    server = LanServer(ServerContext(library, opds_enabled=False), "127.0.0.1", 0)
    await server.start()
    try:
        found = await asyncio.to_thread(probe, "127.0.0.1", server.port)
        facts = await asyncio.to_thread(
            gather_facts, "127.0.0.1", server.port, system="linux", run=lambda _: "inactive"
        )
    finally:
        await server.stop()
    assert found == ProbeResult(True, True)
    assert advise(facts).reachable and facts.firewalls_on == frozenset()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    closed = probe("127.0.0.1", port, timeout=1)
    assert not closed.connected and closed.error


def test_probe_tells_another_program_from_the_sync_server():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]

        def answer() -> None:
            connection, _ = other.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

        thread = threading.Thread(target=answer)
        thread.start()
        result = probe("127.0.0.1", port)
        thread.join()
    assert result == ProbeResult(True, False)
