"""Background loops: one that runs a round after another for the session (`repeat`), and
stopping them (the server's housekeeping, the Hardcover pull schedule, the catalog's reset
follower): each is cancelled and awaited, and one that had already ended in an error is logged
rather than raised, so that error never keeps the rest of a shutdown from running. (The
window's loop can step such a task while the app quits, and it then ends in "no running event
loop".)"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)


async def stop_tasks(*tasks: asyncio.Task[Any] | None) -> None:
    """Cancel the tasks given (None for none) and wait until each has ended."""
    running = [task for task in tasks if task is not None]
    for task in running:
        task.cancel()
    endings = await asyncio.gather(*running, return_exceptions=True)
    for task, ended in zip(running, endings, strict=True):
        if isinstance(ended, Exception):
            log.warning("Background task %s had ended with an error: %r", task.get_name(), ended)


async def repeat(
    one_round: Callable[[], Awaitable[object]],
    every: float,
    sleep: Callable[[float], Awaitable[None]],
    failure: str,
    logger: logging.Logger,
) -> None:
    """Run `one_round`, then sleep `every` seconds, until cancelled. An error in a round is
    logged (`failure`, with its traceback, to `logger`) and the next round comes all the same:
    a bug must not end the loop for the session."""
    while True:
        try:
            await one_round()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception(failure)
        await sleep(every)
