"""Small book covers in the first column of the Hardcover page's rows (`cover_loader` does the
loading): the model asks for each painted row's cover, and rows are repainted once theirs is
loaded. Every row has the cover's height, so rows line up whatever their cover."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage

from bookorbit_desktop.ui.cover_loader import CoverFiles, CoverLoader
from bookorbit_desktop.ui.hardcover.rows_view import HardcoverRowsView
from bookorbit_desktop.ui.row_covers import centred_icon

ICON_SIZE = QSize(24, 36)
ROW_PADDING = 4


class ViewCovers(CoverLoader[QIcon]):
    """Covers on the rows of `view` that are books."""

    def __init__(self, view: HardcoverRowsView, files: CoverFiles, size: QSize = ICON_SIZE) -> None:
        super().__init__(view, files, size)
        self._table = view
        view.setIconSize(size)
        view.set_row_height(size.height() + ROW_PADDING)
        view.verticalScrollBar().valueChanged.connect(self.schedule)
        view.rows_model().rowsInserted.connect(self.schedule)  # a group opened
        view.rows_model().icon = self.cover

    def icon(self, book_id: int) -> QIcon:
        return self.cover(book_id)

    def wrap(self, image: QImage | None) -> QIcon:
        return centred_icon(image, self.size)

    def rows_in_view(self) -> list[tuple[int, int]]:
        """(row, book id) of the book rows on screen."""
        view, model = self._table, self._table.rows_model()
        first = view.rowAt(0)
        if first < 0:
            return []
        last = view.rowAt(view.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        rows = ((row, model.book_at(row)) for row in range(first, last + 1))
        return [(row, book_id) for row, book_id in rows if book_id is not None]

    def in_view(self) -> list[int]:
        return [book_id for _row, book_id in self.rows_in_view()]

    def show(self) -> None:
        model = self._table.rows_model()
        rows = [row for row, _book_id in self.rows_in_view()]
        if rows:
            model.dataChanged.emit(
                model.index(rows[0], 0),
                model.index(rows[-1], 0),
                [Qt.ItemDataRole.DecorationRole],
            )
