"""A virtual clock that tests and benchmarks share between the client and the fake server.

`sleep()` returns at once and moves the clock forward, so an hour of rate-limit waiting takes
milliseconds of wall time while both sides still agree on what time it is. Concurrent sleepers
that started together wake at the same virtual instant (the clock only moves to the latest
deadline, never by the sum of the sleeps).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time

# 2026-09-01 12:00:00 UTC: mid-day, so daily windows do not roll over by accident.
DEFAULT_START = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC).timestamp()


class VirtualClock:
    def __init__(self, start: float = DEFAULT_START) -> None:
        self.now = float(start)
        self.slept = 0.0  # total seconds callers asked to sleep
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        seconds = max(float(seconds), 0.0)
        deadline = self.now + seconds
        self.sleeps.append(seconds)
        self.slept += seconds
        await asyncio.sleep(0)
        self.now = max(self.now, deadline)

    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.now, dt.UTC).date()


class SystemClock:
    """The real clock with the VirtualClock interface (for servers on their own thread)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def time(self) -> float:
        return self()

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0.0))

    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self(), dt.UTC).date()


class SteppedClock(SystemClock):
    """The real clock, moved forward by a sleep instead of waiting: a client on the test's
    loop and a fake Hardcover on its own thread share it, so rate-limit waits take no wall
    time while both sides still agree on what time it is. Sleepers that started together
    wake at the same instant (the clock moves to the latest deadline)."""

    async def sleep(self, seconds: float) -> None:
        deadline = self() + max(float(seconds), 0.0)
        await asyncio.sleep(0)
        self.offset = max(self.offset, deadline - time.time())
