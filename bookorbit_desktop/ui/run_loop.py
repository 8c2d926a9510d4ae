"""The app's main task on the window's loop, run to its end also when Qt ends its loop itself.

Qt ends its event loop on its own when the X server dies (its X11 plugin then ends every later
turn as well: each time it processes events it finds the broken connection and asks the loop
to exit) or when the session is ending. The app must still shut down in order, so its main
task is then driven turn after turn until it is done.

Each turn is a `run_forever` that the task's end stops, never qasync's `run_until_complete`:
that one processes Qt's events once more after each run, outside the loop, and a task stepped
there finds no running loop (`asyncio.to_thread`, `asyncio.sleep` raise "no running event
loop"), which ended the shutdown half-way with the server running and the database open.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)


def run_to_the_end(
    loop: asyncio.AbstractEventLoop,
    main: Coroutine[Any, Any, int],
    quit: Callable[[], object],
    *,
    stop_seconds: float,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run `main` on `loop` and return its exit code (its error is raised). When Qt ends the
    loop before `main` is done, ask it to `quit` and keep turning the loop until it has shut
    down, for at most `stop_seconds` (then the exit code is 1)."""
    task = loop.create_task(main)
    ours = True  # a stop left queued when the task ended must not end a later, foreign run

    def stop(_task: asyncio.Task[int]) -> None:
        if ours:
            loop.stop()

    task.add_done_callback(stop)
    try:
        loop.run_forever()
        if not task.done():
            log.warning("The display went away (or the session is ending): shutting down")
            quit()
            deadline = clock() + stop_seconds
            while not task.done() and clock() < deadline:
                loop.run_forever()
            if not task.done():
                log.warning("Could not shut down in order within %.0f s", stop_seconds)
                return 1
    finally:
        ours = False
    return task.result()
