"""The pull from Hardcover between sync passes: shortly after start-up and every quarter of an
hour after (what changed since the marks the library keeps, `pull.run`), while sync is on and
not paused.

A sync pass pulls first anyway; this brings hardcover.app's changes in when nothing local is
waiting to be pushed. It takes the sync lease for the pull (a push under way, here or in
`serve`, goes first: the pull waits for the next round), and costs about 2 requests a round,
under 200 a day. Runs on the app's event loop; the library work goes to worker threads.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bookorbit_desktop.background import repeat, stop_tasks
from bookorbit_desktop.hardcover.api.errors import HardcoverError
from bookorbit_desktop.hardcover.sync import lease
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.library.store.off_loop import off_loop

if TYPE_CHECKING:
    from bookorbit_desktop.hardcover.pull.run import PullResult
    from bookorbit_desktop.services.hardcover.account import HardcoverAccount

log = logging.getLogger(__name__)

FIRST_DELAY = 20.0  # seconds after start-up: the window and server come first
EVERY = 900.0


class PullSchedule:
    def __init__(
        self,
        account: HardcoverAccount,
        *,
        first_delay: float = FIRST_DELAY,
        every: float = EVERY,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_result: Callable[[PullResult], None] | None = None,
    ) -> None:
        self.account = account
        self.first_delay, self.every = first_delay, every
        self._sleep = sleep
        self._on_result = on_result
        self.holder = lease.new_holder()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run(), name="hardcover-pull")

    async def stop(self) -> None:
        task, self.task = self.task, None
        await stop_tasks(task)

    async def _run(self) -> None:
        await self._sleep(self.first_delay)
        await repeat(self.run_once, self.every, self._sleep, "Hardcover pull error", log)

    async def run_once(self) -> PullResult | None:
        """One round; None when it was not the time (sync off or paused, not connected, no
        account id yet, or a push holds the lease)."""
        status = await off_loop(self.account.status)
        if not status.connected or status.paused_reason or status.user_id is None:
            return None
        if not (await off_loop(sync_settings.load)).enabled:
            return None
        if not await off_loop(lease.acquire, self.holder):
            return None
        # The pull's modules load with its first round, not with the window.
        from bookorbit_desktop.hardcover.pull.run import pull

        try:
            async with self.account.open_client() as client:
                result = await pull(client, int(status.user_id))
        except HardcoverError as error:
            log.info("Hardcover pull did not run: %s", error.message)
            return None
        finally:
            await off_loop(lease.release, self.holder)
        if result.error:
            log.info("Hardcover pull stopped early: %s", result.error)
        if self._on_result is not None:
            self._on_result(result)
        return result
