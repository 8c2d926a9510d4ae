"""Settings ▸ Metadata: the e-mail address the sources may reach the user at (`contact_box`),
and the optional Google Books API key, kept in the system keyring.

Like the Hardcover token, the key is write-only: a saved one is never read back into the field.
Save Key and Clear act at once (the keyring, on a worker thread: an unlock prompt may wait for
the user); whether a key is saved is asked when the tab is first shown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.asyncqt import error_text, spawn
from bookorbit_desktop.ui.settings.contact_box import ContactAccess, ContactBox
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import push_button, secret_edit, wide_row, wrapped_label

ABOUT_KEY = (
    "Optional. Fetch Metadata asks Google Books for each book's details and cover. Without a "
    "key Google answers from a small quota shared by everyone, which runs out on busy days; a "
    "key of your own (Google Cloud console ▸ APIs & Services ▸ Credentials, with the Books API "
    "enabled) gives your fetches their own daily quota. It is kept in your system's keyring, "
    "never in BookOrbit's files, and sent only to Google Books."
)
SAVED, NONE = "A key is saved in your keyring.", "No key saved: Google Books answers without one."


@dataclass
class GoogleKeyAccess:
    """The Google Books key in the keyring (blocking calls: the tab runs them off the loop)."""

    saved: Callable[[], bool]
    save: Callable[[str], None]  # InvalidValueError for a malformed key
    remove: Callable[[], bool]  # False when none was saved


class MetadataTab(QWidget):
    def __init__(
        self,
        access: GoogleKeyAccess,
        contact: ContactAccess | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._access = access
        self.task: asyncio.Task[None] | None = None
        self._asked = False
        layout = QVBoxLayout(self)
        self.contact = ContactBox(contact) if contact is not None else None
        if self.contact is not None:
            layout.addWidget(self.contact)
        google = QGroupBox("Google Books")
        form = QFormLayout(google)
        form.addRow(wrapped_label(ABOUT_KEY))
        self.key_edit = secret_edit()
        self.key_edit.setAccessibleName("Google Books API key")
        self.key_edit.setPlaceholderText("paste the API key")
        self.save_button = push_button("Save &Key", self.save_key)
        self.clear_button = push_button(
            "C&lear", self.clear_key, tip="Forget the key: Google Books answers without one"
        )
        self.key_edit.textChanged.connect(
            lambda text: self.save_button.setEnabled(bool(text.strip()))
        )
        self.save_button.setEnabled(False)
        key_label = QLabel("API &key:")
        key_label.setBuddy(self.key_edit)  # a row of several widgets gets no buddy by itself
        form.addRow(key_label, wide_row(self.key_edit, self.save_button, self.clear_button))
        self.state_label = QLabel("Looking in the keyring…")
        self.state_label.setObjectName("googleKeyState")
        form.addRow(self.state_label)
        self.message_label = show_plain(wrapped_label())
        self.message_label.setObjectName("googleKeyMessage")
        form.addRow(self.message_label)
        layout.addWidget(google)
        layout.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._asked:
            self.refresh()

    def refresh(self) -> asyncio.Task[None] | None:
        """Ask the keyring whether a key is saved (on a worker thread); without a running
        event loop there is nothing to ask it with yet."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return None
        self._asked = True
        self.task = spawn(self._act(None), self)
        return self.task

    def save_key(self) -> None:
        key = self.key_edit.text().strip()
        if not key:
            return
        self.key_edit.clear()  # the key is never kept in the widget

        def save() -> str:
            self._access.save(key)
            return "Key saved."

        self.task = spawn(self._act(save), self)

    def clear_key(self) -> None:
        def remove() -> str:
            return "Key removed." if self._access.remove() else "No key was saved."

        self.task = spawn(self._act(remove), self)

    async def _act(self, action: Callable[[], str] | None) -> None:
        """Do `action` (None: only look), then say whether a key is saved."""
        self.save_button.setEnabled(False)
        self.clear_button.setEnabled(False)
        message = ""
        try:
            if action is not None:
                message = await asyncio.to_thread(action)
            saved = await asyncio.to_thread(self._access.saved)
        except BookOrbitError as error:
            title, text = error_text(error)
            self.message_label.setText(f"{title}: {text}")
            self.clear_button.setEnabled(True)
            return
        self.state_label.setText(SAVED if saved else NONE)
        self.clear_button.setEnabled(saved)
        self.save_button.setEnabled(bool(self.key_edit.text().strip()))
        self.message_label.setText(message)
