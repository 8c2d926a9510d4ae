"""A sync pass and the sync's state as the window and the command line show them: plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bookorbit_desktop.hardcover.sync import results
from bookorbit_desktop.hardcover.sync.results import PassResult, cancelled_line, counted_outcomes


@dataclass
class SyncReport(PassResult):
    """A pass as the window and the command line show it (unmatched books included)."""

    dry_run: bool = False

    @property
    def shown(self) -> list[int]:
        """The books a review of this pass shows as going out (a change, or dates that wait
        for the user's yes): what a Cancel of it holds."""
        return [b.book_id for b in self.books if b.outcome == results.WOULD_SEND or b.proposals]

    @property
    def dates_from_history(self) -> int:
        """Books with dates from KOReader's reading history that wait for the user's yes: a
        pass that finds any is shown for review first."""
        return sum(1 for book in self.books if book.proposals)

    @property
    def text(self) -> str:
        """One line for the window and the tray: what the pass did."""
        if self.cancelled:
            return f"{cancelled_line(self.counts)}."
        if self.stopped and not self.books:
            return f"Hardcover sync stopped: {self.stopped}"
        if not self.books:
            return "No books to sync: mark books as reading, read or want to read first."
        total = len(self.books)
        counts = counted_outcomes(self.counts).replace(" · ", ", ")
        line = f"{total} {'book' if total == 1 else 'books'}: {counts}."
        if self.stopped:
            line += f" Stopped: {self.stopped}"
        return line

    def to_json(self) -> dict[str, Any]:
        return {
            "books": [book.to_json() for book in self.books],
            "counts": self.counts,
            "stopped": self.stopped,
            "dry_run": self.dry_run,
            "requests": self.requests,
        }


@dataclass(frozen=True)
class SyncStatus:
    enabled: bool
    paused_reason: str | None
    pending: int  # books Sync Now would send once the user said yes (`Waits.to_push`)
    waiting: dict[str, int]  # the books in each state that waits (`waiting.Waits`)
    queued: int
    blocked: int
    last_sync: float | None
    states: dict[str, int]
    settings: dict[str, Any] = field(default_factory=dict)
    busy: bool = False
    first_sync_done: bool = True

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
