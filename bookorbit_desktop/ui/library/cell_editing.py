"""Editing the library table's cells in place: F2 edits the current cell of Title, Authors,
Series, Tags, Rating, Publisher, Pages or a custom column (its editor by its kind:
`cell_editors`), and so does a double-click when Settings ▸ Library says so (otherwise a
double-click opens the book, as on any other column).

The editor opens with the value as the Edit dialog shows it ("Discworld #12" for a series,
authors separated by "&", tags by commas; the rating from a list) and saves through the
dialog's own edit (`services.library.cell_edits`), off the window's thread: the same checks, one
step of Edit ▸ Undo. Enter or leaving the cell saves, Esc leaves it as it was; a wrong value is
shown in a message and nothing is saved.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from bookorbit_desktop.descriptions import is_html
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.services.library.cell_edits import CellEditService, double_click_edits
from bookorbit_desktop.ui.asyncqt import show_error, spawn
from bookorbit_desktop.ui.library import cell_editors
from bookorbit_desktop.ui.library.custom_fields import BUILT_IN
from bookorbit_desktop.ui.library.model import BOOK_ID_ROLE, COLUMNS, BookColumns
from bookorbit_desktop.ui.table_model import Index

_BOOK, _FIELD, _FILLED = "book_id", "field", "filled"  # an editor's properties


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
        self.retyped: tuple[int, str, str] | None = None  # a refused value: book, field, text

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, index: Index) -> QWidget:
        key = _key(index)
        column = self.service.custom_column(key)
        editor: QWidget
        stored: str | None = None  # the value, when it was read to choose the editor
        if column is not None:
            completed = column.kind_name in ("tags", "series")
            known = self.service.known_values(column) if completed else ()
            if column.kind_name == "long-text":  # calibre's comments (HTML): edited formatted
                stored = self.service.text(int(index.data(BOOK_ID_ROLE)), key)
            html = stored is not None and is_html(stored)
            editor = cell_editors.editor(column, column.heading(BUILT_IN), known, parent, html)
        elif key == "rating":
            editor = cell_editors.rating_editor("Rating", parent)
        else:
            editor = QLineEdit(parent)
            editor.setAccessibleName(dict(COLUMNS)[key])
        # The book and field it edits are kept with it: a reload under it may move the row.
        editor.setProperty(_BOOK, int(index.data(BOOK_ID_ROLE)))
        editor.setProperty(_FIELD, key)
        if stored is not None:  # filled now: not read a second time (`setEditorData`)
            cell_editors.set_text(editor, stored)
            editor.setProperty(_FILLED, True)
        return editor

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """A date's editor as wide as its calendar and No Date need, a long text's lines over
        the rows below its cell; either moved back into the table where it would overflow."""
        super().updateEditorGeometry(editor, option, index)
        if isinstance(editor, QPlainTextEdit | cell_editors.RichLines):
            lines = editor.fontMetrics().lineSpacing() * cell_editors.LONG_TEXT_LINES
            editor.resize(max(editor.width(), 320), lines + 2 * editor.frameWidth() + 8)
        elif isinstance(editor, cell_editors.DateField):
            editor.resize(max(editor.width(), editor.sizeHint().width()), editor.height())
        else:
            return
        viewport = self.table.viewport()
        editor.move(
            max(0, min(editor.x(), viewport.width() - editor.width())),
            max(0, min(editor.y(), viewport.height() - editor.height())),
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter saves a long text (Enter starts a new line in it)."""
        if (
            isinstance(watched, QPlainTextEdit | cell_editors.RichLines)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(watched, event)

    def setEditorData(self, editor: QWidget, _index: Index) -> None:
        """The value as stored, once: a repaint of the row leaves what is being typed."""
        if editor.property(_FILLED):
            return
        editor.setProperty(_FILLED, True)
        book_id, key = int(editor.property(_BOOK)), str(editor.property(_FIELD))
        if self.retyped is not None and self.retyped[:2] == (book_id, key):
            text, self.retyped = self.retyped[2], None  # what was typed, refused: kept
        else:
            text = self.service.text(book_id, key)
        cell_editors.set_text(editor, text)

    def setModelData(self, editor: QWidget, _model: QAbstractItemModel, index: Index) -> None:
        text = cell_editors.text_of(editor)
        if text is None:
            return
        book_id, key = int(editor.property(_BOOK)), str(editor.property(_FIELD))
        cell = QPersistentModelIndex(index)  # the cell, while the rows stay as they are
        self.saving = spawn(self._save(cell, book_id, key, text), self.table.window())

    async def _save(self, cell: QPersistentModelIndex, book_id: int, key: str, text: str) -> None:
        """Save off the window's thread. A wrong value is said in a message; once it is closed,
        the cell's editor opens again with what was typed. (Another error: `spawn` says it.)"""
        try:
            saved = await self.service.save_async(book_id, key, text)
        except InvalidValueError as error:
            box = show_error(self.table.window(), error)
            box.finished.connect(lambda _result: self._edit_again(cell, book_id, key, text))
            return
        if saved:
            self.on_saved(book_id)

    def _edit_again(self, cell: QPersistentModelIndex, book_id: int, key: str, text: str) -> None:
        """`cell` edited again from `text`, if it still shows the book's `key`."""
        if not cell.isValid():
            return  # the rows were read again meanwhile
        index = cell.model().index(cell.row(), cell.column())
        if index.data(BOOK_ID_ROLE) != book_id or _key(index) != key:
            return
        self.retyped = (book_id, key, text)
        self.table.setCurrentIndex(index)
        self.table.edit(index)


class CellEditing(QObject):
    """Mounts in-place editing on the library table; `on_saved(book_id)` after each save."""

    def __init__(
        self, service: CellEditService, table: QTableView, on_saved: Callable[[int], None]
    ) -> None:
        super().__init__(table)
        self.table = table
        self.delegate = CellDelegate(service, on_saved, table)
        # Every column's cells but those drawn their own way (Progress): the model says which
        # can be edited, the custom columns among them whenever they come.
        table.setItemDelegate(self.delegate)
        table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)  # F2
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A double-click on an editable cell edits it when the user chose so."""
        if event.type() != QEvent.Type.MouseButtonDblClick or not isinstance(event, QMouseEvent):
            return False
        index = self.table.indexAt(event.position().toPoint())
        if not index.isValid() or not index.flags() & Qt.ItemFlag.ItemIsEditable:
            return False
        if not double_click_edits():
            return False
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        return True  # not the double-click that opens the book


def _key(index: Index) -> str:
    """The field of the cell: a `model.COLUMN_KEYS` one, or a custom column's (`custom:<id>`)."""
    model = index.model()
    assert isinstance(model, BookColumns)  # the table shows the library's columns
    return model.column_key(index.column())
