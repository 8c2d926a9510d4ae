"""How many password checks the server agrees to run, per address and in total.

A password check (scrypt) is the one expensive thing a stranger on the Wi-Fi can make the
server do, and each check is a guess. So the decision comes *before* the check, and before
any login the server remembers as verified: every address has a small bucket of checks (a
burst of `ADDRESS_BURST`, refilled at `ADDRESS_RATE` a second) and all addresses share a global
bucket. An address that empties its bucket is *blocked* for `BLOCK_SECONDS`: every login from
it is refused, even with the right key and even one verified before, so guessing from one
address cannot find the key faster than the refill. Refusals to one address are answered at
most `ANSWERS_PER_SECOND` a second (`answer_delay`: the handler holds the answer that long; the
per-address connection cap bounds how many wait), so a guesser learns little per second.
No other address is affected: a device that logged in keeps its own bucket.

An empty *address* bucket means that address is guessing: it gets the normal "Unauthorized".
An empty *global* bucket means many addresses are guessing at once: the caller answers with a
retryable error instead, so a real device queues its push rather than being told its password
is wrong. Both rules are pure and driven by an injected clock.
"""

from __future__ import annotations

import enum
import time
from collections import OrderedDict
from collections.abc import Callable

ADDRESS_RATE = 1.0  # checks per second per address, sustained
ADDRESS_BURST = 3.0  # a mistyped password and two retries cost nothing
GLOBAL_RATE = 8.0  # checks per second for all addresses together (~0.6 of one core)
GLOBAL_BURST = 8.0
BLOCK_SECONDS = 10.0  # an address that used up its burst is refused outright this long
ANSWERS_PER_SECOND = 5.0  # refusals answered to one address, at most
MAX_HOLD_SECONDS = 4.0  # the longest a refusal is held (more than the connection cap needs)
_MAX_TRACKED = 10_000


class Admission(enum.Enum):
    CHECK = "check"  # run the password check
    ADDRESS_LIMIT = "address"  # this address guesses too fast: refuse, no check
    BUSY = "busy"  # every address together guesses too fast: retryable refusal, no check


class TokenBucket:
    """`burst` tokens, refilled at `rate` per second; `take()` spends one when there is one."""

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

    def available(self, now: float) -> bool:
        self._refill(now)
        return self._tokens >= 1.0

    def take(self, now: float) -> bool:
        self._refill(now)
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True

    def full(self, now: float) -> bool:
        self._refill(now)
        return self._tokens >= self._burst


class _Address:
    """One address's bucket, the end of its block, and when its next refusal may leave."""

    __slots__ = ("blocked_until", "bucket", "next_answer")

    def __init__(self, bucket: TokenBucket, now: float) -> None:
        self.bucket = bucket
        self.blocked_until = now
        self.next_answer = now

    def quiet(self, now: float) -> bool:
        return now >= self.blocked_until and self.bucket.full(now)


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
        """Bound memory under a spray of addresses: drop refilled, unblocked addresses, else
        the oldest."""
        for key in [key for key, state in self._addresses.items() if state.quiet(now)]:
            del self._addresses[key]
        while len(self._addresses) >= self._max_tracked:
            self._addresses.popitem(last=False)

    def blocked(self, address: str) -> bool:
        """True while `address` is refused outright: asked before any remembered login."""
        state = self._addresses.get(address)
        return state is not None and self._clock() < state.blocked_until

    def admit(self, address: str) -> Admission:
        """Decide before checking a password from `address`; a CHECK spends the tokens."""
        now = self._clock()
        state = self._state(address, now)
        if now < state.blocked_until:
            self.refused += 1
            return Admission.ADDRESS_LIMIT
        if not state.bucket.available(now):
            state.blocked_until = now + self._block_seconds
            self.refused += 1
            return Admission.ADDRESS_LIMIT
        if not self._global.take(now):
            self.refused += 1
            return Admission.BUSY
        state.bucket.take(now)
        return Admission.CHECK

    def answer_delay(self, address: str) -> float:
        """Seconds to hold a refusal to `address` so that its refusals leave at most
        `ANSWERS_PER_SECOND` a second (0 for the first ones)."""
        now = self._clock()
        state = self._state(address, now)
        delay = min(max(0.0, state.next_answer - now), MAX_HOLD_SECONDS)
        state.next_answer = now + delay + 1.0 / self._answers_per_second
        return delay

    def tracked(self) -> int:
        return len(self._addresses)
