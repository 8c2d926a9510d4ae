"""Pure rules: how a reading position pushed by a device changes a book's reading state.

No I/O here: the caller passes the current state, the pushed fraction, the local calendar date
and the finish threshold, and gets the new state plus the named changes it implies.

| current status           | push p (0..1)         | result                                      |
|--------------------------|-----------------------|---------------------------------------------|
| any                      | p == 0                | nothing changes (a book opened at its start) |
| unread, want_to_read     | 0 < p < threshold     | reading, started today                      |
| unread, want_to_read     | p >= threshold        | read, started and finished today            |
| reading, rereading       | p < threshold         | progress moves (backwards too: last wins)   |
| reading, rereading       | p >= threshold        | read, finished today                        |
| on_hold                  | p > 0                 | reading again (resumed), or read at the end |
| abandoned                | p >= threshold        | read, finished today                        |
| abandoned                | p < threshold         | unchanged, flagged (the user gave it up)    |
| read, skimmed            | p < threshold         | unchanged, flagged: never silently reopened |
| read, skimmed            | p >= threshold        | unchanged                                   |

Starting again after a finish is a reread: `start_reread` (or setting the status to reading
with `set_status`) opens a new read with today's start date and no finish date.

A progress the user types (`set_progress`, for an edit that does not also choose a status)
moves the status and dates exactly as a push of that fraction would, but the typed progress is
always kept, also where a push would only be flagged (a finished or abandoned book below the
threshold keeps its status and takes the new progress).

A "stale" push is one older than what the book already shows (for example history replayed
when a document is linked later): it may still start the book (or move the start of the
current read earlier) or finish it, on its own date, but it never moves the progress over a
newer position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Protocol

DEFAULT_FINISH_THRESHOLD = 0.995

UNREAD = "unread"
WANT_TO_READ = "want_to_read"
READING = "reading"
REREADING = "rereading"
ON_HOLD = "on_hold"
READ = "read"
SKIMMED = "skimmed"
ABANDONED = "abandoned"

ALL_STATUSES = (UNREAD, WANT_TO_READ, READING, REREADING, ON_HOLD, READ, SKIMMED, ABANDONED)
NOT_STARTED = frozenset({UNREAD, WANT_TO_READ})
IN_PROGRESS = frozenset({READING, REREADING})
FINISHED = frozenset({READ, SKIMMED})


class Change(StrEnum):
    """What a rule did, in words the log, the UI and the Hardcover sync can use."""

    STARTED = "started"  # not started -> reading, start date set
    RESUMED = "resumed"  # on hold -> reading
    PROGRESS = "progress"  # the progress fraction moved
    FINISHED = "finished"  # -> read, finish date set
    REREAD_STARTED = "reread_started"  # a finished book was started again
    STATUS_SET = "status_set"  # the user chose a status
    # Flags: recorded, state untouched.
    PUSH_AFTER_FINISH = "push_after_finish"  # finished book pushed below the threshold
    PUSH_WHILE_ABANDONED = "push_while_abandoned"  # abandoned book pushed below the threshold
    JUMPED_BACK = "jumped_back"  # kept out of the state by the jump-back guard (`jump_back`)


FLAGS = frozenset({Change.PUSH_AFTER_FINISH, Change.PUSH_WHILE_ABANDONED, Change.JUMPED_BACK})


@dataclass(frozen=True)
class ReadingSnapshot:
    """The parts of a book's reading state these rules read and write."""

    status: str = UNREAD
    progress: float = 0.0
    started: date | None = None
    finished: date | None = None


class StoredReading(Protocol):
    """A reading state as the library stores it: dates as ISO text."""

    @property
    def status(self) -> str: ...
    @property
    def progress(self) -> float: ...
    @property
    def started(self) -> str | None: ...
    @property
    def finished(self) -> str | None: ...


def snapshot_of(stored: StoredReading | None) -> ReadingSnapshot:
    """What the rules see of a stored state (none yet: unread); an unreadable date is none."""
    if stored is None:
        return ReadingSnapshot()
    return ReadingSnapshot(
        status=stored.status,
        progress=stored.progress or 0.0,
        started=_iso_day(stored.started),
        finished=_iso_day(stored.finished),
    )


def _iso_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Outcome:
    state: ReadingSnapshot
    changes: tuple[Change, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the state itself changed (flags alone do not count)."""
        return any(change not in FLAGS for change in self.changes)


def usable_threshold(value: object) -> float:
    """A stored finish threshold, or the default when it is not a fraction in (0, 1]."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1:
        return float(value)
    return DEFAULT_FINISH_THRESHOLD


def normalise_fraction(value: float) -> float:
    """A pushed percentage as a fraction in 0..1 (devices send 0..1; guard the edges)."""
    if not math.isfinite(value) or value <= 0:
        return 0.0
    return min(value, 1.0)


def apply_push(
    state: ReadingSnapshot,
    percentage: float,
    today: date,
    finish_threshold: float = DEFAULT_FINISH_THRESHOLD,
    *,
    stale: bool = False,
) -> Outcome:
    """The state after a device reported `percentage` on `today` (see the module table)."""
    p = normalise_fraction(percentage)
    if p == 0.0:
        return Outcome(state)
    at_end = p >= finish_threshold

    if state.status in FINISHED:
        return Outcome(state) if at_end else Outcome(state, (Change.PUSH_AFTER_FINISH,))
    if state.status == ABANDONED and not at_end:
        return Outcome(state, (Change.PUSH_WHILE_ABANDONED,))

    changes: list[Change] = []
    new = state
    if state.status in NOT_STARTED:
        new = replace(new, status=READING, started=today)
        changes.append(Change.STARTED)
    elif state.status in (ON_HOLD, ABANDONED):
        if stale and not at_end:
            # History older than the user's decision to pause does not undo it.
            return Outcome(state)
        new = replace(new, status=READING, started=new.started or today)
        changes.append(Change.RESUMED)
    elif new.started is None or (stale and new.status == READING and today < new.started):
        # Older history of a book being read means the reading began earlier.
        new = replace(new, started=today)
        changes.append(Change.STARTED)

    if at_end:
        progress = max(new.progress, p) if stale else p
        new = replace(new, status=READ, progress=progress, finished=today)
        changes.append(Change.FINISHED)
    elif not stale and p != new.progress:
        new = replace(new, progress=p)
        changes.append(Change.PROGRESS)
    return Outcome(new, tuple(changes))


def start_reread(state: ReadingSnapshot, today: date) -> Outcome:
    """Open a new read of a book: rereading from today, no finish date yet."""
    new = ReadingSnapshot(status=REREADING, progress=0.0, started=today, finished=None)
    return Outcome(new, (Change.REREAD_STARTED,))


def set_status(state: ReadingSnapshot, status: str, today: date) -> Outcome:
    """The state after the user picks `status`; dates follow the same rules as pushes.

    Choosing "reading" on a finished book is a reread; choosing "read" sets today's finish
    date and keeps the start date as it is (unknown stays unknown: marking a book read says
    when it ended, not when it began); "unread" clears the dates.
    """
    if status not in ALL_STATUSES:
        raise ValueError(f"unknown reading status: {status!r}")
    if status == state.status:
        return Outcome(state)
    if status in (READING, REREADING) and state.status in FINISHED:
        return start_reread(state, today)
    if status in FINISHED:
        new = replace(state, status=status, finished=today)
        return Outcome(new, (Change.STATUS_SET, Change.FINISHED))
    if status in IN_PROGRESS:
        new = replace(state, status=status, started=state.started or today)
        return Outcome(new, (Change.STATUS_SET,))
    if status in NOT_STARTED:
        new = ReadingSnapshot(status=status, progress=0.0, started=None, finished=None)
        return Outcome(new, (Change.STATUS_SET,))
    return Outcome(replace(state, status=status), (Change.STATUS_SET,))


def set_progress(
    state: ReadingSnapshot,
    fraction: float,
    today: date,
    finish_threshold: float = DEFAULT_FINISH_THRESHOLD,
) -> Outcome:
    """The state after the user types `fraction` as the progress (see the module docstring).

    Starting, resuming and finishing follow `apply_push`; unlike a push, the typed value is
    always the new progress (0 included) and nothing is only flagged.
    """
    p = normalise_fraction(fraction)
    pushed = apply_push(state, p, today, finish_threshold)
    changes = [change for change in pushed.changes if change not in FLAGS]
    if p != pushed.state.progress and Change.PROGRESS not in changes:
        changes.append(Change.PROGRESS)
    return Outcome(replace(pushed.state, progress=p), tuple(changes))
