"""Every `statistics.sqlite3` KOReader puts in the folder goes to the library's history import.

The import runs on its own thread (it reads a copy of the file outside the library's
transactions and merges it in short ones, so KOReader's pushes keep being answered), one at a
time: a file that arrives during an import is imported once that one is done, and the newest
bytes are what is read then. A file the import refuses (not KOReader's, or hostile) gets one
line in the log and nothing else. Closing stops the import under way within moments (what it
merged stays consistent; the rest is merged by the next upload). The server only hands the
file over; what the history means is the library's business; the window sees the merge as a
change to the library, like any other connection's write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from pathlib import Path

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.source import ImportCancelled, StatisticsFileError
from bookorbit_desktop.library.store.checkpoint import no_inline_checkpoints
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.log_text import for_log

log = logging.getLogger(__name__)

STATISTICS_NAME = "statistics.sqlite3"  # the name KOReader's statistics cloud sync uses
CLOSE_SECONDS = 2.0  # how long closing waits for the import under way to stop
REASON_CHARACTERS = 400  # of a refusal's message in the log: long enough to say what to do


def _import(path: Path, cancel: threading.Event) -> None:
    where = for_log(path.parent.name + "/" + path.name)
    try:
        no_inline_checkpoints()  # the server's checkpointer copies the log, outside any commit
        summary = import_statistics(path, cancel=cancel)
        log.info("Reading statistics imported from %s: %s", where, summary.describe())
    except StatisticsFileError as error:  # what it quotes of the file is escaped already
        log.warning("Refused the reading statistics uploaded as %s: %s", where, error.args[0])
    except ImportCancelled:
        log.info("Stopped importing the reading statistics in %s; the next upload resumes", where)
    except Exception as error:  # a damaged upload must not stop the next one
        reason = for_log(error, REASON_CHARACTERS)
        log.warning("Could not import the reading statistics in %s: %s", where, reason)
    finally:
        database.close()  # this thread's connection; the next import opens its own


class UploadImports:
    def __init__(self) -> None:
        self._pending: dict[Path, None] = {}
        self._task: asyncio.Task[None] | None = None
        self._cancel = threading.Event()

    def submit(self, path: Path) -> None:
        if self._cancel.is_set():
            return
        self._pending[path] = None
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self._pending and not self._cancel.is_set():
            path = next(iter(self._pending))
            del self._pending[path]
            await asyncio.to_thread(_import, path, self._cancel)

    async def close(self) -> None:
        """Stop the import under way (the library stays consistent) and start no other."""
        self._pending.clear()
        self._cancel.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                async with asyncio.timeout(CLOSE_SECONDS):
                    await asyncio.shield(self._task)
