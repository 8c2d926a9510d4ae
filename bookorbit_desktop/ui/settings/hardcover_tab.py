"""Settings ▸ Hardcover: the account, whether and when reading goes to the profile, privacy.

The token field is write-only: a saved token is never read back into it (it lives in the
keyring); typing a new one and pressing Connect replaces it. Connect and Disconnect act at once
(they talk to Hardcover); the sync switches and privacy are stored with the dialog's Save.
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
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services import token_health
from bookorbit_desktop.services.settings import PRIVACY_LABELS, SyncSettings
from bookorbit_desktop.ui.asyncqt import error_text, spawn
from bookorbit_desktop.ui.widgets import (
    push_button,
    secret_edit,
    wrapped_label,
)


@dataclass
class HardcoverAccess:
    """The Hardcover functions the tab needs (the real services in the app and the tests)."""

    username: Callable[[], str | None]  # the connected account, None when not connected
    connect: Callable[[str], Awaitable[str]]  # token -> user name
    disconnect: Callable[[], Awaitable[bool]]
    load: Callable[[], SyncSettings]
    save: Callable[[SyncSettings], SyncSettings]
    # What is known of the token: its expiry, a warning a week ahead, features off for lack
    # of a scope (one line each).
    token_lines: Callable[[], list[str]] = token_health.lines


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
        self.user_label = QLabel()
        self.user_label.setObjectName("hardcoverUser")
        form.addRow("Connected as:", self.user_label)
        self.token_edit = secret_edit()
        self.token_edit.setAccessibleName("Hardcover API token")
        self.connect_button = push_button("C&onnect", self.connect_token)
        self.token_edit.textChanged.connect(
            lambda text: self.connect_button.setEnabled(bool(text.strip()))
        )
        row = QHBoxLayout()
        row.addWidget(self.token_edit, 1)
        row.addWidget(self.connect_button)
        form.addRow("Token:", row)
        self.disconnect_button = push_button("&Disconnect", self.disconnect_account)
        form.addRow(self.disconnect_button)
        self.token_health = wrapped_label()
        self.token_health.setObjectName("hardcoverTokenHealth")
        form.addRow(self.token_health)
        self.account_message = wrapped_label()
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

    def apply(self) -> None:
        """Store the sync settings (the dialog's Save)."""
        if self.wanted() != self._loaded:
            self._loaded = self._access.save(self.wanted())

    def connect_token(self) -> None:
        token = self.token_edit.text().strip()
        if token:
            self.task = spawn(self._account_action(self._access.connect(token), "Connected"), self)

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
            self.show_account()
            self.account_message.setText(f"{title}: {message}")
            return
        self.show_account()
        self.account_message.setText(f"{done}.")
        self.account_changed.emit()
