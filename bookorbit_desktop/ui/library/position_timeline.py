"""The book panel's "Position history" section: every position KOReader devices synced for the
book (percentage, the page or part of the book where KOReader's position names one, device,
when), a line for each copy whose served position jumped back ("Kobo Clara jumped back from
63 % to 2 % — Restore 63 %?") with its Restore button, and Restore for a chosen position.

The rows are read off the window's thread (`services.library.position_history`); a book shown
while an older read is under way wins. A restore is one step of Edit ▸ Undo.
`attach_position_timeline` mounts the section under another one and follows the panel's book.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from bookorbit_desktop.services.library import position_history as service
from bookorbit_desktop.services.library.position_history import HistoryRow, Notice
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.device_positions import ago, exact
from bookorbit_desktop.ui.library.panel_section import PanelSection
from bookorbit_desktop.ui.text import plain_tooltip, show_plain
from bookorbit_desktop.ui.widgets import button_row, flat_list, push_button, wrapped_label

HEADERS = ("Progress", "Where", "Device", "When")
DEVICE = HEADERS.index("Device")
NONE_YET = "No device has synced this book yet."
JUMPED = "jumped back: the book's progress was kept"

Loader = Callable[[int], Awaitable[tuple[list[HistoryRow], list[Notice]]]]


class PositionTimelineBox(PanelSection):
    """One book's position history; `loaded(book_id)` fires once the rows are shown,
    `restored(book_id)` once a restore is stored."""

    restored = Signal(int)

    def __init__(
        self,
        restore_later: Callable[[int, int], Awaitable[object]],
        *,
        history_later: Loader = service.history_later,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Position history", self._rows, parent)
        self._restore_later = restore_later
        self._history_later = history_later
        self._clock = clock
        self.rows: list[HistoryRow] = []
        self.notices: list[Notice] = []
        self.notice_label = show_plain(wrapped_label())  # it names a device as it calls itself
        self.notice_label.setAccessibleName("Jump back")
        self.notice_button = push_button(
            "Restore", self.restore_notice, name="Restore the position before the jump back"
        )
        self.tree = flat_list(HEADERS)
        self.tree.setAccessibleName("Position history")
        # The device's name takes what width is left (elided, whole in its tooltip): the
        # percentage is always shown whole, however long a device calls itself.
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DEVICE, QHeaderView.ResizeMode.Stretch)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.empty_label = QLabel(NONE_YET)
        self.restore_button = push_button(
            "Restore", self.restore_selected, tip="Offer this position to KOReader again"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice_label)
        layout.addLayout(button_row(self.notice_button))
        layout.addWidget(self.tree)
        layout.addWidget(self.empty_label)
        layout.addLayout(button_row(self.restore_button))
        self._fill([], [])

    async def _rows(self, book_id: int) -> Callable[[], None]:
        rows, notices = await self._history_later(book_id)
        return lambda: self._fill(rows, notices)

    def _fill(self, rows: list[HistoryRow], notices: list[Notice]) -> None:
        self.rows, self.notices = rows, notices
        self.tree.clear()
        now = self._clock()
        for row in rows:
            device = row.device if row.what == "synced" else f"{row.device} ({row.what})"
            item = QTreeWidgetItem(
                [service.percent(row.percentage), row.where or "", device, ago(row.timestamp, now)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.event_id)
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(
                DEVICE, plain_tooltip(f"{device}\nDevice id: {row.device_id or 'none'}")
            )
            item.setToolTip(3, plain_tooltip(exact(row.timestamp)))
            if row.jumped_from is not None:
                tip = f"{JUMPED} at {service.percent(row.jumped_from)}"
                item.setToolTip(0, plain_tooltip(tip))
                item.setText(0, f"{service.percent(row.percentage)} ↩")
            self.tree.addTopLevelItem(item)
        self.tree.setVisible(bool(rows))
        self.empty_label.setVisible(not rows)
        notice = notices[0] if notices else None
        self.notice_label.setText(notice.text() if notice is not None else "")
        self.notice_label.setVisible(notice is not None)
        self.notice_button.setVisible(notice is not None)
        if notice is not None:
            self.notice_button.setText(f"Restore {service.percent(notice.from_percentage)}")
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self._selected() is not None)

    def _selected(self) -> int | None:
        items = self.tree.selectedItems()
        return int(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def restore_notice(self) -> asyncio.Task[None] | None:
        if not self.notices:
            return None
        return self._restore(self.notices[0].restore_event_id)

    def restore_selected(self) -> asyncio.Task[None] | None:
        event_id = self._selected()
        return None if event_id is None else self._restore(event_id)

    def _restore(self, event_id: int) -> asyncio.Task[None] | None:
        if self.book_id is None:
            return None
        return spawn(self._restore_and_show(self.book_id, event_id), self)

    async def _restore_and_show(self, book_id: int, event_id: int) -> None:
        await self._restore_later(book_id, event_id)
        if self.book_id == book_id:
            await self._load(book_id)
        self.restored.emit(book_id)


def attach_position_timeline(
    panel: BookPanel,
    after: QWidget,
    restore_later: Callable[[int, int], Awaitable[object]],
) -> PositionTimelineBox:
    """Mount the section under `after` in `panel`, following the book it shows."""
    box = PositionTimelineBox(restore_later)
    panel.add_section(box, after)
    panel.book_shown.connect(box.show_book)
    box.show_book(panel.book_id)
    return box
