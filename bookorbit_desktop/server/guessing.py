"""Telling the user that someone is guessing the password from many addresses.

The throttle knows (`LoginThrottle.guessing`: while a network's or everyone's budget of failed
checks is spent, from how many addresses that never logged in the failed and refused logins of
the last hour came). `GuessingReport` asks it after a refused login, then once a second while
the guessing lasts, and hands each new count to the server's `on_guessing` hook (the window's
status bar shows it), then 0 once the block is over or the server stops. It logs one line when
the guessing starts and one when it ends, for `serve` and the log file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bookorbit_desktop.guards.throttle import LoginThrottle

log = logging.getLogger("bookorbit_desktop.server.login")

LOOK_SECONDS = 1.0  # how often the count is read again while the guessing lasts

Hook = Callable[[int], None]


class GuessingReport:
    def __init__(self) -> None:
        self.told = 0  # the count the hook was last given
        self._look: asyncio.Handle | None = None
        self._hook: Hook | None = None

    def note(self, throttle: LoginThrottle, hook: Hook | None) -> None:
        """A login was refused: read the count on the next loop turn (once, however many)."""
        self._hook = hook
        if self._look is None:
            self._look = asyncio.get_running_loop().call_soon(self._read, throttle)

    def _read(self, throttle: LoginThrottle) -> None:
        self._look = None
        count = throttle.guessing()
        if count and not self.told:
            log.warning(
                "Someone is guessing the sync password from %d addresses: logins from "
                "addresses that never logged in are refused without a check until it stops",
                count,
            )
        elif self.told and not count:
            log.warning("The password guessing stopped: every address is checked again")
        self._tell(count)
        if count:
            self._look = asyncio.get_running_loop().call_later(LOOK_SECONDS, self._read, throttle)

    def _tell(self, count: int) -> None:
        if count == self.told:
            return
        self.told = count
        if self._hook is None:
            return
        try:
            self._hook(count)
        except Exception:
            log.exception("The guessing hook failed")

    def close(self) -> None:
        """The server stops: no more reading, and the window hears that it is over."""
        if self._look is not None:
            self._look.cancel()
            self._look = None
        self._tell(0)
