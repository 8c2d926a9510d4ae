"""Undo and Redo for the window and the command line: the change journal's latest step taken
back or done again (`library.journal.run`), the names the Edit menu shows, the history, and a
removed book brought back when its file is imported again (`library.journal.restore`)."""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.journal.restore import RemovedBook, removed_books, restore_removed
from bookorbit_desktop.library.journal.run import Done
from bookorbit_desktop.library.store.off_loop import off_loop

__all__ = ["Done", "RemovedBook", "UndoService"]


@dataclass(frozen=True)
class HistoryLine:
    step_id: int
    when: str  # local time, "2026-11-26 09:30"
    label: str
    undone: bool
    changes: tuple[tuple[int, str], ...]  # (book id, what changed)


class UndoService:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def undo(self) -> Done | None:
        """Take back the latest step; None when there is nothing to undo. The command line's:
        it has repaired the file work a stopped process left as it opened the library
        (`cli.commands.prepare`), as the window does as it starts."""
        return run.undo(self.paths)

    def redo(self) -> Done | None:
        """Do the last undone step again; None when there is none."""
        return run.redo(self.paths)

    def moves_files(self, *, redo: bool = False) -> bool:
        """Whether the step Undo (or Redo) would take moves files: the window runs it off its
        thread (`undo_async`, `redo_async`)."""
        return run.moves_files(redo=redo)

    async def undo_async(self) -> Done | None:
        return await off_loop(run.undo, self.paths)

    async def redo_async(self) -> Done | None:
        return await off_loop(run.redo, self.paths)

    def next_names(self) -> tuple[str | None, str | None]:
        """The names of the steps Undo and Redo would take (None: nothing to take)."""
        undo, redo = steps.next_undo(), steps.next_redo()
        return (undo.label if undo else None, redo.label if redo else None)

    def history(self, limit: int = steps.KEEP, book_id: int | None = None) -> list[HistoryLine]:
        """The steps, latest first (only those that changed `book_id`, when given)."""
        lines = []
        for step in steps.history(limit, book_id):
            when = datetime.datetime.fromtimestamp(step.created_at).strftime("%Y-%m-%d %H:%M")
            described = run.describe(step)
            changes = tuple(
                (entry.book_id, text)
                for entry, text in zip(step.entries, described, strict=False)
                if book_id is None or entry.book_id == book_id
            )
            undone = step.undone_at is not None
            lines.append(HistoryLine(step.id, when, step.label, undone, changes))
        return lines

    def removed_books(self, sources: Sequence[str]) -> list[RemovedBook]:
        """The removed books whose files lie at or under `sources` and can be restored."""
        return removed_books(sources)

    def restore(self, book: RemovedBook) -> Done:
        """Bring a removed book back (out of turn); NotFoundError when it is no longer kept."""
        outcome = restore_removed(self.paths, book.step_id, book.book_id, time.time())
        return Done("Restored", f"“{book.title}”", 1, tuple(outcome.skipped), tuple(outcome.notes))
