"""Failed logins from one address are slowed down, capped below KOReader's 2 s timeout."""

from __future__ import annotations

import pytest

from bookorbit_desktop.server.throttle import (
    FREE_FAILURES,
    MAX_DELAY_SECONDS,
    WINDOW_SECONDS,
    LoginThrottle,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("failures", "delay"),
    [
        (0, 0.0),
        (1, 0.0),
        (FREE_FAILURES, 0.25),
        (FREE_FAILURES + 1, 0.5),
        (FREE_FAILURES + 2, 1.0),
        (FREE_FAILURES + 3, MAX_DELAY_SECONDS),
        (50, MAX_DELAY_SECONDS),
    ],
)
def test_sequential_failures_cost_a_growing_capped_delay(failures, delay):
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(failures):
        waited = throttle.failed("10.0.0.2")
        clock.now += waited + 1  # a device waits for each answer before trying again
    assert throttle.delay_for("10.0.0.2") == delay
    assert delay < 2.0


def test_parallel_failures_are_answered_one_delay_apart():
    throttle = LoginThrottle(Clock())
    for _ in range(FREE_FAILURES):
        assert throttle.failed("10.0.0.9") == 0.0
    waits = [throttle.failed("10.0.0.9") for _ in range(4)]
    assert waits == [0.25, 0.25 + 0.5, 0.25 + 0.5 + 1.0, 0.25 + 0.5 + 1.0 + 1.5]


def test_failures_expire_and_success_forgets_them():
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(FREE_FAILURES + 2):
        throttle.failed("a")
        throttle.failed("b")
    clock.now += WINDOW_SECONDS + 1
    assert throttle.delay_for("a") == 0.0
    for _ in range(FREE_FAILURES + 2):
        throttle.failed("b")
    throttle.succeeded("b")
    assert throttle.failed("b") == 0.0


def test_other_addresses_are_not_slowed():
    throttle = LoginThrottle(Clock())
    for _ in range(10):
        throttle.failed("attacker")
    assert throttle.failed("reader") == 0.0


def test_memory_is_bounded_under_a_spray_of_addresses():
    throttle = LoginThrottle(Clock(), max_tracked=100)
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(throttle._failures) <= 100
