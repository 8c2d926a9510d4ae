"""How many failed password checks the server tolerates, per address and in total.

A password check (scrypt) is the one expensive thing a stranger on the Wi-Fi can make the
server do, and each failed check is a guess. So the decision comes *before* the check: every
address has a bucket of failures (a burst of `ADDRESS_BURST`, refilled at `ADDRESS_RATE` a
second) and all addresses share a global bucket. `admit` reserves a token from both before a
check runs, so parallel guesses from one address are bounded by the reservations in flight;
the caller then reports the outcome with `checked`: a success gives the tokens back (a login
costs nothing), a failure keeps them spent. An address whose failures empty its bucket is
*blocked* for `BLOCK_SECONDS`: no check runs for it, so even the right key is refused unless
the server already remembers it as verified (only a check that succeeded can make it so,
which is why answering a remembered login from a blocked address does not speed guessing).
The bucket keeps refilling during the block, so when the block ends the address has the
failures of those seconds back: `ADDRESS_RATE` x `BLOCK_SECONDS`, 6 failures, not a whole
burst; spending them blocks it again. A person's typos and a conformance verifier's handful
of wrong keys stay far inside the burst, and a login that just failed, sent again, is not
checked nor counted again (`repeats`: the caller asks `repeats.seen` first and tells
`repeats.failed` after a failed check). While an address is over its budget its refusals
are answered at most `ANSWERS_PER_SECOND` a second (`answer_delay`: the handler holds the
answer that long; the per-address connection cap bounds how many wait), so a guesser learns
little per second; within its budget a refusal is answered at once. No other address is
affected.

An empty *address* bucket means that address is guessing: it gets the normal "Unauthorized".
An empty *global* bucket means many addresses are guessing at once: the caller answers with a
retryable error instead, so a real device queues its push rather than being told its password
is wrong. Registration from a device runs a hash too; it has a throttle of its own
(`registration_throttle`), so registrations never use up the login budget, nor logins the
registration budget. All rules are pure and driven by an injected clock.

| what | per address | all addresses |
|---|---|---|
| failed login checks | 10, then 1 per 5 s; then blocked 30 s, then 6 | 12, then 8 a second |
| failed or pending registrations | 3, then 1 a minute | 4, then 1 a second |
| refusals while over budget | 5 a second, each held at most 4 s | - |
"""

from __future__ import annotations

import enum
import time
from collections import OrderedDict
from collections.abc import Callable

from bookorbit_desktop.guards.repeats import RecentFailures

ADDRESS_BURST = 10.0  # failed checks: a person's typos and a verifier's wrong keys fit
ADDRESS_RATE = 0.2  # failed checks per second per address, sustained (one every 5 s)
GLOBAL_RATE = 8.0  # failed checks per second for all addresses together (~0.6 of one core)
GLOBAL_BURST = 12.0  # more than one address's burst: its typos alone never read "busy"
BLOCK_SECONDS = 30.0  # an address whose failures spent the burst is refused outright this long
ANSWERS_PER_SECOND = 5.0  # refusals answered to one address over its budget, at most
MAX_HOLD_SECONDS = 4.0  # the longest a refusal is held (more than the connection cap needs)
# Registration hashes a new key; only the first one ever succeeds (there is one account), so
# a few at once is plenty for a device and bounds a flood while no account exists.
REGISTRATION_BURST = 3.0
REGISTRATION_RATE = 1.0 / 60.0
REGISTRATION_GLOBAL_BURST = 4.0
REGISTRATION_GLOBAL_RATE = 1.0
_MAX_TRACKED = 10_000


class Admission(enum.Enum):
    CHECK = "check"  # run the password check, then report it with `checked`
    ADDRESS_LIMIT = "address"  # this address failed too often: refuse, no check
    BUSY = "busy"  # every address together fails too often: retryable refusal, no check


class TokenBucket:
    """`burst` tokens, refilled at `rate` per second; `take()` spends one when there is one,
    `give_back()` returns one."""

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

    def take(self, now: float) -> bool:
        if not self.available(now):
            return False
        self._tokens -= 1.0
        return True

    def give_back(self, now: float) -> None:
        self._refill(now)
        self._tokens = min(self._burst, self._tokens + 1.0)

    def full(self, now: float) -> bool:
        return self.tokens(now) >= self._burst


class _Address:
    """One address's bucket, its checks under way, the end of its block, and when its next
    refusal may leave."""

    __slots__ = ("blocked_until", "bucket", "checking", "next_answer")

    def __init__(self, bucket: TokenBucket, now: float) -> None:
        self.bucket = bucket
        self.checking = 0  # admitted, not reported yet: each holds one token
        self.blocked_until = now
        self.next_answer = now

    def quiet(self, now: float) -> bool:
        return self.checking == 0 and now >= self.blocked_until and self.bucket.full(now)

    def over_budget(self, now: float) -> bool:
        return now < self.blocked_until or not self.bucket.available(now)


class LoginThrottle:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        address_rate: float = ADDRESS_RATE,
        address_burst: float = ADDRESS_BURST,
        global_rate: float = GLOBAL_RATE,
        global_burst: float = GLOBAL_BURST,
        block_seconds: float = BLOCK_SECONDS,
        answers_per_second: float = ANSWERS_PER_SECOND,
        max_tracked: int = _MAX_TRACKED,
    ) -> None:
        self._clock = clock
        self._block_seconds = block_seconds
        self._answers_per_second = answers_per_second
        self._address_rate = address_rate
        self._address_burst = address_burst
        self._max_tracked = max_tracked
        self._addresses: OrderedDict[str, _Address] = OrderedDict()
        self._global = TokenBucket(global_rate, global_burst, clock())
        self.repeats = RecentFailures(clock)  # logins that just failed: refused unchecked
        self.refused = 0  # requests answered without a check, for logs and benchmarks

    def _state(self, address: str, now: float) -> _Address:
        state = self._addresses.get(address)
        if state is None:
            if len(self._addresses) >= self._max_tracked:
                self._forget_quiet(now)
            bucket = TokenBucket(self._address_rate, self._address_burst, now)
            state = self._addresses[address] = _Address(bucket, now)
        self._addresses.move_to_end(address)
        return state

    def _forget_quiet(self, now: float) -> None:
        """Bound memory under a spray of addresses: drop refilled, unblocked addresses without
        checks under way, else the oldest."""
        for key in [key for key, state in self._addresses.items() if state.quiet(now)]:
            del self._addresses[key]
        while len(self._addresses) >= self._max_tracked:
            self._addresses.popitem(last=False)

    def blocked(self, address: str) -> bool:
        """True while `address` is refused outright (asked after any remembered login)."""
        state = self._addresses.get(address)
        return state is not None and self._clock() < state.blocked_until

    def admit(self, address: str) -> Admission:
        """Decide before checking a password from `address`; a CHECK reserves a token from the
        address and the global bucket until `checked` reports how the check ended."""
        now = self._clock()
        state = self._state(address, now)
        if now < state.blocked_until or not state.bucket.available(now):
            # No block here: an empty bucket may hold reservations that are about to succeed.
            self.refused += 1
            return Admission.ADDRESS_LIMIT
        if not self._global.take(now):
            self.refused += 1
            return Admission.BUSY
        state.bucket.take(now)
        state.checking += 1
        return Admission.CHECK

    def checked(self, address: str, ok: bool) -> None:
        """A check `admit`ted for `address` ended. A success gives its tokens back; a failure
        keeps them spent, and blocks the address once failures alone have emptied its bucket
        (reservations still under way may yet come back)."""
        now = self._clock()
        if ok:
            self._global.give_back(now)
        state = self._addresses.get(address)
        if state is None:  # forgotten under a spray of addresses: nothing to settle
            return
        state.checking = max(0, state.checking - 1)
        if ok:
            state.bucket.give_back(now)
        elif state.bucket.tokens(now) + state.checking < 1.0:
            state.blocked_until = now + self._block_seconds

    def answer_delay(self, address: str) -> float:
        """Seconds to hold a refusal to `address`: none while it is within its budget (a
        typo is answered at once); once it is over, its refusals leave at most
        `ANSWERS_PER_SECOND` a second (0 for the first one)."""
        now = self._clock()
        state = self._state(address, now)
        if not state.over_budget(now):
            return 0.0
        delay = min(max(0.0, state.next_answer - now), MAX_HOLD_SECONDS)
        state.next_answer = now + delay + 1.0 / self._answers_per_second
        return delay

    @property
    def block_seconds(self) -> float:
        """How long an address that spent its failures is refused outright."""
        return self._block_seconds

    def tracked(self) -> int:
        return len(self._addresses)


def registration_throttle(clock: Callable[[], float] = time.monotonic) -> LoginThrottle:
    """The throttle for registrations from devices: the same rules, its own buckets."""
    return LoginThrottle(
        clock,
        address_rate=REGISTRATION_RATE,
        address_burst=REGISTRATION_BURST,
        global_rate=REGISTRATION_GLOBAL_RATE,
        global_burst=REGISTRATION_GLOBAL_BURST,
    )
