"""How many password checks the server agrees to run, per address and in total.

A password check (scrypt) is the one expensive thing a stranger on the Wi-Fi can make the
server do, and each check is a guess. So the decision comes *before* the check: every address
has a small bucket of checks (a burst of `ADDRESS_BURST`, refilled at `ADDRESS_RATE` a second)
and all addresses share a global bucket. A request that finds its bucket empty is answered at
once without checking anything: no sleeping request holds memory, and opening more connections
or succeeding once does not buy more guesses. Logins the server already verified are answered
from a cache and cost no token, so a device that is logged in is never held up by an attacker.

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


class LoginThrottle:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        address_rate: float = ADDRESS_RATE,
        address_burst: float = ADDRESS_BURST,
        global_rate: float = GLOBAL_RATE,
        global_burst: float = GLOBAL_BURST,
        max_tracked: int = _MAX_TRACKED,
    ) -> None:
        self._clock = clock
        self._address_rate = address_rate
        self._address_burst = address_burst
        self._max_tracked = max_tracked
        self._addresses: OrderedDict[str, TokenBucket] = OrderedDict()
        self._global = TokenBucket(global_rate, global_burst, clock())
        self.refused = 0  # requests answered without a check, for logs and benchmarks

    def _bucket(self, address: str, now: float) -> TokenBucket:
        bucket = self._addresses.get(address)
        if bucket is None:
            if len(self._addresses) >= self._max_tracked:
                self._forget_full(now)
            bucket = TokenBucket(self._address_rate, self._address_burst, now)
            self._addresses[address] = bucket
        self._addresses.move_to_end(address)
        return bucket

    def _forget_full(self, now: float) -> None:
        """Bound memory under a spray of addresses: drop refilled buckets, else the oldest."""
        for key in [key for key, bucket in self._addresses.items() if bucket.full(now)]:
            del self._addresses[key]
        while len(self._addresses) >= self._max_tracked:
            self._addresses.popitem(last=False)

    def admit(self, address: str) -> Admission:
        """Decide before checking a password from `address`; a CHECK spends the tokens."""
        now = self._clock()
        bucket = self._bucket(address, now)
        if not bucket.available(now):
            self.refused += 1
            return Admission.ADDRESS_LIMIT
        if not self._global.take(now):
            self.refused += 1
            return Admission.BUSY
        bucket.take(now)
        return Admission.CHECK

    def tracked(self) -> int:
        return len(self._addresses)
