"""The Welcome page inside the window: what it follows and what its steps set going.

The page is shown in front of the empty library until the user leaves it. While it is open the
status line points to its account form (`AppStatus.welcome_open`); it follows the server's
addresses, a device's first login, Settings (an account or Hardcover set up there) and the
folder watcher. Its books folder is imported here with a count and Cancel on the page, then
handed to the watcher, which keeps it in step from then on.
"""

from __future__ import annotations

import asyncio
import threading

from PySide6.QtCore import QObject

from bookorbit_desktop.services.library.service import ImportStep
from bookorbit_desktop.services.library.watched_folders import FolderRefresh
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.first_run.page import FirstRunPage
from bookorbit_desktop.ui.folder_watcher import FolderWatcher
from bookorbit_desktop.ui.library.import_runner import ImportRunner
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.status import StatusHub


class FirstRunFlow(QObject):
    """Puts `page` in the window and wires it; removes it when the user leaves it."""

    def __init__(
        self,
        page: FirstRunPage,
        *,
        window: MainWindow,
        hub: StatusHub,
        importer: ImportRunner,
        watcher: FolderWatcher | None,
        refresh: object,
    ) -> None:
        super().__init__(window)
        self.page = page
        self._window = window
        self._hub = hub
        self._importer = importer
        self._watcher = watcher
        self._refresh = refresh
        self._cancel: threading.Event | None = None
        self.task: asyncio.Task[None] | None = None
        index = window.tabs.addTab(page, "&Welcome")  # last: the other tabs keep theirs
        window.tabs.setCurrentIndex(index)
        hub.update(welcome_open=True)
        page.show_addresses(hub.status)
        hub.changed.connect(page.show_addresses)
        page.folder_added.connect(self.import_folder)
        page.import_cancel_requested.connect(self.cancel_import)
        if watcher is not None:
            watcher.refreshed.connect(self._watcher_refreshed)
        page.finished.connect(self.leave)

    def import_folder(self, folder: str) -> asyncio.Task[None]:
        self.task = spawn(self._import(folder), self.page)
        return self.task

    def cancel_import(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    async def _import(self, folder: str) -> None:
        page = self.page
        self._cancel = cancel = threading.Event()

        def show(step: ImportStep) -> None:
            page.import_progress(step.done, step.total)

        try:
            report = await self._importer.run_quietly([folder], show, cancel)
        finally:
            self._cancel = None
        if report is None:  # another import is running: the watcher takes the folder on
            if self._watcher is not None:
                self._watcher.folders_changed()
            return
        self._refresh()  # type: ignore[operator]
        count = self._window.library_view.model.total_count
        if report.cancelled:
            page.import_cancelled(count)
            return
        if self._watcher is not None:  # from now on: every change in the folder
            self._watcher.folders_changed()
        else:
            page.books_imported(count)

    def _watcher_refreshed(self, _result: FolderRefresh) -> None:
        # After the controller's own refresh of the table (connected before this).
        if self._cancel is None:  # not while the page's own import is still going
            self.page.books_imported(self._window.library_view.model.total_count)

    def leave(self) -> None:
        self._hub.changed.disconnect(self.page.show_addresses)
        self._hub.update(welcome_open=False)
        if self._watcher is not None:
            self._watcher.refreshed.disconnect(self._watcher_refreshed)
        self.cancel_import()
        tabs = self._window.tabs
        tabs.removeTab(tabs.indexOf(self.page))
        tabs.setCurrentIndex(0)
        self.page.deleteLater()
        self.deleteLater()
