"""Which processes are writing the library's files right now, so that `safe.recover` finishes
only what a stopped process left, never what a running one (the window, a command run beside
it) is still writing.

A process holds a shared lock on `file-work.lock` in the library's folder while it writes a
file (`at_work`); `recover` runs only when it can hold that lock alone (`alone`). The operating
system drops a lock when its process ends, however it ends, so a killed writer's leftovers are
recovered by the next run. A library without a folder (in memory) has no lock to take.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sharing import lock_file

LOCK_FILENAME = "file-work.lock"
WAIT = 10.0  # seconds a writer waits for a running `recover` to finish


class Busy(Exception):
    """A `recover` held the lock for longer than a writer waits."""


def _open() -> IO[bytes] | None:
    name = database.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return open(Path(name).parent / LOCK_FILENAME, "a+b")


@contextlib.contextmanager
def at_work() -> Iterator[None]:
    """Hold the shared lock while a file is written (waiting while a `recover` runs; `Busy`
    past `WAIT`)."""
    handle = _open()
    try:
        deadline = time.monotonic() + WAIT
        while handle is not None and not lock_file(handle, shared=True):
            if time.monotonic() > deadline:
                raise Busy
            time.sleep(0.05)
        yield
    finally:
        if handle is not None:
            handle.close()


@contextlib.contextmanager
def alone() -> Iterator[bool]:
    """Hold the lock alone, without waiting: True when no other process (or thread) is writing
    a file, False when one is (its files are then left to it)."""
    handle = _open()
    try:
        yield handle is None or lock_file(handle, shared=False)
    finally:
        if handle is not None:
            handle.close()
