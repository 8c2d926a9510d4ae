"""The addresses a device on the local network can reach this computer at.

Picking "the first non-loopback IPv4 address" is a well-known way to show a VPN, Docker or
link-local address instead of the Wi-Fi one. So every IPv4 address of every interface that is
up is collected (psutil reads them the same way on Linux, macOS and Windows, names included),
loopback and link-local ones are dropped, and the rest is ranked: real (Wi-Fi, Ethernet)
interfaces before virtual-looking ones (VPNs, containers, virtual machines), private LAN
ranges first, and on Linux the interface that carries the default route first of all. The
ranking is a pure function, `rank_addresses`; `lan_addresses` feeds it the live system.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_PRIVATE = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_CARRIER_NAT = ipaddress.ip_network("100.64.0.0/10")  # Tailscale and other overlay VPNs
# Interface names of containers, virtual machines and VPNs: Linux/macOS prefixes ...
_VIRTUAL_PREFIX = re.compile(
    r"^(docker|br-[0-9a-f]|veth|virbr|vmnet|vboxnet|tun|tap|wg|tailscale|zt|ppp|ipsec|lxcbr"
    r"|lxdbr|incusbr|cni|flannel|podman|kube|cali|cilium|weave|vxlan|nordlynx|utun|awdl|llw"
    r"|anpi|bridge\d|gif|stf|ham)",
    re.IGNORECASE,
)
# ... and words in Windows' adapter names ("vEthernet (WSL)", "VMware Network Adapter ...").
_VIRTUAL_WORD = re.compile(
    r"virtual|vmware|virtualbox|hyper-v|vethernet|wsl|tailscale|zerotier|nordlynx|wireguard"
    r"|radmin|hamachi|openvpn|tap-windows|vpn",
    re.IGNORECASE,
)
_ROUTE_TABLE = Path("/proc/net/route")


@dataclass(frozen=True)
class InterfaceAddress:
    """One address of one network interface, as the system reports it."""

    interface: str
    address: str
    is_up: bool = True
    flags: frozenset[str] = frozenset()
    default_route: bool = False


@dataclass(frozen=True)
class LanAddress:
    address: str
    interface: str
    virtual: bool  # a VPN, container or virtual machine network: probably not the e-reader's


def looks_virtual(interface: str, flags: Iterable[str] = ()) -> bool:
    return (
        "pointopoint" in flags
        or bool(_VIRTUAL_PREFIX.match(interface))
        or bool(_VIRTUAL_WORD.search(interface))
    )


def rank_addresses(entries: Iterable[InterfaceAddress]) -> list[LanAddress]:
    """Reachable IPv4 addresses, most likely to be the one an e-reader can use first."""
    ranked: list[tuple[tuple[bool, bool, bool, str, str], LanAddress]] = []
    seen: set[str] = set()
    for entry in entries:
        try:
            ip = ipaddress.ip_address(entry.address)
        except ValueError:
            continue
        if (
            ip.version != 4
            or not entry.is_up
            or "loopback" in entry.flags
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_unspecified
            or ip.is_multicast
            or entry.address in seen
        ):
            continue
        seen.add(entry.address)
        virtual = looks_virtual(entry.interface, entry.flags) or ip in _CARRIER_NAT
        private = any(ip in net for net in _PRIVATE)
        key = (virtual, not private, not entry.default_route, entry.interface, entry.address)
        ranked.append((key, LanAddress(entry.address, entry.interface, virtual)))
    return [address for _, address in sorted(ranked)]


def preferred(addresses: list[LanAddress]) -> list[LanAddress]:
    """The addresses worth showing first: the real ones, or all of them when none is real."""
    real = [address for address in addresses if not address.virtual]
    return real or addresses


def default_route_interfaces(route_table: str) -> frozenset[str]:
    """Interfaces with a default route, from the text of Linux's /proc/net/route."""
    names = set()
    for line in route_table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        name, destination, flags, mask = fields[0], fields[1], fields[3], fields[7]
        try:
            up = int(flags, 16) & 0x1
        except ValueError:
            continue
        if destination == "00000000" and mask == "00000000" and up:
            names.add(name)
    return frozenset(names)


def _system_addresses() -> list[InterfaceAddress]:
    import psutil

    try:
        route_table = _ROUTE_TABLE.read_text(encoding="ascii", errors="replace")
    except OSError:
        route_table = ""
    with_default = default_route_interfaces(route_table)
    stats = psutil.net_if_stats()
    entries = []
    for name, addresses in psutil.net_if_addrs().items():
        stat = stats.get(name)
        flags = frozenset(filter(None, (getattr(stat, "flags", "") or "").split(",")))
        for address in addresses:
            if address.family == socket.AF_INET:
                entries.append(
                    InterfaceAddress(
                        interface=name,
                        address=address.address,
                        is_up=stat.isup if stat is not None else True,
                        flags=flags,
                        default_route=name in with_default,
                    )
                )
    return entries


def lan_addresses() -> list[LanAddress]:
    """This computer's LAN addresses, best first (empty when none can be found)."""
    try:
        return rank_addresses(_system_addresses())
    except (OSError, RuntimeError) as error:  # psutil reports permission problems this way
        log.warning("Could not list this computer's network addresses: %s", error)
        return []


def server_url(address: str, port: int, path: str = "", *, scheme: str = "http") -> str:
    host = f"[{address}]" if ":" in address else address
    return f"{scheme}://{host}:{port}{path}"


def addresses_for_host(host: str) -> list[str]:
    """The addresses to show for a server bound to `host` (all interfaces, or just that one)."""
    if host in ("", "0.0.0.0", "::"):
        found = [address.address for address in preferred(lan_addresses())]
        return found or ["127.0.0.1"]
    return [host]
