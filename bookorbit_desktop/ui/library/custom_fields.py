"""The Edit dialog's Custom Columns section: a field per custom column, as its kind is typed (a
fixed list and a yes/no chosen from their values, the others typed: a tag-like column's values
separated by commas), in a box that scrolls past a few rows so the dialog keeps its size.

A value is saved only when changed (where several books differ, only when something is chosen
or typed); the library checks it by the column's kind when the dialog saves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QScrollArea, QWidget

from bookorbit_desktop.services.library.custom_columns import Column
from bookorbit_desktop.services.library.edits import EditForm
from bookorbit_desktop.ui.library.model import COLUMNS
from bookorbit_desktop.ui.text import plain_label, without_shortcuts

BUILT_IN = [title for _key, title in COLUMNS]  # the library's own fields' names

MAX_HEIGHT = 150  # the rows shown before the box scrolls
_HINTS = {
    "number": "A number, such as 3.5",
    "rating": "0 to 5 stars, such as 4.5",
    "date": "A date, such as 2024-05-31",
    "tags": "Separate several values with commas",
}


def _field(column: Column, text: str, mixed: bool) -> QLineEdit | QComboBox:
    if column.kind_name in ("list", "yes-no"):
        box = QComboBox()
        choices = column.choices if column.kind_name == "list" else ("yes", "no")
        box.addItems(["", *choices])
        if box.findText(text) < 0:  # a value from before the list had it: kept as it is
            box.addItem(text)
        box.setCurrentIndex(box.findText(text))
        if mixed:
            box.setPlaceholderText("(several values)")
        return box
    line = QLineEdit(text)
    line.setPlaceholderText("(several values)" if mixed else _HINTS.get(column.kind_name, ""))
    return line


def _text(field: QLineEdit | QComboBox) -> str:
    return field.text() if isinstance(field, QLineEdit) else field.currentText()


class CustomFields:
    """The section's fields, by the columns' field names (`Column.key`)."""

    def __init__(self, form: EditForm, edited: Callable[[], None]) -> None:
        self._form = form
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        inner = QWidget()
        rows = QFormLayout(inner)
        for column in form.custom:
            field = _field(column, form.texts.get(column.key, ""), column.key in form.mixed)
            field.setAccessibleName(column.name)
            if isinstance(field, QLineEdit):
                field.textEdited.connect(lambda _text: edited())
            else:
                field.activated.connect(lambda _index: edited())
            # a column's name may come from a calibre library: shown as typed, never as markup
            label = plain_label(without_shortcuts(f"{column.heading(BUILT_IN)}:"))
            label.setBuddy(field)
            rows.addRow(label, field)
            self.fields[column.key] = field
        self.box = QScrollArea()
        self.box.setWidget(inner)
        self.box.setWidgetResizable(True)
        self.box.setMaximumHeight(MAX_HEIGHT)
        self.box.setAccessibleName("Custom columns")

    def add_to(self, layout: QFormLayout) -> None:
        """The section as a row of `layout` (nothing without a custom column)."""
        if self.fields:
            layout.addRow("C&ustom columns:", self.box)
            label = layout.labelForField(self.box)
            if label is not None and hasattr(label, "setBuddy"):
                label.setBuddy(next(iter(self.fields.values())))

    def changed(self) -> dict[str, str]:
        """The values changed, as typed, by field name."""
        opened = self._form.texts
        return {
            key: _text(field)
            for key, field in self.fields.items()
            if _text(field) != opened.get(key, "")
        }
