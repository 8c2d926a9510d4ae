"""What the next Sync Now would look up and send, from the one count of what waits."""

from __future__ import annotations

from typing import NamedTuple

from bookorbit_desktop.hardcover.sync import counts
from bookorbit_desktop.hardcover.sync.waiting import (
    HELD,
    TO_LOOK_UP,
    TO_REVIEW,
    TO_SEND,
    BookFacts,
    state_of,
)


class Work(NamedTuple):
    to_match: int = 0
    to_push: int = 0


def waiting_work() -> Work:
    """The books Sync Now would look up, and those it would send once the user said yes."""
    current = counts.current()
    return Work(to_match=current.to_look_up, to_push=current.to_push)


MATCH, PUSH = "match", "push"


def work(facts: BookFacts) -> str | None:
    """What Sync Now does to one book, by its state: look it up, send it, or nothing."""
    state = state_of(facts, review_new=False)
    if state == TO_LOOK_UP:
        return MATCH
    return PUSH if state in (TO_SEND, TO_REVIEW, HELD) else None
