"""The per-address answer rate: a burst per address, a refill, a total for all, bounded memory."""

from __future__ import annotations

import pytest

from bookorbit_desktop.guards.rate import AddressRate


def _rate(now: list[float], max_tracked: int = 100) -> AddressRate:
    return AddressRate(
        1.0, 3.0, total_rate=10.0, total_burst=5.0, clock=lambda: now[0], max_tracked=max_tracked
    )


@pytest.mark.parametrize(
    ("asks", "seconds_later", "allowed"),
    [
        (3, 0.0, [True, True, True]),
        (4, 0.0, [True, True, True, False]),
        (5, 1.0, [True, True, True, False, True]),  # one more after a second
        (5, 0.5, [True, True, True, False, False]),  # not yet
    ],
)
def test_one_address_gets_its_burst_then_its_rate(asks, seconds_later, allowed):
    now = [0.0]
    rate = _rate(now)
    got = [rate.allow("192.168.1.9") for _ in range(asks - 1)]
    now[0] += seconds_later
    got.append(rate.allow("192.168.1.9"))
    assert got == allowed


def test_many_addresses_share_the_total():
    now = [0.0]
    rate = _rate(now)
    got = [rate.allow(f"10.0.0.{n}") for n in range(8)]
    assert got == [True] * 5 + [False] * 3
    assert rate.refused == 3


def test_a_refused_address_spends_nothing_of_the_total():
    now = [0.0]
    rate = _rate(now)
    for _ in range(10):
        rate.allow("10.0.0.1")  # 3 answered, 7 refused by its own bucket
    assert [rate.allow(f"10.0.0.{n}") for n in (2, 3)] == [True, True]


def test_a_spray_of_addresses_keeps_memory_bounded():
    now = [0.0]
    rate = _rate(now, max_tracked=50)
    for n in range(1000):
        now[0] += 1.0
        rate.allow(f"10.1.{n // 256}.{n % 256}")
    assert rate.tracked() <= 50
