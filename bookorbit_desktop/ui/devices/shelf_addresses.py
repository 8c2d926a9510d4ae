"""Your shelves on KOReader (Devices menu): every saved search, tag and series with its catalog
address, Copy, and a QR code of the address to scan from the e-reader's phone; "Send to device"
sends the books the chosen shelf holds now the way Send to device sends a selection. With the
catalog switched off (or the server stopped) there is no address to show, and it says so."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.devices.shelf_addresses import (
    ShelfAddress,
    qr_png,
    shelf_addresses,
    shelf_book_ids,
)
from bookorbit_desktop.ui.image_bytes import pixmap_from
from bookorbit_desktop.ui.status import AppStatus
from bookorbit_desktop.ui.text import plain_label
from bookorbit_desktop.ui.widgets import button_row, message_label, push_button, show_copied

SHELF_ROLE = Qt.ItemDataRole.UserRole + 1
CATALOG_OFF = (
    "The catalog is off or the server is stopped: switch the catalog on in Settings (Server) "
    "to reach your shelves from KOReader."
)
HOW_TO = (
    "In KOReader: Search > OPDS catalog > +, paste the address (or scan the code with your "
    "phone and send it over), give your sync account, and tick Sync catalog: each book that "
    "joins the shelf arrives at the next sync."
)
NOTHING_TO_SEND = "no book to send (books without a file or waiting in the Inbox are left out)."
NO_SHELVES = (
    "No shelves yet. A saved search, a tag and a series are each a shelf: save a search in the "
    "library's search box, tag a book or give one a series, and its address is listed here."
)
# The width the address field opens at: a typical shelf address on a home network.
TYPICAL_ADDRESS = "http://192.168.178.120:8765/opds/shelves/search?name=Science%20Fiction%20"


def catalog_origin(status: AppStatus) -> str | None:
    """The server's best address while it serves the catalog, else None."""
    return status.base_urls[0] if status.opds_enabled and status.base_urls else None


class ShelfAddressesDialog(QDialog):
    """`origin()` gives the server's address (None: no catalog to reach); `send(ids)` sends
    books as Send to device does and says what happened."""

    def __init__(
        self,
        origin: Callable[[], str | None],
        send: Callable[[list[int]], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your shelves on KOReader")
        self._origin, self._send = origin, send
        self.list = QListWidget()
        self.list.setAccessibleName("Your shelves")
        self.list.currentItemChanged.connect(lambda *_: self._show())
        self.address = QLineEdit()
        self.address.setReadOnly(True)
        self.address.setAccessibleName("The shelf's catalog address")
        self.address.setMinimumWidth(_address_width(self.address))
        self.setMinimumWidth(self.address.minimumWidth() * 5 // 4)  # and its Copy button
        self.copy_button = push_button("&Copy", self.copy_address, tip="Copy the address")
        self.qr = QLabel()
        self.qr.setAccessibleName("QR code of the shelf's catalog address")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.send_button = push_button(
            "&Send to device", self.send_books, tip="Send the shelf's books to KOReader over Wi-Fi"
        )
        self.message = message_label("shelfAddressMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        address_row = QHBoxLayout()
        address_row.addWidget(self.address, 1)
        address_row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        self.how_to = plain_label(HOW_TO)
        self.how_to.setWordWrap(True)
        layout.addWidget(self.how_to)
        layout.addWidget(self.list, 1)
        layout.addLayout(address_row)
        layout.addWidget(self.qr)
        layout.addWidget(self.message)
        layout.addLayout(button_row(self.send_button))
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """List the shelves again, the first one chosen."""
        self.list.clear()
        for shelf in shelf_addresses():
            item = QListWidgetItem(shelf.title)
            item.setData(SHELF_ROLE, shelf)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._show()

    def shelf(self) -> ShelfAddress | None:
        item = self.list.currentItem()
        found = None if item is None else item.data(SHELF_ROLE)
        return found if isinstance(found, ShelfAddress) else None

    def _show(self) -> None:
        shelf, origin = self.shelf(), self._origin()
        url = None if shelf is None or origin is None else origin + shelf.path
        self.address.setText(url or "")
        self.copy_button.setEnabled(url is not None)
        self.send_button.setEnabled(shelf is not None)
        for part in (self.how_to, self.list, self.address, self.copy_button, self.send_button):
            part.setVisible(shelf is not None)  # nothing to paste or send without a shelf
        if url is None:
            self.qr.clear()
        else:
            self.qr.setPixmap(pixmap_from(qr_png(url)))
        self._say(NO_SHELVES if shelf is None else CATALOG_OFF if url is None else "")

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def copy_address(self) -> None:
        if self.address.text():
            QGuiApplication.clipboard().setText(self.address.text())
            show_copied(self.copy_button)

    def send_books(self) -> None:
        shelf = self.shelf()
        if shelf is None:
            return
        ids = shelf_book_ids(shelf.kind, shelf.name)
        if not ids:
            self._say(f"{shelf.title}: {NOTHING_TO_SEND}")
            return
        self._say(self._send(ids))


def _address_width(field: QLineEdit) -> int:
    """Wide enough for a typical shelf address, never wider than most of the screen."""
    wanted = field.fontMetrics().horizontalAdvance(TYPICAL_ADDRESS)
    screen = field.screen().availableGeometry().width() if field.screen() else wanted
    return min(wanted, int(screen * 0.7))
