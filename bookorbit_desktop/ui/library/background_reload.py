"""Reloading the library after another connection wrote to it, without freezing the window.

A KOReader push, a background sync or the command line in another process changes rows the
window shows; the window learns of it from `ChangeWatch`, and which books changed from the
library's change log: after the first read, a reload reads and compares only the books changed
since the last one (`services.library_changes`). Reading and comparing run in worker threads;
the window's thread only repaints the books that changed. Requests during a reload are folded
into one more; a read that the window's own edits overtook (the user saved a book meanwhile)
is made again, never shown over the edit.

The rows the window sets itself (F5, a saved book) are read at that moment, so they are never
older than the last reload: the books changed since it are all a reload needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.services.library_changes import LibraryChanges
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.model import Row, prepare_rows
from bookorbit_desktop.ui.library.row_diff import RowDiff, diff_changed, diff_rows
from bookorbit_desktop.ui.library.view import LibraryView


class BackgroundReload(QObject):
    reloaded = Signal()  # the table shows the library as read

    def __init__(
        self,
        load: Callable[[int | None], Awaitable[LibraryChanges]],
        view: LibraryView,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._view = view
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._seen: int | None = None  # the latest change shown; None: read every book

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The reload under way or last run (tests wait on it)."""
        return self._task

    def request(self) -> asyncio.Task[None]:
        """Reload soon; one more time after the reload under way if there is one."""
        if self._task is not None and not self._task.done():
            self._again = True
            return self._task
        self._task = spawn(self._run(), self._view)
        return self._task

    async def _run(self) -> None:
        while True:
            self._again = False
            shown = self._view.model.shown_rows  # before the read: an edit after it is seen
            # The rows read live as long as the table shows them: no collection scans them
            # while they are made and handed over (the first one after the table is filled).
            with paused_collection():
                found = await self._load(self._seen)
                diff = await asyncio.to_thread(_compare, shown, found)
                applied = self._view.apply_diff(diff)
            if applied is None:
                continue  # the window changed its rows meanwhile: this read may be older
            self._seen = found.seq
            self.reloaded.emit()
            if not self._again:
                return


def _compare(shown: list[Row], found: LibraryChanges) -> RowDiff:
    rows = prepare_rows(found.books)
    if found.changed is None:
        return diff_rows(shown, rows)
    return diff_changed(shown, rows, found.changed)
