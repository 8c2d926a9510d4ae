"""Client-side rate limiting for Hardcover: pure, driven by an injected clock.

Hardcover lets each user spend a burst of tokens that refills at 60 per minute, with a daily
cap (Free: burst 10, 5,000/day; Supporter: burst 15, 50,000/day), and every top-level field
of a request costs one token (hardcover-api.md §1.3). The limiter mirrors that bucket so we
wait *before* sending instead of collecting 429s, and corrects itself from the `RateLimit`,
`RateLimit-Policy` and legacy `X-RateLimit-*` headers every response carries: the budget is
shared with the user's other apps, so the server's figures win whenever they are lower.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

DAY = 86_400.0


@dataclass(frozen=True)
class RatePlan:
    name: str
    burst: int
    per_minute: float
    daily: int

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


FREE = RatePlan("Free", burst=10, per_minute=60, daily=5_000)
SUPPORTER = RatePlan("Supporter", burst=15, per_minute=60, daily=50_000)


@dataclass(frozen=True)
class Budget:
    """What is left, for status displays."""

    burst_remaining: int
    burst: int
    daily_remaining: int
    daily_limit: int
    daily_resets_at: float  # Unix seconds
    from_server: bool  # corrected by response headers at least once


_ITEM = re.compile(r'^\s*"?(?P<name>[^";]+)"?\s*(?P<params>(;[^;]*)*)$')


def parse_structured_list(value: str) -> dict[str, dict[str, str]]:
    """Parse `"Free";r=8;t=42, "daily";r=4231;t=51234` into {name: {key: value}}.

    Unparseable items are skipped: a header we misread must never stop a sync.
    """
    items: dict[str, dict[str, str]] = {}
    for raw in value.split(","):
        match = _ITEM.match(raw)
        if not match:
            continue
        params: dict[str, str] = {}
        for part in match.group("params").split(";"):
            key, sep, val = part.partition("=")
            if sep:
                params[key.strip().lower()] = val.strip().strip('"')
        items[match.group("name").strip()] = params
    return items


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _positive(value: str | None) -> float | None:
    number = _number(value)
    return number if number is not None and number > 0 else None


def plan_from_policy(value: str, fallback: RatePlan) -> RatePlan:
    """The plan a `RateLimit-Policy` header describes (unknown parts keep `fallback`'s).

    Only positive figures count: a quota or window of 0 describes no usable bucket.
    """
    name, burst, per_minute, daily = fallback.name, fallback.burst, fallback.per_minute, None
    for item, params in parse_structured_list(value).items():
        quota, window = _positive(params.get("q")), _positive(params.get("w"))
        if item.lower() == "daily":
            daily = int(quota) if quota is not None and quota >= 1 else None
        elif quota is not None and window is not None:
            name, per_minute = item, quota * 60.0 / window
            size = _positive(params.get("burst"))
            burst = int(size) if size is not None and size >= 1 else burst
    return RatePlan(name, burst, per_minute, daily if daily is not None else fallback.daily)


def next_utc_midnight(now: float) -> float:
    return (math.floor(now / DAY) + 1) * DAY


class RateLimiter:
    """A token bucket plus a daily counter, in step with Hardcover's."""

    def __init__(self, plan: RatePlan = FREE, *, clock: Callable[[], float] = time.time) -> None:
        self.plan = plan
        self._clock = clock
        now = clock()
        self._tokens = float(plan.burst)
        self._updated = now
        self._daily_remaining = plan.daily
        self._daily_reset_at = next_utc_midnight(now)
        self._blocked_until = 0.0
        self._from_server = False

    def _refill(self) -> float:
        now = self._clock()
        elapsed = max(now - self._updated, 0.0)
        self._tokens = min(float(self.plan.burst), self._tokens + elapsed * self.plan.per_second)
        self._updated = now
        if now >= self._daily_reset_at:
            self._daily_remaining = self.plan.daily
            self._daily_reset_at = next_utc_midnight(now)
        return now

    def wait_time(self, cost: int) -> float:
        """Seconds to wait before a request costing `cost` top-level fields may be sent."""
        if cost > self.plan.burst:
            raise ValueError(f"a request of {cost} fields exceeds the burst of {self.plan.burst}")
        now = self._refill()
        if self._daily_remaining < cost:
            return max(self._daily_reset_at - now, 0.0)
        waits = [self._blocked_until - now, (cost - self._tokens) / self.plan.per_second]
        return max(0.0, *waits)

    def daily_exhausted(self, cost: int) -> bool:
        self._refill()
        return self._daily_remaining < cost

    def spend(self, cost: int) -> None:
        """Record that a request of `cost` fields was sent."""
        self._refill()
        self._tokens -= cost
        self._daily_remaining = max(self._daily_remaining - cost, 0)

    def throttled(self, retry_after: float, *, daily: bool = False) -> None:
        """Hardcover answered 429: send nothing until `retry_after` seconds have passed."""
        now = self._refill()
        self._blocked_until = max(self._blocked_until, now + max(retry_after, 0.0))
        self._tokens = min(self._tokens, 0.0)
        if daily:
            self._daily_remaining = 0
            # Hardcover's Retry-After is authoritative for when its daily window reopens.
            self._daily_reset_at = now + max(retry_after, 0.0)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Correct the bucket from a response's rate-limit headers (any subset)."""
        now = self._refill()
        lower = {k.lower(): v for k, v in headers.items()}
        policy = lower.get("ratelimit-policy")
        if policy:
            plan = plan_from_policy(policy, self.plan)
            if plan != self.plan:
                self.plan = plan
                self._tokens = min(self._tokens, float(plan.burst))
            self._from_server = True
        burst_left = daily_left = daily_reset_in = None
        for name, params in parse_structured_list(lower.get("ratelimit", "")).items():
            remaining, reset_in = _number(params.get("r")), _number(params.get("t"))
            if name.lower() == "daily":
                daily_left, daily_reset_in = remaining, reset_in
            else:
                burst_left = remaining
        if burst_left is None:
            burst_left = _number(lower.get("x-ratelimit-remaining"))
        if daily_left is None:
            daily_left = _number(lower.get("x-ratelimit-daily-remaining"))
            reset_at = _number(lower.get("x-ratelimit-daily-reset"))
            daily_reset_in = None if reset_at is None else reset_at - now
        if burst_left is not None:
            self._tokens = min(self._tokens, burst_left)
            self._from_server = True
        if daily_left is not None:
            self._daily_remaining = int(daily_left)
            self._from_server = True
        if daily_reset_in is not None and daily_reset_in > 0:
            self._daily_reset_at = now + daily_reset_in

    def resume(self, budget: Budget, observed_at: float) -> None:
        """Continue from a budget seen earlier (by a previous run), refilled since then.

        A new client would otherwise believe it has a full burst while the last run just
        spent it, and its first requests would collect 429s.
        """
        now = self._refill()
        if budget.burst >= 1 and budget.daily_limit >= 1:
            self.plan = replace(self.plan, burst=budget.burst, daily=budget.daily_limit)
        refilled = budget.burst_remaining + max(now - observed_at, 0.0) * self.plan.per_second
        self._tokens = min(float(self.plan.burst), refilled)
        if now < budget.daily_resets_at:
            self._daily_remaining = min(self.plan.daily, budget.daily_remaining)
            self._daily_reset_at = budget.daily_resets_at
        else:
            self._daily_remaining = self.plan.daily

    def budget(self) -> Budget:
        self._refill()
        return Budget(
            burst_remaining=max(math.floor(self._tokens), 0),
            burst=self.plan.burst,
            daily_remaining=self._daily_remaining,
            daily_limit=self.plan.daily,
            daily_resets_at=self._daily_reset_at,
            from_server=self._from_server,
        )
