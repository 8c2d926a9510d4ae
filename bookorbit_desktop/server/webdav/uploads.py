"""Every `statistics.sqlite3` KOReader puts in the folder goes to the library's history import.

The import runs on its own thread (it reads a copy of the file and merges it into the library
book by book, each in its own short transaction, so device requests keep being answered), one
at a time: a file that arrives during an import is imported once that one is done, and the
newest bytes are what is read then. The server only hands the file over; what the history
means is the library's business; the window sees the merge as a change to the library, like
any other connection's write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)

STATISTICS_NAME = "statistics.sqlite3"  # the name KOReader's statistics cloud sync uses


def _import(path: Path) -> None:
    try:
        summary = import_statistics(path)
        log.info("Reading statistics imported from %s: %s", path.name, summary.describe())
    except Exception as error:  # a damaged upload must not stop the next one
        log.warning("Could not import the reading statistics in %s: %s", path, error)
    finally:
        database.close()  # this thread's connection; the next import opens its own


class UploadImports:
    def __init__(self) -> None:
        self._pending: dict[Path, None] = {}
        self._task: asyncio.Task[None] | None = None

    def submit(self, path: Path) -> None:
        self._pending[path] = None
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self._pending:
            path = next(iter(self._pending))
            del self._pending[path]
            await asyncio.to_thread(_import, path)

    async def close(self) -> None:
        """Let the import under way finish (the library stays consistent either way)."""
        self._pending.clear()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
