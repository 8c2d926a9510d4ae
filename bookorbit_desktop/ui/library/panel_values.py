"""The book panel's Custom columns section: each custom column that holds a value for the shown
book, under its heading ("Pages (#pages)" beside the library's own Pages), its value as plain
text (a name or value from a calibre library is never read as markup): a date as the library's
other dates (2024-05-31), a yes/no as Yes or No, a rating in stars as the book's own rating, a
tag-like column's values separated by commas, a long text that is HTML (calibre keeps its
comments columns so) as its words, as a plain description shows them. Without any, the
section is hidden.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from bookorbit_desktop.services.library.custom_columns import Column, readable
from bookorbit_desktop.services.library.records import BookDetails
from bookorbit_desktop.ui.library.custom_fields import BUILT_IN
from bookorbit_desktop.ui.text import plain_label


def value_text(column: Column, value: Any) -> str:
    """How the panel shows `column`'s stored `value`."""
    return readable(column, value)  # "Loved it", not "<p>Loved <i>it</i></p>"


class CustomValuesBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Custom columns", parent)
        self.rows = QFormLayout(self)
        self.hide()

    def show_book(self, book: BookDetails) -> None:
        while self.rows.rowCount():
            self.rows.removeRow(0)  # its labels deleted with it
        held = book.get("custom", [])
        for column, value in held:
            text = plain_label(value_text(column, value))
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.rows.addRow(plain_label(f"{column.heading(BUILT_IN)}:"), text)
        self.setVisible(bool(held))
