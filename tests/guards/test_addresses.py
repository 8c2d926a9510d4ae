"""One rule says which sources are on the user's own network, for every channel that asks."""

from __future__ import annotations

import pytest

from bookorbit_desktop.devices import discovery
from bookorbit_desktop.guards.addresses import local_network
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
