"""The login rule as tables: failed checks counted per address, per network (/24, /64) and for
all addresses together; past a shared budget only addresses that logged in before are checked.
What guessers and real devices do is a table of steps, played on the throttle with an injected
clock."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from bookorbit_desktop.guards import login_rules
from bookorbit_desktop.guards.addresses import network_of
from bookorbit_desktop.guards.login_rules import (
    ADMISSIONS,
    EVERYONE,
    LOGINS,
    NETWORKS,
    Admission,
    decide,
)
from bookorbit_desktop.guards.throttle import LoginThrottle

CHECK, LIMIT, GUESSING, BUSY = (
    Admission.CHECK,
    Admission.ADDRESS_LIMIT,
    Admission.GUESSING,
    Admission.BUSY,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("address_over", "known", "network_over", "everyone_over"),
    list(itertools.product([False, True], repeat=4)),
)
def test_every_case_has_one_answer(address_over, known, network_over, everyone_over):
    answer = decide(address_over, known, network_over, everyone_over)
    if address_over:
        assert answer is LIMIT  # an address's own budget holds for every address
    elif known:
        assert answer is CHECK  # a device that logged in before is checked at its own rate
    elif network_over or everyone_over:
        assert answer is GUESSING
    else:
        assert answer is CHECK


def test_the_docstring_tables_are_the_rule():
    doc = login_rules.__doc__ or ""
    assert (NETWORKS.failures, NETWORKS.window, NETWORKS.block) == (20, 3600, 120)
    assert (EVERYONE.failures, EVERYONE.window, EVERYONE.block) == (30, 3600, 120)
    assert NETWORKS.longest_block == EVERYONE.longest_block == 4 * 3600
    assert "| network (/24, /64) | 20 | 1 h | its addresses that never logged in: 2 min" in doc
    assert "| all addresses | 30 | 1 h | every address that never logged in: 2 min" in doc
    words = {True: "yes", False: "no", None: "-"}
    names = {CHECK: "checked", LIMIT: "refused (`ADDRESS_LIMIT`)", GUESSING: "refused (`GUESSING`)"}
    for row, answer in ADMISSIONS:
        assert "| " + " | ".join(words[cell] for cell in row) + f" | {names[answer]} |" in doc


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.168.1.23", "192.168.1.0/24"),
        ("::ffff:192.168.1.9", "192.168.1.0/24"),  # what a dual-stack socket reports
        ("127.1.7.9", "127.1.7.0/24"),
        ("2a02:8070:1:2:a1b2:c3d4:e5f6:1", "2a02:8070:1:2::/64"),  # a privacy address
        ("2a02:8070:1:2::99", "2a02:8070:1:2::/64"),  # ... and the next one: the same network
        ("fe80::1%wlan0", "fe80::/64"),
        ("unknown", "unknown"),
    ],
)
def test_networks(address, network):
    assert network_of(address) == network


@dataclass(frozen=True)
class Step:
    """Wait `gap` seconds, then a login from `address` whose check would turn out `ok`."""

    address: str
    ok: bool = False
    gap: float = 0.0


def play(steps: list[Step], rule=LOGINS, throttle: LoginThrottle | None = None, clock=None):
    """What each step got: "ok" or "bad" (checked), else the admission's value (not checked)."""
    clock = clock or Clock()
    throttle = throttle or LoginThrottle(clock, rule)
    seen = []
    for step in steps:
        clock.now += step.gap
        admission = throttle.admit(step.address)
        if admission is CHECK:
            throttle.checked(step.address, step.ok)
            seen.append("ok" if step.ok else "bad")
        else:
            seen.append(admission.value)
    return seen


def rotating(count: int, *, every: int = 9, gap: float = 0.1, networks: bool = False) -> list[Step]:
    """A guesser taking a new address every `every` guesses: in one /24, or a new /24 each."""
    steps = []
    for n in range(count):
        a = n // every
        address = f"10.{a // 250}.{a % 250}.7" if networks else f"10.0.0.{1 + a % 250}"
        steps.append(Step(address, gap=gap))
    return steps


def guessing_at(after: list[str], answer: str) -> int:
    return after.index(answer) if answer in after else len(after)


DEVICE = "10.0.0.200"  # the reader's e-reader, on the guesser's /24
TYPOS_THEN_KEY = [Step(DEVICE, gap=1), Step(DEVICE, gap=1), Step(DEVICE, ok=True, gap=1)]

# (steps, what they get): real devices, on their own and while a guesser is shut out.
REAL_DEVICES = {
    "a new device's typos, then the right key": (
        [Step(DEVICE)] * 3 + [Step(DEVICE, ok=True)],
        ["bad"] * 3 + ["ok"],
    ),
    "a household: four new devices with a few typos each": (
        [Step(f"10.0.0.{n}", gap=2) for n in range(50, 54) for _ in range(4)]
        + [Step(f"10.0.0.{n}", ok=True, gap=2) for n in range(50, 54)],
        ["bad"] * 16 + ["ok"] * 4,
    ),
    "the device logged in, then a guesser on 45 addresses, then the device's typos and key": (
        [Step(DEVICE, ok=True), *rotating(396), *TYPOS_THEN_KEY],
        ["ok"]
        + ["bad"] * NETWORKS.failures
        + [GUESSING.value] * (396 - NETWORKS.failures)
        + ["bad", "bad", "ok"],
    ),
    "a device with an old password keeps to its own budget, never shuts out a new one": (
        [Step(DEVICE, ok=True)]
        + [Step(DEVICE, gap=1)] * (LOGINS.failures + 1)  # blocked for 2 minutes, then 4, 8
        + ([Step(DEVICE, gap=LOGINS.block * 4)] + [Step(DEVICE, gap=1)] * LOGINS.failures) * 2
        + [Step("10.0.0.9"), Step("10.0.0.9", ok=True)],
        ["ok"]
        + ["bad"] * LOGINS.failures
        + [LIMIT.value]
        + (["bad"] * LOGINS.failures + [LIMIT.value]) * 2
        + ["bad", "ok"],
    ),
}


@pytest.mark.parametrize(("steps", "expected"), REAL_DEVICES.values(), ids=REAL_DEVICES.keys())
def test_real_devices_get_in(steps, expected):
    assert play(steps) == expected


# (steps, checks before the guesser is shut out)
GUESSERS = {
    "a new address every 9 guesses, in one /24 (free IPv4 addresses)": (
        rotating(396),
        NETWORKS.failures,
    ),
    "a new /24 every 9 guesses": (rotating(396, networks=True), EVERYONE.failures),
    "IPv6 privacy addresses, a new one every 9 guesses, one /64": (
        [Step(f"2a02:8070:1:2::{n // 9 + 1:x}", gap=0.1) for n in range(396)],
        NETWORKS.failures,
    ),
    "a new address at every guess, 250 in turn": (rotating(1000, every=1), NETWORKS.failures),
}


@pytest.mark.parametrize(("steps", "checks"), GUESSERS.values(), ids=GUESSERS.keys())
def test_a_guesser_on_many_addresses_is_shut_out(steps, checks):
    seen = play(steps)
    assert seen[:checks] == ["bad"] * checks
    assert set(seen[checks:]) == {GUESSING.value}


def test_the_shut_out_holds_for_the_right_key_and_ends_with_its_block():
    clock = Clock()
    throttle = LoginThrottle(clock)
    play(rotating(40), throttle=throttle, clock=clock)
    newcomer = "10.0.0.240"
    assert throttle.refusal(newcomer) is GUESSING and throttle.blocked(newcomer)
    blocked_since = 0.1 * (40 - NETWORKS.failures)
    assert throttle.wait(newcomer) == pytest.approx(NETWORKS.block - blocked_since)
    assert play([Step(newcomer, ok=True)], throttle=throttle, clock=clock) == [GUESSING.value]
    assert throttle.refusal("10.0.1.9") is None  # another /24 is not shut out
    assert throttle.guessing() == 40 // 9 + 1 + 1  # the guessing addresses, the newcomer too
    clock.now += NETWORKS.block - blocked_since
    assert throttle.guessing() == 0 and not throttle.blocked(newcomer)
    assert play([Step(newcomer, ok=True)], throttle=throttle, clock=clock) == ["ok"]


def test_a_rotating_guesser_gets_a_few_hundred_checks_a_day():
    """A guess a second for a day, a new address every 9 and a new /24 each time: the shared
    budget's 30, then blocks of 2 minutes doubling to 4 hours. Before it, the only shared limit
    was 8 checks a second: all 86,400 guesses checked (691,200 at ten a second)."""
    clock = Clock()
    throttle = LoginThrottle(clock)
    checks = 0
    for n in range(24 * 3600):
        clock.now += 1.0
        a = n // 9
        address = f"10.{a // 62500 % 250}.{a // 250 % 250}.{1 + a % 250}"
        if throttle.admit(address) is CHECK:
            throttle.checked(address, False)
            checks += 1
    assert checks <= 13 * EVERYONE.failures, checks  # 11 blocks fit in a day: 2 … 256 min, 4 h …
    assert throttle.tracked() <= 10_000
