"""The Hardcover page's list as a Qt model for any size of library: it shows every row but holds
only the books on screen.

SQLite orders, filters and groups (`services.hardcover.dashboard.order.PageStream`): the model keeps
the top-level rows read so far (8 bytes a book) and reads more as the view scrolls to the end
(`canFetchMore`/`fetchMore`); each group (a series, the copies of one Hardcover book) is a
heading row followed by its books unless the user closed it. The books themselves are read a
window at a time as the view paints them (`PAGE_ROWS`), the last few windows kept. A refresh
whose rows are the ones shown redraws only the rows whose book changed; other rows keep the
selection (a layout change, rows found again by book id).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QIcon

from bookorbit_desktop.services.hardcover.dashboard.order import Layout, PageStream
from bookorbit_desktop.services.hardcover.dashboard.rows import PageRow
from bookorbit_desktop.services.hardcover.service import copies_conflict
from bookorbit_desktop.ui.hardcover import dashboard
from bookorbit_desktop.ui.table_model import HeadedTable, Index
from bookorbit_desktop.ui.text import plain_tooltip

ROLE = Qt.ItemDataRole.UserRole  # a book row's book id (None on a heading)
HEADING_ROLE = Qt.ItemDataRole.UserRole + 1  # True on a group's heading row
CHILD_ROLE = Qt.ItemDataRole.UserRole + 2  # True on a book row inside a group
PAGE_ROWS = 200
KEPT_BOOKS = 2000
HEADERS = ("Title", "Authors", "Reading", "Sync", "Linked to / why")
FETCH_ROWS = 400  # top-level rows read at once as the view reaches the end

Reader = Callable[[Sequence[int]], dict[int, PageRow]]


class HardcoverRowsModel(HeadedTable):
    headers = HEADERS

    def __init__(self, read: Reader, parent: Any = None) -> None:
        super().__init__(parent)
        self._read = read
        self.stream = PageStream()
        self.layout = self.stream.layout
        self.layout.complete = True  # nothing to show until `show_stream`
        self.closed: set[str] = set()  # the keys of the groups the user closed
        self._rows: array[int] = array("q")  # >= 0: a place in layout.ids; < 0: -(top + 1)
        self._books: OrderedDict[int, PageRow] = OrderedDict()
        self.icon: Callable[[int], QIcon] | None = None  # a book's cover, when shown

    # -- the layout -------------------------------------------------------------------------

    def show_stream(self, stream: PageStream, fresh: Mapping[int, PageRow] | None = None) -> None:
        """Show the rows of `stream` (read up to the rows shown now at least); `fresh`: the
        books held, read again (a refresh): when the rows are the ones shown, only the rows
        whose book changed are redrawn."""
        changed = self._take_fresh(fresh) if fresh is not None else set()
        layout, old = stream.layout, self.layout
        tops = len(old.starts)
        if _extends(layout, old):
            self.stream, self.layout = stream, layout
            self._append_rows(tops)
            for book_id in changed:
                self._redraw(book_id)
            return
        self.layoutAboutToBeChanged.emit()
        before = [(index, self.key_of(index.row())) for index in self.persistentIndexList()]
        self.stream, self.layout = stream, layout
        self._rows = self._display_rows(0)
        for index, key in before:
            row = self.row_of_key(key)
            moved = QModelIndex() if row is None else self.index(row, index.column())
            self.changePersistentIndex(index, moved)
        self.layoutChanged.emit()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self.layout.complete

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        tops = len(self.layout.starts)
        self.stream.more(FETCH_ROWS)
        self._append_rows(tops)

    def fetch_all(self) -> None:
        """Read every row (the end of the list, for keyboard End and for a test)."""
        while self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def _append_rows(self, tops: int) -> None:
        """Show the top-level rows from `tops` on, read since the rows were last shown."""
        added = self._display_rows(tops)
        if not added:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
        self._rows.extend(added)
        self.endInsertRows()

    def _take_fresh(self, fresh: Mapping[int, PageRow]) -> set[int]:
        """Hold `fresh` instead of the books held; the books that changed."""
        changed = {book_id for book_id, row in fresh.items() if self._books.get(book_id) != row}
        changed |= {book_id for book_id in self._books if book_id not in fresh}  # not shown
        self._books = OrderedDict(fresh)
        return changed

    def _redraw(self, book_id: int) -> None:
        """Repaint a book's row, and its group's heading (which names the copies' statuses)."""
        row = self.row_of_book(book_id)
        if row is None:
            return
        last = len(HEADERS) - 1
        self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        top = bisect_right(self.layout.starts, self._rows[row]) - 1
        if top in self.layout.groups:
            heading = self._rows.index(-(top + 1))
            self.dataChanged.emit(self.index(heading, 0), self.index(heading, last))

    def _display_rows(self, first: int) -> array[int]:
        """The rows of the top-level rows from `first` on."""
        layout = self.layout
        if not layout.groups:
            begin = layout.starts[first] if first < len(layout.starts) else len(layout.ids)
            return array("q", range(begin, len(layout.ids)))
        rows: array[int] = array("q")
        add, extend = rows.append, rows.extend
        starts, groups, closed = layout.starts, layout.groups, self.closed
        for top in range(first, len(starts)):
            key = groups.get(top)
            if key is None:
                add(starts[top])
                continue
            add(-(top + 1))
            if key not in closed:
                start, end = layout.span(top)
                extend(range(start, end))
        return rows

    def key_of(self, row: int) -> tuple[str, object] | None:
        """What a row shows, to find it again in another layout."""
        if not 0 <= row < len(self._rows):
            return None
        value = self._rows[row]
        if value < 0:
            return ("group", self.layout.groups[-value - 1])
        return ("book", self.layout.ids[value])

    def row_of_key(self, key: tuple[str, object] | None) -> int | None:
        if key is None:
            return None
        if key[0] == "book":
            return self.row_of_book(int(key[1]))  # type: ignore[call-overload]
        for top, group in self.layout.groups.items():
            if group == key[1]:
                return self._rows.index(-(top + 1))
        return None

    def row_of_book(self, book_id: int) -> int | None:
        try:
            place = self.layout.ids.index(book_id)
            return self._rows.index(place)
        except ValueError:
            return None

    def book_at(self, row: int) -> int | None:
        """The book id of a row (None: a heading, or no row)."""
        if not 0 <= row < len(self._rows) or self._rows[row] < 0:
            return None
        return self.layout.ids[self._rows[row]]

    def heading_at(self, row: int) -> str | None:
        if not 0 <= row < len(self._rows) or self._rows[row] >= 0:
            return None
        return self.layout.groups[-self._rows[row] - 1]

    def set_open(self, row: int, is_open: bool) -> None:
        """Open or close the group whose heading is `row`."""
        key = self.heading_at(row)
        if key is None or (key not in self.closed) == is_open:
            return
        top = -self._rows[row] - 1
        start, end = self.layout.span(top)
        if is_open:
            self.closed.discard(key)
            self.beginInsertRows(QModelIndex(), row + 1, row + end - start)
            self._rows[row + 1 : row + 1] = array("q", range(start, end))
            self.endInsertRows()
        else:
            self.closed.add(key)
            self.beginRemoveRows(QModelIndex(), row + 1, row + end - start)
            del self._rows[row + 1 : row + 1 + end - start]
            self.endRemoveRows()
        self.dataChanged.emit(self.index(row, 0), self.index(row, 0))

    def is_open(self, row: int) -> bool:
        key = self.heading_at(row)
        return key is not None and key not in self.closed

    # -- the books --------------------------------------------------------------------------

    def book(self, book_id: int) -> PageRow | None:
        """A book the page shows, read (with its window) if it is not held."""
        found = self._books.get(book_id)
        if found is None:
            row = self.row_of_book(book_id)
            self._load(row if row is not None else 0, also=[book_id])
            found = self._books.get(book_id)
        return found

    def tops(self) -> int:
        """How many top-level rows are read."""
        return len(self.layout.starts)

    def held(self) -> list[int]:
        """The books held now (a refresh reads them again)."""
        return list(self._books)

    def _load(self, row: int, also: Sequence[int] = ()) -> None:
        first = row - row % PAGE_ROWS
        wanted = [*also]
        for place in self._rows[first : first + PAGE_ROWS]:
            if place >= 0:
                wanted.append(self.layout.ids[place])
            else:  # a copies heading names its members' Hardcover book and statuses
                start, end = self.layout.span(-place - 1)
                wanted.extend(self.layout.ids[start:end])
        missing = [book_id for book_id in dict.fromkeys(wanted) if book_id not in self._books]
        self._books.update(self._read(missing))
        while len(self._books) > KEPT_BOOKS:
            self._books.popitem(last=False)

    def _held_or_read(self, row: int, book_id: int) -> PageRow | None:
        found = self._books.get(book_id)
        if found is None:
            self._load(row)
            found = self._books.get(book_id)
        else:
            self._books.move_to_end(book_id)
        return found

    # -- Qt ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.heading_at(index.row()) is not None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._rows):
            return None
        place = self._rows[row]
        if place < 0:
            return self._heading_data(row, -place - 1, column, role)
        book_id = self.layout.ids[place]
        if role == ROLE:
            return book_id
        if role == HEADING_ROLE:
            return False
        top = bisect_right(self.layout.starts, place) - 1
        in_group = top in self.layout.groups
        if role == CHILD_ROLE:
            return in_group
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icon(book_id) if column == 0 and self.icon is not None else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column not in (2, 4):  # the long ones
            return None
        found = self._held_or_read(row, book_id)
        if found is None:
            return None
        in_series = in_group and self.layout.groups[top].startswith("s")
        cells = dashboard.row_cells(found.book, found.match, found.state, in_series=in_series)
        return (
            cells[column] if role == Qt.ItemDataRole.DisplayRole else plain_tooltip(cells[column])
        )

    def _heading_data(self, row: int, top: int, column: int, role: int) -> Any:
        if role == HEADING_ROLE:
            return True
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        label, why = self.heading_text(row, top)
        if column == 0 and role == Qt.ItemDataRole.DisplayRole:
            return label
        if column != 4:
            return None
        return why if role == Qt.ItemDataRole.DisplayRole else plain_tooltip(why)

    def heading_text(self, row: int, top: int) -> tuple[str, str]:
        """A series (its name and how many books) or the copies of one Hardcover book (its
        title, how many copies, and where their statuses disagree)."""
        key = self.layout.groups[top]
        start, end = self.layout.span(top)
        if key.startswith("s"):
            return f"{key[1:]} ({end - start} books)", ""
        members = [self._held_or_read(row, book_id) for book_id in self.layout.ids[start:end]]
        shown = [member for member in members if member is not None]
        if not shown:
            return f"({end - start} copies)", ""
        first = shown[0]
        name = str(first.match.get("summary") or first.book["title"]).split(" — ")[0]
        statuses = [str(member.book.get("status")) for member in shown]
        ratings = [member.book.get("rating") for member in shown]
        why = copies_conflict(statuses, ratings) or f"{end - start} copies linked, one entry"
        return f"{name} ({end - start} copies)", why


def _extends(new: Layout, old: Layout) -> bool:
    """`new` begins with the top-level rows of `old`, unchanged."""
    tops, books = len(old.starts), len(old.ids)
    if new.starts[:tops] != old.starts or new.ids[:books] != old.ids:
        return False
    if tops < len(new.starts) and new.starts[tops] != books:
        return False  # the last row of `old` has more books now
    if tops == len(new.starts) and len(new.ids) != books:
        return False
    return {top: key for top, key in new.groups.items() if top < tops} == old.groups
