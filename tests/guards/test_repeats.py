"""A login that just failed, sent again, is known at once: remembered as a digest, for a
minute, against the account it failed against, and never more than a bounded number."""

from __future__ import annotations

import pytest

from bookorbit_desktop.guards.repeats import REPEAT_SECONDS, RecentFailures


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


ACCOUNT = b"digest of the stored account"


@pytest.mark.parametrize(
    ("failed", "wait", "asked", "seen"),
    [
        (("alice", "bad"), 0.0, ("alice", "bad"), True),
        (("alice", "bad"), REPEAT_SECONDS - 0.1, ("alice", "bad"), True),
        (("alice", "bad"), REPEAT_SECONDS, ("alice", "bad"), False),  # forgotten after a minute
        (("alice", "bad"), 0.0, ("alice", "bad2"), False),  # another key is a new guess
        (("alice", "bad"), 0.0, ("bob", "bad"), False),
        (("alice", "bad"), 0.0, ("Alice", "bad"), False),
        (("ali", "cebad"), 0.0, ("alice", "bad"), False),  # the parts do not run together
    ],
)
def test_a_failure_is_remembered_for_a_minute_exactly_as_sent(failed, wait, asked, seen):
    clock = Clock()
    repeats = RecentFailures(clock)
    repeats.failed(ACCOUNT, *failed)
    clock.now += wait
    assert repeats.seen(ACCOUNT, *asked) is seen


def test_another_account_forgets_what_failed_against_the_old_one():
    repeats = RecentFailures(Clock())
    repeats.failed(ACCOUNT, "alice", "newkey")
    assert not repeats.seen(b"digest of the new password", "alice", "newkey")


def test_the_key_itself_is_never_kept():
    repeats = RecentFailures(Clock())
    repeats.failed(ACCOUNT, "alice", "0123456789abcdef0123456789abcdef")
    kept = b"".join(repeats._failed)  # what the memory holds: digests only
    assert b"0123456789abcdef" not in kept and b"alice" not in kept
    assert all(len(digest) == 16 for digest in repeats._failed)


def test_memory_stays_bounded_and_the_oldest_go_first():
    clock = Clock()
    repeats = RecentFailures(clock, max_remembered=100)
    for n in range(10_000):
        repeats.failed(ACCOUNT, "alice", f"guess{n}")
    assert repeats.remembered() == 100
    assert repeats.seen(ACCOUNT, "alice", "guess9999")
    assert not repeats.seen(ACCOUNT, "alice", "guess0")
    clock.now += REPEAT_SECONDS
    assert not repeats.seen(ACCOUNT, "alice", "guess9999")
    assert repeats.remembered() == 0
