"""Failed password checks are rationed before they run: per address (a number of failures
within a window, then a block that grows) and for everyone together. The attacks and the
sequences real clients send are tables; the clock is injected."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bookorbit_desktop.guards import throttle as throttle_module
from bookorbit_desktop.guards.throttle import (
    ANSWERS_PER_SECOND,
    LOGINS,
    REGISTRATIONS,
    Admission,
    LoginThrottle,
    TokenBucket,
    registration_throttle,
)

CHECK, LIMIT, BUSY = Admission.CHECK, Admission.ADDRESS_LIMIT, Admission.BUSY
FAILURES = LOGINS.failures
BLOCK = LOGINS.block
UNLIMITED = replace(LOGINS, global_rate=1000, global_burst=1000)  # one address alone


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def play(throttle: LoginThrottle, clock: Clock, steps: list[tuple[float, str]]) -> list[str]:
    """Each step waits `gap` seconds, then asks for a check that turns out "ok" or "bad" (the
    outcome is reported only when the check was admitted). Returns what was decided, as "ok",
    "bad" (checked), "limit" or "busy" (not checked)."""
    seen = []
    for gap, outcome in steps:
        clock.now += gap
        admission = throttle.admit("10.0.0.2")
        if admission is CHECK:
            throttle.checked("10.0.0.2", outcome == "ok")
            seen.append(outcome)
        else:
            seen.append("limit" if admission is LIMIT else "busy")
    return seen


BAD, OK = (0, "bad"), (0, "ok")

# What real clients send: every one of them gets in.
REAL_CLIENTS = {
    "a person's typos, then the right password": ([BAD] * 2 + [OK], ["bad"] * 2 + ["ok"]),
    "a verifier's wrong keys in quick succession, then the right one": (
        [BAD] * (FAILURES - 1) + [OK],
        ["bad"] * (FAILURES - 1) + ["ok"],
    ),
    "a hundred logins at once (successes cost nothing)": ([OK] * 100, ["ok"] * 100),
    "verifier runs one after another (a success forgives the typos before it)": (
        ([BAD] * (FAILURES - 1) + [OK]) * 5,
        (["bad"] * (FAILURES - 1) + ["ok"]) * 5,
    ),
    "a person trying old passwords for half an hour, then the right one": (
        [(200, "bad")] * (FAILURES - 1) + [(200, "ok")],
        ["bad"] * (FAILURES - 1) + ["ok"],
    ),
}

# What guessers do: held to `FAILURES` checks, then blocked, even with the right key.
ATTACKS = {
    "a burst of failures, then the right key at once and a second later": (
        [BAD] * FAILURES + [OK, (1, "ok")],
        ["bad"] * FAILURES + ["limit", "limit"],
    ),
    "50 wrong keys in 10 s, then the right key": (
        [(0.2, "bad")] * 50 + [OK],
        ["bad"] * FAILURES + ["limit"] * 41,
    ),
    "the block lasts its time, however slowly it asks": (
        [BAD] * FAILURES + [(BLOCK - 0.1, "ok"), (0.1, "ok")],
        ["bad"] * FAILURES + ["limit", "ok"],
    ),
    "after a block, the next burst blocks twice as long": (
        [BAD] * FAILURES + [(BLOCK, "bad")] + [BAD] * (FAILURES - 1) + [(BLOCK, "ok")],
        ["bad"] * (2 * FAILURES) + ["limit"],
    ),
    "slow guessing, one every 100 s, is blocked all the same": (
        [(100, "bad")] * (FAILURES + 1),
        ["bad"] * FAILURES + ["limit"],
    ),
    "a day after the last block, the next one is short again": (
        [BAD] * FAILURES
        + [(BLOCK + LOGINS.forgive, "bad")]
        + [BAD] * (FAILURES - 1)
        + [(BLOCK, "ok")],
        ["bad"] * (2 * FAILURES) + ["ok"],
    ),
}


@pytest.mark.parametrize(("steps", "expected"), REAL_CLIENTS.values(), ids=REAL_CLIENTS.keys())
def test_real_clients_get_in(steps, expected):
    clock = Clock()
    assert play(LoginThrottle(clock, UNLIMITED), clock, steps) == expected


@pytest.mark.parametrize(("steps", "expected"), ATTACKS.values(), ids=ATTACKS.keys())
def test_guessers_are_blocked_even_with_the_right_key(steps, expected):
    clock = Clock()
    assert play(LoginThrottle(clock, UNLIMITED), clock, steps) == expected


@pytest.mark.parametrize(
    ("strike", "seconds"),
    [(1, 120), (2, 240), (3, 480), (4, 960), (5, 1920), (6, 3600), (7, 3600), (40, 3600)],
)
def test_blocks_double_up_to_an_hour(strike, seconds):
    assert LOGINS.block_for(strike) == seconds


def test_the_docstring_table_is_the_rule():
    doc = throttle_module.__doc__ or ""
    assert (LOGINS.failures, LOGINS.window, LOGINS.block) == (10, 3600, 120)
    assert "| 10 | 1 h | 2 min |" in doc
    assert "4 min, then 8, 16, 32 min, then 1 h each time" in doc
    assert (REGISTRATIONS.failures, REGISTRATIONS.window, REGISTRATIONS.block) == (3, 600, 60)
    assert "3 in 10 min, then 1 min, doubling to 1 h" in doc


@pytest.mark.parametrize(
    ("in_flight", "outcomes", "blocked_after"),
    [
        # parallel guesses: the allowance is reserved, the rest refused; blocked at the last
        (FAILURES + 5, ["bad"] * FAILURES, [False] * (FAILURES - 1) + [True]),
        # a device's parallel first requests that all succeed: never blocked
        (FAILURES, ["ok"] * FAILURES, [False] * FAILURES),
        # failures while a success is still under way: no block
        (FAILURES, ["bad"] * (FAILURES - 1) + ["ok"], [False] * FAILURES),
    ],
    ids=["guessing", "logins", "mixed"],
)
def test_parallel_checks_are_bounded_by_their_reservations(in_flight, outcomes, blocked_after):
    clock = Clock()
    throttle = LoginThrottle(clock, UNLIMITED)
    admitted = [throttle.admit("10.0.0.3") for _ in range(in_flight)]
    assert admitted.count(CHECK) == min(in_flight, FAILURES)
    assert not throttle.blocked("10.0.0.3")  # refused while reserved, not blocked
    seen = []
    for outcome in outcomes:
        throttle.checked("10.0.0.3", outcome == "ok")
        seen.append(throttle.blocked("10.0.0.3"))
    assert seen == blocked_after


def test_many_connections_from_one_address_share_its_allowance():
    clock = Clock()
    throttle = LoginThrottle(clock, UNLIMITED)
    checks = 0
    for _second in range(3600):
        answers = [throttle.admit("10.0.0.3") for _ in range(50)]  # 50 parallel guesses
        checks += answers.count(CHECK)
        for _ in range(answers.count(CHECK)):
            throttle.checked("10.0.0.3", False)
        clock.now += 1.0
    # An hour of 50 guesses a second: 10 checks before each block of 2, 4, 8, 16 and 32
    # minutes (62 in all), where a bucket refilled at 1 every 5 s would have allowed 730.
    assert checks == 5 * FAILURES, checks
    assert throttle.refused == 3600 * 50 - checks


def test_a_global_cap_holds_across_many_addresses_and_says_busy():
    clock = Clock()
    throttle = LoginThrottle(clock)
    answers = [throttle.admit(f"10.1.{n // 250}.{n % 250}") for n in range(200)]
    assert answers.count(CHECK) == LOGINS.global_burst
    assert set(answers[int(LOGINS.global_burst) :]) == {BUSY}


def test_one_addresss_whole_allowance_never_reads_busy():
    clock = Clock()
    throttle = LoginThrottle(clock)  # the real numbers
    assert play(throttle, clock, [BAD] * (FAILURES + 1)) == ["bad"] * FAILURES + ["limit"]


def test_a_success_gives_the_global_token_back_and_a_failure_does_not():
    clock = Clock()
    throttle = LoginThrottle(clock, replace(LOGINS, global_rate=0.001, global_burst=2))
    for n in range(20):  # twenty devices log in at once: all checked, none busy
        assert throttle.admit(f"10.3.0.{n}") is CHECK
        throttle.checked(f"10.3.0.{n}", True)
    for n in range(2):
        assert throttle.admit(f"10.4.0.{n}") is CHECK
        throttle.checked(f"10.4.0.{n}", False)
    assert throttle.admit("10.4.0.9") is BUSY


def test_a_refused_address_spends_no_global_budget():
    clock = Clock()
    throttle = LoginThrottle(clock, replace(LOGINS, global_rate=0.001, global_burst=FAILURES + 1))
    for _ in range(100):
        if throttle.admit("10.0.0.66") is CHECK:  # the allowance, then refusals that cost nothing
            throttle.checked("10.0.0.66", False)
    assert throttle.admit("10.0.0.7") is CHECK


def test_memory_stays_bounded_under_a_spray_of_addresses():
    clock = Clock()
    rule = replace(LOGINS, global_rate=1e9, global_burst=1e9)
    throttle = LoginThrottle(clock, rule, max_tracked=100)
    for n in range(10_000):
        address = f"10.2.{n // 250}.{n % 250}"
        throttle.admit(address)
        throttle.checked(address, False)
    assert throttle.tracked() <= 100
    throttle.checked("10.9.9.9", False)  # a report for a forgotten address is harmless


def test_a_spray_of_new_addresses_does_not_end_a_block():
    """A guesser blocked on one address cannot free it by making many others known."""
    clock = Clock()
    rule = replace(LOGINS, global_rate=1e9, global_burst=1e9)
    throttle = LoginThrottle(clock, rule, max_tracked=100)
    for _ in range(rule.failures):
        assert throttle.admit("10.6.6.6") is CHECK
        throttle.checked("10.6.6.6", False)
    assert throttle.blocked("10.6.6.6")
    for n in range(10_000):
        address = f"fd00::{n:x}"
        if throttle.admit(address) is CHECK:
            throttle.checked(address, False)
    assert throttle.blocked("10.6.6.6")
    assert throttle.admit("10.6.6.6") is not CHECK


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


@pytest.mark.parametrize(
    ("taken", "given_back", "tokens"),
    [(1, 1, 3.0), (3, 1, 1.0), (0, 2, 3.0), (3, 3, 3.0)],
)
def test_token_bucket_gives_back_no_more_than_its_burst(taken, given_back, tokens):
    bucket = TokenBucket(0.0, 3.0, 0.0)
    for _ in range(taken):
        bucket.take(0.0)
    for _ in range(given_back):
        bucket.give_back(0.0)
    assert bucket.tokens(0.0) == tokens


def test_a_blocked_address_is_told_how_long_and_others_are_not():
    clock = Clock()
    throttle = LoginThrottle(clock, UNLIMITED)
    for _ in range(FAILURES):
        assert throttle.admit("10.0.0.9") is CHECK
        throttle.checked("10.0.0.9", False)
    assert throttle.blocked("10.0.0.9") and throttle.wait("10.0.0.9") == BLOCK
    assert not throttle.blocked("10.0.0.2") and throttle.wait("10.0.0.2") == 0.0
    clock.now += BLOCK - 0.1
    assert throttle.blocked("10.0.0.9")
    clock.now += 0.1
    assert not throttle.blocked("10.0.0.9")


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        # refusals at once leave 1/ANSWERS_PER_SECOND apart, from the first one
        ([0, 0, 0, 0], [0.0, 0.2, 0.4, 0.6]),
        # refusals at a person's pace are not held
        ([0, 0.5, 0.5], [0.0, 0.0, 0.0]),
        # sixteen connections at once (the per-address cap): the queue keeps the pace
        ([0] * 16, [n * 0.2 for n in range(16)]),
        # a queue drains: a refusal after it waits only for the slot left
        ([0, 0, 0, 0.3], [0.0, 0.2, 0.4, 0.3]),
    ],
)
def test_refusals_to_one_address_leave_a_few_a_second(gaps, expected):
    assert ANSWERS_PER_SECOND == 5.0
    clock = Clock()
    throttle = LoginThrottle(clock, UNLIMITED)
    seen = []
    for gap in gaps:
        clock.now += gap
        seen.append(round(throttle.answer_delay("10.0.0.5"), 6))
    assert seen == pytest.approx(expected)
    assert throttle.answer_delay("10.0.0.6") == 0.0  # another address is not held


def test_registrations_and_logins_have_separate_budgets():
    clock = Clock()
    logins = LoginThrottle(clock, UNLIMITED)
    registrations = registration_throttle(clock)
    for _ in range(FAILURES):
        logins.admit("10.0.0.4")
        logins.checked("10.0.0.4", False)
    assert logins.blocked("10.0.0.4")
    assert registrations.admit("10.0.0.4") is CHECK  # a blocked login does not stop it
    registrations.checked("10.0.0.4", True)
    for _ in range(REGISTRATIONS.failures):  # registrations that lost, at once
        assert registrations.admit("10.0.0.5") is CHECK
        registrations.checked("10.0.0.5", False)
    assert registrations.admit("10.0.0.5") is LIMIT
    assert logins.admit("10.0.0.5") is CHECK  # ... and do not touch the login budget
