"""Whether the library is as it was at a read: counts over the whole library (the page's counts
per state, the sync's waiting work) are read again only once something was written since.

On the window's thread's connection, `PRAGMA data_version` changes when another connection
(a worker thread, another process) commits, and the connection's `total_changes` when it
writes itself: the two together say "nothing was written". Other threads open a connection
per read, so their reads are never reused (`state` is None there).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from bookorbit_desktop.library.store.models import database

T = TypeVar("T")
State = tuple[int, str, int, int]


def state() -> State | None:
    """What the window's connection knows of the library's writes (None off its thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    connection = database.connection()
    (version,) = connection.execute("PRAGMA data_version").fetchone()
    return (id(connection), str(database.database), int(version), connection.total_changes)


class Unchanged(Generic[T]):
    """`read()`'s last result while nothing was written since it was read."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._kept: tuple[State, T] | None = None

    def __call__(self) -> T:
        now = state()
        kept = self._kept
        if now is not None and kept is not None and kept[0] == now:
            return kept[1]
        result = self._read()
        self._kept = None if now is None else (now, result)
        return result
