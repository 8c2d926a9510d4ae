"""The book panel's "Devices" section: where each KOReader device is in the book, when it last
synced ("2 hours ago", the exact time in the tooltip), and "Reset to Start…".

The rows are read off the window's thread (`services.library.device_positions`); a book shown while
an older read is under way wins. `attach_device_positions` mounts the section under the panel's
reading box and follows the book the panel shows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from bookorbit_desktop.services.library import device_positions as service
from bookorbit_desktop.services.library.device_positions import DeviceRow
from bookorbit_desktop.services.library.position_history import percent
from bookorbit_desktop.ui.asyncqt import run_dialog, spawn
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.panel_section import PanelSection
from bookorbit_desktop.ui.library.progress_reset import ResetDialog
from bookorbit_desktop.ui.text import plain_tooltip
from bookorbit_desktop.ui.widgets import button_row, flat_list, push_button

HEADERS = ("Device", "Progress", "Position", "Last sync")
NONE_YET = "No device has synced this book yet."

_UNITS = ((86_400 * 365, "year"), (86_400 * 30, "month"), (86_400, "day"), (3_600, "hour"))


def ago(timestamp: int, now: float) -> str:
    """How long ago `timestamp` was, in the largest whole unit ("2 hours ago")."""
    seconds = int(now) - timestamp
    if seconds < 60:
        return "just now"
    for size, unit in (*_UNITS, (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"  # pragma: no cover - 60 is the smallest unit


def exact(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


class DevicePositionsBox(PanelSection):
    """Each device's position in one book; `loaded(book_id)` fires once the rows are shown."""

    dialog_opened = Signal(object)  # the reset confirmation, once it is on screen
    reset_done = Signal(int)

    def __init__(
        self,
        title_of: Callable[[], str] = lambda: "",
        *,
        rows_later: Callable[[int], Awaitable[list[DeviceRow]]] = service.device_rows_later,
        reset_later: Callable[..., Awaitable[object]] = service.reset_later,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Devices", self._rows, parent)
        self._title_of = title_of
        self._rows_later = rows_later
        self._reset_later = reset_later
        self._clock = clock
        self.rows: list[DeviceRow] = []
        self.tree = flat_list(HEADERS)
        self.tree.setAccessibleName("Device positions")
        # The panel is narrow: a long XPointer (whole in its tooltip) is cut, not the columns
        # after it, and a long device name shares the free width with it.
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(NONE_YET)
        self.reset_button = push_button(
            "Reset t&o Start…", self.reset_clicked, tip="Send devices back to the start"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty_label)
        layout.addLayout(button_row(self.reset_button))
        self._fill([])

    async def _rows(self, book_id: int) -> Callable[[], None]:
        rows = await self._rows_later(book_id)
        return lambda: self._fill(rows)

    def _fill(self, rows: list[DeviceRow]) -> None:
        self.rows = rows
        self.tree.clear()
        now = self._clock()
        for row in rows:
            when = row.reset_at if row.reset_at is not None else row.timestamp
            last = ago(when, now) if row.reset_at is None else f"reset {ago(when, now)}"
            item = QTreeWidgetItem([row.device, percent(row.percentage), row.where, last])
            item.setToolTip(0, plain_tooltip(f"Device id: {row.key}"))
            item.setToolTip(2, plain_tooltip(row.where))
            tip = exact(row.timestamp)
            if row.reset_at is not None:
                tip = f"Reset to the start {exact(row.reset_at)} (last sync {tip})"
            item.setToolTip(3, plain_tooltip(tip))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        self.tree.setVisible(bool(rows))
        self.empty_label.setVisible(not rows)
        self.reset_button.setEnabled(bool(rows))

    def reset_clicked(self) -> asyncio.Task[None] | None:
        if self.book_id is None or not self.rows:
            return None
        return spawn(self._ask_and_reset(self.book_id), self)

    async def _ask_and_reset(self, book_id: int) -> None:
        dialog = ResetDialog(self._title_of() or "this book", self.rows, self)
        try:
            accepted = await run_dialog(dialog, lambda: self.dialog_opened.emit(dialog))
            device = dialog.chosen_device
        finally:
            dialog.deleteLater()
        if not accepted:
            return
        await self._reset_later(book_id, device)
        if self.book_id == book_id:
            await self._load(book_id)
        self.reset_done.emit(book_id)


def attach_device_positions(panel: BookPanel) -> DevicePositionsBox:
    """Mount the section under `panel`'s reading box, following the book it shows."""
    box = DevicePositionsBox(panel.title_label.text)
    panel.add_section(box, panel.reading_box)
    panel.book_shown.connect(box.show_book)
    box.show_book(panel.book_id)
    return box
