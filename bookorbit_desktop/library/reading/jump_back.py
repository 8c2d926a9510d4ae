"""Pure rule: whether a pushed position is a jump back, which the library keeps but does not
read as the book's progress.

A device that opens a book afresh pushes its start; a device that was offline for weeks pushes
the old place it holds. Either push is kept (the position history shows it, and the kosync
pull serves it, so KOReader's own rules decide what the other devices do with it), but it
neither lowers the book's progress (and with it Hardcover's) nor moves the book's status: the
window offers to restore the furthest position instead.

The reference is the furthest position pushed for the same document (one copy of the book: a
place in one file is no place in another) since the library last reset that document, within
`RECENT_DAYS`, and never above the progress the library holds for the book (a re-read started
by the user, or a progress the user typed, lowers that: what comes after it is no jump).

| situation                                                  | pushed | reference | jump back |
|------------------------------------------------------------|--------|-----------|-----------|
| a fresh device opens the book at its start                 | 0 %    | 63 %      | yes       |
| a device offline for weeks pushes its old place            | 30 %   | 63 %      | yes       |
| a re-read started by the user (Read -> Rereading: held 0)  | 2 %    | 0 %       | no        |
| two devices on two copies (documents) of one book          | 10 %   | 10 % own  | no        |
| turning back a few pages, or a chapter                     | 55 %   | 63 %      | no (< 10) |
| the furthest position is older than `RECENT_DAYS`          | 2 %    | none      | no        |
| the library reset the document since the furthest push     | 2 %    | none      | no        |
| a Read, Skimmed or Abandoned book (the reading rules keep it) | 2 %  | -         | no        |

Only a book being read (reading, rereading, on hold) is guarded: the reading rules already keep
a finished or abandoned book as it is below the finish threshold, and only flag the push.

| threshold     | value | why                                                              |
|---------------|-------|------------------------------------------------------------------|
| `JUMP_POINTS` | 0.10  | behind by at least 10 points of the book: more than a look back  |
| `RECENT_DAYS` | 30    | a book picked up after a month starts wherever the device is     |
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.reading.rules import IN_PROGRESS, ON_HOLD, normalise_fraction

JUMP_POINTS = 0.10
RECENT_DAYS = 30
RECENT_SECONDS = RECENT_DAYS * 86_400
GUARDED = IN_PROGRESS | {ON_HOLD}


@dataclass(frozen=True)
class Furthest:
    """The furthest recent position of a document (`event_id` names it, to restore it)."""

    event_id: int
    percentage: float  # 0..1
    timestamp: int  # server clock, Unix seconds


@dataclass(frozen=True)
class JumpBack:
    """A push judged a jump back: from the reference position to the pushed one."""

    from_event_id: int
    from_percentage: float
    to_percentage: float


def _behind(reference: float, pushed: float) -> bool:
    return round(reference - pushed, 9) >= JUMP_POINTS  # 0.63 - 0.53 is not quite 0.1


def may_jump(pushed: float, status: str, held: float) -> bool:
    """Whether a push of `pushed` can be a jump back for a book in `status` whose progress is
    `held`: the reference is never above `held`, so a push within `JUMP_POINTS` of it never
    is. It needs no read of the history, so a push is judged in full (`judge`) only when this
    holds."""
    return status in GUARDED and _behind(held, normalise_fraction(pushed))


def recent_since(now: int) -> int:
    """The earliest timestamp a reference position may have, for a push at `now`."""
    return now - RECENT_SECONDS


def judge(
    pushed: float, status: str, held: float, furthest: Furthest | None, now: int
) -> JumpBack | None:
    """The jump back a push of `pushed` at `now` is, for a book in `status` whose progress is
    `held` and whose document's furthest position since its last reset is `furthest` (None:
    none), or None when it is none."""
    if not may_jump(pushed, status, held) or furthest is None:
        return None
    if furthest.timestamp < recent_since(now):
        return None
    to = normalise_fraction(pushed)
    if not _behind(min(furthest.percentage, held), to):
        return None
    return JumpBack(furthest.event_id, furthest.percentage, to)
