"""Slowing down repeated failed logins from one address.

A failed login still gets its normal 401 (KOReader retries any other status for weeks); it just
arrives later. The delay grows with the failures in the window and is capped well below
KOReader's 2-second progress timeout: a 401 that arrives after the device gave up would count
as a network error, and a failed push would then be queued for retry instead of stopping.
A device sends one request at a time, so it only ever waits that capped delay. Failures that
overlap (many connections from one address at once) are answered one delay apart, so
parallel guessing is no faster than sequential guessing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

FREE_FAILURES = 3  # failures in the window that cost nothing
WINDOW_SECONDS = 300.0
BASE_DELAY_SECONDS = 0.25
MAX_DELAY_SECONDS = 1.5
_MAX_TRACKED = 10_000
_MAX_FAILURES_KEPT = 64


class LoginThrottle:
    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, max_tracked: int = _MAX_TRACKED
    ) -> None:
        self._clock = clock
        self._max_tracked = max_tracked
        self._failures: dict[str, list[float]] = {}
        self._next_answer: dict[str, float] = {}  # when the next delayed 401 may go out

    def _recent(self, address: str) -> list[float]:
        cutoff = self._clock() - WINDOW_SECONDS
        times = [t for t in self._failures.get(address, []) if t > cutoff]
        if times:
            self._failures[address] = times
        else:
            self._failures.pop(address, None)
            self._next_answer.pop(address, None)
        return times

    def delay_for(self, address: str) -> float:
        """The delay the next failed attempt from `address` earns on its own."""
        extra = len(self._recent(address)) - FREE_FAILURES
        if extra < 0:
            return 0.0
        return min(BASE_DELAY_SECONDS * 2**extra, MAX_DELAY_SECONDS)

    def failed(self, address: str) -> float:
        """Record a failed attempt; return how many seconds to wait before answering it."""
        delay = self.delay_for(address)
        times = self._recent(address)
        if not times and len(self._failures) >= self._max_tracked:
            # Bound memory under a spray of addresses: forget the oldest entry.
            oldest = next(iter(self._failures))
            self._failures.pop(oldest)
            self._next_answer.pop(oldest, None)
        now = self._clock()
        times.append(now)
        self._failures[address] = times[-_MAX_FAILURES_KEPT:]
        if delay == 0.0:
            return 0.0
        answer_at = max(now, self._next_answer.get(address, now)) + delay
        self._next_answer[address] = answer_at
        return answer_at - now

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)
        self._next_answer.pop(address, None)
