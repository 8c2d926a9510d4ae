"""The login throttle's rule, as tables: how many failed password checks an address, its network
and all addresses together may have, and who is still checked once a budget is spent.

Failed checks are counted three ways (`Budget`; a block ends before the next one is counted):

| counted per | failed checks | within | then refused without a check |
|---|---|---|---|
| address | 10 | 1 h | that address: 2 min, then 4, 8, 16, 32 min, then 1 h each time |
| network (/24, /64) | 20 | 1 h | its addresses that never logged in: 2 min, doubling to 4 h |
| all addresses | 30 | 1 h | every address that never logged in: 2 min, doubling to 4 h |

A day without a block starts each again at 2 minutes. Failures of an address that logged in
before count only against its own budget: a device with an old password keeps to its budget
and never shuts out new ones. A guesser who moves to a new address every few guesses (IPv6
privacy addresses, free IPv4 addresses) spends its network's and everyone's budgets within a
minute; then only addresses that logged in before are checked, each at its own rate, until the
guessing stops; everyone else is refused without a check, and the window says so.

What `admit` answers (`ADMISSIONS`; the first row that matches, "-" matches anything):

| address over its budget | logged in before from it | network over | everyone over | answer |
|---|---|---|---|---|
| yes | - | - | - | refused (`ADDRESS_LIMIT`) |
| no | yes | - | - | checked |
| no | no | yes | - | refused (`GUESSING`) |
| no | no | - | yes | refused (`GUESSING`) |
| no | no | no | no | checked |

A check is also refused (`BUSY`, retryable) when all addresses together have used the CPU's
budget of checks (`Rule.global_rate`). Pure: the counts take the time from their caller.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass
from functools import cache


class Admission(enum.Enum):
    CHECK = "check"  # run the password check, then report it with `checked`
    ADDRESS_LIMIT = "address"  # this address failed too often: refuse, no check
    GUESSING = "guessing"  # many addresses fail: refuse, no check, unless it logged in before
    BUSY = "busy"  # every address together fails too often: retryable refusal, no check


@dataclass(frozen=True)
class Budget:
    """How many failed checks within `window` start a block, and how long blocks last."""

    failures: int
    window: float  # seconds
    block: float  # seconds of the first block; each further one is twice the one before ...
    longest_block: float  # ... up to this
    forgive: float  # seconds after a block ends without another: the next is `block` again

    def block_for(self, strike: int) -> float:
        """How long the `strike`th block in a row lasts (1 for the first)."""
        return min(self.block * 2.0 ** (strike - 1), self.longest_block)


@dataclass(frozen=True)
class Rule(Budget):
    """The address's budget, the CPU's, and the budgets of its network and of everyone."""

    global_rate: float  # failed checks per second for all addresses together
    global_burst: float
    network: Budget | None = None
    everyone: Budget | None = None


HOUR, DAY = 3600.0, 86400.0
NETWORKS = Budget(failures=20, window=HOUR, block=120.0, longest_block=4 * HOUR, forgive=DAY)
EVERYONE = Budget(failures=30, window=HOUR, block=120.0, longest_block=4 * HOUR, forgive=DAY)
LOGINS = Rule(
    failures=10,  # a person's typos and a verifier's wrong keys fit (a success forgives them)
    window=HOUR,  # a slow guesser, one every few minutes, is blocked all the same
    block=120.0,
    longest_block=HOUR,
    forgive=DAY,
    global_rate=8.0,  # ~0.6 of one core
    global_burst=12.0,  # more than one address's failures: its typos alone never read "busy"
    network=NETWORKS,  # a household's devices mistyping at once fit
    everyone=EVERYONE,
)
# Registration hashes a new key; only the first one ever succeeds (there is one account), so
# a few at once is plenty for a device and bounds a flood while no account exists.
REGISTRATIONS = Rule(
    failures=3,
    window=600.0,
    block=60.0,
    longest_block=HOUR,
    forgive=DAY,
    global_rate=1.0,
    global_burst=4.0,
)

ANY = None
# (address over its budget, logged in before from it, network over, everyone over) -> answer
ADMISSIONS: tuple[tuple[tuple[bool | None, bool | None, bool | None, bool | None], Admission], ...]
ADMISSIONS = (
    ((True, ANY, ANY, ANY), Admission.ADDRESS_LIMIT),
    ((False, True, ANY, ANY), Admission.CHECK),
    ((False, False, True, ANY), Admission.GUESSING),
    ((False, False, ANY, True), Admission.GUESSING),
    ((False, False, False, False), Admission.CHECK),
)


@cache  # 16 answers, asked on every request: worked out once each
def decide(address_over: bool, known: bool, network_over: bool, everyone_over: bool) -> Admission:
    """The first row of `ADMISSIONS` that matches."""
    facts = (address_over, known, network_over, everyone_over)
    for row, admission in ADMISSIONS:
        if all(want is ANY or want == fact for want, fact in zip(row, facts, strict=True)):
            return admission
    raise AssertionError(f"no row of ADMISSIONS matches {facts}")  # the table covers all 16


class Failures:
    """One address's, network's or everyone's recent failed checks, its checks under way (each
    counts as a failure until reported) and its block."""

    __slots__ = ("blocked_until", "checking", "failures", "strikes")

    def __init__(self, now: float) -> None:
        self.failures: deque[float] = deque()  # when each failed check ended, oldest first
        self.checking = 0
        self.blocked_until = now
        self.strikes = 0  # blocks in a row (forgiven after `Budget.forgive`)

    def recent(self, now: float, window: float) -> int:
        while self.failures and self.failures[0] <= now - window:
            self.failures.popleft()
        return len(self.failures)

    def blocked(self, now: float) -> bool:
        return now < self.blocked_until

    def over(self, now: float, budget: Budget) -> bool:
        """Blocked, or its failures and the checks under way fill its budget."""
        failures = self.recent(now, budget.window) + self.checking
        return self.blocked(now) or failures >= budget.failures

    def failed(self, now: float, budget: Budget) -> None:
        """Count a failed check; the one that fills the budget starts a block."""
        self.failures.append(now)
        if self.recent(now, budget.window) >= budget.failures:
            if now >= self.blocked_until + budget.forgive:
                self.strikes = 0
            self.strikes += 1
            self.blocked_until = now + budget.block_for(self.strikes)
            self.failures.clear()

    def quiet(self, now: float, budget: Budget) -> bool:
        """Nothing to remember: no failure, no check under way, no block to grow."""
        return (
            self.checking == 0
            and self.recent(now, budget.window) == 0
            and (self.strikes == 0 or now >= self.blocked_until + budget.forgive)
        )
