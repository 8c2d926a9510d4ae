"""Following other connections' writes in the library table, without freezing the window.

A KOReader push, a background sync or the command line in another process changes rows the
window shows; the window learns of it from `ChangeWatch`, and which books changed from the
library's change log (`services.library.table_window.changes_since`, read in a worker thread). The
table then repaints those books' rows, or reads its order again when one moved, came or went
(`LazyLibraryModel.follow`). Requests during a reload are folded into one more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from bookorbit_desktop.services.library.table_window import TableChanges, read_later
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.view import LibraryView


class BackgroundReload(QObject):
    reloaded = Signal()  # the table shows the library as it is now

    def __init__(
        self,
        load: Callable[[int | None], Awaitable[TableChanges]],
        view: LibraryView,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._view = view
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._seen: int | None = None  # the latest change shown; None: follow every book

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The reload under way or last run (tests wait on it)."""
        return self._task

    def shown(self, seq: int) -> None:
        """The table was just read whole, with every change up to number `seq`."""
        self._seen = seq

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
            found = await self._load(self._seen)
            model = self._view.model
            if not model.show(await read_later(model.find(found.changed))):
                continue  # the window changed its rows meanwhile: this read may be older
            self._seen = found.seq
            self.reloaded.emit()
            if not self._again:
                return
