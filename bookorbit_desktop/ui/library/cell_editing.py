"""Editing the library table's cells in place: F2 edits the current cell of Title, Authors,
Series, Tags, Rating, Publisher or Pages, and so does a double-click when Settings ▸ Library
says so (otherwise a double-click opens the book, as on any other column).

The editor opens with the value as the Edit dialog shows it ("Discworld #12" for a series,
authors separated by "&", tags by commas; the rating from a list) and saves through the
dialog's own edit (`services.library.cell_edits`), off the window's thread: the same checks, one
step of Edit ▸ Undo. Enter or leaving the cell saves, Esc leaves it as it was; a wrong value is
shown in a message and nothing is saved.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from bookorbit_desktop.services.library.cell_edits import (
    EDITABLE,
    CellEditService,
    double_click_edits,
)
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.model import BOOK_ID_ROLE, COLUMN_KEYS, COLUMNS
from bookorbit_desktop.ui.table_model import Index

_BOOK, _FIELD, _FILLED = "book_id", "field", "filled"  # an editor's properties
# The rating's choices, as the bulk edit's: none, then 5 ★ down in half steps.
RATINGS = [("No rating", "")] + [(f"{n / 2:g} ★", f"{n / 2:g}") for n in range(10, 0, -1)]


class CellDelegate(QStyledItemDelegate):
    def __init__(
        self,
        service: CellEditService,
        on_saved: Callable[[int], None],
        table: QTableView,
    ) -> None:
        super().__init__(table)
        self.service, self.on_saved, self.table = service, on_saved, table
        self.saving: asyncio.Task[None] | None = None  # the last save, while it runs and after

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor: QWidget
        if COLUMN_KEYS[index.column()] == "rating":
            editor = QComboBox(parent)
            editor.setAccessibleName("Rating")
            for text, value in RATINGS:
                editor.addItem(text, value)
        else:
            editor = QLineEdit(parent)
            editor.setAccessibleName(dict(COLUMNS)[COLUMN_KEYS[index.column()]])
        # The book and field it edits are kept with it: a reload under it may move the row.
        editor.setProperty(_BOOK, int(index.data(BOOK_ID_ROLE)))
        editor.setProperty(_FIELD, COLUMN_KEYS[index.column()])
        return editor

    def setEditorData(self, editor: QWidget, _index: Index) -> None:
        """The value as stored, once: a repaint of the row leaves what is being typed."""
        if editor.property(_FILLED):
            return
        editor.setProperty(_FILLED, True)
        text = self.service.text(int(editor.property(_BOOK)), str(editor.property(_FIELD)))
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(text)))
        elif isinstance(editor, QLineEdit):
            editor.setText(text)

    def setModelData(self, editor: QWidget, _model: QAbstractItemModel, _index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentData()
        elif isinstance(editor, QLineEdit):
            text = editor.text()
        else:
            return
        book_id, key = int(editor.property(_BOOK)), str(editor.property(_FIELD))
        self.saving = spawn(self._save(book_id, key, str(text)), self.table.window())

    async def _save(self, book_id: int, key: str, text: str) -> None:
        """Save off the window's thread; a wrong value is shown in a message (by `spawn`)."""
        if await self.service.save_async(book_id, key, text):
            self.on_saved(book_id)


class CellEditing(QObject):
    """Mounts in-place editing on the library table; `on_saved(book_id)` after each save."""

    def __init__(
        self, service: CellEditService, table: QTableView, on_saved: Callable[[int], None]
    ) -> None:
        super().__init__(table)
        self.table = table
        self.delegate = CellDelegate(service, on_saved, table)
        for key in EDITABLE:
            table.setItemDelegateForColumn(COLUMN_KEYS.index(key), self.delegate)
        table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)  # F2
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A double-click on an editable cell edits it when the user chose so."""
        if event.type() != QEvent.Type.MouseButtonDblClick or not isinstance(event, QMouseEvent):
            return False
        index = self.table.indexAt(event.position().toPoint())
        if not index.isValid() or COLUMN_KEYS[index.column()] not in EDITABLE:
            return False
        if not double_click_edits():
            return False
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        return True  # not the double-click that opens the book
