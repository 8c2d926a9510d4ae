"""Opening a web address or a folder in the desktop's browser or file manager, and saying so
when nothing answers.

`QDesktopServices.openUrl` returns False when no browser or file manager takes the address
(a minimal desktop, a sandbox); without a word the button would seem broken. Every "open"
action goes through `open_or_show`, which then shows the address or path in a selectable
field with a Copy button, so the user can open it by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from bookorbit_desktop.ui.widgets import push_button, show_copied, wide_row, wrapped_label

# What asks the desktop to open an address: True when something took it. Widgets keep one
# as an attribute so a test can put a failing one in its place.
Opener = Callable[[QUrl], bool]


def desktop_opener(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


def folder_url(path: Path) -> QUrl:
    return QUrl.fromLocalFile(str(path))


def open_or_show(parent: QWidget, url: QUrl, opener: Opener) -> QDialog | None:
    """Open `url`; when nothing opens it, show it to copy and return that dialog."""
    if opener(url):
        return None
    dialog = CouldNotOpen(url, parent)
    dialog.open()
    return dialog


def shown_address(url: QUrl) -> str:
    """A folder as its path, a web page as its address exactly as a browser takes it."""
    if url.isLocalFile():
        return url.toLocalFile()
    return url.toString(QUrl.ComponentFormattingOption.FullyEncoded)


class CouldNotOpen(QDialog):
    """The address or path nothing opened, selectable, with a Copy button."""

    def __init__(self, url: QUrl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        folder = url.isLocalFile()
        self.setWindowTitle("Could Not Open Folder" if folder else "Could Not Open Page")
        what = "file manager" if folder else "web browser"
        explain = wrapped_label(
            f"No {what} opened this {'folder' if folder else 'address'}. "
            f"Copy it and open it in your {what} yourself:"
        )
        self.address = QLineEdit(shown_address(url))
        self.address.setObjectName("couldNotOpenAddress")
        self.address.setReadOnly(True)
        self.address.setAccessibleName("Address" if not folder else "Folder")
        self.copy_button = push_button("&Copy", self._copy, tip="Copy it to the clipboard")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(wide_row(self.address, self.copy_button))
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.address.text())
        show_copied(self.copy_button)
