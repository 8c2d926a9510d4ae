"""The library table's Qt model for any size of library: it shows every book but holds only the
few hundred on screen.

SQLite sorts and filters (`services.table_window.ordered_ids`): the model keeps the resulting
ids (8 bytes a book), so its row count, the book of any row and the row of any book are known
at once, and reads the books themselves a page at a time as the view asks for rows, keeping the
last few pages. Sorting, filtering and a refresh cost one query, the same at 1,000 books and at
250,000 plus the rows painted. A change to some books (`follow`) repaints their rows when they
keep their place in the order and the filters; otherwise the order is read again as a layout
change, so the selection and the scroll position stay.
"""

from __future__ import annotations

from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bookorbit_desktop.services import table_window
from bookorbit_desktop.services.library_rows import TableBook
from bookorbit_desktop.ui.library.model import (
    BOOK_ID_ROLE,
    COLUMN_KEYS,
    COLUMNS,
    PROGRESS_ROLE,
    display,
    filter_terms,
)

Index = QModelIndex | QPersistentModelIndex
PAGE_ROWS = 200  # books read at once
KEPT_PAGES = 4  # pages kept around the rows on screen

Reader = Callable[[Sequence[int]], list[TableBook]]


class LazyLibraryModel(QAbstractTableModel):
    """Books as rows, `COLUMNS` as columns; `set_filter`/`set_status_filter`/`sort` reorder.
    Empty until `set_reader` says how to read books."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._read: Reader | None = None
        self._ids: array[int] = array("q")  # the books shown, in order
        self._pages: OrderedDict[int, dict[int, TableBook]] = OrderedDict()  # by page number
        self._terms: tuple[str, ...] = ()
        self._status: str | None = None
        self._counts: Counter[str] | None = Counter()  # None: to be counted again
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in ----------------------------------------------------------------------------

    def set_reader(self, read: Reader) -> None:
        """Read books with `read(ids)` from now on (`refresh` shows them)."""
        self._read = read

    def refresh(self) -> None:
        """Read the order and the counts again (F5, an import): a reset."""
        self.beginResetModel()
        self._ids = self._order()
        self._pages.clear()
        self._counts = None
        self.endResetModel()

    def follow(self, changed: Collection[int] | None) -> None:
        """Show the changes to these books (None: to any number of books). Rows that keep
        their place are repainted; otherwise the order is read again (a layout change)."""
        if changed is None:
            self._reorder()
            return
        if not changed or self._read is None:
            return
        place = {book_id: row for book_id in changed if (row := self.row_of(book_id)) is not None}
        rows = dict(place)  # the changed books shown and their neighbours, by row
        for row in place.values():
            for near in range(max(0, row - 1), min(len(self._ids), row + 2)):
                rows[self._ids[near]] = near
        now = self._order(among=sorted(set(changed) | rows.keys()))
        if set(changed) & set(now) != place.keys() or list(now) != sorted(
            now, key=rows.__getitem__
        ):
            self._reorder()
            return
        self._repaint(place)

    def _repaint(self, place: Mapping[int, int]) -> None:
        assert self._read is not None
        fresh = {book.id: book for book in self._read(sorted(place))}
        last = len(COLUMNS) - 1
        for book_id, row in sorted(place.items(), key=lambda item: item[1]):
            page = self._pages.get(row // PAGE_ROWS)
            if page is None:
                self._counts = None  # its status before is not known
                continue
            before = page.get(book_id)
            if before is not None and self._counts is not None:
                self._counts[before.status] -= 1
                self._counts[fresh[book_id].status] += 1
            page[book_id] = fresh[book_id]
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _reorder(self) -> None:
        """Read the order again, keeping the selection and the current row on their books."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [self.book_id_at(index.row()) for index in persistent]
        self._ids = self._order()
        self._pages.clear()
        self._counts = None
        rows: dict[int, int] = {}
        if kept:
            wanted = set(kept)
            rows = {book_id: n for n, book_id in enumerate(self._ids) if book_id in wanted}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(rows[book_id], index.column()) if book_id in rows else QModelIndex()
                for book_id, index in zip(kept, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _order(self, among: Sequence[int] | None = None) -> array[int]:
        if self._read is None:
            return array("q")
        return table_window.ordered_ids(
            COLUMN_KEYS[self._sort_column],
            self._sort_order == Qt.SortOrder.DescendingOrder,
            self._terms,
            self._status,
            among=among,
        )

    def set_filter(self, text: str) -> None:
        terms = filter_terms(text)
        if terms != self._terms:
            self._terms = terms
            self._refilter()

    def set_status_filter(self, status: str | None) -> None:
        if status != self._status:
            self._status = status
            self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._ids = self._order()
        self._pages.clear()
        self.endResetModel()

    # -- lookups ----------------------------------------------------------------------------

    @property
    def total_count(self) -> int:
        return sum(self.status_counts.values())

    @property
    def status_counts(self) -> Mapping[str, int]:
        """How many of all the books have each reading status (filters aside)."""
        if self._counts is None:
            self._counts = Counter(table_window.status_counts())
        return self._counts

    @property
    def filter_active(self) -> bool:
        return bool(self._terms) or self._status is not None

    @property
    def shown_ids(self) -> Sequence[int]:
        """The ids of the books shown, in order."""
        return self._ids

    def book_id_at(self, row: int) -> int:
        return self._ids[row]

    def book_at(self, row: int) -> TableBook | None:
        """The book of `row`; None for a book removed since the order was read."""
        number = row // PAGE_ROWS
        page = self._pages.get(number)
        if page is None:
            page = self._pages[number] = self._read_page(number)
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[row])

    def _read_page(self, number: int) -> dict[int, TableBook]:
        if self._read is None:
            return {}
        ids = self._ids[number * PAGE_ROWS : (number + 1) * PAGE_ROWS]
        return {book.id: book for book in self._read(list(ids))}

    def row_of(self, book_id: int) -> int | None:
        try:
            return self._ids.index(book_id)
        except ValueError:
            return None

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == BOOK_ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMN_KEYS[column] == "progress":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, PROGRESS_ROLE):
            return None
        book = self.book_at(index.row())
        if book is None:
            return None
        if role == PROGRESS_ROLE:
            return book.progress
        return display(book, column)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # A reset, not layoutChanged: views re-select the current book by id afterwards.
        self._sort_column = column
        self._sort_order = order
        self._refilter()
