"""Log lines a client can cause by the thousand stay within a budget per address a minute, and
a summary line tells how many more there were."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bookorbit_desktop.guards.log_budget import BudgetedLog, LineBudget


@pytest.mark.parametrize(
    ("burst", "events", "expected_lines", "expected_summaries"),
    [
        # one address: a line, then counted; the minute's summary once it is over
        (1, [("a", 0), ("a", 1), ("a", 59)], [("a", 0)], [("a", 2)]),
        # two addresses: a line each
        (1, [("a", 0), ("b", 1)], [("a", 0), ("b", 0)], []),
        # a new minute: a line that mentions the minute before, if not summed up yet
        (1, [("a", 0), ("a", 1), ("a", 61)], [("a", 0), ("a", 1)], []),
        # a burst of three: three lines, then counted
        (3, [("a", n) for n in range(5)], [("a", 0)] * 3, [("a", 2)]),
        # the burst is per address
        (
            2,
            [("a", 0), ("a", 1), ("b", 2), ("a", 3), ("b", 4)],
            [("a", 0)] * 2 + [("b", 0)] * 2,
            [("a", 1)],
        ),
        # a minute begun again goes behind those begun since: b's summary is still found
        (
            1,
            [("a", 0), ("b", 10), ("b", 11), ("a", 61)],
            [("a", 0), ("b", 0), ("a", 0)],
            [("b", 1)],
        ),
        # a new minute gives a new burst
        (
            2,
            [("a", 0), ("a", 1), ("a", 2), ("a", 60), ("a", 61)],
            [("a", 0), ("a", 0), ("a", 1), ("a", 0)],
            [],
        ),
    ],
)
def test_lines_beyond_the_burst_are_counted_for_the_minutes_summary(
    burst, events, expected_lines, expected_summaries
):
    budget = LineBudget(burst=burst, window=60.0)
    lines = []
    for address, when in events:
        own, before = budget.note(address, float(when))
        if own:
            lines.append((address, before))
    assert lines == expected_lines
    assert budget.due(events[-1][1] + 0.5) == []  # nothing before its minute ends...
    assert budget.due(200.0) == expected_summaries  # ... then once
    assert budget.unlogged == len(events) - len(lines)


def test_the_budget_stays_bounded_under_a_spray_of_addresses():
    budget = LineBudget(max_tracked=100)
    for n in range(5000):
        assert budget.note(f"10.3.{n // 250}.{n % 250}", 0.0)[0]
    assert len(budget.due(100.0)) == 0 and not budget.waiting()


async def test_the_summary_is_logged_once_the_minute_is_over(caplog):
    logger = logging.getLogger("tests.log_budget")
    lines = BudgetedLog(logger, logging.INFO, "%d more from %s", LineBudget(burst=2, window=0.2))
    caplog.set_level("INFO", logger="tests.log_budget")
    for n in range(6):
        lines.line("10.0.0.7", f"event {n}")
    lines.line("10.0.0.8", "other address")
    assert [r.getMessage() for r in caplog.records] == ["event 0", "event 1", "other address"]
    await asyncio.sleep(0.35)  # the window, and the wake-up that follows it
    assert [r.getMessage() for r in caplog.records][3:] == ["4 more from 10.0.0.7"]
    assert caplog.records[-1].levelno == logging.INFO
    caplog.clear()
    lines.line("10.0.0.7", "a new minute")
    assert [r.getMessage() for r in caplog.records] == ["a new minute"]
