"""Small book covers in the first column of a list's rows (`cover_loader` does the loading)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from bookorbit_desktop.ui.cover_loader import CoverFiles, CoverLoader, cover_placeholder

__all__ = ["ICON_SIZE", "CoverFiles", "RowCovers"]

ICON_SIZE = QSize(24, 36)
_ROLE = Qt.ItemDataRole.UserRole


class RowCovers(CoverLoader[QIcon]):
    """Covers in the first column of `tree`'s rows that carry a book id (`UserRole`)."""

    def __init__(self, tree: QTreeWidget, files: CoverFiles, size: QSize = ICON_SIZE) -> None:
        super().__init__(tree, files, size)
        self._tree = tree
        tree.setIconSize(size)
        tree.verticalScrollBar().valueChanged.connect(self.schedule)
        tree.itemExpanded.connect(self.schedule)

    def icon(self, book_id: int) -> QIcon:
        """The cover in memory, else the placeholder (a row being made shows it at once)."""
        return self.cover(book_id)

    def wrap(self, image: QImage | None) -> QIcon:
        return centred_icon(image, self.size)

    def rows_in_view(self) -> list[tuple[int, QTreeWidgetItem]]:
        tree = self._tree
        bottom = tree.viewport().height()
        item = tree.itemAt(QPoint(1, 1))
        rows = []
        while item is not None and tree.visualItemRect(item).top() < bottom:
            book_id = item.data(0, _ROLE)
            if book_id is not None:
                rows.append((int(book_id), item))
            item = tree.itemBelow(item)
        return rows

    def in_view(self) -> list[int]:
        return [book_id for book_id, _item in self.rows_in_view()]

    def show(self) -> None:
        for book_id, item in self.rows_in_view():
            item.setIcon(0, self.icon(book_id))


def centred_icon(image: QImage | None, size: QSize) -> QIcon:
    """A row's cover icon: the image centred on a canvas of the icon's size, so a wide cover
    (a comic's double page) makes no shorter row than a tall one; the placeholder without one."""
    if image is None:
        return QIcon(cover_placeholder(size))
    canvas = QPixmap(size)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.drawImage(
        (size.width() - image.width()) // 2, (size.height() - image.height()) // 2, image
    )
    painter.end()
    return QIcon(canvas)
