"""Can a device on this network reach the server? A self-test and firewall advice.

The test connects to the server's own LAN address and asks `/kosync/healthcheck`: that shows
the server listens on the network (not on loopback only) and answers. A connection from this
computer to its own address does not cross its firewall, so a passing test still names the
firewall that is on and how to allow the port, and a failing one says which firewall most
likely blocks it. `advise` is a pure function of the injected `Facts` (system, which firewall
services are on, the probe's outcome); `gather_facts` reads them from the live system.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Linux firewall front ends, most specific first: ufw and firewalld write nftables/iptables
# rules themselves, so the one to name is the front end the user manages.
LINUX_FIREWALLS = ("ufw", "firewalld", "nftables", "iptables")
WINDOWS_FIREWALL = "Windows Defender Firewall"
MACOS_FIREWALL = "macOS application firewall"


@dataclass(frozen=True)
class ProbeResult:
    connected: bool
    answered: bool  # the healthcheck answered like a kosync server
    error: str | None = None


@dataclass(frozen=True)
class Facts:
    system: str  # sys.platform: "linux", "win32", "darwin"
    firewalls_on: frozenset[str]  # names from LINUX_FIREWALLS, WINDOWS_FIREWALL, MACOS_FIREWALL
    address: str
    port: int
    probe: ProbeResult


@dataclass(frozen=True)
class Verdict:
    reachable: bool
    firewall: str | None
    message: str
    how_to_allow: str | None


def allow_instructions(firewall: str, port: int, program: str) -> str:
    """What to type or click to let devices on the network reach `port`."""
    if firewall == "ufw":
        return f"sudo ufw allow {port}/tcp"
    if firewall == "firewalld":
        return f"sudo firewall-cmd --permanent --add-port={port}/tcp && sudo firewall-cmd --reload"
    if firewall == "nftables":
        return f"sudo nft add rule inet filter input tcp dport {port} accept"
    if firewall == "iptables":
        return f"sudo iptables -I INPUT -p tcp --dport {port} -j ACCEPT"
    if firewall == WINDOWS_FIREWALL:
        return (
            "Windows Security → Firewall & network protection → Allow an app through firewall "
            f"→ Change settings → tick BookOrbit Desktop for Private networks (or, as "
            f"administrator: netsh advfirewall firewall add rule name=BookOrbit dir=in "
            f"action=allow protocol=TCP localport={port} profile=private)"
        )
    if firewall == MACOS_FIREWALL:
        return (
            "System Settings → Network → Firewall → Options → add BookOrbit Desktop and choose "
            f"“Allow incoming connections” (or: sudo /usr/libexec/ApplicationFirewall/"
            f"socketfilterfw --add {program} --unblockapp {program})"
        )
    raise ValueError(f"unknown firewall {firewall!r}")


def firewall_in_use(system: str, firewalls_on: Iterable[str]) -> str | None:
    """The firewall to name: on Linux the front end the user manages, else the system's."""
    active = set(firewalls_on)
    if system.startswith("linux"):
        return next((name for name in LINUX_FIREWALLS if name in active), None)
    if system == "win32":
        return WINDOWS_FIREWALL if WINDOWS_FIREWALL in active else None
    if system == "darwin":
        return MACOS_FIREWALL if MACOS_FIREWALL in active else None
    return None


def advise(facts: Facts, program: str = "BookOrbit Desktop") -> Verdict:
    """The self-test's answer in the user's words."""
    firewall = firewall_in_use(facts.system, facts.firewalls_on)
    how = allow_instructions(firewall, facts.port, program) if firewall else None
    where = f"{facts.address}:{facts.port}"
    if facts.probe.answered:
        message = f"The server answers at {where}."
        if firewall:
            message += (
                f" {firewall} is on: if your e-reader still cannot connect, allow port "
                f"{facts.port} in it."
            )
        return Verdict(True, firewall, message, how)
    if facts.probe.connected:
        return Verdict(
            False,
            firewall,
            f"Something answers at {where}, but it is not BookOrbit's sync server. Choose "
            "another port in Settings.",
            None,
        )
    reason = f" ({facts.probe.error})" if facts.probe.error else ""
    if firewall:
        message = f"Nothing answers at {where}{reason}. {firewall} is probably blocking port "
        message += f"{facts.port}: allow it, then test again."
    else:
        message = (
            f"Nothing answers at {where}{reason}. Check that the server is running and listens "
            "on all network interfaces (Settings → Listen on), then test again."
        )
    return Verdict(False, firewall, message, how)


def probe(address: str, port: int, timeout: float = 3.0) -> ProbeResult:
    """Connect to `address:port` and ask the kosync healthcheck; blocking, use a thread."""
    try:
        connection = socket.create_connection((address, port), timeout=timeout)
    except OSError as error:
        return ProbeResult(False, False, error.strerror or str(error))
    with connection:
        try:
            request = (
                f"GET /kosync/healthcheck HTTP/1.1\r\nHost: {address}:{port}\r\n"
                "Accept: application/vnd.koreader.v1+json\r\nConnection: close\r\n\r\n"
            )
            connection.sendall(request.encode("ascii"))
            answer = b""
            while chunk := connection.recv(4096):
                answer += chunk
        except OSError as error:
            return ProbeResult(True, False, error.strerror or str(error))
    head, _, body = answer.partition(b"\r\n\r\n")
    answered = head.startswith(b"HTTP/1.1 200") and b'"state"' in body and b"OK" in body
    return ProbeResult(True, answered)


Runner = Callable[[list[str]], str | None]


def _run(command: list[str]) -> str | None:
    """A command's output, or None when it cannot run."""
    if shutil.which(command[0]) is None and not command[0].startswith("/"):
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def firewalls_from_outputs(system: str, outputs: dict[str, str | None]) -> frozenset[str]:
    """Which firewalls are on, from the outputs of the commands `firewall_commands` names."""
    found: set[str] = set()
    if system.startswith("linux"):
        for name in LINUX_FIREWALLS:
            if (outputs.get(name) or "").strip() == "active":
                found.add(name)
    elif system == "win32":
        if "ON" in (outputs.get(WINDOWS_FIREWALL) or "").upper().split():
            found.add(WINDOWS_FIREWALL)
    elif system == "darwin":
        state = (outputs.get(MACOS_FIREWALL) or "").lower()
        if "enabled" in state and "disabled" not in state:
            found.add(MACOS_FIREWALL)
    return frozenset(found)


def firewall_commands(system: str) -> dict[str, list[str]]:
    """The read-only commands (no administrator rights) that tell whether each firewall is on."""
    if system.startswith("linux"):
        return {name: ["systemctl", "is-active", name] for name in LINUX_FIREWALLS}
    if system == "win32":
        return {WINDOWS_FIREWALL: ["netsh", "advfirewall", "show", "currentprofile", "state"]}
    if system == "darwin":
        tool = "/usr/libexec/ApplicationFirewall/socketfilterfw"
        return {MACOS_FIREWALL: [tool, "--getglobalstate"]}
    return {}


def gather_facts(
    address: str, port: int, *, system: str = sys.platform, run: Runner = _run
) -> Facts:
    """Probe the server and read which firewall is on; blocking, use a thread."""
    outputs = {name: run(command) for name, command in firewall_commands(system).items()}
    firewalls = firewalls_from_outputs(system, outputs)
    return Facts(system, firewalls, address, port, probe(address, port))
