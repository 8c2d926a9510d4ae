"""First run: 1) the books folder, 2) the KOReader account and the addresses, 3) Hardcover.

Shown while the library is empty and no KOReader account exists. The folder is imported and
watched by the folder watcher (off the GUI thread); the account is created with the same
rules as Settings, after which the server opens to the network by itself and the page shows
the exact addresses to type on the e-reader, with a line that turns green at the device's
first login. Connecting Hardcover is optional. Every step can be redone in Settings.

The page follows the real state, not only its own clicks: an account made in Settings shows
as made (`follow_settings`), Hardcover connected elsewhere shows as connected, and replacing
an existing account (one a device may already log in with) asks first. The folder's import
shows its count as it goes and can be cancelled (`import_progress`, `cancel_import`); it ends
on the page, never in a message box.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.watched_folders import remove_watched_folder
from bookorbit_desktop.services.settings import DesktopSettings
from bookorbit_desktop.ui.asyncqt import error_text, run_dialog, spawn
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.settings.reachability_box import OK_COLOUR
from bookorbit_desktop.ui.status import AppStatus
from bookorbit_desktop.ui.sync.progress_text import books
from bookorbit_desktop.ui.widgets import (
    ERROR_COLOUR,
    choose_folder,
    push_button,
    secret_edit,
    wide_row,
    wrapped_label,
)

WAITING = "Waiting for your e-reader… (log in from KOReader as shown above)"


@dataclass
class FirstRunAccess:
    """What the set-up changes, through the same services as Settings."""

    add_folder: Callable[[str], list[str]]
    load_settings: Callable[[], DesktopSettings]
    save_settings: Callable[[DesktopSettings, str], DesktopSettings]
    connect_hardcover: Callable[[str], Awaitable[str]]
    remove_folder: Callable[[str], list[str]] = field(default=remove_watched_folder)


class FirstRunPage(QWidget):
    folder_added = Signal(str)
    account_created = Signal()
    hardcover_connected = Signal()
    finished = Signal()
    import_cancel_requested = Signal()
    question_opened = Signal(object)  # the "Replace the account?" box, once it is on screen

    def __init__(self, access: FirstRunAccess, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._access = access
        self._folder_chosen = False
        self._folder = ""
        self._device = ""  # the address of a device that logged in while the page was open
        self.task: asyncio.Task[None] | None = None
        layout = QVBoxLayout(self)
        title = QLabel("<h2>Welcome to BookOrbit</h2>Three steps and your e-reader syncs.")
        layout.addWidget(title)
        layout.addWidget(self._folder_step())
        layout.addWidget(self._account_step())
        layout.addWidget(self._hardcover_step())
        self.done_button = push_button("&Go to My Library", self.finished.emit)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        self.follow_settings()

    # -- steps ------------------------------------------------------------------------------

    @staticmethod
    def _step(title: str, hint: str = "") -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        if hint:
            form.addRow(wrapped_label(hint))
        return box, form

    def _folder_step(self) -> QGroupBox:
        box, form = self._step(
            "1. Choose your books folder",
            "BookOrbit imports the ebooks in it and keeps watching it: books you add, change, "
            "move or remove there are picked up. Your files stay where they are.",
        )
        row = QHBoxLayout()
        self.folder_button = push_button(
            "&Choose Folder…",
            lambda: choose_folder(self, "Choose Your Books Folder", self.add_folder),
        )
        self.folder_label = wrapped_label()
        self.cancel_import_button = push_button("Cancel &Import", self.import_cancel_requested.emit)
        self.cancel_import_button.hide()
        row.addWidget(self.folder_button)
        row.addWidget(self.folder_label, 1)
        row.addWidget(self.cancel_import_button)
        form.addRow(row)
        return box

    def _account_step(self) -> QGroupBox:
        box, form = self._step("2. Create the KOReader account")
        self.username_edit = QLineEdit(placeholderText="for example: reader")
        form.addRow("&User name:", self.username_edit)
        self.password_edit = secret_edit()
        form.addRow("Pass&word:", self.password_edit)
        self.account_button = push_button("Create &Account", self.create_account)
        form.addRow(self.account_button)
        for edit in (self.username_edit, self.password_edit):  # Enter submits the step
            edit.returnPressed.connect(self.account_button.click)
        self.account_message = wrapped_label()
        form.addRow(self.account_message)
        self.sync_url = QLabel()
        self.opds_url = QLabel()
        for label in (self.sync_url, self.opds_url):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("In KOReader, Progress sync ▸ Custom sync server:", self.sync_url)
        form.addRow("OPDS catalog (Search ▸ OPDS catalog ▸ +):", self.opds_url)
        self.device_label = wrapped_label()
        self.device_label.setObjectName("firstRunDevice")
        form.addRow(self.device_label)
        return box

    def _hardcover_step(self) -> QGroupBox:
        box, form = self._step(
            "3. Connect Hardcover (optional)",
            "To send your reading to hardcover.app, paste the token from "
            "hardcover.app/account/api. You can skip this and connect later in Settings.",
        )
        self.token_edit = secret_edit()
        self.token_edit.setAccessibleName("Hardcover API token")
        self.hardcover_button = push_button("C&onnect", self.connect_hardcover)
        # Enter connects, as the button does (not while a connection is being tried).
        self.token_edit.returnPressed.connect(self.hardcover_button.click)
        form.addRow("Token:", wide_row(self.token_edit, self.hardcover_button))
        self.hardcover_message = wrapped_label()
        form.addRow(self.hardcover_message)
        return box

    # -- behaviour --------------------------------------------------------------------------

    def add_folder(self, folder: str) -> None:
        try:
            folders = self._access.add_folder(folder)
        except BookOrbitError as error:
            self._say(self.folder_label, error.message, ERROR_COLOUR)
            return
        self._say(self.folder_label, f"Importing and watching {folders[-1]}…")
        self._folder_chosen = True
        self._folder = folders[-1]
        self.folder_added.emit(folders[-1])

    def import_progress(self, done: int, total: int) -> None:
        """The folder's import goes on: how far, with Cancel beside it."""
        self.folder_button.setEnabled(False)
        self.cancel_import_button.show()
        self._say(self.folder_label, f"Importing {done:,} of {total:,} files…")

    def import_cancelled(self, count: int) -> None:
        """The user cancelled the import: what is in, and that the folder is not watched."""
        self._access.remove_folder(self._folder)
        self._folder_chosen = False
        self._end_import()
        self._say(
            self.folder_label,
            f"Import cancelled: {books(count)} in your library; the folder is not watched. "
            "Choose it again to import the rest.",
        )

    def books_imported(self, count: int) -> None:
        """The watcher's pass over the folder ended with `count` books in the library (a pass
        before any folder was chosen here says nothing: "0 books" in green would mislead)."""
        if not self._folder_chosen:
            return
        self._end_import()
        self._say(self.folder_label, f"{books(count)} in your library.", OK_COLOUR)

    def _end_import(self) -> None:
        self.cancel_import_button.hide()
        self.folder_button.setEnabled(True)

    def follow_settings(self) -> None:
        """Show the account as stored (it may have been made or changed in Settings)."""
        username = self._access.load_settings().username
        self.account_button.setText("Replace &Account…" if username else "Create &Account")
        if username and not self.account_message.text():
            self.username_edit.setText(username)
            self._say(self.account_message, f"KOReader logs in as “{username}”.", OK_COLOUR)

    def create_account(self) -> None:
        """Create the account; an existing one is replaced only once the user agreed."""
        current = self._access.load_settings()
        if current.username:
            self.task = spawn(self._replace_account(current), self)
        else:
            self._save_account(current)

    async def _replace_account(self, current: DesktopSettings) -> None:
        used = f"; your e-reader ({self._device}) logged in with it" if self._device else ""
        box, replace_button = action_or_cancel(
            self.window(),
            "Replace the KOReader account?",
            f"KOReader logs in as “{current.username}”{used}. Replacing the account signs "
            "every device out: each must log in again with the new user name and password.",
            "&Replace",
        )
        try:
            await run_dialog(box, lambda: self.question_opened.emit(box))
            agreed = box.clickedButton() is replace_button
        finally:
            box.deleteLater()
        if agreed:
            self._save_account(current)

    def _save_account(self, current: DesktopSettings) -> None:
        wanted = replace(current, username=self.username_edit.text().strip() or None)
        try:
            saved = self._access.save_settings(wanted, self.password_edit.text())
        except BookOrbitError as error:
            self._say(self.account_message, error.message, ERROR_COLOUR)
            return
        self.password_edit.clear()
        self._say(
            self.account_message,
            f"KOReader logs in as “{saved.username}” with this password.",
            OK_COLOUR,
        )
        self.account_button.setText("Replace &Account…")
        self._device = ""
        self._say(self.device_label, WAITING)
        self.account_created.emit()

    def show_addresses(self, status: AppStatus) -> None:
        """Follow the server: the addresses appear once it listens on the network; and
        Hardcover, which may have been connected in Settings."""
        if status.sync_available and not self.hardcover_message.text():
            self._say(self.hardcover_message, "Hardcover is connected.", OK_COLOUR)
        if status.server_notice or not status.kosync_urls:
            self.sync_url.setText("(appears once the account exists and the server is open)")
            self.opds_url.setText("")
            return
        self.sync_url.setText(status.kosync_urls[0])
        self.opds_url.setText(status.opds_urls[0] if status.opds_urls else "(turned off)")

    def device_logged_in(self, what: str, address: str) -> None:
        self._device = address
        self._say(
            self.device_label, f"Your e-reader ({address}) logged in: {what} works.", OK_COLOUR
        )

    def connect_hardcover(self) -> None:
        token = self.token_edit.text().strip()
        if token:
            self.task = spawn(self._connect(token), self)

    async def _connect(self, token: str) -> None:
        self.hardcover_button.setEnabled(False)
        self._say(self.hardcover_message, "Asking Hardcover…")
        try:
            name = await self._access.connect_hardcover(token)
        except BookOrbitError as error:
            title, message = error_text(error)
            self._say(self.hardcover_message, f"{title}: {message}", ERROR_COLOUR)
            self.hardcover_button.setEnabled(True)
            return
        finally:
            self.token_edit.clear()
        self._say(self.hardcover_message, f"Connected as {name}.", OK_COLOUR)
        self.hardcover_connected.emit()

    @staticmethod
    def _say(label: QLabel, text: str, colour: str | None = None) -> None:
        label.setStyleSheet(f"color: {colour};" if colour else "")
        label.setText(text)
