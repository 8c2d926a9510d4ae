"""How often one address may be answered: a token bucket per address, and one for them all.

Some answers cost the server little but can be aimed at someone else: a UDP reply goes to
whatever source address a datagram claims, so a stranger who forges the source could make the
server send replies to a third party. `AddressRate` bounds that: each address may be answered
`burst` times at once and `rate` times a second after; all addresses together `total_burst`
and `total_rate`, so forging many sources buys no more; `spend` takes an amount at once (an
export's bytes, say). It keeps at most `max_tracked` addresses (refilled ones first
forgotten, else the oldest), so a spray of forged sources cannot grow its memory. Pure,
driven by an injected clock; the buckets are `throttle`'s.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bookorbit_desktop.guards.throttle import TokenBucket

MAX_TRACKED = 10_000


@dataclass(frozen=True)
class Shortfall:
    """What a refused `spend` lacked: all addresses' budget (`total`) or the address's own,
    and the seconds until it has enough (infinite when the amount is past its burst)."""

    total: bool
    seconds: float


class AddressRate:
    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        total_rate: float,
        total_burst: float,
        clock: Callable[[], float] = time.monotonic,
        max_tracked: int = MAX_TRACKED,
    ) -> None:
        self._rate, self._burst = rate, burst
        self._clock = clock
        self._max_tracked = max_tracked
        self._total = TokenBucket(total_rate, total_burst, clock())
        self._addresses: OrderedDict[str, TokenBucket] = OrderedDict()
        self.refused = 0  # answers not given, for logs and benchmarks

    def allow(self, address: str) -> bool:
        """Spend one answer for `address` when it and the total both have one left."""
        return self.spend(address) is None

    def spend(self, address: str, amount: float = 1.0) -> Shortfall | None:
        """Spend `amount` for `address` when it and the total both have that much left; else
        spend nothing and say which falls short, and when it will have enough."""
        now = self._clock()
        bucket = self._addresses.get(address)
        if bucket is None:
            if len(self._addresses) >= self._max_tracked:
                self._forget(now)
            bucket = self._addresses[address] = TokenBucket(self._rate, self._burst, now)
        self._addresses.move_to_end(address)
        for short, each in ((False, bucket), (True, self._total)):
            if each.tokens(now) < amount:
                self.refused += 1
                return Shortfall(total=short, seconds=each.wait(now, amount))
        bucket.take(now, amount)
        self._total.take(now, amount)
        return None

    def _forget(self, now: float) -> None:
        for key in [key for key, bucket in self._addresses.items() if bucket.full(now)]:
            del self._addresses[key]
        while len(self._addresses) >= self._max_tracked:
            self._addresses.popitem(last=False)

    def tracked(self) -> int:
        return len(self._addresses)
