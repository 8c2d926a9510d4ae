"""Slowing down repeated failed logins from one address.

A failed login still gets its normal 401 (KOReader retries any other status for weeks); it just
arrives later. The delay grows with the failures in the window and is capped below KOReader's
login timeout, so a user who mistyped a password is never locked out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

FREE_FAILURES = 3  # failures in the window that cost nothing
WINDOW_SECONDS = 300.0
MAX_DELAY_SECONDS = 3.0
_MAX_TRACKED = 10_000


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, list[float]] = {}

    def _recent(self, address: str) -> list[float]:
        cutoff = self._clock() - WINDOW_SECONDS
        times = [t for t in self._failures.get(address, []) if t > cutoff]
        if times:
            self._failures[address] = times
        else:
            self._failures.pop(address, None)
        return times

    def delay_for(self, address: str) -> float:
        """Seconds to wait before answering the next failed attempt from `address`."""
        extra = len(self._recent(address)) - FREE_FAILURES
        if extra < 0:
            return 0.0
        return min(0.25 * 2**extra, MAX_DELAY_SECONDS)

    def failed(self, address: str) -> None:
        times = self._recent(address)
        if not times and len(self._failures) >= _MAX_TRACKED:
            # Bound memory under a spray of addresses: forget the oldest entry.
            self._failures.pop(next(iter(self._failures)))
        times.append(self._clock())
        self._failures[address] = times[-64:]

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)
