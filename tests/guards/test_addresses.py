"""One rule says which sources are on the user's own network, for every channel that asks, and
one which addresses are public, for every fetch from outside."""

from __future__ import annotations

import pytest

from bookorbit_desktop.devices import discovery
from bookorbit_desktop.guards.addresses import local_network, public_address
from bookorbit_desktop.server.highlights.receiver import ReceiverOptions
from bookorbit_desktop.server.workers import DbWorkers


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("192.168.1.23", True),
        ("10.0.0.5", True),
        ("172.16.4.4", True),
        ("172.32.0.1", False),
        ("127.0.0.1", True),
        ("169.254.10.10", True),
        ("::1", True),
        ("fe80::1%wlan0", True),
        ("fd12:3456::1", True),
        ("::ffff:192.168.1.9", True),
        ("::ffff:8.8.8.8", False),
        ("8.8.8.8", False),
        ("100.64.1.1", False),  # carrier-grade NAT is not the home network
        ("2a00:1450::1", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),  # reserved
        ("224.0.0.1", False),
        ("", False),
        ("not an address", False),
    ],
)
def test_the_local_network(address, local):
    assert local_network(address) is local


def test_the_receiver_and_discovery_ask_the_same_rule():
    assert ReceiverOptions(workers=DbWorkers(checkpoints=False)).allow_source is local_network
    assert discovery.local_network is local_network


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("93.184.216.34", True),
        ("2a00:1450:4001:80b::200e", True),
        ("::ffff:8.8.8.8", True),  # IPv4-mapped: judged by the IPv4 inside
        ("192.168.1.1", False),  # the router's admin page
        ("10.0.0.5", False),
        ("172.16.4.4", False),
        ("172.31.255.255", False),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("169.254.169.254", False),  # link-local (a cloud metadata service)
        ("100.64.0.1", False),  # carrier-grade NAT
        ("100.127.255.254", False),
        ("0.0.0.0", False),
        ("0.1.2.3", False),  # "this network"
        ("224.0.0.251", False),  # multicast (mDNS)
        ("239.255.255.250", False),  # multicast (SSDP)
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("192.0.2.1", False),  # documentation
        ("198.18.0.1", False),  # benchmarking
        ("::1", False),
        ("::", False),
        ("fe80::1%wlan0", False),
        ("fd12:3456::1", False),  # unique-local
        ("fc00::1", False),
        ("fec0::1", False),  # site-local (deprecated, still routed by some networks)
        ("ff02::1", False),  # multicast
        ("::ffff:192.168.1.1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:100.64.0.1", False),
        ("::10.0.0.1", False),  # IPv4-compatible (deprecated)
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("2002:c0a8:101::1", False),  # 6to4 of 192.168.1.1
        ("2001:db8::1", False),  # documentation
        ("", False),
        ("localhost", False),  # a name is no address: names are judged once resolved
        ("not an address", False),
    ],
)
def test_public_addresses(address, public):
    assert public_address(address) is public
