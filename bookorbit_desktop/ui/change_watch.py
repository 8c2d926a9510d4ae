"""Notices changes other connections made to the library, so every view follows them by
itself: the server's threads (a KOReader push, a background sync), the command line in another
process, another tool.

SQLite's `PRAGMA data_version` on the window's connection changes exactly when another
connection committed; reading it costs microseconds, so a timer can ask often. Changes the
window makes itself do not count: it already shows those.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from bookorbit_desktop.ui.widgets import interval_timer

POLL_MS = 1500


class ChangeWatch(QObject):
    changed = Signal()  # another connection committed since the last look

    def __init__(
        self, version: Callable[[], int], parent: QObject | None = None, *, interval: int = POLL_MS
    ) -> None:
        super().__init__(parent)
        self._version = version
        self._last = version()
        self.timer = interval_timer(self, interval, self.check)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> bool:
        """Look now; True (and `changed`) when another connection committed meanwhile."""
        current = self._version()
        if current == self._last:
            return False
        self._last = current
        self.changed.emit()
        return True
