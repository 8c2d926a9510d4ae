"""Settings ▸ Hardcover: the account, whether and when reading goes to the profile, privacy.

The token field is write-only: a saved token is never read back into it (it lives in the
keyring); typing a new one and pressing Connect replaces it. Connect and Disconnect act at once
(they talk to Hardcover); the sync switches and privacy are stored with the dialog's Save.

The token's expiry (a personal token's is the date the user chose on hardcover.app; Hardcover
cannot be asked for it) goes with Connect, and once connected it is changed or cleared with the
dialog's Save; the tray warns a week before it. A legacy token's own expiry is shown, not typed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.hardcover import token_health
from bookorbit_desktop.services.settings import PRIVACY_LABELS, SyncSettings
from bookorbit_desktop.ui.asyncqt import error_text, spawn
from bookorbit_desktop.ui.hardcover.account_parts import EXPIRY_TIP, expiry_edit
from bookorbit_desktop.ui.text import plain_label, show_plain
from bookorbit_desktop.ui.widgets import (
    push_button,
    secret_edit,
    wide_row,
    wrapped_label,
)


@dataclass
class HardcoverAccess:
    """The Hardcover functions the tab needs (the real services in the app and the tests)."""

    username: Callable[[], str | None]  # the connected account, None when not connected
    connect: Callable[[str, str], Awaitable[str]]  # token, expiry ("" for none) -> user name
    disconnect: Callable[[], Awaitable[bool]]
    load: Callable[[], SyncSettings]
    save: Callable[[SyncSettings], SyncSettings]
    # What is known of the token: its expiry, a warning a week ahead, features off for lack
    # of a scope (one line each).
    token_lines: Callable[[], list[str]] = token_health.lines
    # The expiry the user entered ("" for none) and the one the token carries (None for none);
    # checking a typed one, and storing it ("" forgets it).
    entered_expiry: Callable[[], str] = token_health.entered_expiry
    own_expiry: Callable[[], str | None] = token_health.own_expiry
    check_expiry: Callable[[str], None] = token_health.check_expiry
    set_expiry: Callable[[str], object] = token_health.set_expiry


class HardcoverTab(QWidget):
    account_changed = Signal()

    def __init__(self, access: HardcoverAccess, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._access = access
        self._loaded = access.load()
        self.task: asyncio.Task[None] | None = None
        layout = QVBoxLayout(self)

        account = QGroupBox("Account")
        form = QFormLayout(account)
        self.user_label = plain_label()
        self.user_label.setObjectName("hardcoverUser")
        form.addRow("Connected as:", self.user_label)
        self.token_edit = secret_edit()
        self.token_edit.setAccessibleName("Hardcover API token")
        self.connect_button = push_button("C&onnect", self.connect_token)
        self.token_edit.textChanged.connect(
            lambda text: self.connect_button.setEnabled(bool(text.strip()))
        )
        row = wide_row(self.token_edit, self.connect_button)
        form.addRow("Token:", row)
        self.expiry_edit = expiry_edit()
        self._expiry = ""  # as stored, for the connected account
        form.addRow("Token &expires:", self.expiry_edit)
        expiry_hint = wrapped_label(
            "Optional: the expiry date you chose when creating the token on hardcover.app. "
            "BookOrbit warns you a week before (a tray notification). Once connected, change "
            "or clear it here and press Save."
        )
        form.addRow(expiry_hint)
        self.disconnect_button = push_button("&Disconnect", self.disconnect_account)
        form.addRow(self.disconnect_button)
        self.token_health = wrapped_label()
        self.token_health.setObjectName("hardcoverTokenHealth")
        form.addRow(self.token_health)
        self.account_message = show_plain(wrapped_label())
        form.addRow(self.account_message)
        layout.addWidget(account)

        sync = QGroupBox("Sync")
        form = QFormLayout(sync)
        self.enabled_check = QCheckBox("S&end my reading to Hardcover")
        self.enabled_check.setChecked(self._loaded.enabled)
        form.addRow(self.enabled_check)
        self.status_check = QCheckBox("when a book's &status changes")
        self.progress_check = QCheckBox("when my reading &progress changes")
        self.rating_check = QCheckBox("when I r&ate a book")
        for check, value in (
            (self.status_check, self._loaded.on_status),
            (self.progress_check, self._loaded.on_progress),
            (self.rating_check, self._loaded.on_rating),
        ):
            check.setChecked(value)
            check.setEnabled(self._loaded.enabled)
            self.enabled_check.toggled.connect(check.setEnabled)
            form.addRow(check)
        hint = wrapped_label(
            "A change whose box is clear is not lost: it goes with the next Sync Now."
        )
        form.addRow(hint)
        self.privacy_combo = QComboBox()
        for privacy, label in PRIVACY_LABELS.items():
            self.privacy_combo.addItem(label, privacy)
        self.privacy_combo.setCurrentIndex(
            max(0, self.privacy_combo.findData(self._loaded.privacy))
        )
        form.addRow("&Privacy of new entries:", self.privacy_combo)
        self.privacy_for_all_check = QCheckBox(
            "Also apply it to &books that were on my Hardcover profile before BookOrbit"
        )
        self.privacy_for_all_check.setToolTip(
            "Off: only the entries BookOrbit adds get this privacy; the ones you made on "
            "hardcover.app keep theirs. On: the next sync changes those too."
        )
        self.privacy_for_all_check.setChecked(self._loaded.privacy_for_all)
        form.addRow(self.privacy_for_all_check)
        layout.addWidget(sync)
        layout.addStretch(1)
        self.show_account()

    def show_account(self) -> None:
        name = self._access.username()
        self.user_label.setText(name or "not connected")
        self.disconnect_button.setEnabled(name is not None)
        self.token_edit.clear()  # a saved token is never shown back
        self.token_edit.setPlaceholderText(
            "saved in your keyring; paste a new one to replace it"
            if name
            else "paste the token from hardcover.app/account/api"
        )
        self.connect_button.setEnabled(False)
        own = self._access.own_expiry() if name else None
        self._expiry = own or (self._access.entered_expiry() if name else "")
        self.expiry_edit.setText(self._expiry)
        self.expiry_edit.setReadOnly(own is not None)
        self.expiry_edit.setToolTip(
            "This token carries its own expiry: nothing to enter." if own else EXPIRY_TIP
        )
        lines = self._access.token_lines() if name else []
        self.token_health.setText("\n".join(lines))
        self.token_health.setVisible(bool(lines))

    def wanted(self) -> SyncSettings:
        return replace(
            self._loaded,
            enabled=self.enabled_check.isChecked(),
            on_status=self.status_check.isChecked(),
            on_progress=self.progress_check.isChecked(),
            on_rating=self.rating_check.isChecked(),
            privacy=str(self.privacy_combo.currentData()),
            privacy_for_all=self.privacy_for_all_check.isChecked(),
        )

    def check(self) -> None:
        """InvalidValueError for an expiry that is not a date (before the dialog stores
        anything)."""
        self._access.check_expiry(self.expiry_edit.text())

    def apply(self) -> None:
        """Store the sync settings and a changed expiry (the dialog's Save)."""
        if self.wanted() != self._loaded:
            self._loaded = self._access.save(self.wanted())
        typed = self.expiry_edit.text().strip()
        if self._access.username() and not self.expiry_edit.isReadOnly() and typed != self._expiry:
            self._access.set_expiry(typed)
            self._expiry = typed

    def connect_token(self) -> None:
        token = self.token_edit.text().strip()
        if token:
            connecting = self._access.connect(token, self.expiry_edit.text().strip())
            self.task = spawn(self._account_action(connecting, "Connected"), self)

    def disconnect_account(self) -> None:
        self.task = spawn(self._account_action(self._access.disconnect(), "Disconnected"), self)

    async def _account_action(self, action: Awaitable[object], done: str) -> None:
        self.connect_button.setEnabled(False)
        self.disconnect_button.setEnabled(False)
        self.account_message.setText("Asking Hardcover…")
        try:
            await action
        except BookOrbitError as error:
            title, message = error_text(error)
            typed = self.expiry_edit.text()
            self.show_account()
            self.expiry_edit.setText(typed)  # to correct, with the token pasted again
            self.account_message.setText(f"{title}: {message}")
            return
        self.show_account()
        self.account_message.setText(f"{done}.")
        self.account_changed.emit()
