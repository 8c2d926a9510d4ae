"""Pushing queued changes to Hardcover in the background while the app or `serve` runs.

Every few seconds the worker looks at the outbox; books whose wait is over (a status or rating
soon after the change, progress in batches) are pushed through `SyncService.push_due`, under
the library's sync lease. The worker runs on a thread of its own with its own event loop and
its own SQLite connection, so neither a slow Hardcover nor a busy database ever holds up a
KOReader request or the window; results are handed back to the caller's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable

from bookorbit_desktop.background import repeat
from bookorbit_desktop.hardcover.api.errors import AuthError, HardcoverError, NotConnectedError
from bookorbit_desktop.hardcover.sync.results import PassResult
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.hardcover.sync import SyncService

log = logging.getLogger(__name__)

POLL_SECONDS = 10.0
STOP_WAIT_SECONDS = 30.0  # a push under way may take a few requests to finish its book


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
        self._thread: threading.Thread | None = None
        self._caller: asyncio.AbstractEventLoop | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._stop_requested = threading.Event()

    def start(self) -> None:
        """Run on a thread of its own until `stop`; results go to the calling loop."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop_requested.clear()
        self._caller = asyncio.get_running_loop()
        self._thread = threading.Thread(
            target=self._thread_main, name="hardcover-sync", daemon=True
        )
        self._thread.start()

    async def stop(self) -> None:
        """Stop between books (a push under way finishes its current book first)."""
        # The flag first, then the loop: a thread that has not set up its loop yet sees the
        # flag, one that has is woken through its loop.
        self._stop_requested.set()
        thread, loop, stopping = self._thread, self._loop, self._stopping
        self._thread = None
        if thread is None:
            return
        if loop is not None and stopping is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopping.set)
        await asyncio.to_thread(thread.join, STOP_WAIT_SECONDS)

    def _thread_main(self) -> None:
        try:
            asyncio.run(self._until_stopped())
        finally:
            database.close()  # this thread's own connection

    async def _until_stopped(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        if self._stop_requested.is_set():
            return
        task = asyncio.create_task(self.run(), name="sync-worker")
        await self._stopping.wait()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    def _report(self, result: PassResult) -> None:
        if self._on_result is None:
            return
        caller = self._caller
        if caller is None or caller is asyncio.get_running_loop():
            self._on_result(result)
        elif not caller.is_closed():
            with contextlib.suppress(RuntimeError):
                caller.call_soon_threadsafe(self._on_result, result)

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
            self._report(result)
        return result

    async def run(self) -> None:
        await repeat(self.run_once, self.poll, self._sleep, "Hardcover sync worker error", log)
