"""The books of one shelf as a table model, read in steps as the view scrolls.

A shelf of thousands of books is handed over whole (`set_rows`), but the view is told of 200
rows at a time (`canFetchMore`/`fetchMore`), so showing a big shelf costs what the first screen
costs.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt

from bookorbit_desktop.services.shelves.service import LIKELY, LINKED, MISSING, ShelfRow
from bookorbit_desktop.ui.table_model import HeadedTable, Index
from bookorbit_desktop.ui.text import plain_tooltip

HEADERS = ("Title", "Authors", "In the library", "Why", "On Hardcover")
STATE_WORDS = {LINKED: "In the library", LIKELY: "Likely — Link?", MISSING: "Missing"}
STEP = 200


class ShelfModel(HeadedTable):
    headers = HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ShelfRow] = []
        self._shown = 0

    def set_rows(self, rows: Sequence[ShelfRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._shown = min(STEP, len(self._rows))
        self.endResetModel()

    def all_rows(self) -> list[ShelfRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ShelfRow | None:
        return self._rows[row] if 0 <= row < self._shown else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = min(STEP, len(self._rows) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                row.title,
                ", ".join(row.authors),
                STATE_WORDS[row.state],
                row.reason,
                row.status or "not on your profile (on a list)",
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.reason)
        return None
