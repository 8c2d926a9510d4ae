"""The Hardcover page's list widget: a table of the rows `HardcoverRowsModel` holds, that
looks and answers as the tree it replaces did. A group's heading shows an arrow and opens or
closes with a click, Enter, Space or the arrow keys; the books under it are indented; every
row has the height of a cover, so rows line up whatever is in them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from bookorbit_desktop.services.library.service import STATUS_LABELS
from bookorbit_desktop.ui.hardcover.dashboard import LABELS
from bookorbit_desktop.ui.hardcover.rows_model import CHILD_ROLE, HEADERS, HardcoverRowsModel
from bookorbit_desktop.ui.table_model import Index
from bookorbit_desktop.ui.widgets import CELL_PADDING

INDENT = 20  # a group's books, under its heading


class _Indent(QStyledItemDelegate):
    """The first column of a group's books moved right; a heading gets its open/closed arrow."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.column() != 0:
            super().paint(painter, option, index)
            return
        model = index.model()
        if isinstance(model, HardcoverRowsModel) and model.heading_at(index.row()) is not None:
            arrow = QStyleOptionViewItem(option)
            arrow.rect = option.rect.adjusted(0, 0, INDENT - option.rect.width(), 0)
            arrow.state |= QStyle.StateFlag.State_Children
            if model.is_open(index.row()):
                arrow.state |= QStyle.StateFlag.State_Open
            style = option.widget.style() if option.widget is not None else None
            if style is not None:
                style.drawPrimitive(
                    QStyle.PrimitiveElement.PE_IndicatorBranch, arrow, painter, option.widget
                )
            moved = QStyleOptionViewItem(option)
            moved.rect = option.rect.adjusted(INDENT, 0, 0, 0)
            super().paint(painter, moved, index)
            return
        if index.data(CHILD_ROLE):
            moved = QStyleOptionViewItem(option)
            moved.rect = option.rect.adjusted(INDENT, 0, 0, 0)
            super().paint(painter, moved, index)
            return
        super().paint(painter, option, index)


class HardcoverRowsView(QTableView):
    def __init__(self, model: HardcoverRowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(_Indent(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list; the arrow keys move inside it
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = self.fontMetrics()  # Reading and Sync as wide as their usual texts
        reading = max(metrics.horizontalAdvance(f"{s} · 100 %") for s in STATUS_LABELS.values())
        sync = max(metrics.horizontalAdvance(label) for label in LABELS.values())
        for column, width in enumerate((260, 180, reading + CELL_PADDING, sync + CELL_PADDING)):
            self.setColumnWidth(column, width)
        self.clicked.connect(self._toggle)

    def rows_model(self) -> HardcoverRowsModel:
        model = self.model()
        assert isinstance(model, HardcoverRowsModel)
        return model

    def show_order(self, descending: bool) -> None:
        """The title's header shows which way the list runs."""
        header = self.horizontalHeader()
        header.setSortIndicatorShown(True)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(0, order)

    def set_row_height(self, height: int) -> None:
        self.verticalHeader().setDefaultSectionSize(height)

    def _toggle(self, index: QModelIndex) -> None:
        model = self.rows_model()
        if model.heading_at(index.row()) is not None:
            model.set_open(index.row(), not model.is_open(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model, index = self.rows_model(), self.currentIndex()
        row = index.row() if index.isValid() else -1
        key = event.key()
        if model.heading_at(row) is not None:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                model.set_open(row, not model.is_open(row))
                return
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                model.set_open(row, key == Qt.Key.Key_Right)
                return
        super().keyPressEvent(event)


__all__ = ["HEADERS", "HardcoverRowsView"]
