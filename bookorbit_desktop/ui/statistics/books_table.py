"""The Statistics page's book list: a table model sorted in Qt by each column's number.

Thousands of books stay quick: the view paints only the rows on screen, the model sorts its
own rows by each column's number in one Python sort (a sort proxy would ask the model for
tens of thousands of values one call at a time), and column widths come from the header texts
and the font, not from measuring every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from bookorbit_desktop.services.statistics.service import BookLine
from bookorbit_desktop.ui.statistics.text import day_text, duration_text
from bookorbit_desktop.ui.table_model import HeadedTable, Index
from bookorbit_desktop.ui.text import plain_tooltip

HEADERS = ("Book", "Time", "Pages", "Sessions", "Pace", "Last read", "Finish (estimate)")
# The widest text each figure column shows, for its width.
SAMPLES = (
    "",
    "888 h 88 min",
    "88888 / 88888",
    "88888",
    "888 pages/h",
    "28 Sep 2026",
    "28 Sep 2026",
)


def row_of(line: BookLine) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """What a book shows in each column, and what each column sorts by."""
    book = line.history
    title = line.label if book.book_id is not None else f"{line.label} (not linked)"
    finish = line.finish if line.reading else None
    shown = (
        title,
        duration_text(book.read_seconds),
        f"{book.pages_read} / {book.pages}" if book.pages else str(book.pages_read),
        str(book.sessions),
        "" if line.pace is None else f"{line.pace:.0f} pages/h",
        day_text(line.last_day),
        day_text(finish),
    )
    keys = (
        title.casefold(),
        book.read_seconds,
        book.pages_read,
        book.sessions,
        line.pace or 0.0,
        book.last_read or 0,
        finish.toordinal() if finish else 0,
    )
    return shown, keys


class BookTableModel(HeadedTable):
    headers = HEADERS

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        # (texts shown, sort keys, authors) per book, in the order shown
        self._rows: list[tuple[tuple[str, ...], tuple[Any, ...], str]] = []
        self._sort = (5, Qt.SortOrder.DescendingOrder)  # the latest read first

    def set_books(self, books: Sequence[BookLine]) -> None:
        self.beginResetModel()
        self._rows = [(*row_of(line), line.history.authors.replace("\n", ", ")) for line in books]
        self._sort_rows()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        column, order = self._sort
        self._rows.sort(
            key=lambda row: row[1][column], reverse=order == Qt.SortOrder.DescendingOrder
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        shown, _keys, authors = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return plain_tooltip(authors)
        return None


def books_view(model: BookTableModel) -> QTreeView:
    """A sortable list over `model`, the latest read first."""
    view = QTreeView()
    view.setAccessibleName("Books read")
    view.setModel(model)
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSortingEnabled(True)
    view.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    metrics = view.fontMetrics()
    for column, sample in enumerate(SAMPLES[1:], start=1):
        width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(HEADERS[column]))
        header.resizeSection(column, width + 24)
    return view
