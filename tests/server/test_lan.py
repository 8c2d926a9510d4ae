"""Which of this computer's addresses to show as the URL to type into KOReader."""

from __future__ import annotations

import pytest

from bookorbit_desktop.server.lan import (
    InterfaceAddress,
    LanAddress,
    addresses_for_host,
    default_route_interfaces,
    lan_addresses,
    looks_virtual,
    preferred,
    rank_addresses,
    server_url,
)


def iface(name: str, address: str, *flags: str, up: bool = True, default: bool = False):
    return InterfaceAddress(name, address, up, frozenset(flags), default)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        # loopback, link-local, down, IPv6, junk and duplicates are dropped
        (
            [
                iface("lo", "127.0.0.1", "loopback"),
                iface("eth0", "169.254.3.4"),
                iface("wlan0", "192.168.1.20", up=False),
                iface("eth1", "fe80::1"),
                iface("eth2", "not-an-ip"),
                iface("eth3", "0.0.0.0"),
                iface("eth4", "224.0.0.1"),
            ],
            [],
        ),
        # real interfaces before VPN / container / VM ones, whatever the order given
        (
            [
                iface("docker0", "172.17.0.1"),
                iface("tailscale0", "100.101.102.103"),
                iface("wg0", "10.8.0.2", "pointopoint"),
                iface("wlp2s0", "192.168.1.20"),
            ],
            [
                LanAddress("192.168.1.20", "wlp2s0", False),
                LanAddress("172.17.0.1", "docker0", True),
                LanAddress("10.8.0.2", "wg0", True),
                LanAddress("100.101.102.103", "tailscale0", True),
            ],
        ),
        # the interface with the default route first, then private before other ranges
        (
            [
                iface("eth0", "192.168.56.1"),
                iface("enp3s0", "10.0.0.5", default=True),
                iface("eth9", "203.0.113.7"),
            ],
            [
                LanAddress("10.0.0.5", "enp3s0", False),
                LanAddress("192.168.56.1", "eth0", False),
                LanAddress("203.0.113.7", "eth9", False),
            ],
        ),
        # Windows adapter names
        (
            [
                iface("vEthernet (WSL)", "172.20.0.1"),
                iface("Wi-Fi", "192.168.0.12"),
                iface("VMware Network Adapter VMnet8", "192.168.80.1"),
                iface("Ethernet 2", "10.1.1.1"),
            ],
            [
                LanAddress("10.1.1.1", "Ethernet 2", False),
                LanAddress("192.168.0.12", "Wi-Fi", False),
                LanAddress("192.168.80.1", "VMware Network Adapter VMnet8", True),
                LanAddress("172.20.0.1", "vEthernet (WSL)", True),
            ],
        ),
        # the same address on two interfaces is listed once
        (
            [iface("br0", "192.168.1.2"), iface("br0", "192.168.1.2")],
            [LanAddress("192.168.1.2", "br0", False)],
        ),
    ],
)
def test_rank_addresses(entries, expected):
    assert rank_addresses(entries) == expected


@pytest.mark.parametrize(
    ("name", "flags", "virtual"),
    [
        ("wlan0", (), False),
        ("eth0", (), False),
        ("en0", (), False),
        ("br0", (), False),
        ("Wi-Fi", (), False),
        ("Ethernet", (), False),
        ("docker0", (), True),
        ("br-3f2a9c1d", (), True),
        ("veth12ab", (), True),
        ("virbr0", (), True),
        ("utun3", (), True),
        ("tun0", (), True),
        ("ppp0", (), True),
        ("zt7nnig26", (), True),
        ("NordLynx", (), True),
        ("ZeroTier One [abc]", (), True),
        ("Hyper-V Virtual Ethernet", (), True),
        ("enp0s31f6", ("pointopoint",), True),
        ("bridge100", (), True),
    ],
)
def test_looks_virtual(name, flags, virtual):
    assert looks_virtual(name, flags) is virtual


def test_preferred_keeps_real_addresses_or_everything_when_none_is_real():
    real, vpn = LanAddress("192.168.1.2", "wlan0", False), LanAddress("10.8.0.2", "wg0", True)
    assert preferred([real, vpn]) == [real]
    assert preferred([vpn]) == [vpn]
    assert preferred([]) == []


ROUTES = """Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
wg0\t00000000\t00000000\t0002\t0\t0\t50\t00000000\t0\t0\t0
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
garbage line
"""


def test_default_route_interfaces_from_proc_net_route():
    assert default_route_interfaces(ROUTES) == frozenset({"wlan0"})  # wg0's route is down
    assert default_route_interfaces("") == frozenset()


def test_this_machine_lists_no_loopback_or_link_local_address():
    for address in lan_addresses():
        assert not address.address.startswith(("127.", "169.254."))


def test_urls_and_addresses_for_a_bound_host():
    assert server_url("192.168.1.2", 8765, "/kosync") == "http://192.168.1.2:8765/kosync"
    assert server_url("fd00::2", 8765) == "http://[fd00::2]:8765"
    assert addresses_for_host("192.168.1.2") == ["192.168.1.2"]
    assert addresses_for_host("0.0.0.0")  # never empty: 127.0.0.1 at worst
