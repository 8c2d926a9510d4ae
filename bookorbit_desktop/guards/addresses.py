"""Which addresses are on the user's own network, and which are public: one rule for each.

The highlights receiver takes posts, and the discovery responder answers, only from the local
network: private (RFC 1918, unique-local IPv6), loopback and link-local addresses. An IPv6
address with an IPv4 inside (`::ffff:a.b.c.d`, what a dual-stack socket reports) is judged by
that IPv4 address, a zone (`fe80::1%wlan0`) is ignored, and the unspecified, multicast and
reserved ranges never count, nor carrier-grade NAT (100.64/10: the provider's, not the home's).

The metadata sources and cover downloads connect only to public addresses (`public_address`):
a web page or a redirect must not turn the app into a way into the user's own network. Public
is Python's `is_global`, less multicast, the reserved ranges, IPv6 site-local (fec0::/10) and
carrier-grade NAT (which some Python versions count as global); an IPv6 address that carries
an IPv4 one (IPv4-mapped, NAT64's 64:ff9b::/96, 6to4's 2002::/16) is judged by that IPv4.

The login throttle also counts failures per network (`network_of`): the /24 of an IPv4
address, the /64 of an IPv6 one (a device picks any address in its /64: privacy addresses).
"""

from __future__ import annotations

import ipaddress

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SITE_LOCAL = ipaddress.IPv6Network("fec0::/10")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(address: str) -> IPAddress | None:
    """The address without its zone, an IPv4-mapped IPv6 address as its IPv4; None if none."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def network_of(address: str) -> str:
    """The /24 (IPv4, IPv4-mapped unwrapped) or /64 (IPv6) `address` is in, as text; an
    unreadable address is its own network."""
    ip = _parse(address)
    if ip is None:
        return address
    prefix = 24 if isinstance(ip, ipaddress.IPv4Address) else 64
    return str(ipaddress.ip_network((ip, prefix), strict=False))


def local_network(address: str) -> bool:
    """True for a private, loopback or link-local IPv4/IPv6 address (IPv4-mapped unwrapped)."""
    ip = _parse(address)
    if ip is None or ip.is_unspecified or ip.is_multicast:
        return False
    return ip.is_loopback or ip.is_link_local or (ip.is_private and not ip.is_reserved)


def public_address(address: str) -> bool:
    """True for a global unicast IPv4/IPv6 address, one a stranger's web page may point at."""
    ip = _parse(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip in _SITE_LOCAL:
            return False
    if ip is None or ip.is_multicast or ip.is_reserved or ip in _CGNAT:
        return False
    return ip.is_global
