"""Failed password checks are rationed before they run: per address, and for everyone together.
A check reserves a token; a success gives it back, a failure keeps it spent."""

from __future__ import annotations

import pytest

from bookorbit_desktop.guards import throttle as throttle_module
from bookorbit_desktop.guards.throttle import (
    ADDRESS_BURST,
    ADDRESS_RATE,
    ANSWERS_PER_SECOND,
    BLOCK_SECONDS,
    GLOBAL_BURST,
    REGISTRATION_BURST,
    Admission,
    LoginThrottle,
    TokenBucket,
    registration_throttle,
)

CHECK, LIMIT, BUSY = Admission.CHECK, Admission.ADDRESS_LIMIT, Admission.BUSY
BURST = int(ADDRESS_BURST)
# Failed checks an address gets back while it is blocked.
AFTER_BLOCK = int(min(ADDRESS_BURST, ADDRESS_RATE * BLOCK_SECONDS))


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


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # a person's typos, then the right password: nothing is refused
        ([(0, "bad")] * 2 + [(0, "ok")], ["bad", "bad", "ok"]),
        # a conformance verifier's wrong keys in quick succession, then the right one
        ([(0, "bad")] * (BURST - 1) + [(0, "ok")], ["bad"] * (BURST - 1) + ["ok"]),
        # successes cost nothing: a hundred logins at once, all checked
        ([(0, "ok")] * 100, ["ok"] * 100),
        # a success in between does not spend the budget of failures
        (
            [(0, "bad")] * (BURST - 1) + [(0, "ok")] * 5 + [(0, "bad")],
            ["bad"] * (BURST - 1) + ["ok"] * 5 + ["bad"],
        ),
        # a burst of failures, then the address is refused outright, even the right key
        ([(0, "bad")] * BURST + [(0, "ok"), (1, "ok")], ["bad"] * BURST + ["limit", "limit"]),
        # blocked for BLOCK_SECONDS however slowly it asks; then what refilled meanwhile
        (
            [(0, "bad")] * BURST + [(BLOCK_SECONDS - 0.1, "ok"), (0.1, "ok")],
            ["bad"] * BURST + ["limit", "ok"],
        ),
        (
            [(0, "bad")] * BURST + [(BLOCK_SECONDS, "bad")] * 1 + [(0, "bad")] * AFTER_BLOCK,
            ["bad"] * BURST + ["bad"] * AFTER_BLOCK + ["limit"],
        ),
        # sustained failures: one every 1/ADDRESS_RATE seconds is always checked
        ([(1 / ADDRESS_RATE, "bad")] * 50, ["bad"] * 50),
        # a quiet while refills the burst, no more
        (
            [(0, "bad")] * (BURST - 1) + [(600, "bad")] + [(0, "bad")] * BURST,
            ["bad"] * BURST + ["bad"] * (BURST - 1) + ["limit"],
        ),
    ],
    ids=[
        "typos",
        "verifier",
        "successes",
        "success-between",
        "blocked",
        "block-ends",
        "refill-during-block",
        "sustained",
        "quiet-refills",
    ],
)
def test_one_address_gets_a_burst_of_failures_then_one_every_few_seconds(steps, expected):
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    assert play(throttle, clock, steps) == expected


@pytest.mark.parametrize(
    ("in_flight", "outcomes", "blocked_after"),
    [
        # parallel guesses: the burst is reserved, the rest refused; blocked at the last failure
        (BURST + 5, ["bad"] * BURST, [False] * (BURST - 1) + [True]),
        # a device's parallel first requests that all succeed: never blocked
        (BURST, ["ok"] * BURST, [False] * BURST),
        # failures while a success is still under way: its token may come back, no block yet
        (BURST, ["bad"] * (BURST - 1) + ["ok"], [False] * BURST),
    ],
    ids=["guessing", "logins", "mixed"],
)
def test_parallel_checks_are_bounded_by_their_reservations(in_flight, outcomes, blocked_after):
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    admitted = [throttle.admit("10.0.0.3") for _ in range(in_flight)]
    assert admitted.count(CHECK) == min(in_flight, BURST)
    assert not throttle.blocked("10.0.0.3")  # refused while reserved, not blocked
    seen = []
    for outcome in outcomes:
        throttle.checked("10.0.0.3", outcome == "ok")
        seen.append(throttle.blocked("10.0.0.3"))
    assert seen == blocked_after


def test_many_connections_from_one_address_share_its_budget():
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    checks = 0
    for _second in range(60):
        answers = [throttle.admit("10.0.0.3") for _ in range(50)]  # 50 parallel guesses
        checks += answers.count(CHECK)
        for _ in range(answers.count(CHECK)):
            throttle.checked("10.0.0.3", False)
        clock.now += 1.0
    # The burst, then about one failure every 1/ADDRESS_RATE seconds: 60 s give ~12 more.
    assert checks <= ADDRESS_BURST + ADDRESS_RATE * 60 + 1, checks
    assert throttle.refused >= 60 * 50 - checks


def test_a_global_cap_holds_across_many_addresses_and_says_busy():
    clock = Clock()
    throttle = LoginThrottle(clock)
    answers = [throttle.admit(f"10.1.{n // 250}.{n % 250}") for n in range(200)]
    assert answers.count(CHECK) == GLOBAL_BURST
    assert set(answers[int(GLOBAL_BURST) :]) == {BUSY}


def test_one_addresss_whole_burst_never_reads_busy():
    clock = Clock()
    throttle = LoginThrottle(clock)  # the real numbers
    assert play(throttle, clock, [(0, "bad")] * (BURST + 1)) == ["bad"] * BURST + ["limit"]


def test_a_success_gives_the_global_token_back_and_a_failure_does_not():
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=0.001, global_burst=2)
    for n in range(20):  # twenty devices log in at once: all checked, none busy
        assert throttle.admit(f"10.3.0.{n}") is CHECK
        throttle.checked(f"10.3.0.{n}", True)
    for n in range(2):
        assert throttle.admit(f"10.4.0.{n}") is CHECK
        throttle.checked(f"10.4.0.{n}", False)
    assert throttle.admit("10.4.0.9") is BUSY


def test_a_refused_address_spends_no_global_budget():
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=0.001, global_burst=BURST + 1)
    for _ in range(100):
        if throttle.admit("10.0.0.66") is CHECK:  # the burst, then refusals that cost nothing
            throttle.checked("10.0.0.66", False)
    assert throttle.admit("10.0.0.7") is CHECK


def test_memory_stays_bounded_under_a_spray_of_addresses():
    clock = Clock()
    throttle = LoginThrottle(clock, max_tracked=100, global_rate=1e9, global_burst=1e9)
    for n in range(10_000):
        address = f"10.2.{n // 250}.{n % 250}"
        throttle.admit(address)
        throttle.checked(address, False)
    assert throttle.tracked() <= 100
    throttle.checked("10.9.9.9", False)  # a report for a forgotten address is harmless


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


def test_a_blocked_address_is_told_so_and_others_are_not():
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    for _ in range(BURST):
        assert throttle.admit("10.0.0.9") is CHECK
        throttle.checked("10.0.0.9", False)
    assert throttle.blocked("10.0.0.9")
    assert not throttle.blocked("10.0.0.2")  # the real device's own address
    clock.now += BLOCK_SECONDS - 0.1
    assert throttle.blocked("10.0.0.9")
    clock.now += 0.1
    assert not throttle.blocked("10.0.0.9")


def over_budget(throttle: LoginThrottle, address: str) -> None:
    for _ in range(BURST):
        throttle.admit(address)
        throttle.checked(address, False)


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
def test_refusals_to_an_address_over_budget_leave_a_few_a_second(gaps, expected):
    assert ANSWERS_PER_SECOND == 5.0
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    over_budget(throttle, "10.0.0.5")
    seen = []
    for gap in gaps:
        clock.now += gap
        seen.append(round(throttle.answer_delay("10.0.0.5"), 6))
    assert seen == pytest.approx(expected)
    assert throttle.answer_delay("10.0.0.6") == 0.0  # another address is not held


def test_refusals_within_the_budget_are_answered_at_once():
    clock = Clock()
    throttle = LoginThrottle(clock)
    delays = []
    for _ in range(BURST - 1):  # typos: each a failed check, answered without waiting
        throttle.admit("10.0.0.8")
        throttle.checked("10.0.0.8", False)
        delays.append(throttle.answer_delay("10.0.0.8"))
    assert delays == [0.0] * (BURST - 1)


def test_registrations_and_logins_have_separate_budgets():
    clock = Clock()
    logins = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    registrations = registration_throttle(clock)
    over_budget(logins, "10.0.0.4")
    assert logins.blocked("10.0.0.4")
    assert registrations.admit("10.0.0.4") is CHECK  # a blocked login does not stop it
    registrations.checked("10.0.0.4", True)
    for _ in range(int(REGISTRATION_BURST)):  # registrations that lost, at once
        assert registrations.admit("10.0.0.5") is CHECK
        registrations.checked("10.0.0.5", False)
    assert registrations.admit("10.0.0.5") is LIMIT
    assert logins.admit("10.0.0.5") is CHECK  # ... and do not touch the login budget


def test_the_bucket_refills_during_a_block_as_documented():
    """The docstring says what happens at the end of a block: the failures of the blocked
    seconds are back (not a whole burst), and spending them blocks the address again."""
    assert AFTER_BLOCK == 6 and f"then blocked {BLOCK_SECONDS:.0f} s, then 6 |" in (
        throttle_module.__doc__ or ""
    )
    clock = Clock()
    throttle = LoginThrottle(clock, global_rate=1000, global_burst=1000)
    over_budget(throttle, "10.0.0.12")
    clock.now += BLOCK_SECONDS
    assert not throttle.blocked("10.0.0.12")
    for _ in range(AFTER_BLOCK):
        assert throttle.admit("10.0.0.12") is CHECK
        throttle.checked("10.0.0.12", False)
    assert throttle.blocked("10.0.0.12")  # blocked again, for another BLOCK_SECONDS
    assert throttle.admit("10.0.0.12") is LIMIT
