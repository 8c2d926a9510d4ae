"""The status bar's word on the pull from Hardcover: a failed pull (rate limit, a refused
token, no network) shows as the Hardcover status line with its reason and the next try, and
clears once a pull works again.

`PullWatch` reads `services.hardcover.pulled.pull_problem` off the event loop on a timer and
whenever a pull ends (`refresh`), and puts the line into the `StatusHub` (`pull_problem`), which the
window's status bar, the tray tooltip and the Hardcover page show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, QTimer

from bookorbit_desktop.services.hardcover.pulled import PullProblem, pull_problem_async
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.status import StatusHub, pull_problem_line

EVERY_MS = 60_000  # the schedule pulls every quarter hour; a sync pass pulls too


class PullWatch(QObject):
    def __init__(
        self,
        hub: StatusHub,
        read: Callable[[], Awaitable[PullProblem | None]] = pull_problem_async,
        *,
        every_ms: int = EVERY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._hub, self._read = hub, read
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        spawn(self.update())

    async def update(self) -> None:
        """Read the last pull's outcome (off the event loop) and show it."""
        problem = await self._read()
        line = (
            None
            if problem is None
            else pull_problem_line(problem.reason, problem.refused, problem.next_at)
        )
        self._hub.update(pull_problem=line)
