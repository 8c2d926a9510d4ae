"""Opening a book from the library: a double-click or Enter on a book in the table or the cover
grid (the views' `activated`), and Open, Open With, Show in Folder and Copy Path in their
context menus, for the current book.

Open reads the book's first file in `services.library.opening.preferred_order` (EPUB first) in the
application the system opens that kind of file with. Open With lists the book's files, each
opened in its system application, and, on Windows, "Choose Application…", the system's own
chooser (no other system has one a program can call reliably). Show in Folder selects the file
in the system's file manager (Explorer, Finder, or a file manager that answers the freedesktop
`ShowItems` call; else the folder is opened, and when nothing opens it either the folder's path
is shown to copy, `opening.open_or_show`). Copy Path puts the file's path on the clipboard.
A file that is not on disk (a drive not connected, a file moved away) is named in a message;
nothing is opened.

Everything that reaches outside the window is injected (`Launcher`): tests see what would be
opened without starting anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QProcess, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QDialog, QMainWindow, QMenu, QMessageBox

from bookorbit_desktop.services.library.opening import (
    BookFileChoice,
    BookFiles,
    BookFilesService,
    chooser_command,
    show_command,
)
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box
from bookorbit_desktop.ui.library.model import BOOK_ID_ROLE
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.opening import folder_url, open_or_show
from bookorbit_desktop.ui.text import show_plain, without_shortcuts

_FILE_MANAGER = "org.freedesktop.FileManager1"
_SHOW_TIMEOUT_MS = 2000


def _start(program: str, arguments: list[str]) -> bool:
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)


def _show_items(path: str) -> bool:
    """Ask the desktop's file manager, over D-Bus, to show `path` selected."""
    from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    call = QDBusMessage.createMethodCall(
        _FILE_MANAGER, "/org/freedesktop/FileManager1", _FILE_MANAGER, "ShowItems"
    )
    call.setArguments([[QUrl.fromLocalFile(path).toString()], ""])
    reply = bus.call(call, QDBus.CallMode.Block, _SHOW_TIMEOUT_MS)
    return reply.type() == QDBusMessage.MessageType.ReplyMessage


@dataclass
class Launcher:
    """What reaches outside the window: the system's opener for a URL, a program started on
    its own, the file manager's `ShowItems`, the system's name (`sys.platform`)."""

    open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
    start: Callable[[str, list[str]], bool] = _start
    show_items: Callable[[str], bool] = _show_items
    platform: str = field(default=sys.platform)


class OpenActions(QObject):
    def __init__(
        self,
        service: BookFilesService,
        window: QMainWindow,
        library: LibraryView,
        launcher: Launcher | None = None,
    ) -> None:
        super().__init__(window)
        self.service, self.window, self.library = service, window, library
        self.launcher = launcher or Launcher()
        self.box: QMessageBox | None = None  # the last message, while it is open
        self.could_not_open: QDialog | None = None  # the folder nothing opened, to copy
        self.open_action = menu_action(
            window,
            "&Open",
            lambda: self.open_book(library.selected_book_id),
            tip="Open the book in the system's reader",
        )
        self.open_with_menu = QMenu("Open &With", window)
        self.open_with_menu.aboutToShow.connect(self._fill_open_with)
        self.show_action = menu_action(
            window,
            "Show in &Folder",
            lambda: self.show_in_folder(library.selected_book_id),
            tip="Show the book's file in the file manager",
        )
        self.copy_action = menu_action(
            window,
            "Copy &Path",
            lambda: self.copy_path(library.selected_book_id),
            tip="Copy the path of the book's file",
        )
        separator = QAction(window)
        separator.setSeparator(True)
        ours = [
            self.open_action,
            self.open_with_menu.menuAction(),
            self.show_action,
            self.copy_action,
            separator,
        ]
        view: QAbstractItemView
        for view in (library.table, library.grid):
            view.activated.connect(self._activated)
            if view.actions():
                view.insertActions(view.actions()[0], ours)  # first in the context menu
            else:
                view.addActions(ours)

    def _activated(self, index: QModelIndex) -> None:
        self.open_book(int(index.data(BOOK_ID_ROLE)))

    def _files(self, book_id: int | None) -> BookFiles | None:
        """The book's files; None (and a word why) when it has none on disk."""
        if book_id is None:
            self.window.statusBar().showMessage("Select a book first.", 6000)
            return None
        book = self.service.files(book_id)
        if book is None:
            return None
        if not book.files:
            self._tell("No File", f"“{book.title}” has no file in the library.")
            return None
        if not book.files[0].present:
            paths = "\n".join(choice.path for choice in book.files)
            self._tell(
                "File Not Found",
                f"The file of “{book.title}” is not where the library keeps it:\n{paths}\n\n"
                "If it is on a drive that is not connected, connect it and try again.",
            )
            return None
        return book

    def _tell(self, title: str, text: str) -> None:
        self.box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window
        )
        open_box(show_plain(self.box))

    def open_book(self, book_id: int | None) -> None:
        """Open the book's preferred file in the system's reader."""
        book = self._files(book_id)
        if book is not None:
            self._open(book.files[0])

    def _open(self, choice: BookFileChoice) -> None:
        if not self.launcher.open_url(QUrl.fromLocalFile(choice.path)):
            self._tell(
                "Could Not Open",
                f"The system has no application that opens {choice.format} files:\n"
                f"{choice.path}\n\nOpen With lets you choose one.",
            )

    def _fill_open_with(self) -> None:
        menu = self.open_with_menu
        menu.clear()
        book_id = self.library.selected_book_id
        book = None if book_id is None else self.service.files(book_id)
        if book is None or not book.files:
            menu.addAction("No file").setEnabled(False)
            return
        for choice in book.files:
            action = menu.addAction(
                without_shortcuts(f"{choice.format} — {Path(choice.path).name}")
            )
            action.setEnabled(choice.present)
            action.triggered.connect(lambda _checked=False, c=choice: self._open(c))
        first = book.files[0]
        chooser = chooser_command(self.launcher.platform, first.path)
        if chooser is not None and first.present:
            menu.addSeparator()
            program, arguments = chooser
            choose = menu.addAction("&Choose Application…")
            choose.triggered.connect(lambda: self.launcher.start(program, arguments))

    def show_in_folder(self, book_id: int | None) -> None:
        """Show the book's preferred file selected in the file manager (its folder opened
        where that cannot be done)."""
        book = self._files(book_id)
        if book is None:
            return
        path = book.files[0].path
        command = show_command(self.launcher.platform, path)
        if command is not None and self.launcher.start(*command):
            return
        if command is None and self.launcher.show_items(path):
            return
        folder = folder_url(Path(path).parent)
        self.could_not_open = open_or_show(self.window, folder, self.launcher.open_url)

    def copy_path(self, book_id: int | None) -> None:
        """Put the path of the book's preferred file on the clipboard."""
        book = None if book_id is None else self.service.files(book_id)
        if book is None or not book.files:
            self.window.statusBar().showMessage("The book has no file to copy the path of.", 6000)
            return
        QGuiApplication.clipboard().setText(book.files[0].path)
        self.window.statusBar().showMessage(f"Copied {book.files[0].path}", 6000)
