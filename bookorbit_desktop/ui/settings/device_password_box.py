"""Settings ▸ KOReader ▸ Devices: the password KOReader gives for Calibre ▸ Connect.

The field is write-only: a saved password is never read back into it (it lives in the system
keyring); the box only says whether one is saved, read on a worker thread (a keyring may ask
to be unlocked first). A typed password is stored with the dialog's Save, through the same
service as the Devices page and the command line; left empty, the saved one stays. A keyring
that cannot be read is said in the box, and one that refuses to store is said by the dialog,
with the password still typed so the user can try again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.text import plain_label


@dataclass
class DevicePasswordAccess:
    """The device password functions the box needs (the real service in the app and tests)."""

    saved: Callable[[], bool]  # a password is stored; BookOrbitError when it cannot be read
    save: Callable[[str], None]  # stores it (and restarts the device connection)


class DevicePasswordBox(QGroupBox):
    checked = Signal(object)  # whether one is saved, or why the keyring cannot say; GUI thread

    def __init__(self, access: DevicePasswordAccess, parent: QWidget | None = None) -> None:
        super().__init__("Devices (KOReader's Calibre ▸ Connect over Wi-Fi)", parent)
        self._access = access
        form = QFormLayout(self)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("De&vice password:", self.password_edit)
        self.state_label = plain_label()
        self.state_label.setObjectName("devicePasswordState")
        self.state_label.setWordWrap(True)
        form.addRow(self.state_label)
        self.state_label.setText("Looking in the system keyring…")
        self.checked.connect(self._show_saved)
        self._thread = threading.Thread(target=self._check, name="device-password", daemon=True)
        self._thread.start()

    def _check(self) -> None:
        try:
            result: bool | str = self._access.saved()
        except BookOrbitError as error:
            result = error.message
        with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
            self.checked.emit(result)

    def _show_saved(self, result: bool | str) -> None:
        self._thread.join()
        if isinstance(result, str):
            self.password_edit.setPlaceholderText("")
            self.state_label.setText(result)
            return
        self.password_edit.setPlaceholderText("unchanged" if result else "choose a password")
        self.state_label.setText(
            "A password is saved in the system keyring. Type a new one to change it; KOReader "
            "needs the same one (Calibre ▸ Wireless settings ▸ Set password)."
            if result
            else "No password yet: KOReader cannot send or receive books until you choose one "
            "here and give KOReader the same (Calibre ▸ Wireless settings ▸ Set password)."
        )

    def apply(self) -> None:
        """Store a typed password; raises BookOrbitError (an empty one, a keyring refusing)."""
        password = self.password_edit.text()
        if not password:
            return
        self._access.save(password)
        self.password_edit.clear()
        self._show_saved(True)
