"""The main window: library table beside the selected book, further pages as tabs.

Closing the window only hides it; the app keeps serving KOReader from the tray. Every tray
action also lives in the menus here, because some desktops have no tray. Selecting another
book while the open one has unsaved edits asks first (Save / Discard / Cancel).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from bookorbit_desktop import APP_DISPLAY_NAME, __version__
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box, spawn
from bookorbit_desktop.ui.icons import app_icon
from bookorbit_desktop.ui.koreader_help import help_text
from bookorbit_desktop.ui.library.book_panel import PANEL_WIDTH, BookPanel
from bookorbit_desktop.ui.library.saved_searches import SavedSearchesSection
from bookorbit_desktop.ui.library.sidebar import LibrarySidebar
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.opening import Opener, desktop_opener, folder_url, open_or_show
from bookorbit_desktop.ui.status import (
    GUESSING_TIP,
    SYNC_NOW_TIP,
    AppStatus,
    StatusHub,
    guessing_line,
    server_summary,
    sync_summary,
    sync_unavailable_reason,
    where_to_create_account,
)
from bookorbit_desktop.ui.text import plain_label, plain_tooltip, show_plain
from bookorbit_desktop.ui.widgets import choose_files, choose_folder
from bookorbit_desktop.ui.window_size import first_size

EBOOK_FILTER = (
    "Ebooks (*.epub *.pdf *.cbz *.cbr *.mobi *.azw *.azw3 *.fb2 *.fb2.zip *.djvu *.txt);;"
    "All files (*)"
)
SIDEBAR_WIDTH = 210  # the library sidebar's first width (the browser, saved searches)
EARLIER_FIRST_WIDTH = 360  # earlier versions' first panel width, saved even when never dragged


class ClickableLabel(QLabel):
    clicked = Signal()

    def mouseReleaseEvent(self, event: object) -> None:
        self.clicked.emit()


class MainWindow(QMainWindow):
    import_requested = Signal(list)
    refresh_requested = Signal()
    sync_requested = Signal()
    pause_requested = Signal(bool)
    settings_requested = Signal()
    quit_requested = Signal()
    hidden_to_tray = Signal()

    def __init__(
        self,
        hub: StatusHub,
        library_view: LibraryView,
        book_panel: BookPanel,
        *,
        state_file: Path,
        log_dir: Path,
        data_dir: Path,
    ) -> None:
        super().__init__()
        self.opener: Opener = desktop_opener  # the folder actions' way to the file manager
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.setWindowIcon(app_icon())
        self._hub = hub
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat)
        self._log_dir = log_dir
        self._data_dir = data_dir
        self.library_view = library_view
        self.book_panel = book_panel

        # The sidebar left of the table, in a splitter of its own (the outer one's sizes stay):
        # the library browser and the saved searches. Shown from the first saved search or tag
        # on (until the user says otherwise), or with View > Sidebar: at 1366x768 the table's
        # columns need the width until then.
        self.sidebar = LibrarySidebar()
        self.sidebar.add_section("Browse", library_view.browser, 3)
        searches = SavedSearchesSection(library_view)
        self.sidebar.add_section("Saved searches", searches)
        self.sidebar_action = QAction("Side&bar", self, checkable=True)
        self.sidebar_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.sidebar_action.toggled.connect(self.sidebar.setVisible)
        searches.saved.connect(lambda: self.sidebar_action.setChecked(True))
        library_view.browser.counted.connect(self._sidebar_for_tags)
        self.library_split = QSplitter(Qt.Orientation.Horizontal)
        self.library_split.addWidget(self.sidebar)
        self.library_split.addWidget(library_view)
        self.library_split.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.library_split)
        self.splitter.addWidget(book_panel)
        # A bigger window widens the table (its columns need it); the panel keeps its width.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        # The panel folds away while no book is selected: the table has its width. Shown again,
        # it has the width the user gave it (None: PANEL_WIDTH), kept with the window's size.
        self._panel_width: int | None = None
        self.splitter.splitterMoved.connect(self._panel_moved)
        book_panel.book_shown.connect(self._fold_panel)
        book_panel.hide()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, "&Library")
        self.setCentralWidget(self.tabs)
        self._switching: asyncio.Task[None] | None = None
        library_view.book_selected.connect(self._book_selected)
        library_view.import_requested.connect(self.import_requested.emit)
        library_view.import_dialog_requested.connect(self.choose_files)

        self._build_menus()
        self.server_label = show_plain(ClickableLabel())
        self.server_label.setObjectName("serverStatus")
        self.server_label.setToolTip("Click to copy the address to type into KOReader")
        self.server_label.clicked.connect(self.copy_server_address)
        self.sync_label = plain_label()  # book titles while matching
        self.sync_label.setObjectName("syncStatus")
        # A normal (not permanent) widget: a status message replaces it for a few seconds;
        # a stretched permanent widget would leave the message no room at all.
        self.statusBar().addWidget(self.server_label, 1)
        self.statusBar().addPermanentWidget(self.sync_label)
        hub.changed.connect(self._show_status)
        self._show_status(hub.status)
        first = first_size(self.screen().availableGeometry())
        self.resize(first.size)
        self.library_split.setSizes([SIDEBAR_WIDTH, self.width() - SIDEBAR_WIDTH])
        geometry = self._state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        elif first.maximised:
            self.setWindowState(Qt.WindowState.WindowMaximized)
        panel = str(self._state.value("window/panel", ""))  # the text of an ini file
        if panel.isdigit() and int(panel) != EARLIER_FIRST_WIDTH:
            self._panel_width = int(panel)
        sidebar = self._state.value("window/sidebar")
        if isinstance(sidebar, QByteArray):
            self.library_split.restoreState(sidebar)
        # Whether the user ever showed or hid it (View > Sidebar): then it is theirs to show.
        chosen = self._state.value("library/sidebar_chosen", False, type=bool)
        self._sidebar_chosen = bool(chosen)
        self.sidebar_action.triggered.connect(self._sidebar_by_hand)
        shown = self._state.value("library/sidebar", searches.list.count() > 0, type=bool)
        self.sidebar_action.setChecked(bool(shown))
        self.sidebar.setVisible(bool(shown))
        library_view.custom_columns.show_columns()  # before their widths are restored
        columns = self._state.value("library/columns")  # widths and the sort order
        if isinstance(columns, QByteArray):
            by_hand = str(self._state.value("library/columns_by_hand", ""))  # "series,progress"
            library_view.restore_columns(columns, by_hand.split(","))
        library_view.show_grid(bool(self._state.value("library/grid", False, type=bool)))

    def remembered(self, key: str) -> str:
        """A choice the window keeps between runs ("" when none was kept)."""
        return str(self._state.value(key, ""))

    def remember(self, key: str, value: str) -> None:
        self._state.setValue(key, value)

    def _sidebar_for_tags(self) -> None:
        """The first tag shows the sidebar, unless the user chose whether it shows."""
        if not self._sidebar_chosen and self.library_view.browser.has_tags:
            self.sidebar_action.setChecked(True)

    def _sidebar_by_hand(self) -> None:
        self._sidebar_chosen = True

    # -- construction -----------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self.file_menu = bar.addMenu("&File")
        file_menu.addAction(
            menu_action(self, "&Import Files…", self.choose_files, shortcut="Ctrl+I")
        )
        file_menu.addAction(
            menu_action(self, "Import &Folder…", self.choose_folder, shortcut="Ctrl+Shift+I")
        )
        self._imports_end = file_menu.addSeparator()
        self._settings_action = menu_action(
            self, "&Settings…", self.settings_requested.emit, shortcut="Ctrl+,"
        )
        file_menu.addAction(self._settings_action)
        file_menu.addSeparator()
        file_menu.addAction(menu_action(self, "&Close Window", self.close, shortcut="Ctrl+W"))
        file_menu.addAction(menu_action(self, "&Quit", self.quit_requested.emit, shortcut="Ctrl+Q"))
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(
            menu_action(self, "&Find", self.library_view.focus_filter, shortcut="Ctrl+F")
        )
        self.view_menu.addAction(
            menu_action(self, "&Refresh", self.refresh_requested.emit, shortcut="F5")
        )
        self.view_menu.addMenu(self.library_view.columns_menu)
        self.view_menu.addAction(self.sidebar_action)
        self.view_menu.addSeparator()
        self._page_actions: list[QAction] = []
        self._add_page_action(0, "&Library")
        sync_menu = bar.addMenu("&Sync")
        self.sync_action = menu_action(self, "&Sync Now", self.sync_now, shortcut="Ctrl+R")
        self.pause_action = menu_action(self, "&Pause Sync", self._toggle_pause)
        sync_menu.addAction(self.sync_action)
        sync_menu.addAction(self.pause_action)
        help_menu = self.help_menu = bar.addMenu("&Help")
        help_menu.addAction(menu_action(self, "&KOReader Setup…", self.show_koreader_help))
        help_menu.addAction(menu_action(self, "Open &Log Folder", self.open_log_folder))
        help_menu.addAction(menu_action(self, "Open &Data Folder", self.open_data_folder))
        help_menu.addSeparator()
        help_menu.addAction(menu_action(self, f"&About {APP_DISPLAY_NAME}", self.show_about))

    def add_menu(self, title: str) -> QMenu:
        """A page's own menu (Devices), placed before Help: Help stays the last menu."""
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        return menu

    def add_file_action(self, action: QAction) -> None:
        """Add a library-wide action (Tidy File Names, Find Duplicates) to File, before
        Settings."""
        self.file_menu.insertAction(self._settings_action, action)

    def add_import_menu(self, menu: QMenu) -> None:
        """Add a page's import choices (Reading Statistics) to File, after Import Folder."""
        self.file_menu.insertMenu(self._imports_end, menu)

    def _add_page_action(self, index: int, title: str) -> None:
        number = len(self._page_actions) + 1
        action = menu_action(
            self, title, lambda: self.tabs.setCurrentIndex(index), shortcut=f"Ctrl+{number}"
        )
        self._page_actions.append(action)
        self.view_menu.addAction(action)

    def add_page(self, widget: QWidget, title: str) -> int:
        """Add a tab (Unlinked documents, Hardcover) with a Ctrl+<n> shortcut."""
        index = self.tabs.addTab(widget, title)
        self._add_page_action(index, title)
        return index

    # -- the selected book ------------------------------------------------------------------

    def _book_selected(self, book_id: int | None) -> None:
        panel = self.book_panel
        if book_id == panel.book_id or (self._switching and not self._switching.done()):
            return
        if not panel.has_unsaved_edits():
            panel.show_book(book_id)
        elif book_id is not None:
            self._switching = spawn(self._switch_when_answered(panel.book_id, book_id), self)
        # else: the edited book was filtered out of the table; it stays open with its edits.

    def _fold_panel(self, book_id: int | None) -> None:
        panel = self.book_panel
        if book_id is None:
            panel.hide()
        elif panel.isHidden():
            panel.show()
            width = self._panel_width or PANEL_WIDTH
            self.splitter.setSizes([max(1, self.splitter.width() - width), width])

    def _panel_moved(self, _position: int, _index: int) -> None:
        if not self.book_panel.isHidden():  # the user dragged the handle: the width from now on
            self._panel_width = self.splitter.sizes()[1]

    async def _switch_when_answered(self, current: int | None, wanted: int) -> None:
        """Ask about the unsaved edits of `current`, then show `wanted` (or stay)."""
        view = self.library_view
        # Runs after the click or key press that moved the selection has been handled: the
        # table shows the book the question is about while it is asked.
        if current is None or not view.select_book(current):
            view.clear_selection()
        if not await self.book_panel.confirm_leave():
            return
        self.book_panel.show_book(wanted)
        if not view.select_book(wanted):  # gone from the table meanwhile
            self.book_panel.show_book(view.selected_book_id)

    # -- status -----------------------------------------------------------------------------

    def _show_status(self, status: AppStatus) -> None:
        self.server_label.setText(server_summary(status))
        self.server_label.setToolTip(
            GUESSING_TIP if guessing_line(status) else plain_tooltip(status.server_notice or "")
        )
        self.sync_label.setText(sync_summary(status))
        # Always enabled, so Ctrl+R says why nothing happens instead of staying silent.
        self.sync_action.setToolTip(sync_unavailable_reason(status) or SYNC_NOW_TIP)
        self.pause_action.setEnabled(status.sync_available)
        self.pause_action.setText("Resume &Sync" if status.sync_paused else "&Pause Sync")

    def sync_now(self) -> None:
        """Sync ▸ Sync Now (Ctrl+R): start a sync, or say why there is nothing to do."""
        reason = sync_unavailable_reason(self._hub.status)
        if reason is None or self._hub.status.syncing:  # a running sync shows its progress
            self.sync_requested.emit()
        else:
            self.statusBar().showMessage(reason, 6000)

    def _toggle_pause(self) -> None:
        self.pause_requested.emit(not self._hub.status.sync_paused)

    def copy_server_address(self) -> None:
        """The status bar's address, clicked: copy it, or say why there is none to type."""
        status = self._hub.status
        if status.server_running and status.server_notice:
            where = where_to_create_account(status)
            self.statusBar().showMessage(
                f"No address to copy yet: the server opens to your network once the KOReader "
                f"account exists (create it {where}).",
                8000,
            )
        elif status.kosync_urls and status.server_running:
            QGuiApplication.clipboard().setText(status.kosync_urls[0])
            self.statusBar().showMessage(f"Copied {status.kosync_urls[0]}", 4000)

    # -- actions ----------------------------------------------------------------------------

    def choose_files(self) -> QFileDialog:
        """File ▸ Import Files: a chooser starting in the home folder."""
        return choose_files(self, "Import Ebooks", EBOOK_FILTER, self._import_chosen)

    def choose_folder(self) -> QFileDialog:
        return choose_folder(self, "Import a Folder of Ebooks", lambda f: self._import_chosen([f]))

    def _import_chosen(self, paths: list[str]) -> None:
        if paths:
            self.import_requested.emit(list(paths))

    def open_log_folder(self) -> QDialog | None:
        return open_or_show(self, folder_url(self._log_dir), self.opener)

    def open_data_folder(self) -> QDialog | None:
        return open_or_show(self, folder_url(self._data_dir), self.opener)

    def show_koreader_help(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Set up KOReader",
            help_text(self._hub.status),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_box(box)
        return box

    def show_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.NoIcon,
            f"About {APP_DISPLAY_NAME}",
            f"<b>{APP_DISPLAY_NAME}</b> {__version__}<br>Your ebook library, KOReader progress "
            "sync and Hardcover reading tracking.<br><br>Licensed under the GNU GPL v3 or later.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setIconPixmap(app_icon().pixmap(64, 64))
        open_box(box)

    def bring_to_front(self) -> None:
        self.show()
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def save_state(self) -> None:
        self._state.setValue("window/geometry", self.saveGeometry())
        if self._panel_width is None:  # not the user's: the next start's own first width
            self._state.remove("window/panel")
        else:
            self._state.setValue("window/panel", self._panel_width)
        self._state.setValue("window/sidebar", self.library_split.saveState())
        self._state.setValue("library/sidebar", self.sidebar_action.isChecked())
        self._state.setValue("library/sidebar_chosen", self._sidebar_chosen)
        self._state.setValue("library/columns", self.library_view.save_columns())
        self._state.setValue(
            "library/columns_by_hand", ",".join(self.library_view.fitting.set_by_hand)
        )
        self._state.setValue("library/grid", self.library_view.grid_shown)
        self._state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Hide instead of quitting: KOReader keeps syncing through the server.
        self.save_state()
        event.ignore()
        self.hide()
        if not self._state.value("notice/hidden_to_tray", False, type=bool):
            self._state.setValue("notice/hidden_to_tray", True)
            self.hidden_to_tray.emit()
