"""Which source addresses are on the user's own network: one rule for every channel.

The highlights receiver takes posts, and the discovery responder answers, only from the local
network: private (RFC 1918, unique-local IPv6), loopback and link-local addresses. An IPv6
address with an IPv4 inside (`::ffff:a.b.c.d`, what a dual-stack socket reports) is judged by
that IPv4 address, a zone (`fe80::1%wlan0`) is ignored, and the unspecified, multicast and
reserved ranges never count, nor carrier-grade NAT (100.64/10: the provider's, not the home's).
"""

from __future__ import annotations

import ipaddress


def local_network(address: str) -> bool:
    """True for a private, loopback or link-local IPv4/IPv6 address (IPv4-mapped unwrapped)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified or ip.is_multicast:
        return False
    return ip.is_loopback or ip.is_link_local or (ip.is_private and not ip.is_reserved)
