"""The library as a grid of covers, beside the table (same books, filter, sort and selection).

Each cell shows the cover (the generated one for a book without its own), the title, the
authors and the reading status with the progress (text and a thin bar). Covers are loaded
only for the cells on screen, off the window's thread (`GridCovers`, the same loader as the
Hardcover page's rows); a cell shows the placeholder until its cover is in memory.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from bookorbit_desktop.ui.cover_loader import CoverFiles, CoverLoader, cover_placeholder
from bookorbit_desktop.ui.library.model import BOOK_ID_ROLE, COLUMN_KEYS, PROGRESS_ROLE
from bookorbit_desktop.ui.table_model import Index

COVER = QSize(120, 180)
CELL = QSize(150, 280)  # the cover, two lines of title, the authors, the status and the bar
_MARGIN = 6
_AUTHORS = COLUMN_KEYS.index("authors")
_STATUS = COLUMN_KEYS.index("status")
_PROGRESS = COLUMN_KEYS.index("progress")


def status_line(status: str, progress: str) -> str:
    """ "Reading · 35 % · p. 403 of 1152" (the status alone without progress)."""
    return f"{status} · {progress}" if progress else status


class GridCovers(CoverLoader[QPixmap]):
    """The covers of the grid's cells on screen."""

    def __init__(self, grid: CoverGrid, files: CoverFiles) -> None:
        super().__init__(grid, files, COVER)
        self._grid = grid
        grid.verticalScrollBar().valueChanged.connect(self.schedule)
        model = grid.model()
        model.modelReset.connect(self.schedule)
        model.layoutChanged.connect(self.schedule)

    def wrap(self, image: QImage | None) -> QPixmap:
        return cover_placeholder(self.size) if image is None else QPixmap.fromImage(image)

    def in_view(self) -> list[int]:
        return self._grid.books_in_view()

    def show(self) -> None:
        self._grid.viewport().update()


class GridDelegate(QStyledItemDelegate):
    def __init__(self, grid: CoverGrid) -> None:
        super().__init__(grid)
        self._grid = grid

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return CELL

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(rect, palette.highlight())
        pixmap = self._grid.cover(int(index.data(BOOK_ID_ROLE)))
        left = rect.left() + (rect.width() - pixmap.width()) // 2
        top = rect.top() + _MARGIN + COVER.height() - pixmap.height()  # covers share a baseline
        painter.drawPixmap(left, top, pixmap)
        text = palette.highlightedText() if selected else palette.text()
        painter.setPen(text.color())
        metrics = option.fontMetrics
        line = metrics.lineSpacing()
        y = rect.top() + _MARGIN + COVER.height() + 4
        inner = rect.width() - 2 * _MARGIN
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        title_box = QRect(rect.left() + _MARGIN, y, inner, 2 * line)
        elided = _two_lines(title, metrics, inner)
        painter.drawText(
            title_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, elided
        )
        model = index.model()
        authors = str(model.index(index.row(), _AUTHORS).data() or "")
        painter.drawText(
            QRect(rect.left() + _MARGIN, y + 2 * line, inner, line),
            Qt.AlignmentFlag.AlignHCenter,
            metrics.elidedText(authors, Qt.TextElideMode.ElideRight, inner),
        )
        y += line  # the status line and the bar below the authors
        status = status_line(
            str(model.index(index.row(), _STATUS).data() or ""),
            str(model.index(index.row(), _PROGRESS).data() or ""),
        )
        status_box = QRect(rect.left() + _MARGIN, y + 2 * line, inner, line)
        painter.setPen(text.color() if selected else palette.placeholderText().color())
        painter.drawText(
            status_box,
            Qt.AlignmentFlag.AlignHCenter,
            metrics.elidedText(status, Qt.TextElideMode.ElideRight, inner),
        )
        progress = float(index.data(PROGRESS_ROLE) or 0.0)
        if progress > 0:
            bar = QRect(rect.left() + _MARGIN, y + 3 * line + 3, inner, 3)
            colour = text.color() if selected else palette.highlight().color()
            faint = QColor(colour)
            faint.setAlpha(60)
            painter.fillRect(bar, faint)
            bar.setWidth(round(inner * min(progress, 1.0)))
            painter.fillRect(bar, colour)


def _two_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` wrapped on two lines at most, the second cut with … when it is longer."""
    words, first = text.split(), ""
    while words and metrics.horizontalAdvance(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one word longer than the line
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    rest = " ".join(words)
    if not rest:
        return first
    return first + "\n" + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)


class CoverGrid(QListView):
    """The books of `model` (the library table's) as cover cells, left to right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setGridSize(CELL)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # the table edits
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(CELL.height() // 4)
        self.setItemDelegate(GridDelegate(self))
        self.covers: GridCovers | None = None
        self._placeholder = cover_placeholder(COVER)

    def show_covers(self, files: CoverFiles) -> None:
        """Load covers with `files(book_ids)` (without it every cell shows the placeholder)."""
        self.covers = GridCovers(self, files)
        self.covers.schedule()

    def cover(self, book_id: int) -> QPixmap:
        return self._placeholder if self.covers is None else self.covers.cover(book_id)

    def books_in_view(self) -> list[int]:
        """The ids of the books whose cells are on screen (the grid's cells are all alike)."""
        model = self.model()
        count = model.rowCount()
        if count == 0 or not self.isVisible():
            return []
        columns = max(1, self.viewport().width() // CELL.width())
        top = self.verticalScrollBar().value()
        first = (top // CELL.height()) * columns
        last = ((top + self.viewport().height()) // CELL.height() + 1) * columns
        return [
            int(model.index(row, 0).data(BOOK_ID_ROLE)) for row in range(first, min(last, count))
        ]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.covers is not None:
            self.covers.schedule()
