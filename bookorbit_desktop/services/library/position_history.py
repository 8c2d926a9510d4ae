"""A book's position history, the jump backs to tell the user of, and Restore: for the window
(off its thread: `*_later`) and the command line.

What a device sent (its name, its position's text) is shown through `device_positions.shown`:
control and format characters escaped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.reading import position_history as history
from bookorbit_desktop.library.reading.position_restore import Restored, restore_position
from bookorbit_desktop.library.reading.values import percent
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.library.device_positions import shown

__all__ = ["HistoryRow", "Notice", "Restored"]

_KINDS = {history.PUSH: "synced", history.RESET: "reset", history.RESTORE: "restored"}


@dataclass(frozen=True)
class HistoryRow:
    event_id: int  # what `restore(book, event_id)` takes
    percentage: float  # 0..1
    where: str | None  # "part 11", "page 56", or None when KOReader's text says nothing shown
    device: str  # the device's name, safe to show
    device_id: str | None
    document: str  # the copy (KOReader's document id)
    timestamp: int  # Unix seconds
    what: str  # "synced", "reset" (to the start), "restored" (by the library)
    jumped_from: float | None  # the jump-back guard kept this push out of the progress


@dataclass(frozen=True)
class Notice:
    """A copy whose served position jumped back, with the position Restore would bring back."""

    device: str
    from_percentage: float
    to_percentage: float
    restore_event_id: int

    def text(self) -> str:
        return (
            f"{self.device} jumped back from {percent(self.from_percentage)} to "
            f"{percent(self.to_percentage)} — Restore {percent(self.from_percentage)}?"
        )


def history_rows(book_id: int) -> list[HistoryRow]:
    """The book's positions, newest first."""
    return [
        HistoryRow(
            event_id=event.event_id,
            percentage=event.percentage,
            where=history.where(event.progress),
            device=shown(event.device),
            device_id=shown(event.device_id) if event.device_id is not None else None,
            document=shown(event.document),
            timestamp=event.timestamp,
            what=_KINDS[event.kind],
            jumped_from=event.jumped_from,
        )
        for event in history.history(book_id)
    ]


def notices(book_id: int) -> list[Notice]:
    return [
        Notice(shown(n.device), n.from_percentage, n.to_percentage, n.from_event_id)
        for n in history.jump_notices(book_id)
    ]


def restore(
    paths: Paths, book_id: int, event_id: int, *, clock: Callable[[], float] = time.time
) -> Restored:
    """Make the position `event_id` the book's current one (one step of Undo)."""
    return restore_position(book_id, event_id, now=clock(), paths=paths)


async def history_later(book_id: int) -> tuple[list[HistoryRow], list[Notice]]:
    return await off_loop(lambda: (history_rows(book_id), notices(book_id)))


async def restore_later(paths: Paths, book_id: int, event_id: int) -> Restored:
    return await off_loop(restore, paths, book_id, event_id)
