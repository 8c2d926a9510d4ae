"""The Shelves page: the user's Hardcover shelves on the left (with counts), the selected
shelf's books on the right, each in the library, likely in it or missing.

Everything is read off the window's thread through the services' coroutines (`ShelvesAccess`);
a reply for a shelf no longer selected is dropped. The buttons act on the selected book: Go to
Book (a copy in the library), Link (a likely copy: the user's word links it, and the reason
shown becomes the link's), Open on Hardcover (its page). Enter does what fits the book: go to
it, or open its Hardcover page; a likely copy is linked only by the Link button.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.shelves import service
from bookorbit_desktop.services.shelves.service import LIKELY, LINKED, Shelf, ShelfRow
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.shelves.model import ShelfModel
from bookorbit_desktop.ui.text import plain_tooltip
from bookorbit_desktop.ui.widgets import OrEmpty, bare, button_row, push_button, wrapped_label

NO_SHELVES = (
    "No shelves yet.\n\nYour Want to Read, Currently Reading and lists come from Hardcover with "
    "the next sync (connect Hardcover on the Hardcover page, then Sync Now)."
)
EMPTY_SHELF = "This shelf is empty. Books you put on it on hardcover.app show here after a sync."
KEY_ROLE = 0x0100 + 1  # Qt.UserRole + 1


@dataclass(frozen=True)
class ShelvesAccess:
    """What the page reads and does, as coroutines run off the window's thread."""

    overview: Callable[[str | None], Awaitable[tuple[list[Shelf], str | None, list[ShelfRow]]]] = (
        service.overview_async
    )
    rows: Callable[[str], Awaitable[list[ShelfRow]]] = service.shelf_rows_async
    link: Callable[[int, int, str], Awaitable[str]] = service.link_async


def shelf_label(shelf: Shelf) -> str:
    books = "1 book" if shelf.entries == 1 else f"{shelf.entries:,} books"
    return f"{shelf.name} ({books}, {shelf.in_library:,} in the library)"


def counts_text(rows: list[ShelfRow]) -> str:
    linked = sum(r.state == LINKED for r in rows)
    likely = sum(r.state == LIKELY for r in rows)
    missing = len(rows) - linked - likely
    books = "1 book" if len(rows) == 1 else f"{len(rows):,} books"
    return f"{books}: {linked:,} in the library, {likely:,} likely, {missing:,} missing"


class ShelvesPage(QWidget):
    go_to_book = Signal(int)
    message = Signal(str)
    changed = Signal()  # a link was made: the library's views read again

    def __init__(self, access: ShelvesAccess | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.access = access or ShelvesAccess()
        self._wanted: str | None = None
        self.shelf_list = QListWidget()
        self.shelf_list.setAccessibleName("Your Hardcover shelves")
        self.shelf_list.currentItemChanged.connect(lambda *_: self._shelf_chosen())
        self.model = ShelfModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Books on the shelf")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # "Why" (the reason to press Link) takes the room; the short columns fit their words.
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for column, mode in ((2, fit), (3, stretch), (4, fit)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(0, 240)
        header.resizeSection(1, 160)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.activated.connect(lambda *_: self.activate_selected())
        self.counts = QLabel()
        self.counts.setAccessibleName("Books on the shelf, counted")
        self.go_button = push_button("&Go to Book", self.go_selected)
        self.link_button = push_button(
            "&Link", self.link_selected, tip="Link this library book to the Hardcover book"
        )
        self.open_button = push_button("Open on &Hardcover", self.open_selected)
        self._books_stack = OrEmpty(self.table, EMPTY_SHELF)
        self.empty_shelf = self._books_stack.empty_label
        books, right = bare(QVBoxLayout)
        right.addWidget(self.counts)
        right.addLayout(self._books_stack, 1)
        right.addLayout(button_row(self.go_button, self.link_button, self.open_button))
        splitter = QSplitter()
        splitter.addWidget(self.shelf_list)
        splitter.addWidget(books)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 960])  # wide enough for "Currently Reading (N books, …)"
        shown, inner = bare(QVBoxLayout)
        inner.addWidget(
            wrapped_label(
                "Your shelves on Hardcover. A book in the library opens with Go to Book; a "
                "likely copy is linked with Link once you agree; a missing one opens on Hardcover."
            )
        )
        inner.addWidget(splitter, 1)
        self._stack = OrEmpty(shown, NO_SHELVES)
        self.no_shelves = self._stack.empty_label
        layout = QHBoxLayout(self)
        layout.addLayout(self._stack)
        self._stack.show_empty(True)
        self._update_buttons()

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> asyncio.Task[None] | None:
        """Read the shelves again (and the selected shelf's books) on the running loop; None
        when the loop is not running (its reads need it: `reload` is the coroutine)."""
        if not asyncio.get_event_loop().is_running():
            return None
        return spawn(self.reload(), self)

    async def reload(self) -> None:
        current = self.current_key()
        self._wanted = current
        found, chosen, rows = await self.access.overview(current)
        if self._wanted != current:
            return  # another shelf was chosen meanwhile: its own read shows it
        self.shelf_list.blockSignals(True)
        self.shelf_list.clear()
        for shelf in found:
            item = QListWidgetItem(shelf_label(shelf))
            item.setToolTip(plain_tooltip(shelf_label(shelf)))  # in full, however narrow the list
            item.setData(KEY_ROLE, shelf.key)
            self.shelf_list.addItem(item)
        if chosen is not None:
            self.shelf_list.setCurrentRow([s.key for s in found].index(chosen))
        self.shelf_list.blockSignals(False)
        anything = any(s.entries for s in found) or any(s.kind == "list" for s in found)
        self._stack.show_empty(not anything)
        self._show_rows(rows)

    def current_key(self) -> str | None:
        item = self.shelf_list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def _shelf_chosen(self) -> None:
        key = self.current_key()
        if key is not None and asyncio.get_event_loop().is_running():
            spawn(self._load_rows(key), self)

    async def _load_rows(self, key: str | None) -> None:
        if key is None:
            return
        self._wanted = key
        rows = await self.access.rows(key)
        if self._wanted != key:
            return  # another shelf was chosen meanwhile
        self._show_rows(rows)

    def _show_rows(self, rows: list[ShelfRow]) -> None:
        selected = self.selected_row()
        self.model.set_rows(rows)
        self.counts.setText(counts_text(rows))
        self._books_stack.show_empty(not rows)
        if rows:
            again = next(
                (
                    n
                    for n, r in enumerate(rows[: self.model.rowCount()])
                    if selected and r.hc_book_id == selected.hc_book_id
                ),
                0,
            )
            self.table.selectionModel().setCurrentIndex(
                self.model.index(again, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_buttons()

    # -- acting -------------------------------------------------------------------------------

    def selected_row(self) -> ShelfRow | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.model.row_at(chosen[0].row()) if chosen else None

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.go_button.setEnabled(row is not None and row.state == LINKED)
        self.link_button.setEnabled(row is not None and row.state == LIKELY)
        self.open_button.setEnabled(row is not None and row.url is not None)

    def go_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.state == LINKED and row.book_id is not None:
            self.go_to_book.emit(row.book_id)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.url:
            QDesktopServices.openUrl(QUrl(row.url))

    def activate_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.state == LINKED:
            self.go_selected()
        elif row.state != LIKELY:
            self.open_selected()

    def link_selected(self) -> asyncio.Task[None] | None:
        row = self.selected_row()
        if row is None or row.state != LIKELY or row.book_id is None:
            return None
        self.link_button.setEnabled(False)
        return spawn(self._link(row), self)

    async def _link(self, row: ShelfRow) -> None:
        reason = row.reason.split(": ", 1)[-1]
        assert row.book_id is not None
        try:
            said = await self.access.link(row.book_id, row.hc_book_id, reason)
        finally:
            self._update_buttons()
        self.message.emit(said)
        self.changed.emit()
        await self.reload()
