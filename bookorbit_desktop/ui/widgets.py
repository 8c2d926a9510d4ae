"""Small widget recipes the pages share: book tables, flat lists, hints, error colour, the
folder chooser."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QTreeWidget,
    QWidget,
)

ERROR_COLOUR = "#b3261e"


def book_table(model: QAbstractItemModel) -> QTableView:
    """A sortable table of books, one selected row at a time, sorted by title to start."""
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(False)
    return table


def flat_list(headers: Sequence[str], *, fit_to_contents: bool = True) -> QTreeWidget:
    """A one-level, single-selection list with column headers.

    With `fit_to_contents` the first column takes the free width and the others fit their
    contents; otherwise the caller sizes the columns.
    """
    tree = QTreeWidget()
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(list(headers))
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if fit_to_contents:
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return tree


def empty_state(text: str) -> QLabel:
    """The centred grey hint shown instead of an empty list."""
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text); padding: 40px;")
    return label


def one_line(label: QLabel) -> QLabel:
    """Let `label` take the width it is given: a long text is cut, never widens the window."""
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def choose_folder(parent: QWidget, title: str, chosen: Callable[[str], object]) -> QFileDialog:
    """Open a folder chooser without a nested event loop; `chosen(path)` follows a choice."""
    chooser = QFileDialog(parent, title)
    chooser.setFileMode(QFileDialog.FileMode.Directory)
    chooser.setOption(QFileDialog.Option.ShowDirsOnly)
    chooser.fileSelected.connect(chosen)
    chooser.finished.connect(chooser.deleteLater)
    chooser.open()
    return chooser
