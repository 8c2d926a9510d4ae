"""The Settings window's Hardcover tab: sync on or paused, what goes out by itself, privacy,
and the connected account (the token itself is pasted on the Hardcover page and never shown)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

# (stored value, what the user sees), the account's own default first.
PRIVACY_CHOICES = (
    ("account", "My Hardcover default"),
    ("public", "Public"),
    ("followers", "Followers only"),
    ("private", "Private"),
)


class HardcoverTab(QWidget):
    disconnect_requested = Signal()
    connect_requested = Signal()  # open the Hardcover page to paste a token

    def __init__(
        self,
        *,
        enabled: bool,
        on_status: bool,
        on_progress: bool,
        on_rating: bool,
        privacy: str,
        privacy_for_all: bool,
        username: str | None,
        connected: bool,
    ) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        account = QGroupBox("Account")
        row = QHBoxLayout(account)
        self.account_label = QLabel()
        self.account_label.setObjectName("hardcoverAccount")
        self.account_label.setTextFormat(Qt.TextFormat.RichText)
        self.account_label.setWordWrap(True)
        self.account_button = QPushButton()
        if connected:
            who = f"<b>@{html.escape(username)}</b>" if username else "your account"
            self.account_label.setText(f"Connected as {who}. The token stays in the keyring.")
            self.account_button.setText("&Disconnect…")
            self.account_button.clicked.connect(self.disconnect_requested.emit)
        else:
            self.account_label.setText(
                "Not connected. Paste a token from hardcover.app on the Hardcover page."
            )
            self.account_button.setText("&Connect…")
            self.account_button.clicked.connect(self.connect_requested.emit)
        row.addWidget(self.account_label, 1)
        row.addWidget(self.account_button)
        layout.addWidget(account)

        sync = QGroupBox("Sync")
        form = QFormLayout(sync)
        self.enabled_check = QCheckBox("&Send my reading to Hardcover")
        self.enabled_check.setChecked(enabled)
        form.addRow(self.enabled_check)
        self.on_status_check = QCheckBox("Reading &status and dates (after 30 seconds)")
        self.on_progress_check = QCheckBox("Reading &progress (every few minutes)")
        self.on_rating_check = QCheckBox("&Ratings (after 30 seconds)")
        for check, value in (
            (self.on_status_check, on_status),
            (self.on_progress_check, on_progress),
            (self.on_rating_check, on_rating),
        ):
            check.setChecked(value)
            check.setEnabled(enabled)
            self.enabled_check.toggled.connect(check.setEnabled)
        form.addRow(QLabel("Send these changes by themselves:"))
        form.addRow(self.on_status_check)
        form.addRow(self.on_progress_check)
        form.addRow(self.on_rating_check)
        hint = QLabel(
            "A change that is not sent by itself waits for the next Sync Now. Nothing is sent "
            "by itself before your first Sync Now."
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        layout.addWidget(sync)

        privacy_box = QGroupBox("Privacy")
        form = QFormLayout(privacy_box)
        self.privacy_combo = QComboBox()
        for value, label in PRIVACY_CHOICES:
            self.privacy_combo.addItem(label, value)
        self.privacy_combo.setCurrentIndex(max(0, self.privacy_combo.findData(privacy)))
        form.addRow("Books BookOrbit adds are &visible to:", self.privacy_combo)
        self.privacy_all_check = QCheckBox("Also apply it to books already on my &profile")
        self.privacy_all_check.setChecked(privacy_for_all)
        form.addRow(self.privacy_all_check)
        layout.addWidget(privacy_box)
        layout.addStretch(1)

    def values(self) -> dict[str, object]:
        """The DesktopSettings fields this tab edits."""
        return {
            "sync_enabled": self.enabled_check.isChecked(),
            "sync_on_status": self.on_status_check.isChecked(),
            "sync_on_progress": self.on_progress_check.isChecked(),
            "sync_on_rating": self.on_rating_check.isChecked(),
            "privacy": str(self.privacy_combo.currentData()),
            "privacy_for_all": self.privacy_all_check.isChecked(),
        }
