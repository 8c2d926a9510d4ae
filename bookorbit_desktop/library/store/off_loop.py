"""Library work that must not hold up an event loop, run in a worker thread.

A sync pass prepares its work from thousands of rows (the linked books, their outbox entries,
their match records) before it sends anything. On the window's loop that was a freeze of a few
hundred milliseconds; `off_loop(fn, ...)` runs such a step in a worker thread on a connection of
its own (WAL lets it read beside the loop's connection) and closes that connection afterwards,
so no thread keeps the library open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from bookorbit_desktop.library.store.models import database

T = TypeVar("T")


def _on_own_connection(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return fn(*args, **kwargs)
    finally:
        if not database.is_closed():
            database.close()  # this thread's connection only


async def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a worker thread with its own library connection; its result."""
    return await asyncio.to_thread(_on_own_connection, fn, *args, **kwargs)
