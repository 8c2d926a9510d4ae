"""Composition root of the desktop app: build the pieces, wire them, run, shut down in order.

Qt and asyncio share one thread: the QApplication comes first, then a qasync loop runs the
`Desktop.run` coroutine, which starts the LAN server on that loop and waits for Quit. Closing
the window never stops the server; Quit (tray, menu, Ctrl+Q, SIGTERM) does, in this order:
running tasks, the server, the window, the database.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from contextlib import suppress

os.environ["QT_API"] = "pyside6"  # before qasync is imported: it must not pick another binding

import qasync
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop import APP_DISPLAY_NAME, APP_NAME, __version__
from bookorbit_desktop.allocator import trim_function
from bookorbit_desktop.app_library import library_sound, open_library
from bookorbit_desktop.app_restore import Restorer
from bookorbit_desktop.config import Paths, resources_dir
from bookorbit_desktop.library.store.checkpoint import Checkpointer
from bookorbit_desktop.library.store.db import close_database
from bookorbit_desktop.services import settings as settings_service
from bookorbit_desktop.services.hardcover.pull_schedule import PullSchedule
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.hardcover.sync import SyncService
from bookorbit_desktop.services.hardcover.sync_worker import SyncWorker
from bookorbit_desktop.services.library import file_names, position_history
from bookorbit_desktop.services.library import unlinked as unlinked_service
from bookorbit_desktop.services.library import watched_folders as folders_service
from bookorbit_desktop.services.library.cover_files import cover_files
from bookorbit_desktop.services.library.edits import BookEditService
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.metadata.remote_covers import RemoteCovers
from bookorbit_desktop.services.server import DesktopServer, choosable_addresses
from bookorbit_desktop.system_libraries import check_display
from bookorbit_desktop.ui.asyncqt import after_queued_events, cancel_running_tasks, spawn
from bookorbit_desktop.ui.change_watch import ChangeWatch
from bookorbit_desktop.ui.controller import DesktopController, SettingsAccess
from bookorbit_desktop.ui.crash_dialog import CrashHandler, Reexec, reexec_process
from bookorbit_desktop.ui.devices.controller import DevicesController
from bookorbit_desktop.ui.first_run.page import FirstRunAccess, FirstRunPage
from bookorbit_desktop.ui.folder_watcher import FolderWatcher
from bookorbit_desktop.ui.gc_guard import GarbageCollector
from bookorbit_desktop.ui.hardcover.controller import HardcoverController
from bookorbit_desktop.ui.hardcover.page import HardcoverView
from bookorbit_desktop.ui.highlights.book_box import panel_with_highlights
from bookorbit_desktop.ui.highlights.page import HighlightsPage
from bookorbit_desktop.ui.highlights.receiver_box import ReceiverAccess
from bookorbit_desktop.ui.icons import APP_ID, app_icon
from bookorbit_desktop.ui.library.device_positions import attach_device_positions
from bookorbit_desktop.ui.library.edit_actions import BookActions
from bookorbit_desktop.ui.library.file_write_action import FileWriteActions
from bookorbit_desktop.ui.library.position_timeline import attach_position_timeline
from bookorbit_desktop.ui.library.reads_box import attach_reads
from bookorbit_desktop.ui.library.restore_action import add_restore_action
from bookorbit_desktop.ui.library.unlinked_view import UnlinkedView
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.run_loop import run_to_the_end
from bookorbit_desktop.ui.settings.access import settings_sections, start_at_login
from bookorbit_desktop.ui.single_instance import SingleInstance
from bookorbit_desktop.ui.statistics.controller import StatisticsController
from bookorbit_desktop.ui.status import StatusHub
from bookorbit_desktop.ui.sync.pull_watch import PullWatch
from bookorbit_desktop.ui.text import install_translations
from bookorbit_desktop.ui.tray import Tray
from bookorbit_desktop.ui.year.controller import YearController

log = logging.getLogger(__name__)


def run_gui(paths: Paths, start_hidden: bool = False, *, reexec: Reexec = reexec_process) -> int:
    """Run the desktop app until the user quits; returns the process exit code. Restart, after
    a crash, calls `reexec` once the app has shut down and released the library."""
    started = time.monotonic()
    check_display()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland and taskbars match the .desktop entry by this
    app.setWindowIcon(app_icon())
    if not install_translations(app):
        log.warning("The window's texts are missing from %s", resources_dir() / "translations")
    app.setQuitOnLastWindowClosed(False)  # the window closes, the server stays

    # Qt objects must never be freed on a worker thread; freed memory goes back once quiet.
    collector = GarbageCollector(app, trim=trim_function())
    collector.start()
    instance = SingleInstance(paths.data_dir)
    if not instance.acquire():
        refused = instance.refused
        window = refused is None or refused.owner.command == "window"
        if window and instance.activate_running():
            log.info("Already running: asked the running copy to show its window")
            return 0
        message = refused.message if refused is not None else "Another process owns it."
        log.error("Not started: %s", message)
        QMessageBox.critical(None, "BookOrbit is already running", message)
        return 1

    desktop = Desktop(paths, instance, started=started, settle=collector.thorough)
    crash = CrashHandler(paths.log_dir, quit=desktop.request_quit)
    try:
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            crash.install(runner.get_loop())
            code = run_to_the_end(
                runner.get_loop(),
                desktop.run(start_hidden),
                desktop.request_quit,
                stop_seconds=STOP_SECONDS,
            )
    finally:
        crash.uninstall()
        instance.release()
        collector.stop()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    restored = desktop.restorer.restart_wanted  # the restored library opens in the window
    crash.restart_if_wanted(reexec, also=restored, shown=restored)
    return code


# How long the app may take to shut down in order once Qt has ended its loop on its own.
STOP_SECONDS = 30.0


class Desktop:
    """The running app: what `run_gui` builds once the event loop is up."""

    def __init__(
        self,
        paths: Paths,
        instance: SingleInstance,
        *,
        started: float,
        use_tray: bool | None = None,  # None: when the desktop has a system tray
        settle: Callable[[], object] | None = None,
    ) -> None:
        self.paths = paths
        # Called once start-up is done: what the app holds then is long-lived (gc_guard.py).
        self._settle = settle
        self.use_tray = Tray.available() if use_tray is None else use_tray
        self.instance = instance
        self.started = started
        self.finished = False
        self._quit = asyncio.Event()
        self._built = False
        self._fill_pending = False
        self._filling: asyncio.Task[None] | None = None  # the library's first full read
        self.checkpointer: Checkpointer | None = None
        self.restorer = Restorer(paths, instance.lock, self.request_quit)

    def request_quit(self) -> None:
        self._quit.set()

    async def run(self, start_hidden: bool) -> int:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.request_quit)
        try:
            if not await open_library(self.paths.db_file, self.restorer.ask_without_window):
                return 2
            await file_names.repair()  # what a stopped process left, before any file work
            self.build()
            self.show(start_hidden)
            # The server (and aiohttp with it) loads once the window is drawn and filled: on
            # the window's thread, its start would hold up the library's read for as long.
            await after_queued_events()
            if self._filling is not None:
                await asyncio.wait({self._filling})
            checked = asyncio.ensure_future(
                library_sound(self.paths.db_file, self._hide, self.restorer.ask_without_window)
            )
            await asyncio.sleep(0)  # the check's thread is under way: the server loads meanwhile
            self.server.load()
            self.checkpointer = await checked
            if self.checkpointer is None:  # the library is damaged: explained, nothing written
                return 2
            info = await self.server.start()
            self.sync_worker.start()
            self.pull_schedule.start()  # hardcover.app's changes, between sync passes
            self.pull_watch.start()  # a failed pull in the status bar
            await self.devices.start()  # the wireless device server, when switched on
            self.folder_watcher.start()
            self.controller.apply_server_info(info)
            self.controller.report_server_problem(info)
            self.restorer.tell(self.window)  # what a restore before this start did
            if self._settle is not None:
                self._settle()
            await self._quit.wait()
            return 0
        finally:
            await self.shutdown()
            await self.restorer.finish()  # a restore the user agreed to, once all is stopped

    def build(self) -> None:
        self.hub = StatusHub()
        self.hardcover = HardcoverService()
        # A background push: the tray and the page's status line follow at once; the tables
        # follow through the change watch (the worker's own connection), not a second reload.
        self.sync_worker = SyncWorker(
            SyncService(self.hardcover.account),
            on_result=lambda _result: self._sync_pass_done(),
        )
        self.pull_watch = PullWatch(self.hub)
        self.pull_schedule = PullSchedule(
            self.hardcover.account, on_result=lambda _result: self.pull_watch.refresh()
        )
        self.library = LibraryService(
            self.paths,
            match_states=self.hardcover.match_states,
            match_info=self.hardcover.match_info,
            on_reading_changed=self._reading_changed,
        )
        self.server = DesktopServer(
            self.paths,
            on_reading_changed=self._reading_changed,
            on_info_changed=lambda info: self.controller.apply_server_info(info),
            on_login=lambda what, address: self.controller.device_logged_in.emit(what, address),
            on_highlights=lambda line: self.window.statusBar().showMessage(line, 20000),
            on_guessing=lambda addresses: self.controller.show_guessing(addresses),
        )
        book_panel = panel_with_highlights(self.library.book_details, self.library.save_reading)
        devices_box = attach_device_positions(book_panel)  # each device's position; reset
        positions_box = attach_position_timeline(  # every position synced; restore one
            book_panel, devices_box, functools.partial(position_history.restore_later, self.paths)
        )
        positions_box.restored.connect(self._reading_changed)
        attach_reads(book_panel)  # every read of the book: add, edit, delete
        self.window = MainWindow(
            self.hub,
            LibraryView(),
            book_panel,
            state_file=self.paths.data_dir / "window.ini",
            log_dir=self.paths.log_dir,
            data_dir=self.paths.data_dir,
        )
        unlinked = UnlinkedView(
            unlinked_service.list_unlinked,
            lambda document, book_id: unlinked_service.link(
                document, book_id, on_reading_changed=self._reading_changed
            ),
            self.library.list_books,
        )
        self.tray = Tray(self.hub) if self.use_tray else None
        self.hardcover_controller = HardcoverController(
            self.hardcover,
            self.hub,
            HardcoverView(),
            self.library.list_books,
            self.window,
            cover_for=self.library.cover_file,
            remote_cover=RemoteCovers(self.paths.cache_dir / "hardcover-covers").fetch,
            cover_files=functools.partial(cover_files, self.paths),
        )
        self.folder_watcher = FolderWatcher(
            functools.partial(folders_service.refresh_folders, self.paths),
            folders_service.watched_folders,
            parent=self.window,
        )
        self.controller = DesktopController(
            hub=self.hub,
            window=self.window,
            tray=self.tray,
            library=self.library,
            server=self.server,
            settings=SettingsAccess(
                settings_service.load_settings,
                settings_service.save_settings,
                choosable_addresses,
                start_at_login,
                str(self.paths.log_dir),
                functools.partial(settings_sections, self.server, self.hardcover),
            ),
            unlinked=unlinked,
            hardcover=self.hardcover_controller,
            watcher=self.folder_watcher,
        )
        receiver = ReceiverAccess(self.controller.restart_server, lambda: self.server.info)
        self.highlights = HighlightsPage(self.library.list_books, receiver)
        self.window.add_page(self.highlights, "Hi&ghlights")
        self.controller.quit_requested.connect(self.request_quit)
        self.instance.activated.connect(self.controller.show_window)
        # What other connections write (a push, a sync, another process) reaches every view.
        self.change_watch = ChangeWatch(self.library.data_version, self.window)
        self.change_watch.changed.connect(self.controller.follow_changes)
        self.change_watch.changed.connect(self.highlights.follow_changes)
        self.change_watch.changed.connect(devices_box.follow_changes)
        self.change_watch.changed.connect(positions_box.follow_changes)
        self.statistics = StatisticsController(self.window)
        self.year = YearController(
            self.window, self.paths, account=self.hardcover.account, hub=self.hub
        )
        for changed in (self.change_watch.changed, self.controller.books_changed):  # + edits here
            changed.connect(self.statistics.follow_changes)
            changed.connect(self.year.follow_changes)
        self.devices = DevicesController.mount(self.paths, self.controller)
        self.book_actions = BookActions(
            BookEditService(self.paths),
            self.window,
            self.window.library_view,
            on_saved=self._reading_changed,
            on_removed=self.controller.follow_changes,
            hardcover=self.hardcover.account,
        )
        self.file_write = FileWriteActions(self.paths, self.window, self._reading_changed)
        self.restore = add_restore_action(
            self.paths, self.window, self.controller.backup, self.restorer.at_quit
        )
        self._built = True

    def show(self, start_hidden: bool) -> None:
        """Show the window at once; the library table (its order read in a worker thread), the
        unlinked documents and the Hardcover page follow from the event loop's next turn, after
        the window has been drawn."""
        visible = not start_hidden or self.tray is None  # without a tray, the only way in
        if self.tray is not None:
            self.tray.show()
        if visible:
            self.window.show()
        self._fill_pending = True
        QTimer.singleShot(0, self._report_shown)
        QTimer.singleShot(0, self.fill)
        self.change_watch.start()

    def _hide(self) -> None:
        self.window.hide()
        if self.tray is not None:
            self.tray.hide()

    def _report_shown(self) -> None:
        log.info(
            "Window %s after %.0f ms (the library table fills next)",
            "shown" if self.window.isVisible() else "ready (hidden)",
            (time.monotonic() - self.started) * 1000,
        )

    def fill(self) -> asyncio.Task[None] | None:
        """Load everything `show` left for later, once (at once if called before the timer);
        the library is read off the window's thread. The loading task, None if begun before."""
        if self.finished or not self._fill_pending:
            return None
        self._fill_pending = False
        self._filling = spawn(self._fill(), self.window)
        return self._filling

    async def _fill(self) -> None:
        await self.controller.reload()
        if self.window.library_view.model.total_count == 0 and not self._has_account():
            self.controller.start_first_run(FirstRunPage(first_run_access(self.hardcover)))
        # The keyring may be slow or waiting on an unlock prompt: the window does not wait.
        self.hardcover_controller.check_account()
        log.info(
            "Library table filled with %d books after %.0f ms",
            self.window.library_view.model.total_count,
            (time.monotonic() - self.started) * 1000,
        )

    @staticmethod
    def _has_account() -> bool:
        return settings_service.load_settings().username is not None

    def _sync_pass_done(self) -> None:
        """A background pass ended: the tray and the page's status line follow at once."""
        self.hardcover_controller.refresh_status()

    def _reading_changed(self, book_id: int) -> None:
        if self._built:
            self.controller.reading_changed(book_id)

    async def shutdown(self) -> None:
        """Cancel tasks, stop the server, put the window away, close the database. Once."""
        if self.finished:
            return
        self.finished = True
        if self._built:
            self.change_watch.stop()
            await self.sync_worker.stop()  # between books: each pushed book is recorded
            await self.pull_schedule.stop()
            self.pull_watch.stop()
            await self.hardcover_controller.shutdown()  # its client closes with the task
        await cancel_running_tasks()
        if self._built:
            self.folder_watcher.stop()  # a running pass ends after its current file
            await asyncio.to_thread(self.folder_watcher.wait, 30)
            await self.devices.stop()
            await self.server.stop()
            self.window.save_state()
            self.window.hide()
            self.window.deleteLater()  # widgets go before the QApplication does
            if self.tray is not None:
                self.tray.hide()
        if self.checkpointer is not None:
            await asyncio.to_thread(self.checkpointer.stop)
        close_database()
        log.info("%s stopped", APP_DISPLAY_NAME)


def first_run_access(hardcover: HardcoverService) -> FirstRunAccess:
    return FirstRunAccess(
        folders_service.add_watched_folder,
        settings_service.load_settings,
        settings_service.save_settings,
        hardcover.connect,
    )
