"""The merged book's reading state from the two copies' states: a pure rule.

The status that went furthest wins (finished beats reading, which beats on hold, abandoned,
want to read and unread, in that order; a tie keeps the kept book's), and the progress comes
with it (on a tie, the further of the two). The start date is the earliest of the two and the
finish date the latest, each with where it came from; the rating is the kept book's, else the
other's. The reads themselves (KOReader's sessions) follow the copies' files and need no rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bookorbit_desktop.library.reading.rules import (
    ABANDONED,
    FINISHED,
    IN_PROGRESS,
    ON_HOLD,
    WANT_TO_READ,
)

FIELDS = ("status", "progress", "rating", "started", "finished")


def _rank(status: str) -> int:
    if status in FINISHED:
        return 5
    if status in IN_PROGRESS:
        return 4
    return {ON_HOLD: 3, ABANDONED: 2, WANT_TO_READ: 1}.get(status, 0)


def _date(value: Any) -> str | None:
    return value[0] if isinstance(value, list) and value else None


def _pick_date(keep: Any, other: Any, *, latest: bool) -> Any:
    """The earlier (or later) of two dated values `[iso day, source]`; an empty one loses."""
    mine, theirs = _date(keep), _date(other)
    if theirs is None or (mine is not None and (mine >= theirs if latest else mine <= theirs)):
        return keep
    return other


def merge_reading(keep: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """The merged values of `FIELDS` (as `journal.book_values.read_values` holds them)."""
    mine, theirs = _rank(keep["status"]), _rank(other["status"])
    winner = other if theirs > mine else keep
    progress = winner["progress"]
    if mine == theirs:
        progress = max(keep["progress"], other["progress"])
    return {
        "status": winner["status"],
        "progress": progress,
        "rating": keep["rating"] if keep["rating"] is not None else other["rating"],
        "started": _pick_date(keep["started"], other["started"], latest=False),
        "finished": _pick_date(keep["finished"], other["finished"], latest=True),
    }
