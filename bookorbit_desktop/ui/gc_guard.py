"""Python's garbage collector runs on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is crossed. If that
is a worker (an import, a DNS lookup) and the garbage holds Qt objects, Qt deletes them from
the wrong thread, which Qt forbids ("Timers cannot be stopped from another thread") and which
can crash. So automatic collection is switched off and a timer on the GUI thread does the same
work, generation by generation, as the automatic collector would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; objects freed."""
        counts = gc.get_count()
        freed = 0
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                freed = gc.collect(generation)
                break
        return freed
