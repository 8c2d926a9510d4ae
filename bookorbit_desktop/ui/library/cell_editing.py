"""Editing the library table's cells in place: F2 edits the current cell of Title, Authors,
Series, Tags, Rating, Publisher or Pages, and so does a double-click when Settings ▸ Library
says so (otherwise a double-click opens the book, as on any other column).

The editor opens with the value as the Edit dialog shows it ("Discworld #12" for a series,
authors separated by "&", tags by commas; the rating from a list) and saves through the
dialog's own edit (`services.library.cell_edits`): the same checks, one step of Edit ▸ Undo.
Enter or leaving the cell saves, Esc leaves it as it was; a wrong value is shown in a message
and nothing is saved.
"""

from __future__ import annotations

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

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.cell_edits import (
    EDITABLE,
    CellEditService,
    double_click_edits,
)
from bookorbit_desktop.ui.asyncqt import show_error
from bookorbit_desktop.ui.library.model import BOOK_ID_ROLE, COLUMN_KEYS, COLUMNS
from bookorbit_desktop.ui.table_model import Index

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
        self.error: BookOrbitError | None = None  # the last save's, while its message shows

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, index: Index) -> QWidget:
        if COLUMN_KEYS[index.column()] == "rating":
            combo = QComboBox(parent)
            combo.setAccessibleName("Rating")
            for text, value in RATINGS:
                combo.addItem(text, value)
            return combo
        line = QLineEdit(parent)
        line.setAccessibleName(dict(COLUMNS)[COLUMN_KEYS[index.column()]])
        return line

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = self.service.text(int(index.data(BOOK_ID_ROLE)), COLUMN_KEYS[index.column()])
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(text)))
        elif isinstance(editor, QLineEdit):
            editor.setText(text)

    def setModelData(self, editor: QWidget, _model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentData()
        elif isinstance(editor, QLineEdit):
            text = editor.text()
        else:
            return
        book_id = int(index.data(BOOK_ID_ROLE))
        try:
            saved = self.service.save(book_id, COLUMN_KEYS[index.column()], str(text))
        except BookOrbitError as error:
            self.error = error
            show_error(self.table.window(), error)
            return
        self.error = None
        if saved:
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
