"""The part every flat table model of the window shares: its columns are a fixed list of
headers, named in the horizontal header."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class HeadedTable(QAbstractTableModel):
    """A table model (no rows below rows) whose columns are `headers`; a subclass gives the
    rows (`rowCount`, `data`)."""

    headers: ClassVar[tuple[str, ...]] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None
