"""The library table's custom columns (`CustomColumns`): after the other columns, offered in
View ▸ Columns (hidden until chosen there, but one just added), read again after each change
and each Undo or Redo; and the Custom Columns dialog (View ▸ Columns ▸ Custom Columns…): the
columns listed with their kind and the label a search names them by, one added (a name, a
kind, a fixed list's values), the chosen one renamed or deleted (asked first). Each change is
one step of Edit ▸ Undo.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library import custom_columns as service
from bookorbit_desktop.services.library.custom_columns import Column
from bookorbit_desktop.ui.asyncqt import open_box
from bookorbit_desktop.ui.library.columns import ColumnsMenu
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, BookColumns
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.text import plain_label
from bookorbit_desktop.ui.widgets import error_label, push_button, wide_row

KIND_TEXTS = {
    "text": "Text",
    "long-text": "Long text",
    "number": "Number",
    "rating": "Rating (0 to 5 stars)",
    "date": "Date",
    "yes-no": "Yes/no",
    "list": "Fixed list",
    "tags": "Tag-like (several values)",
    "series": "Series (a name and a number)",
}


def column_text(column: Column) -> str:
    kind = KIND_TEXTS.get(column.kind_name, column.kind_name)
    choices = f": {', '.join(column.choices)}" if column.choices else ""
    return f"{column.name} — {kind}{choices} (#{column.label})"


class CustomColumnsDialog(QDialog):
    changed = Signal(object)  # the column added (a Column), or None after another change

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Custom Columns")
        self.question: QMessageBox | None = None
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName("Custom columns")
        self.list.currentItemChanged.connect(lambda *_items: self._chosen())
        layout.addWidget(self.list, 1)
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName("New name")
        self.new_name.setPlaceholderText("New name of the chosen column")
        self.rename_button = push_button("&Rename", self.rename)
        self.delete_button = push_button("&Delete…", self.ask_delete)
        layout.addLayout(wide_row(self.new_name, self.rename_button, self.delete_button))
        adding = QGroupBox("Add a column")
        form = QFormLayout(adding)
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        form.addRow("&Name:", self.name)
        self.kind = QComboBox()
        for name, text in KIND_TEXTS.items():
            self.kind.addItem(text, name)
        self.kind.currentIndexChanged.connect(lambda _index: self._kind_chosen())
        form.addRow("&Kind:", self.kind)
        self.values = QLineEdit()
        self.values.setPlaceholderText("The list's values, separated by commas")
        self.values.setAccessibleName("Values")
        values_label = plain_label("&Values:")  # a row of two widgets: the label names the field
        values_label.setBuddy(self.values)
        form.addRow(values_label, wide_row(self.values, push_button("&Add", self.add)))
        layout.addWidget(adding)
        self.error_label = error_label()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._kind_chosen()
        self.show_columns()
        self.resize(560, 420)

    def show_columns(self, chosen: int | None = None) -> None:
        self.list.clear()
        for column in service.columns():
            item = QListWidgetItem(column_text(column))
            item.setData(Qt.ItemDataRole.UserRole, column.id)
            self.list.addItem(item)
            if column.id == chosen:
                self.list.setCurrentItem(item)
        self._chosen()

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _chosen(self) -> None:
        for button in (self.rename_button, self.delete_button):
            button.setEnabled(self.chosen_id() is not None)

    def _kind_chosen(self) -> None:
        self.values.setEnabled(self.kind.currentData() == "list")

    def _run(self, change: Callable[[], Column], shown: bool = False) -> Column | None:
        """Make the change; a refusal is said in the dialog."""
        try:
            column = change()
        except BookOrbitError as error:
            self.error_label.setText(error.message)
            self.error_label.show()
            return None
        self.error_label.hide()
        self.changed.emit(column if shown else None)
        return column

    def add(self) -> None:
        choices = self.values.text().split(",") if self.values.isEnabled() else []
        kind = str(self.kind.currentData())
        column = self._run(lambda: service.add(self.name.text(), kind, choices), shown=True)
        if column is not None:
            self.name.clear()
            self.values.clear()
            self.show_columns(column.id)

    def rename(self) -> None:
        chosen = self.chosen_id()
        if chosen is None:
            return
        column = self._run(lambda: service.rename(chosen, self.new_name.text()))
        if column is not None:
            self.new_name.clear()
            self.show_columns(column.id)

    def ask_delete(self) -> None:
        item = self.list.currentItem()
        chosen = self.chosen_id()
        if item is None or chosen is None or self.question is not None:
            return
        box, delete = action_or_cancel(
            self,
            "Delete Column",
            f"Delete the column {item.text()} and every book's value in it?"
            " Edit ▸ Undo brings them back.",
            "&Delete",
            destructive=True,
        )
        box.finished.connect(lambda _result: self._answered(chosen, box.clickedButton() is delete))
        self.question = open_box(box)

    def _answered(self, column_id: int, delete: bool) -> None:
        self.question = None
        if delete and self._run(lambda: service.delete(column_id)) is not None:
            self.show_columns()


class CustomColumns:
    """The custom columns of a library view's table (of `model`) and its Columns menu; `fit`
    shares the table's width again."""

    def __init__(
        self, model: BookColumns, table: QTableView, menu: ColumnsMenu, fit: Callable[[], None]
    ) -> None:
        self._model, self._table, self._menu, self._fit = model, table, menu, fit
        self.dialog: CustomColumnsDialog | None = None
        self.on_changed: Callable[[], object] | None = None  # after the dialog changed one
        menu.manage_requested.connect(self.open_dialog)

    def indexes(self) -> list[int]:
        """The table's columns that are custom ones."""
        first = len(COLUMN_KEYS)
        return list(range(first, first + len(self._model.custom)))

    def show_columns(self, shown: int | None = None) -> None:
        """Read the columns again and show them (`shown`: a column's id to show); each keeps
        whether it was shown, a new one is hidden."""
        # By id: a column added later comes last, so the saved widths keep their columns.
        columns = tuple(sorted(service.columns(), key=lambda column: column.id))
        model, table = self._model, self._table
        if columns == model.custom and shown is None:
            return
        hidden = {
            c.key: table.isColumnHidden(i)
            for i, c in zip(self.indexes(), model.custom, strict=True)
        }
        model.set_custom(columns)
        self._menu.set_custom(list(model.custom_headings), len(COLUMN_KEYS))
        for index, column in zip(self.indexes(), columns, strict=True):
            table.setColumnHidden(index, column.id != shown and hidden.get(column.key, True))
        self._fit()

    def open_dialog(self) -> CustomColumnsDialog:
        self.dialog = CustomColumnsDialog(self._table.window())
        self.dialog.changed.connect(self._changed)
        self.dialog.open()
        return self.dialog

    def _changed(self, column: Column | None) -> None:
        self.show_columns(None if column is None else column.id)
        if self.on_changed is not None:
            self.on_changed()
