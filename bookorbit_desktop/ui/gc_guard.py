"""Python's garbage collector runs on the GUI thread only, and never freezes the window.

The collector runs in whichever thread happens to allocate when a threshold is crossed. If that
is a worker (an import, a DNS lookup) and the garbage holds Qt objects, Qt deletes them from
the wrong thread, which Qt forbids ("Timers cannot be stopped from another thread") and which
can crash. So automatic collection is switched off and a timer on the GUI thread does the same
work, generation by generation, as the automatic collector would: every `BUSY_INTERVAL_MS`
while the app allocates (young generations stay small, so each collection is short), every
`IDLE_INTERVAL_MS` when nothing was due (an idle app in the tray barely wakes up).

A full collection looks at every object the app holds: with a big library that took a quarter
of a second, a visible freeze. Objects that survive a full collection are long-lived, so they
are moved out of the collector's sight (`gc.freeze`) and the next full collection looks only at
what came since. The rare cycles of garbage among those long-lived objects are collected by a
thorough pass (`gc.unfreeze`, collect everything, freeze again) while no window is on screen,
or after `THOROUGH_EVERY_VISIBLE_SECONDS` at the latest.

A full collection comes after the app made (and mostly freed) many objects: reading the
library, a page of Hardcover matches. Once the app is quiet again, the memory freed is handed
back to the system (`trim`, glibc's `malloc_trim`), so the process does not stay as large as
at its busiest moment.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.gc_pause import collection_paused
from bookorbit_desktop.ui.widgets import interval_timer

BUSY_INTERVAL_MS = 50
IDLE_INTERVAL_MS = 500
THOROUGH_EVERY_SECONDS = 30 * 60.0  # while no window is shown
THOROUGH_EVERY_VISIBLE_SECONDS = 4 * 3600.0  # even with a window on screen


def thorough_due(since_last: float, window_shown: bool) -> bool:
    """Whether the thorough pass (a pause the user may see) is due now."""
    if window_shown:
        return since_last >= THOROUGH_EVERY_VISIBLE_SECONDS
    return since_last >= THOROUGH_EVERY_SECONDS


def window_shown() -> bool:
    """True while a window of the app is on screen (not hidden, not minimised)."""
    return any(
        widget.isWindow() and widget.isVisible() and not widget.isMinimized()
        for widget in QApplication.topLevelWidgets()
    )


class GarbageCollector(QObject):
    def __init__(
        self,
        parent: QObject | None = None,
        *,
        shown: Callable[[], bool] = window_shown,
        clock: Callable[[], float] = time.monotonic,
        trim: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._trim = trim
        self._trim_due = False  # a full collection since the last trim
        self._thresholds = gc.get_threshold()
        self._shown = shown
        self._clock = clock
        self._last_thorough = clock()
        self._timer = interval_timer(self, IDLE_INTERVAL_MS, self.check)

    def start(self) -> None:
        """Collect by hand from now on. What the app holds at start is long-lived: it goes
        out of the collector's sight at once, uncollected (a full collection here freed next to
        nothing and held the window back by about 50 ms; the few cycles left from loading go in
        the first thorough pass)."""
        gc.disable()
        gc.freeze()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; objects freed."""
        if collection_paused():  # a worker is making many objects: collect once it is done
            self._timer.setInterval(BUSY_INTERVAL_MS)
            return 0
        if thorough_due(self._clock() - self._last_thorough, self._shown()):
            return self.thorough()
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                freed = gc.collect(generation)
                if generation == 2:
                    gc.freeze()  # survivors of a full collection are long-lived
                    self._trim_due = True
                self._timer.setInterval(BUSY_INTERVAL_MS)
                return freed
        if self._trim_due and self._trim is not None:  # quiet again after a busy moment
            self._trim()
        self._trim_due = False
        self._timer.setInterval(IDLE_INTERVAL_MS)
        return 0

    def thorough(self) -> int:
        """Collect everything, long-lived objects included; objects freed."""
        gc.unfreeze()
        freed = gc.collect()
        gc.freeze()
        self._trim_due = True
        self._last_thorough = self._clock()
        return freed
