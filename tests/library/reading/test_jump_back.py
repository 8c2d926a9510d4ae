"""The jump-back guard's table (pure): which pushes are kept out of a book's reading state."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.reading.jump_back import (
    JUMP_POINTS,
    RECENT_SECONDS,
    Furthest,
    JumpBack,
    judge,
    may_jump,
)

NOW = 1_790_000_000
DAY = 86_400
YESTERDAY = Furthest(event_id=7, percentage=0.63, timestamp=NOW - DAY)


@pytest.mark.parametrize(
    ("case", "pushed", "status", "held", "furthest", "expected"),
    [
        ("a fresh device at 0 %", 0.0, "reading", 0.63, YESTERDAY, JumpBack(7, 0.63, 0.0)),
        ("a fresh device on page 1", 0.004, "reading", 0.63, YESTERDAY, JumpBack(7, 0.63, 0.004)),
        ("a device weeks behind", 0.30, "reading", 0.63, YESTERDAY, JumpBack(7, 0.63, 0.30)),
        ("on hold, a device weeks behind", 0.3, "on_hold", 0.63, YESTERDAY, JumpBack(7, 0.63, 0.3)),
        # Read -> Rereading: starting the re-read put the book's progress at 0.
        ("a re-read started from the beginning", 0.02, "rereading", 0.0, YESTERDAY, None),
        ("a re-read read on a little", 0.05, "rereading", 0.04, YESTERDAY, None),
        # Two copies: the second copy's own furthest position is 10 %, the book's progress 63 %.
        ("two devices on two copies", 0.11, "reading", 0.63, Furthest(9, 0.10, NOW), None),
        ("a look back a few pages", 0.55, "reading", 0.63, YESTERDAY, None),
        ("exactly JUMP_POINTS behind", 0.53, "reading", 0.63, YESTERDAY, JumpBack(7, 0.63, 0.53)),
        ("just within JUMP_POINTS", 0.531, "reading", 0.63, YESTERDAY, None),
        ("the furthest is older than RECENT_DAYS", 0.02, "reading", 0.63,
         Furthest(7, 0.63, NOW - RECENT_SECONDS - 1), None),
        ("the furthest is just RECENT_DAYS old", 0.02, "reading", 0.63,
         Furthest(7, 0.63, NOW - RECENT_SECONDS), JumpBack(7, 0.63, 0.02)),
        ("no position since the last reset", 0.02, "reading", 0.63, None, None),
        ("the user typed a lower progress", 0.2, "reading", 0.25, YESTERDAY, None),
        ("a Read book: the reading rules keep it", 0.02, "read", 1.0, YESTERDAY, None),
        ("an abandoned book: the reading rules keep it", 0.02, "abandoned", 0.63, YESTERDAY, None),
        ("a book never started", 0.3, "unread", 0.0, None, None),
        ("a push forward", 0.7, "reading", 0.63, YESTERDAY, None),
    ],
)  # fmt: skip
def test_the_guards_table(case, pushed, status, held, furthest, expected):
    assert judge(pushed, status, held, furthest, NOW) == expected, case


@pytest.mark.parametrize("status", ["reading", "rereading", "on_hold", "read", "unread"])
@pytest.mark.parametrize("held", [0.0, 0.05, 0.1, 0.4, 0.63, 1.0])
@pytest.mark.parametrize("pushed", [0.0, 0.02, 0.3, 0.53, 0.6, 0.99])
def test_a_push_the_quick_test_lets_pass_is_never_a_jump(status, held, pushed):
    """`may_jump` is what the push path asks before it reads the history: whatever the
    history holds, a push it lets pass is no jump back."""
    furthest = Furthest(1, 1.0, NOW)
    if not may_jump(pushed, status, held):
        assert judge(pushed, status, held, furthest, NOW) is None
    else:
        assert held - pushed >= JUMP_POINTS - 1e-9
