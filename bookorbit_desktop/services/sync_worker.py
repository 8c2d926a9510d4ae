"""Pushing queued changes to Hardcover in the background while the app or `serve` runs.

Every few seconds the worker looks at the outbox; books whose wait is over (a status or rating
soon after the change, progress in batches) are pushed through `SyncService.push_due`, under
the library's sync lease. Nothing here blocks a KOReader request: the server only queues.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bookorbit_desktop.hardcover.api.errors import AuthError, HardcoverError, NotConnectedError
from bookorbit_desktop.hardcover.sync.engine import PassResult
from bookorbit_desktop.services.sync import SyncService

log = logging.getLogger(__name__)

POLL_SECONDS = 10.0


class SyncWorker:
    def __init__(
        self,
        service: SyncService,
        *,
        poll: float = POLL_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_result: Callable[[PassResult], None] | None = None,
    ) -> None:
        self.service = service
        self.poll = poll
        self._sleep = sleep
        self._on_result = on_result
        self._task: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run(), name="sync-worker")
        return self._task

    async def stop(self) -> None:
        """Stop between books (a push under way finishes its current book first)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> PassResult | None:
        try:
            result = await self.service.push_due()
        except NotConnectedError:
            return None  # no token: nothing to push to
        except AuthError as error:
            log.info("Hardcover sync paused: %s", error.message)
            return None
        except HardcoverError as error:
            log.warning("Hardcover sync did not finish: %s", error.message)
            return None
        if result is not None:
            log.info("Hardcover sync pushed %d books: %s", len(result.books), result.counts)
            if self._on_result is not None:
                self._on_result(result)
        return result

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not end background sync for the session
                log.exception("Hardcover sync worker error")
            await self._sleep(self.poll)
