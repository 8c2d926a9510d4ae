"""Watched library folders: a filesystem watcher plus a periodic rescan, off the GUI thread.

QFileSystemWatcher is used rather than the `watchdog` package: it is part of Qt already,
delivers its signals on the GUI thread, and uses the system's native notification on Linux,
Windows and macOS. It watches folders one level deep, so every subfolder is watched too (the
list comes back from each refresh, done on a worker thread). Bursts of changes (a copy of
hundreds of files) are settled into one refresh; changes a watcher cannot see (a network
share, a watch limit reached, a file rewritten in place) are caught by the periodic rescan.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from bookorbit_desktop.services.library.watched_folders import FolderRefresh

log = logging.getLogger(__name__)

# (folders, cancel flag) -> what changed; runs on a worker thread.
RefreshFunction = Callable[[Sequence[str], threading.Event], FolderRefresh]
SETTLE_MS = 1500
RESCAN_MS = 10 * 60 * 1000


class FolderWatcher(QObject):
    """Keeps the library in step with `folders()`; `refreshed(FolderRefresh)` after each pass."""

    refreshed = Signal(object)
    _done = Signal(object)  # from the worker thread to the GUI thread

    def __init__(
        self,
        refresh: RefreshFunction,
        folders: Callable[[], list[str]],
        *,
        settle_ms: int = SETTLE_MS,
        rescan_ms: int = RESCAN_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._refresh = refresh
        self._folders = folders
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._changed)
        self._watcher.fileChanged.connect(self._changed)
        self._settle = QTimer(self, singleShot=True, interval=settle_ms)
        self._settle.timeout.connect(self.refresh_now)
        self._rescan = QTimer(self, interval=rescan_ms)
        self._rescan.timeout.connect(self.refresh_now)
        self._done.connect(self._finished)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._again = False

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def watched(self) -> list[str]:
        return self._watcher.directories()

    def start(self) -> None:
        """Watch the folders and import what changed since the app last ran."""
        self._cancel.clear()
        self._rescan.start()
        self.refresh_now()

    def stop(self) -> None:
        """Stop watching; a running refresh ends after its current file."""
        self._cancel.set()
        self._settle.stop()
        self._rescan.stop()
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())

    def wait(self, timeout: float | None = None) -> None:
        """Block until a running refresh has ended (at shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def folders_changed(self) -> None:
        """The list of folders changed (Settings, first run): refresh with the new one."""
        self.refresh_now()

    def _changed(self, _path: str) -> None:
        if not self._cancel.is_set():
            self._settle.start()

    def refresh_now(self) -> None:
        if self._thread is not None:
            self._again = True  # a change seen during a pass gets a pass of its own
            return
        folders = self._folders()
        self._again = False
        self._thread = threading.Thread(
            target=self._work, args=(folders,), name="folder-refresh", daemon=True
        )
        self._thread.start()

    def _work(self, folders: list[str]) -> None:
        try:
            result: FolderRefresh | BaseException = self._refresh(folders, self._cancel)
        except Exception as error:  # a broken disk must not end the watching
            log.exception("Refreshing the watched folders failed")
            result = error
        self._done.emit(result)

    def _finished(self, result: FolderRefresh | BaseException) -> None:
        if self._thread is not None:
            self._thread.join()
        self._thread = None
        if self._cancel.is_set():
            return
        if isinstance(result, FolderRefresh):
            self._watch(result.directories)
            self.refreshed.emit(result)
        if self._again:
            self.refresh_now()

    def _watch(self, directories: Sequence[str]) -> None:
        current = set(self._watcher.directories())
        wanted = set(directories)
        if current - wanted:
            self._watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            failed = self._watcher.addPaths(sorted(wanted - current))
            if failed:
                log.warning("Cannot watch %d folders; the periodic rescan covers them", len(failed))
