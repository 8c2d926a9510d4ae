"""How many failed password checks the server tolerates, per address and in total.

A password check (scrypt) is the one expensive thing a stranger on the Wi-Fi can make the
server do, and each failed check is a guess. So the decision comes *before* the check: `admit`
reserves a check for an address (and one from a bucket all addresses share); the caller runs
it and reports the outcome with `checked`. A success gives the shared token back and forgives
the address's earlier failures (a person's typos, then the right password); a failure is
remembered for the rule's window. Checks under way count as failures until they are reported,
so parallel guesses on many connections get no more checks than one connection would.

The rule per address, in a table (`LOGINS`; a block ends before the next one is counted):

| failed checks | within | then the address is refused outright for |
|---|---|---|
| 10 | 1 h | 2 min |
| 10 more, after that block | 1 h | 4 min, then 8, 16, 32 min, then 1 h each time |
| none for a day after a block | - | the next block is 2 min again |

While an address is blocked *no* login from it is accepted, not even the right key of a login
the server remembers as verified (`blocked` is asked first): a guesser who found the key while
blocked would otherwise learn so at once. A real device's few wrong keys (and a conformance
verifier's handful) stay far inside the 10, and a login that just failed, sent again, is
neither checked nor counted again (`repeats`: the caller asks `repeats.seen` first and tells
`repeats.failed` after a failed check), so KOReader retrying a stale key never blocks it.

Every refusal to one address, checked or not, leaves at most `ANSWERS_PER_SECOND` a second,
however many connections it uses (`answer_delay`: each refusal takes the next free slot,
1/`ANSWERS_PER_SECOND` after the previous one, and the handler holds its answer until then;
the per-address connection cap, `connections.PER_ADDRESS`, bounds how many wait, so none waits
more than about 3 s). A typo at a person's pace is answered at once. No other address is
affected.

An empty *address* allowance means that address is guessing: it gets "Unauthorized" (and,
while blocked, how long it must wait). An empty *global* bucket means many addresses are
guessing at once: the caller answers with a retryable error instead, so a real device queues
its push rather than being told its password is wrong. Registration from a device runs a hash
too; it has a throttle of its own (`registration_throttle`, `REGISTRATIONS`), so registrations
never use up the login budget, nor logins the registration budget. All rules are pure and
driven by an injected clock.

| what | per address | all addresses |
|---|---|---|
| failed login checks | the table above | 12, then 8 a second |
| failed or pending registrations | 3 in 10 min, then 1 min, doubling to 1 h | 4, then 1 a second |
| refusals | 5 a second, whatever the number of connections | - |
"""

from __future__ import annotations

import enum
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from bookorbit_desktop.guards.repeats import RecentFailures

ANSWERS_PER_SECOND = 5.0  # refusals answered to one address, at most
_MAX_TRACKED = 10_000


@dataclass(frozen=True)
class Rule:
    """When an address is blocked, and for how long (see the table above)."""

    failures: int  # failed checks within `window` that block the address
    window: float  # seconds
    block: float  # seconds of the first block; each further one is twice the one before ...
    longest_block: float  # ... up to this
    forgive: float  # seconds after a block ends without another: the next is `block` again
    global_rate: float  # failed checks per second for all addresses together
    global_burst: float

    def block_for(self, strike: int) -> float:
        """How long the `strike`th block in a row lasts (1 for the first)."""
        return min(self.block * 2.0 ** (strike - 1), self.longest_block)


LOGINS = Rule(
    failures=10,  # a person's typos and a verifier's wrong keys fit (a success forgives them)
    window=3600.0,  # a slow guesser, one every few minutes, is blocked all the same
    block=120.0,
    longest_block=3600.0,
    forgive=86400.0,
    global_rate=8.0,  # ~0.6 of one core
    global_burst=12.0,  # more than one address's failures: its typos alone never read "busy"
)
# Registration hashes a new key; only the first one ever succeeds (there is one account), so
# a few at once is plenty for a device and bounds a flood while no account exists.
REGISTRATIONS = Rule(
    failures=3,
    window=600.0,
    block=60.0,
    longest_block=3600.0,
    forgive=86400.0,
    global_rate=1.0,
    global_burst=4.0,
)


class Admission(enum.Enum):
    CHECK = "check"  # run the password check, then report it with `checked`
    ADDRESS_LIMIT = "address"  # this address failed too often: refuse, no check
    BUSY = "busy"  # every address together fails too often: retryable refusal, no check


class TokenBucket:
    """`burst` tokens, refilled at `rate` per second; `take()` spends one (or `amount`) when
    there are that many, `give_back()` returns one."""

    __slots__ = ("_burst", "_rate", "_stamp", "_tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = burst
        self._stamp = now

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now

    def tokens(self, now: float) -> float:
        self._refill(now)
        return self._tokens

    def available(self, now: float) -> bool:
        return self.tokens(now) >= 1.0

    def take(self, now: float, amount: float = 1.0) -> bool:
        """Spend `amount` tokens when there are that many."""
        if self.tokens(now) < amount:
            return False
        self._tokens -= amount
        return True

    def wait(self, now: float, amount: float) -> float:
        """Seconds until `amount` tokens are there (infinite past the burst)."""
        if amount > self._burst:
            return math.inf
        return max(0.0, amount - self.tokens(now)) / self._rate

    def give_back(self, now: float) -> None:
        self._refill(now)
        self._tokens = min(self._burst, self._tokens + 1.0)

    def full(self, now: float) -> bool:
        return self.tokens(now) >= self._burst


class _Address:
    """One address's recent failures, its checks under way, its block, and when its next
    refusal may leave."""

    __slots__ = ("blocked_until", "checking", "failures", "next_answer", "strikes")

    def __init__(self, now: float) -> None:
        self.failures: deque[float] = deque()  # when each failed check ended, oldest first
        self.checking = 0  # admitted, not reported yet: each counts as a failure meanwhile
        self.blocked_until = now
        self.strikes = 0  # blocks in a row (forgiven after `Rule.forgive`)
        self.next_answer = now

    def recent_failures(self, now: float, window: float) -> int:
        while self.failures and self.failures[0] <= now - window:
            self.failures.popleft()
        return len(self.failures)

    def quiet(self, now: float, rule: Rule) -> bool:
        return (
            self.checking == 0
            and self.recent_failures(now, rule.window) == 0
            and (self.strikes == 0 or now >= self.blocked_until + rule.forgive)
            and now >= self.next_answer
        )


class LoginThrottle:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        rule: Rule = LOGINS,
        *,
        answers_per_second: float = ANSWERS_PER_SECOND,
        max_tracked: int = _MAX_TRACKED,
    ) -> None:
        self._clock = clock
        self.rule = rule
        self._answer_gap = 1.0 / answers_per_second
        self._max_tracked = max_tracked
        self._addresses: OrderedDict[str, _Address] = OrderedDict()
        self._global = TokenBucket(rule.global_rate, rule.global_burst, clock())
        self.repeats = RecentFailures(clock)  # logins that just failed: refused unchecked
        self.refused = 0  # requests answered without a check, for logs and benchmarks

    def _state(self, address: str, now: float) -> _Address | None:
        """The address's state; None when every tracked address is blocked or being checked
        and there is no room for another (a spray of addresses never frees a block)."""
        state = self._addresses.get(address)
        if state is None:
            if len(self._addresses) >= self._max_tracked and not self._forget_quiet(now):
                return None
            state = self._addresses[address] = _Address(now)
        self._addresses.move_to_end(address)
        return state

    def _forget_quiet(self, now: float) -> bool:
        """Bound memory under a spray of addresses: drop quiet addresses, else the oldest that
        is neither blocked nor being checked; False when none may go."""
        for key in [key for key, state in self._addresses.items() if state.quiet(now, self.rule)]:
            del self._addresses[key]
        if len(self._addresses) < self._max_tracked:
            return True
        for key, state in list(self._addresses.items()):
            if state.checking == 0 and now >= state.blocked_until:
                del self._addresses[key]
                if len(self._addresses) < self._max_tracked:
                    return True
        return False

    def blocked(self, address: str) -> bool:
        """True while `address` is refused outright, whatever key it sends."""
        return self.wait(address) > 0.0

    def wait(self, address: str) -> float:
        """Seconds until a block of `address` ends (0 when it is not blocked)."""
        state = self._addresses.get(address)
        return 0.0 if state is None else max(0.0, state.blocked_until - self._clock())

    def admit(self, address: str) -> Admission:
        """Decide before checking a password from `address`; a CHECK counts as a failure of
        the address, and holds a token of the global bucket, until `checked` reports it."""
        now = self._clock()
        state = self._state(address, now)
        if state is None:
            self.refused += 1
            return Admission.BUSY
        if (
            now < state.blocked_until
            or state.recent_failures(now, self.rule.window) + state.checking >= self.rule.failures
        ):
            self.refused += 1
            return Admission.ADDRESS_LIMIT
        if not self._global.take(now):
            self.refused += 1
            return Admission.BUSY
        state.checking += 1
        return Admission.CHECK

    def checked(self, address: str, ok: bool) -> None:
        """A check `admit`ted for `address` ended. A success gives the global token back and
        forgives the address's failures; a failure is counted, and the one that reaches
        `Rule.failures` within the window blocks the address (longer at each block in a row)."""
        now = self._clock()
        if ok:
            self._global.give_back(now)
        state = self._addresses.get(address)
        if state is None:  # forgotten under a spray of addresses: nothing to settle
            return
        state.checking = max(0, state.checking - 1)
        if ok:
            state.failures.clear()
            return
        state.failures.append(now)
        if state.recent_failures(now, self.rule.window) >= self.rule.failures:
            if now >= state.blocked_until + self.rule.forgive:
                state.strikes = 0
            state.strikes += 1
            state.blocked_until = now + self.rule.block_for(state.strikes)
            state.failures.clear()

    def answer_delay(self, address: str) -> float:
        """Seconds to hold a refusal to `address`: each takes the next free slot, at most
        `ANSWERS_PER_SECOND` a second, so a refusal at a person's pace leaves at once and
        parallel guesses queue."""
        now = self._clock()
        state = self._state(address, now)
        if state is None:  # no room to track it: held one slot, as a guess would be
            return self._answer_gap
        slot = max(now, state.next_answer)
        state.next_answer = slot + self._answer_gap
        return slot - now

    def tracked(self) -> int:
        return len(self._addresses)


def registration_throttle(clock: Callable[[], float] = time.monotonic) -> LoginThrottle:
    """The throttle for registrations from devices: the same rules, its own numbers."""
    return LoginThrottle(clock, REGISTRATIONS)
