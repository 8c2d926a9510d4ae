"""Reloading the library after another connection wrote to it, without freezing the window.

A KOReader push, a background sync or the command line in another process changes rows the
window shows; the window learns of it from `ChangeWatch`, not from what changed. Reading every
book and making the table's rows takes a few hundred milliseconds with 10,000 books, so both
run in worker threads, and so does comparing them with the rows shown; the window's thread
only repaints the books that changed. Requests during a reload are folded into one more; a read
that the window's own edits overtook (the user saved a book meanwhile) is made again, never
shown over the edit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from bookorbit_desktop.services.library import BookRow
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.model import Row, RowDiff, diff_rows, prepare_rows
from bookorbit_desktop.ui.library.view import LibraryView


class BackgroundReload(QObject):
    reloaded = Signal()  # the table shows the library as read

    def __init__(
        self, load: Callable[[], Awaitable[list[BookRow]]], view: LibraryView, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._view = view
        self._task: asyncio.Task[None] | None = None
        self._again = False

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
            books = await self._load()
            diff = await asyncio.to_thread(_compare, shown, books)
            if self._view.apply_diff(diff) is None:
                continue  # the window changed its rows meanwhile: this read may be older
            self.reloaded.emit()
            if not self._again:
                return


def _compare(shown: list[Row], books: list[BookRow]) -> RowDiff:
    return diff_rows(shown, prepare_rows(books))
