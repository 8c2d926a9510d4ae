"""The Devices page: the wireless connection, the address to type, each device's books.

A passive view: `show_state` and `show_devices` put plain values in; every button is a signal
out. A device's books are listed under it, each marked whether it is a library book; the
selected ones can be deleted from the device while it is connected. Everything a device sent
(its name, its books' titles and paths) is shown as plain text, never as HTML.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import SET_DEVICE_PASSWORD
from bookorbit_desktop.services.devices.service import DeviceList, DeviceState
from bookorbit_desktop.ui.widgets import (
    button_row,
    flat_list,
    push_button,
    wide_row,
    wrapped_label,
)

LPATH_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Title", "Path on the device", "In the library")
HOW_TO_CONNECT = (
    "In KOReader: Calibre > Connect. Where the router blocks KOReader's search, set "
    "Calibre > Wireless settings > Server address to: {addresses}"
)
NEEDS_PASSWORD = (
    "Not running: it needs the password KOReader will use first. Press Set password and type "
    "the one set in KOReader (Calibre > Wireless settings > Set password)."
)


class DevicesPage(QWidget):
    wireless_toggled = Signal(bool)
    password_requested = Signal()
    send_now_requested = Signal()
    want_to_read_requested = Signal()  # queue the Want to Read books the device lacks
    unqueue_requested = Signal()
    delete_requested = Signal(list)  # lpaths on the connected device
    eject_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wireless = QCheckBox("Answer KOReader's Calibre > Connect over Wi-Fi")
        self.wireless.toggled.connect(self.wireless_toggled.emit)
        self.password_button = push_button("Set &password…", self.password_requested.emit)
        self.status_label = wrapped_label()
        self.address_label = wrapped_label()
        self.address_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.queue_label = wrapped_label()
        # A device names itself and its books, and a title can hold anything: Qt's automatic
        # format would draw a name like `<img src=…>` as HTML.
        for label in (self.status_label, self.address_label, self.queue_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.send_button = push_button("&Send queued books now", self.send_now_requested.emit)
        self.want_button = QPushButton("Send my &Want to Read books")
        self.want_button.setToolTip(
            "Queue the library books on your Hardcover Want to Read shelf that the device does "
            "not have yet"
        )
        self.want_button.clicked.connect(self.want_to_read_requested.emit)
        self.unqueue_button = push_button("&Clear the queue", self.unqueue_requested.emit)
        self.delete_button = push_button("&Delete from device", self._delete_selected)
        self.eject_button = push_button("D&isconnect device", self.eject_requested.emit)
        self.tree = flat_list(HEADERS)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self._connected: str | None = None

        top = wide_row(self.wireless, self.password_button)
        queue_row = wide_row(
            self.queue_label, self.send_button, self.want_button, self.unqueue_button
        )
        actions = button_row(self.delete_button, self.eject_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.address_label)
        layout.addLayout(queue_row)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        self.show_state(DeviceState(enabled=False))

    def show_state(self, state: DeviceState, *, needs_password: bool = False) -> None:
        """`needs_password`: switched on, but not started for want of a password (the
        controller knows, or the server's error asks for one as its remedy): the page offers
        its button instead of the server's words."""
        self.wireless.blockSignals(True)
        self.wireless.setChecked(state.enabled)
        self.wireless.blockSignals(False)
        self._connected = state.device_uuid
        if (needs_password or state.remedy == SET_DEVICE_PASSWORD) and not state.running:
            status = NEEDS_PASSWORD
        elif state.problems:
            status = "\n".join(state.problems)
        elif not state.enabled:
            status = "Off. Switch it on to send books to KOReader over Wi-Fi."
        elif not state.running:
            status = "Not running."
        elif state.device is None:
            status = f"Waiting for KOReader on port {state.port}."
        elif state.sending:
            status = f"Connected: {state.device}. Sending {state.sending}"
        else:
            status = f"Connected: {state.device}."
        self.status_label.setText(status)
        addresses = ", ".join(state.addresses)
        self.address_label.setText(HOW_TO_CONNECT.format(addresses=addresses) if addresses else "")
        self.address_label.setVisible(bool(addresses))
        self.send_button.setEnabled(state.device is not None)
        self.eject_button.setEnabled(state.device is not None)
        self._selection_changed()

    def show_devices(self, listing: DeviceList) -> None:
        count = len(listing.queued_titles)
        self.queue_label.setText(
            f"Waiting for the next device: {', '.join(listing.queued_titles)}"
            if count
            else "No books are waiting. Use Send to device on a book in the library."
        )
        self.unqueue_button.setEnabled(count > 0)
        self.tree.clear()
        for device in listing.devices:
            seen = time.strftime("%Y-%m-%d %H:%M", time.localtime(device.last_seen))
            top = QTreeWidgetItem([device.name, f"last connected {seen}", ""])
            top.setData(0, LPATH_ROLE, None)
            for book in device.books:
                in_library = book.book_id is not None
                child = QTreeWidgetItem(
                    [book.title or book.lpath, book.lpath, "Yes" if in_library else "No"]
                )
                if in_library:
                    child.setToolTip(2, f"In the library (book id {book.book_id})")
                child.setData(0, LPATH_ROLE, (device.store_uuid, book.lpath))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self._selection_changed()

    def _selected_lpaths(self) -> list[str]:
        chosen = [item.data(0, LPATH_ROLE) for item in self.tree.selectedItems()]
        return [lpath for uuid, lpath in (c for c in chosen if c) if uuid == self._connected]

    def _selection_changed(self) -> None:
        self.delete_button.setEnabled(bool(self._selected_lpaths()))

    def _delete_selected(self) -> None:
        lpaths = self._selected_lpaths()
        if lpaths:
            self.delete_requested.emit(lpaths)
