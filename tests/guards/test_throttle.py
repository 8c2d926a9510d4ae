"""Password checks are rationed before they run: per address, and for everyone together."""

from __future__ import annotations

import pytest

from bookorbit_desktop.guards.throttle import (
    ADDRESS_BURST,
    ANSWERS_PER_SECOND,
    BLOCK_SECONDS,
    GLOBAL_BURST,
    Admission,
    LoginThrottle,
    TokenBucket,
)

CHECK, LIMIT, BUSY = Admission.CHECK, Admission.ADDRESS_LIMIT, Admission.BUSY


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        # attempts at once: the burst, then refusals
        ([0, 0, 0, 0, 0], [CHECK, CHECK, CHECK, LIMIT, LIMIT]),
        # one a second is always checked
        ([0, 1, 1, 1, 1, 1], [CHECK] * 6),
        # a burst used up blocks the address for BLOCK_SECONDS, however slowly it asks then
        ([0, 0, 0, 0.5, 0.5, 0.5, 0.5], [CHECK, CHECK, CHECK, LIMIT, LIMIT, LIMIT, LIMIT]),
        # after the block, the refilled burst again
        ([0, 0, 0, 0, 9.9, BLOCK_SECONDS], [CHECK, CHECK, CHECK, LIMIT, LIMIT, CHECK]),
        # a quiet minute refills the burst, no more
        ([0, 0, 0, 60, 0, 0, 0], [CHECK, CHECK, CHECK, CHECK, CHECK, CHECK, LIMIT]),
    ],
)
def test_one_address_gets_a_burst_then_one_check_a_second(gaps, expected):
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    seen = []
    for gap in gaps:
        clock.now += gap
        seen.append(throttle.admit("10.0.0.2"))
    assert seen == expected


def test_many_connections_from_one_address_share_its_budget():
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    for _second in range(20):
        answers = [throttle.admit("10.0.0.3") for _ in range(50)]  # 50 parallel guesses
        assert answers.count(CHECK) <= ADDRESS_BURST
        clock.now += 1.0
    assert throttle.refused >= 20 * 47


def test_a_global_cap_holds_across_many_addresses_and_says_busy():
    clock = Clock()
    throttle = LoginThrottle(clock)
    answers = [throttle.admit(f"10.1.{n // 250}.{n % 250}") for n in range(200)]
    assert answers.count(CHECK) == GLOBAL_BURST
    assert set(answers[int(GLOBAL_BURST) :]) == {BUSY}


def test_a_refused_address_spends_no_global_budget():
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=0.001, global_burst=4)
    for _ in range(100):
        throttle.admit("10.0.0.66")  # 3 checks, then refusals that cost the others nothing
    assert throttle.admit("10.0.0.7") is CHECK


def test_memory_stays_bounded_under_a_spray_of_addresses():
    clock = Clock()
    throttle = LoginThrottle(clock, max_tracked=100, global_rate=1e9, global_burst=1e9)
    for n in range(10_000):
        throttle.admit(f"10.2.{n // 250}.{n % 250}")
    assert throttle.tracked() <= 100


@pytest.mark.parametrize(
    ("rate", "burst", "steps", "expected"),
    [
        (1.0, 2.0, [0, 0, 0], [True, True, False]),
        (2.0, 1.0, [0, 0.25, 0.25], [True, False, True]),
        (1.0, 1.0, [0, 100, 0], [True, True, False]),
    ],
)
def test_token_bucket(rate, burst, steps, expected):
    bucket = TokenBucket(rate, burst, 0.0)
    now = 0.0
    seen = []
    for step in steps:
        now += step
        seen.append(bucket.take(now))
    assert seen == expected


def test_a_blocked_address_is_told_so_before_any_other_check_and_others_are_not():
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(int(ADDRESS_BURST) + 1):
        throttle.admit("10.0.0.9")
    assert throttle.blocked("10.0.0.9")
    assert not throttle.blocked("10.0.0.2")  # the real device's own address
    clock.now += BLOCK_SECONDS - 0.1
    assert throttle.blocked("10.0.0.9")
    clock.now += 0.1
    assert not throttle.blocked("10.0.0.9")


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        # refusals at once leave 1/ANSWERS_PER_SECOND apart
        ([0, 0, 0, 0], [0.0, 0.2, 0.4, 0.6]),
        # refusals slower than that are not held
        ([0, 0.5, 0.5], [0.0, 0.0, 0.0]),
        # a long queue is held no more than MAX_HOLD_SECONDS
        ([0] * 30, [min(n * 0.2, 4.0) for n in range(30)]),
    ],
)
def test_refusals_to_one_address_leave_a_few_a_second(gaps, expected):
    assert ANSWERS_PER_SECOND == 5.0
    clock = Clock()
    throttle = LoginThrottle(clock)
    seen = []
    for gap in gaps:
        clock.now += gap
        seen.append(round(throttle.answer_delay("10.0.0.5"), 6))
    assert seen == pytest.approx(expected)
    assert throttle.answer_delay("10.0.0.6") == 0.0  # another address is not held
