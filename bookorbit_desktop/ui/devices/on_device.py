""" "On Kobo Libra 2" in the book panel: the e-readers that hold the book the panel shows.

`mount` puts the line below the panel's facts and follows the panel's book; the names come from
an injected function (`services.devices.service.devices_holding` in the window), so the panel itself
knows nothing of devices. The Devices controller shows the line again when a device's books
change (a book sent or deleted, a device's list read at its connection).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from bookorbit_desktop.ui.library.book_panel import BookPanel

Holding = Callable[[int], list[str]]  # book id -> the names of the devices that hold it


def on_devices_text(names: Sequence[str]) -> str:
    """ "On Kobo Libra 2", "On Kobo and PocketBook", "On A, B and C"; "" for none."""
    if not names:
        return ""
    if len(names) == 1:
        return f"On {names[0]}"
    return f"On {', '.join(names[:-1])} and {names[-1]}"


class OnDeviceLabel(QLabel):
    def __init__(self, holding: Holding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._holding = holding
        self.book_id: int | None = None
        self.setObjectName("onDevice")
        self.setTextFormat(Qt.TextFormat.PlainText)  # a device names itself
        self.setWordWrap(True)
        self.hide()

    def show_book(self, book_id: int | None) -> None:
        self.book_id = book_id
        text = on_devices_text(self._holding(book_id)) if book_id is not None else ""
        self.setText(text)
        self.setVisible(bool(text))

    def refresh(self) -> None:
        self.show_book(self.book_id)


def mount(panel: BookPanel, holding: Holding) -> OnDeviceLabel:
    """The line below the panel's facts, showing the panel's book from now on."""
    label = OnDeviceLabel(holding)
    panel.add_section(label, after=panel.facts)
    panel.book_shown.connect(label.show_book)
    label.show_book(panel.book_id)
    return label
