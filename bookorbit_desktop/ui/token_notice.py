"""The tray's warning that the Hardcover token expires soon: from a week before the expiry,
at most once a day (`services.hardcover.token_health.warning_due` remembers the day). Checked a
minute after start-up and then every hour, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, QTimer

from bookorbit_desktop.services.hardcover import token_health
from bookorbit_desktop.ui.asyncqt import spawn

FIRST_CHECK_MS = 60_000
EVERY_MS = 3_600_000
TITLE = "Hardcover token expires soon"


class TokenExpiryNotice(QObject):
    def __init__(
        self,
        notify: Callable[[str, str], None],
        parent: QObject | None = None,
        *,
        due: Callable[[], Awaitable[str | None]] = token_health.warning_due_later,
    ) -> None:
        super().__init__(parent)
        self._notify, self._due = notify, due
        self.task: asyncio.Task[None] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self.check)

    def check(self) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # the app's loop is not running (yet): the next tick checks
        self.task = spawn(self._check())

    async def _check(self) -> None:
        text = await self._due()
        if text:
            self._notify(TITLE, text)
