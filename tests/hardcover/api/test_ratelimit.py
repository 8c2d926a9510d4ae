"""The client's token bucket: plan numbers, waits, header corrections, 429s, daily reset."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.api.ratelimit import (
    FREE,
    SUPPORTER,
    Budget,
    RateLimiter,
    RatePlan,
    next_utc_midnight,
    parse_structured_list,
    plan_from_policy,
)

NOON = 1_788_264_000.0  # 2026-09-01 12:00 UTC


class Clock:
    def __init__(self, now: float = NOON) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            '"Free";r=8;t=42, "daily";r=4231;t=51234',
            {"Free": {"r": "8", "t": "42"}, "daily": {"r": "4231", "t": "51234"}},
        ),
        (
            '"Free";q=60;w=60;burst=10, "daily";q=5000;w=86400',
            {"Free": {"q": "60", "w": "60", "burst": "10"}, "daily": {"q": "5000", "w": "86400"}},
        ),
        ("Supporter;r=3", {"Supporter": {"r": "3"}}),
        ("", {}),
        ('"Free";r=8;garbage, "daily"', {"Free": {"r": "8"}, "daily": {}}),
    ],
)
def test_parse_structured_list(header, expected):
    assert parse_structured_list(header) == expected


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ('"Free";q=60;w=60;burst=10, "daily";q=5000;w=86400', FREE),
        (
            '"Supporter";q=60;w=60;burst=15, "daily";q=50000;w=86400',
            SUPPORTER,
        ),
        ('"Free";q=30;w=60;burst=5', RatePlan("Free", 5, 30.0, 5000)),
        ("nonsense", FREE),
        # Values no bucket can have are ignored (a refill of 0 would wait forever).
        ('"Free";q=0;w=60;burst=10', FREE),
        ('"Free";q=60;w=0;burst=10', FREE),
        ('"Free";q=-60;w=60;burst=-3', FREE),
        ('"Free";q=60;w=60;burst=0.5', FREE),
        ('"Tiny";q=60;w=60;burst=1', RatePlan("Tiny", 1, 60.0, 5000)),
        ('"Free";q=60;w=60;burst=10, "daily";q=0;w=86400', FREE),
    ],
)
def test_plan_from_policy(policy, expected):
    assert plan_from_policy(policy, FREE) == expected


def test_a_nonsense_policy_header_never_stops_the_limiter():
    limiter = RateLimiter(FREE, clock=Clock())
    for _ in range(10):
        limiter.spend(1)
    limiter.observe({"RateLimit-Policy": '"Free";q=0;w=60;burst=10, "daily";q=0;w=86400'})
    assert limiter.wait_time(1) == pytest.approx(1.0)


# (requests sent at t=0 with cost 1, expected wait for the next one)
@pytest.mark.parametrize(
    ("sent", "cost", "wait"),
    [
        (0, 1, 0.0),
        (9, 1, 0.0),
        (10, 1, 1.0),  # burst spent: one token per second
        (10, 5, 5.0),
        (5, 5, 0.0),
        (6, 5, 1.0),
    ],
)
def test_burst_then_refill_at_sixty_per_minute(sent, cost, wait):
    limiter = RateLimiter(FREE, clock=Clock())
    for _ in range(sent):
        limiter.spend(1)
    assert limiter.wait_time(cost) == pytest.approx(wait)


def test_tokens_refill_with_time_but_not_beyond_the_burst():
    clock = Clock()
    limiter = RateLimiter(FREE, clock=clock)
    for _ in range(10):
        limiter.spend(1)
    clock.now += 3
    assert limiter.budget().burst_remaining == 3
    clock.now += 3600
    assert limiter.budget().burst_remaining == 10


def test_a_request_bigger_than_the_burst_is_refused():
    with pytest.raises(ValueError):
        RateLimiter(RatePlan("Tiny", 3, 60, 100), clock=Clock()).wait_time(4)


def test_daily_cap_waits_until_utc_midnight_then_resets():
    clock = Clock()
    limiter = RateLimiter(RatePlan("Small", 10, 60, 3), clock=clock)
    for _ in range(3):
        clock.now += 5
        limiter.spend(1)
    assert limiter.daily_exhausted(1)
    assert limiter.wait_time(1) == pytest.approx(next_utc_midnight(clock.now) - clock.now)
    clock.now = next_utc_midnight(clock.now) + 1
    assert limiter.wait_time(1) == 0
    assert limiter.budget().daily_remaining == 3


# Headers lower our estimate when other apps share the budget; they never raise it above ours.
@pytest.mark.parametrize(
    ("headers", "burst_left", "daily_left"),
    [
        ({"RateLimit": '"Free";r=2;t=8, "daily";r=100;t=600'}, 2, 100),
        ({"ratelimit": '"Free";r=10;t=0, "daily";r=4990;t=600'}, 9, 4990),
        ({"X-RateLimit-Remaining": "4", "X-RateLimit-Daily-Remaining": "77"}, 4, 77),
        ({}, 9, 4999),
        ({"RateLimit": "garbage"}, 9, 4999),
    ],
)
def test_headers_correct_the_bucket(headers, burst_left, daily_left):
    limiter = RateLimiter(FREE, clock=Clock())
    limiter.spend(1)
    limiter.observe(headers)
    budget = limiter.budget()
    assert (budget.burst_remaining, budget.daily_remaining) == (burst_left, daily_left)


def test_policy_header_switches_plan_and_reset_time():
    clock = Clock()
    limiter = RateLimiter(FREE, clock=clock)
    limiter.observe(
        {
            "RateLimit-Policy": '"Supporter";q=60;w=60;burst=15, "daily";q=50000;w=86400',
            "RateLimit": '"Supporter";r=15;t=0, "daily";r=49000;t=100',
        }
    )
    budget = limiter.budget()
    assert limiter.plan == SUPPORTER
    assert budget.daily_limit == 50_000
    assert budget.daily_remaining == 49_000
    assert budget.daily_resets_at == pytest.approx(clock.now + 100)
    assert budget.from_server


def test_legacy_daily_reset_header_is_a_unix_time():
    clock = Clock()
    limiter = RateLimiter(FREE, clock=clock)
    limiter.observe(
        {"X-RateLimit-Daily-Remaining": "10", "X-RateLimit-Daily-Reset": str(NOON + 50)}
    )
    assert limiter.budget().daily_resets_at == pytest.approx(NOON + 50)


@pytest.mark.parametrize(("retry_after", "daily"), [(7, False), (3600, True)])
def test_a_429_blocks_until_retry_after(retry_after, daily):
    clock = Clock()
    limiter = RateLimiter(FREE, clock=clock)
    limiter.throttled(retry_after, daily=daily)
    assert limiter.wait_time(1) == pytest.approx(retry_after)
    assert limiter.daily_exhausted(1) is daily
    clock.now += retry_after
    assert limiter.wait_time(1) == 0


def test_budget_before_any_response_is_not_from_the_server():
    budget = RateLimiter(FREE, clock=Clock()).budget()
    assert (budget.burst_remaining, budget.daily_remaining, budget.from_server) == (10, 5000, False)


# (burst left when last seen, seconds since, burst available now)
@pytest.mark.parametrize(
    ("left", "elapsed", "available"), [(0, 0, 0), (0, 3, 3), (4, 3, 7), (4, 100, 10), (10, 0, 10)]
)
def test_resume_continues_from_an_earlier_budget(left, elapsed, available):
    clock = Clock()
    earlier = Budget(left, 10, 4000, 5000, next_utc_midnight(NOON), from_server=True)
    limiter = RateLimiter(FREE, clock=clock)
    limiter.resume(earlier, observed_at=NOON - elapsed)
    assert limiter.budget().burst_remaining == available
    assert limiter.budget().daily_remaining == 4000


def test_resume_takes_the_plan_and_ignores_a_past_day():
    clock = Clock()
    yesterday = Budget(3, 15, 10, 50_000, NOON - 60, from_server=True)
    limiter = RateLimiter(FREE, clock=clock)
    limiter.resume(yesterday, observed_at=NOON - 3600)
    budget = limiter.budget()
    assert (budget.burst, budget.daily_limit) == (15, 50_000)
    assert budget.burst_remaining == 15  # an hour refills the bucket
    assert budget.daily_remaining == 50_000  # that day's count is over
