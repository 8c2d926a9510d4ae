"""What happens when the user acts in the window or the tray: imports, settings, refreshes.

The controller owns no data: it asks the services, shows the answers and keeps the status
hub (tray icon, status bar) in step with the server. Long actions run as tasks through
`asyncqt.spawn`, so a failure becomes a message box and never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop import APP_DISPLAY_NAME
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library import table_window
from bookorbit_desktop.services.library.cover_files import cover_files
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.library.watched_folders import FolderRefresh
from bookorbit_desktop.services.server import DesktopServer, ServerInfo
from bookorbit_desktop.services.undo import UndoService
from bookorbit_desktop.ui.asyncqt import open_box, run_dialog, show_error, spawn
from bookorbit_desktop.ui.first_run.flow import FirstRunFlow
from bookorbit_desktop.ui.first_run.page import FirstRunPage
from bookorbit_desktop.ui.folder_watcher import FolderWatcher
from bookorbit_desktop.ui.hardcover.controller import HardcoverController
from bookorbit_desktop.ui.library.background_reload import BackgroundReload
from bookorbit_desktop.ui.library.backup_action import add_backup_action
from bookorbit_desktop.ui.library.calibre_import import CalibreImport
from bookorbit_desktop.ui.library.duplicates_dialog import add_duplicates_action
from bookorbit_desktop.ui.library.import_runner import ImportRunner
from bookorbit_desktop.ui.library.inbox_view import add_inbox_page
from bookorbit_desktop.ui.library.tidy_dialog import add_tidy_action
from bookorbit_desktop.ui.library.unlinked_view import UnlinkedView
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.settings.access import SettingsAccess
from bookorbit_desktop.ui.settings.dialog import SettingsDialog
from bookorbit_desktop.ui.shelves.mount import add_shelves_page
from bookorbit_desktop.ui.status import AppStatus, StatusHub
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.tray import Tray
from bookorbit_desktop.ui.widgets import interval_timer

# Pushes from KOReader arrive in bursts (page turns); the table is refreshed once per burst.
REFRESH_DELAY_MS = 800


class DesktopController(QObject):
    quit_requested = Signal()
    settings_opened = Signal(object)  # the Settings dialog, once it is on screen
    device_logged_in = Signal(str, str)  # what (KOReader, catalog), the device's address
    books_changed = Signal()  # the window's own edits and refreshes (other pages follow)

    def __init__(
        self,
        *,
        hub: StatusHub,
        window: MainWindow,
        tray: Tray | None,
        library: LibraryService,
        server: DesktopServer,
        settings: SettingsAccess,
        unlinked: UnlinkedView,
        hardcover: HardcoverController | None = None,
        watcher: FolderWatcher | None = None,
    ) -> None:
        super().__init__(window)
        self.watcher = watcher
        self.hub = hub
        self.window = window
        self.tray = tray
        self.library = library
        self.server = server
        self.settings = settings
        self.unlinked = unlinked
        self.hardcover = hardcover
        self.importer = ImportRunner(library.run_import, window, UndoService(library.paths))
        self.importer.restored.connect(self.follow_changes)  # removed books restored on import
        self.settings_dialog: SettingsDialog | None = None
        self.first_run: FirstRunFlow | None = None
        self._refresh_timer = interval_timer(
            self, REFRESH_DELAY_MS, self._refresh_changed, once=True
        )
        self._changed_books: set[int] = set()
        self.background = BackgroundReload(library.load_changes, window.library_view, self)
        window.library_view.model.set_reader(library.table_books)
        window.library_view.grid.show_covers(functools.partial(cover_files, library.paths))
        self.background.reloaded.connect(self._reloaded)
        self._unlinked_index = window.add_page(unlinked, "&Unlinked Documents")
        self._hardcover_index = -1
        self._hardcover_stale = False
        window.tabs.currentChanged.connect(self._page_shown)
        if hardcover is not None:
            self._wire_hardcover(hardcover)

        window.import_requested.connect(self.import_paths)
        self.calibre = CalibreImport(window, library.paths, self.refresh)  # File ▸ Add calibre…
        window.refresh_requested.connect(self._refresh_requested)
        window.settings_requested.connect(self.open_settings)
        window.quit_requested.connect(self.quit)
        window.hidden_to_tray.connect(self._explain_hidden)
        window.book_panel.saved.connect(lambda book_id: self.refresh_some([book_id]))
        unlinked.linked.connect(self._after_link)
        if watcher is not None:
            watcher.refreshed.connect(self._folders_refreshed)
        unlinked.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        if tray is not None:
            tray.open_requested.connect(self.show_window)
            tray.settings_requested.connect(self.open_settings)
            tray.quit_requested.connect(self.quit)
            tray.url_copied.connect(self._say_copied)
        self.inbox = add_inbox_page(self)  # after Hardcover's tab, whose Ctrl+<n> stays
        self.tidy_action = add_tidy_action(self)
        self.duplicates_action = add_duplicates_action(self)
        self.backup = add_backup_action(library.paths, window)
        self.shelves = add_shelves_page(self)

    def _say_copied(self, url: str) -> None:
        """Feedback for an address copied from the tray: in the status bar if the window is
        on screen, else as a notification (the window may be hidden in the tray)."""
        if self.window.isVisible() and not self.window.isMinimized():
            self.window.statusBar().showMessage(f"Copied {url}", 4000)
        elif self.tray is not None:
            self.tray.notify("Address copied", f"{url} is on the clipboard.")

    def _wire_hardcover(self, hardcover: HardcoverController) -> None:
        window = self.window
        self._hardcover_index = window.add_page(hardcover.view, "&Hardcover")
        window.sync_requested.connect(self.sync_now)
        window.pause_requested.connect(hardcover.set_paused)
        panel = window.book_panel
        # The panel offers Pick / Re-match / Exclude while an account is connected; that is
        # known only once the keyring answered (after start-up), so follow the hub.
        self._show_hardcover_actions(self.hub.status)
        self.hub.changed.connect(self._show_hardcover_actions)
        panel.pick_requested.connect(hardcover.pick)
        panel.rematch_requested.connect(hardcover.rematch)
        panel.exclude_requested.connect(hardcover.exclude)
        hardcover.matches_changed.connect(self.refresh_books)
        hardcover.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        if self.tray is not None:
            self.tray.sync_requested.connect(self.sync_now)
            self.tray.pause_requested.connect(hardcover.set_paused)
            hardcover.notify.connect(self.tray.notify)
        else:
            hardcover.notify.connect(
                lambda title, text: window.statusBar().showMessage(f"{title}: {text}", 8000)
            )

    def _show_hardcover_actions(self, status: AppStatus) -> None:
        self.window.book_panel.set_hardcover_actions(status.sync_available)

    def sync_now(self) -> None:
        """Tray or menu "Sync Now": start it, or show the run already going."""
        if self.hardcover is None:
            return
        if self.hardcover.sync_now() is None:  # already running: its dialog came forward
            self.show_window()
            self.window.tabs.setCurrentIndex(self._hardcover_index)

    def quit(self) -> asyncio.Task[None]:
        """Quit from the menu or the tray: unsaved edits of the open book are asked about
        first (Cancel keeps the app running); a sync stops between books on the way out."""
        return spawn(self._quit(), self.window)

    async def _quit(self) -> None:
        if self.window.book_panel.has_unsaved_edits():
            self.show_window()
            if not await self.window.book_panel.confirm_leave():
                return
        self.quit_requested.emit()

    # -- showing ----------------------------------------------------------------------------

    def show_window(self) -> None:
        self.window.bring_to_front()

    def refresh(self) -> None:
        """Reload the library table, the open book, unlinked documents and Hardcover state."""
        self.refresh_books()
        self.unlinked.refresh()
        self._show_unlinked_count()

    def follow_changes(self) -> None:
        """Another connection wrote to the library: reload it without freezing the window."""
        self.background.request()

    async def reload(self) -> None:
        """What `refresh` shows, with the library read off the window's thread."""
        with contextlib.suppress(BookOrbitError):  # the reload's own task has shown it
            await self.background.request()

    def _reloaded(self) -> None:
        # Also for changes outside the table's columns (a description, a file, dates).
        self.window.book_panel.reload()
        self.unlinked.refresh()
        self._show_unlinked_count()
        self._refresh_hardcover_page(later=True)  # sync states are not in the rows

    def _refresh_requested(self) -> None:
        """View ▸ Refresh (F5): everything, and the keyring if it could not be read before."""
        self.refresh()
        if self.hardcover is not None:
            self.hardcover.check_again_if_unreadable()

    def fill_table(self) -> bool:
        """Read the library table's order and counts again (its books are read as shown);
        False, with the error shown, when the library cannot be read."""
        try:
            seq = table_window.changes_since(None).seq
            self.window.library_view.model.refresh()
        except BookOrbitError as error:
            show_error(self.window, error)
            return False
        self.background.shown(seq)
        return True

    def refresh_books(self) -> None:
        if not self.fill_table():
            return
        self._refresh_hardcover_page()
        if self.window.book_panel.book_id is not None:
            self.window.book_panel.reload()
        self.books_changed.emit()

    def reading_changed(self, book_id: int) -> None:
        """A device pushed progress: refresh that book once the burst is over."""
        self._changed_books.add(book_id)
        self._refresh_timer.start()

    def _refresh_changed(self) -> None:
        changed, self._changed_books = sorted(self._changed_books), set()
        self.refresh_some(changed)

    def refresh_some(self, changed: Sequence[int]) -> None:
        """Reload only these books' rows (and the open book if it is one of them)."""
        try:
            self.window.library_view.model.follow(set(changed))
        except BookOrbitError as error:
            show_error(self.window, error)
            return
        if self.window.book_panel.book_id in changed:
            self.window.book_panel.reload()
        self._refresh_hardcover_page(later=True)
        self.books_changed.emit()

    def _refresh_hardcover_page(self, *, later: bool = False) -> None:
        """The Hardcover page lists every book: reload it now if it is on screen, else when it
        is next opened (a burst of pushes then costs nothing); the tray's counts either way.
        `later`: the matches read off the window's thread (a change made elsewhere, not by the
        user here)."""
        if self.hardcover is None:
            return
        shown = self.window.tabs.currentIndex() == self._hardcover_index
        self._hardcover_stale = not shown
        if later:
            self.hardcover.reload_soon(self.library.list_books, matches=shown)
        elif shown:
            self.hardcover.refresh()
        else:
            self.hardcover.refresh_status()

    def _page_shown(self, index: int) -> None:
        if index == self._hardcover_index and self._hardcover_stale:
            self._refresh_hardcover_page()
        # Pushes of unknown documents touch no book; show them when the page is opened.
        if index == self._unlinked_index:
            self.unlinked.refresh()
            self._show_unlinked_count()

    def _show_unlinked_count(self) -> None:
        count = self.unlinked.count
        title = f"&Unlinked Documents ({count})" if count else "&Unlinked Documents"
        self.window.tabs.setTabText(self._unlinked_index, title)

    def _folders_refreshed(self, result: FolderRefresh) -> None:
        """The watched folders changed on disk: show the books that came, moved or went."""
        report = result.report
        if report.changed or result.missing:
            self.refresh()
            parts = [f"{report.imported:,} new", f"{report.moved:,} moved"]
            parts += [f"{report.updated:,} changed", f"{result.missing:,} gone"]
            self.window.statusBar().showMessage("Watched folders: " + ", ".join(parts), 8000)

    def start_first_run(self, page: FirstRunPage) -> FirstRunFlow:
        """Show the guided set-up in front of the empty library until the user leaves it."""
        self.first_run = FirstRunFlow(
            page,
            window=self.window,
            hub=self.hub,
            importer=self.importer,
            watcher=self.watcher,
            refresh=self.refresh,
        )
        self.device_logged_in.connect(page.device_logged_in)
        if self.hardcover is not None:
            page.hardcover_connected.connect(self.hardcover.check_account)
        page.destroyed.connect(lambda: setattr(self, "first_run", None))
        return self.first_run

    def _after_link(self, book_id: int) -> None:
        self.refresh()
        self.window.library_view.select_book(book_id)

    # -- server -----------------------------------------------------------------------------

    def apply_server_info(self, info: ServerInfo) -> None:
        self.hub.update(
            server_running=info.running,
            server_starting=False,
            base_urls=info.base_urls,
            opds_enabled=info.opds_enabled,
            server_notice=info.notice if info.running else None,
            # The short title fits the status bar and tray; the message box says the rest.
            server_problem=(info.problem_title or info.problem) if not info.running else None,
        )

    def show_guessing(self, addresses: int) -> None:
        """Someone guesses the KOReader password from `addresses` addresses (0: it stopped)."""
        self.hub.update(password_guessers=addresses)

    def report_server_problem(self, info: ServerInfo) -> QMessageBox | None:
        """Tell the user why the server is not running and how to fix it (non-blocking)."""
        if info.running or not info.problem:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            info.problem_title or "The sync server is not running",
            f"{info.problem}\n\nKOReader cannot sync until the server runs. Open Settings to "
            "choose another port or address.",
            QMessageBox.StandardButton.Ok,
            self.window if self.window.isVisible() else None,
        )
        show_plain(box)  # the problem may name an address or a system's message
        open_settings = box.addButton("Open Settings…", QMessageBox.ButtonRole.ActionRole)
        open_settings.clicked.connect(self.open_settings)
        open_box(box)
        if self.tray is not None:
            self.tray.notify(info.problem_title or "Sync server not running", info.problem)
        return box

    async def restart_server(self) -> ServerInfo:
        self.hub.update(server_running=False, server_starting=True, server_problem=None)
        info = await self.server.restart()
        self.apply_server_info(info)
        self.report_server_problem(info)
        return info

    # -- actions ----------------------------------------------------------------------------

    def import_paths(self, paths: Sequence[str]) -> asyncio.Task[None] | None:
        if self.importer.busy:
            self.window.statusBar().showMessage("An import is already running.", 4000)
            return None
        return spawn(self._import(paths), self.window)

    async def _import(self, paths: Sequence[str]) -> None:
        report = await self.importer.run(paths)
        if report is not None:
            self.refresh()
            if report.book_ids:
                self.window.library_view.select_book(report.book_ids[-1])

    def open_settings(self) -> asyncio.Task[None] | None:
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return None
        self.show_window()
        return spawn(self._settings(), self.window)

    async def _settings(self) -> None:
        dialog = SettingsDialog(
            self.settings.load(),
            self.settings.save,
            lan_addresses=self.settings.addresses(),
            start_at_login=self.settings.start_at_login(),
            log_dir=self.settings.log_dir,
            sections=self.settings.sections(),
            parent=self.window,
        )
        if dialog.folders is not None and self.watcher is not None:
            dialog.folders.changed.connect(self.watcher.folders_changed)
        if dialog.hardcover is not None and self.hardcover is not None:
            dialog.hardcover.account_changed.connect(self.hardcover.check_account)
        self.settings_dialog = dialog
        try:
            accepted = await run_dialog(dialog, lambda: self.settings_opened.emit(dialog))
        finally:
            self.settings_dialog = None
            dialog.deleteLater()
        # Saving also retries a server that could not start (the port may be free by now).
        if accepted and (dialog.server_changed or not self.server.info.running):
            await self.restart_server()
        if accepted:
            if self.hardcover is not None:
                self.hardcover.refresh_status()  # sync may have been paused or resumed
            if self.first_run is not None:  # the account may have been made there
                self.first_run.page.follow_settings()
            self.window.statusBar().showMessage("Settings saved.", 4000)

    def _explain_hidden(self) -> None:
        if self.tray is not None and self.tray.available():
            self.tray.notify(
                f"{APP_DISPLAY_NAME} is still running",
                "KOReader can keep syncing. Open the window or quit from the tray icon.",
            )
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            f"{APP_DISPLAY_NAME} is still running",
            "BookOrbit keeps running so KOReader can sync, even with this window closed. "
            "Start BookOrbit again to reopen the window; use File ▸ Quit to stop it.",
            QMessageBox.StandardButton.Ok,
        )
        open_box(box)
