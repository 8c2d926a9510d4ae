"""A small dialog to choose one book of the library (used to link a KOReader document)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.library.records import BookRow
from bookorbit_desktop.ui.library.model import BOOK_ID_ROLE, COLUMN_KEYS, LibraryModel
from bookorbit_desktop.ui.widgets import book_table, wrapped_label

_SHOWN_COLUMNS = ("title", "authors", "series", "format")
_WIDTHS = {"authors": 180, "series": 160, "format": 70}
UNTITLED = "untitled book"


class BookChooser(QDialog):
    def __init__(
        self,
        books: Sequence[BookRow],
        *,
        title: str,
        prompt: str,
        accept_text: str = "Choose",
        initial_filter: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 480)
        self.model = LibraryModel(self)
        self.model.set_books(books)
        label = wrapped_label(prompt)
        # The prompt quotes what a device sent (a title, its own name): never drawn as HTML.
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt_label = label
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by title, author or series")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.model.set_filter)
        self.table = book_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, key in enumerate(COLUMN_KEYS):
            self.table.setColumnHidden(column, key not in _SHOWN_COLUMNS)
            if column and key in _SHOWN_COLUMNS:
                self.table.setColumnWidth(column, _WIDTHS[key])
        self.table.doubleClicked.connect(self._double_clicked)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(accept_text)
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.filter_edit.setText(initial_filter)
        if self.model.rowCount() == 0 and initial_filter:
            self.filter_edit.clear()  # a guess that finds nothing is worse than the full list
        if self.model.rowCount() == 1:
            self.table.selectRow(0)
        self.filter_edit.setFocus()

    @property
    def chosen_book_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(BOOK_ID_ROLE) if rows else None

    def select_book(self, book_id: int) -> bool:
        """Select `book_id` (a proposal) when it is listed; False when it is not."""
        row = self.model.row_of(book_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def title_of(self, book_id: int) -> str:
        """The book's title, for messages ("untitled book" when it has none or is not
        listed: the id is no name for the user)."""
        row = self.model.row_of(book_id)
        title = self.model.book_at(row).title if row is not None else ""
        return title or UNTITLED

    def _selection_changed(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.chosen_book_id is not None)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.accept()
