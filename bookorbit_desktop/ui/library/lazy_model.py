"""The library table's Qt model for any size of library: it shows every book but holds only the
few hundred on screen.

SQLite sorts and filters (`table_window.ordered_ids`): the model keeps the ids (8 bytes a book),
so its row count and the book of any row are known at once, and reads the books a page at a
time as the view asks, keeping the last few pages. It keeps the order without the filter box's
terms too, which a keystroke narrows with no sort (`table_window.filtered`). A change to some
books (`follow`, or `find` in a worker thread then `show`) repaints their rows when they keep
their place; otherwise the order is read again as a layout change (the selection stays).

A sort or filter's order is read in a worker thread while the window's loop runs (at once
without one), with its first page's books (`with_first_page`: none read on the window's
thread), and shown as a reset when it arrives (views select their books again), unless the
table changed since. A sort's first page, read beside it, is shown first when it comes
first (`table_reads.first_rows`).

The status counts follow each change from every book's status, which `find(None)` reads; after
a `refresh` (which counts in SQL) the first change the rows cannot count has them read in a
worker thread. The model is empty (not `loaded`) until its first read: a window shows at once
and its table fills when `find(None)`, run in a worker thread, is shown."""

from __future__ import annotations

import asyncio
import functools
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from bookorbit_desktop.services.library import table_window
from bookorbit_desktop.services.library.custom_columns import Column
from bookorbit_desktop.services.library.rows import TableBook
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.model import (
    ALIGNMENT_ROLE,
    ANSWERED_ROLES,
    BOOK_ID_ROLE,
    COLUMN_KEYS,
    DISPLAY_ROLE,
    PROGRESS_ROLE,
    BookColumns,
    narrows,
)
from bookorbit_desktop.ui.library.table_reads import (
    Found,
    Order,
    Page,
    Reader,
    ShownOrder,
    find_changes,
    first_rows,
    order_of,
    page_of,
    rows_of,
    with_first_page,
)
from bookorbit_desktop.ui.table_model import Index

PAGE_ROWS = 200  # books read at once
KEPT_PAGES = 4  # pages kept around the rows on screen


class LazyLibraryModel(BookColumns):
    """Books as rows, `COLUMNS` as columns; `set_filter`/`set_status_filter`/`set_chosen`/
    `sort` reorder. Empty until `set_reader` says how to read books."""

    counts_changed = Signal()  # a change to some books may have changed the status counts
    # The filter box's search cannot be read (a `SearchError`; None: it can): the rows stay.
    search_error = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._read: Reader | None = None
        self._loaded = False  # the order was read (`refresh`, or `show` of a whole order)
        self._ids: array[int] = array("q")  # the books shown, in order
        # The order without the filter box's terms (`Order.whole`), which a keystroke narrows
        # (`table_window.filtered`); None: to be read again.
        self._whole: array[int] | None = None
        self._pages: OrderedDict[int, Page] = OrderedDict()  # by page number
        self._order_by = Order(COLUMN_KEYS[0], False, (), None)
        self._shown_by = self._order_by  # the order of `_ids` (another while one is read)
        self._last_read = ""  # the filter box's last search that could be read
        self._ordering: asyncio.Task[None] | None = None  # the last sort or filter's read
        self.first_page: asyncio.Task[None] | None = None  # the last sort's first page's read
        self._counts: Counter[str] | None = Counter()  # None: to be counted again
        # Every book's status, read once a change needs it (`_count_again`); None: not read.
        self._statuses: table_window.BookStatuses | None = None
        self._reading_statuses: asyncio.Task[None] | None = None  # see `_count_again`
        self._stamp = 0  # counts the changes to the rows shown (see `show`)
        self.today: Callable[[], date] = date.today  # what a search's dates count from

    # -- data in ----------------------------------------------------------------------------

    def set_reader(self, read: Reader) -> None:
        """Read books with `read(ids)` from now on (shown by `refresh`, or `find(None)`)."""
        self._read = read

    @property
    def loaded(self) -> bool:
        """The table holds the library: until then it shows no rows and counts no books, and
        sorting or filtering only says which order the first read is to be in."""
        return self._loaded

    @property
    def ordering(self) -> asyncio.Task[None] | None:
        """The read of the last sort or filter's order (tests wait on it); None: read at once."""
        return self._ordering

    def refresh(self) -> None:
        """Read the order and the counts again (F5, an import): a reset."""
        self._stamp += 1
        self.beginResetModel()
        self._loaded = self._read is not None
        self._shown_by = self._order_by
        self._ids, self._whole = order_of(self._order_by) if self._loaded else (array("q"), None)
        self._pages.clear()
        self._counts = None
        self._statuses = None
        self.endResetModel()

    def follow(self, changed: Collection[int] | None) -> None:
        """Show the changes to these books (None: to any number of books) at once."""
        self.show(self.find(changed)())

    def find(self, changed: Collection[int] | None) -> Callable[[], Found]:
        """A read of what the changes to these books do to the table, safe to run in a worker
        thread (on a connection of its own); `show` its result on the model's thread."""
        if not self._loaded or self._shown_by != self._order_by:
            changed = None  # the first read, or a sort's still to come: the whole order
        return functools.partial(
            find_changes, self._read, self._order_by, self._ids, self._whole, self._stamp, changed
        )

    def show(self, found: Found) -> bool:
        """Show what `find` read: rows that keep their place are repainted, otherwise the new
        order is a layout change. False, with nothing done, when the table changed since the
        read began (a refresh, a filter, a sort or another change): read again."""
        if found.stamp != self._stamp:
            return False
        if found.ids is not None and not self._loaded:  # the first rows: a reset
            self.beginResetModel()
            self._loaded = True
            self._take(found)
            self.endResetModel()
        elif found.ids is not None:
            self._reorder(found)
        else:
            self._repaint(found.rows, found.fresh, found.gone)
        return True

    def _take(self, found: Found) -> None:
        """The order (and counts) read by `find`, as the model's own."""
        assert found.ids is not None
        self._stamp += 1
        self._ids = found.ids
        self._whole = found.whole
        self._shown_by = self._order_by  # what `find` read it by, unchanged since (the stamp)
        self._pages.clear()
        self._counts = None if found.counts is None else Counter(found.counts)
        # Every book's status is read (in a worker thread) only when a change needs it: the
        # counts of the new order are already here.
        self._statuses = None

    def _repaint(
        self,
        place: Mapping[int, int],
        fresh: Mapping[int, TableBook],
        gone: Collection[int],
    ) -> None:
        self._stamp += 1
        last = self.columnCount() - 1
        statuses = self._statuses
        if statuses is not None:
            for changed in fresh.values():
                statuses.set(changed.id, changed.status)
            for book_id in gone:
                statuses.drop(book_id)
            self._counts = None  # counted again from the statuses: a millisecond
            self.counts_changed.emit()  # also for books not shown
        elif gone or fresh.keys() - place.keys():  # a book not shown changed: count again
            self._count_again()
        for book_id, row in sorted(place.items(), key=lambda item: item[1]):
            page = self._pages.get(row // PAGE_ROWS)
            book = fresh.get(book_id)
            before = None if page is None else page.get(book_id)
            if statuses is not None:
                pass  # counted from `statuses`
            elif before is None or book is None:
                self._count_again()  # its status before (or now) is not known
            elif self._counts is not None:
                self._counts[before.status] -= 1
                self._counts[book.status] += 1
            if page is not None and book is not None:
                page[book_id] = book
            # Also for a row not read yet: the counts shown beside the table follow it.
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _count_again(self) -> None:
        """The counts can no longer follow from the rows read: every book's status is read in
        a worker thread (the counts shown until it arrives are the last ones), and from then
        on each change is counted from them. Without the window's loop: counted at once."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._counts = None
            self.counts_changed.emit()
            return
        if self._reading_statuses is None or self._reading_statuses.done():
            self._reading_statuses = spawn(self._read_statuses())

    async def _read_statuses(self) -> None:
        while self._loaded and self._statuses is None:
            stamp = self._stamp
            statuses = await table_window.read_later(table_window.BookStatuses.read)
            if stamp == self._stamp:  # no change shown since the read began: it has them all
                self._statuses, self._counts = statuses, None
                self.counts_changed.emit()

    def _reorder(self, found: Found) -> None:
        """Show the order `find` read, keeping the selection and the current row on their
        books."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [self.book_id_at(index.row()) for index in persistent]
        self._take(found)
        ids = self._ids
        rows = rows_of(ids, set(kept)) if kept else {}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(rows[book_id], index.column()) if book_id in rows else QModelIndex()
                for book_id, index in zip(kept, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def set_filter(self, text: str) -> None:
        """Show the books the search `text` finds; a search that cannot be read leaves the
        rows as they are and says why (`search_error`), or, while a term is typed, goes back to
        the books from before it (`table_window.before_the_mistake`)."""
        try:
            terms, where = table_window.table_filter(text, self.today())
        except table_window.SearchError as error:
            self.search_error.emit(error)
            before = table_window.before_the_mistake(text, error, self._last_read)
            if before is not None:
                self._read_filter(before)
            return
        self.search_error.emit(None)
        self._last_read = text
        self._refilter(replace(self._order_by, terms=terms, where=where))

    def _read_filter(self, text: str) -> None:
        try:
            terms, where = table_window.table_filter(text, self.today())
        except table_window.SearchError:
            return  # the part before the mistake cannot be read either: the rows stay
        self._refilter(replace(self._order_by, terms=terms, where=where))

    def set_status_filter(self, status: str | None) -> None:
        self._refilter(replace(self._order_by, status=status))

    def set_chosen(self, search: str | None) -> None:
        """Show only the books the library browser's choice finds, `search` in the filter
        box's language (None: every book), and the filter box's search too."""
        try:
            chosen = None if search is None else table_window.chosen_condition(search, self.today())
        except table_window.SearchError as error:  # (a pattern too long for a long tag)
            self.search_error.emit(error)
            return
        self._refilter(replace(self._order_by, chosen=chosen))

    def _refilter(self, order_by: Order) -> None:
        """Show the books in `order_by`: read in a worker thread, shown when it arrives."""
        if order_by == self._order_by:
            return
        shown = self._shown_by
        # The order without terms is kept for the same sort and status (read again otherwise);
        # a term typed on: only the books shown can still match.
        whole = self._whole if order_by.whole == shown.whole else None
        narrower = (
            whole is not None
            and shown.terms
            and shown.where in (None, order_by.where)  # what it adds can only narrow
            and narrows(shown.terms, order_by.terms)
        )
        self._order_by = order_by
        self._stamp += 1
        if not self._loaded:
            return  # the first read is in this order
        stamp = self._stamp
        read = functools.partial(order_of, order_by, whole, self._ids if narrower else None)
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no window's loop to keep free
            self._ordering = self.first_page = None
            self._show_order(stamp, read())
            return
        self._ordering = spawn(self._read_order_later(stamp, read))
        sorting = order_by.same_books(shown)  # its first page is read beside the whole order
        self.first_page = spawn(self._read_first_later(stamp, order_by)) if sorting else None

    async def _read_order_later(self, stamp: int, read: Callable[[], ShownOrder]) -> None:
        read_rows = functools.partial(with_first_page, read, self._read, PAGE_ROWS)
        self._show_order(stamp, *await table_window.read_later(read_rows))

    async def _read_first_later(self, stamp: int, order_by: Order) -> None:
        read = functools.partial(first_rows, order_by, PAGE_ROWS, self._ids, self._read)
        on_page, ids, page = await table_window.read_later(read)
        kept = {self.book_id_at(index.row()) for index in self.persistentIndexList()}
        # Not when the whole order came first, the table changed, or a selected book is not on it.
        if ids is not None and stamp == self._stamp and on_page.issuperset(kept):
            self.beginResetModel()
            self._ids, self._whole = ids, None  # (without terms: read again)
            self._pages = OrderedDict([(0, page)])
            self.endResetModel()

    def _show_order(self, stamp: int, order: ShownOrder, first: Page | None = None) -> None:
        """The order a sort or filter read (and its first page's books), a reset: if unchanged."""
        if stamp != self._stamp:
            return
        self._stamp += 1
        self.beginResetModel()
        self._ids, self._whole = order
        self._shown_by = self._order_by
        self._pages = OrderedDict() if first is None else OrderedDict([(0, first)])
        self.endResetModel()

    # -- lookups ----------------------------------------------------------------------------

    @property
    def total_count(self) -> int:
        return sum(self.status_counts.values())

    @property
    def status_counts(self) -> Mapping[str, int]:
        """How many of all the books have each reading status (filters aside)."""
        if not self._loaded:
            return {}
        if self._counts is None and self._statuses is not None:
            self._counts = Counter(self._statuses.counts())
        elif self._counts is None:
            self._counts = Counter(table_window.status_counts())
        return self._counts

    @property
    def filter_active(self) -> bool:
        return self._order_by.narrowed

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

    def _read_page(self, number: int) -> Page:
        return page_of(self._read, self._ids[number * PAGE_ROWS : (number + 1) * PAGE_ROWS])

    def row_of(self, book_id: int) -> int | None:
        return rows_of(self._ids, {book_id}).get(book_id)

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        if role == ALIGNMENT_ROLE:
            return self.alignment(index.column())
        row = index.row()
        if role == BOOK_ID_ROLE:
            return self._ids[row]
        book = self.book_at(row)
        if book is None:
            return None
        if role == PROGRESS_ROLE:
            return book.progress
        return self.text(book, index.column())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Shown as a reset, not layoutChanged: views re-select the current book by id then.
        descending = order == Qt.SortOrder.DescendingOrder
        self._refilter(
            replace(self._order_by, column=self.column_key(column), descending=descending)
        )

    def set_custom(self, columns: Sequence[Column]) -> None:
        """Show these custom columns (their values read again); a sort by one no longer there
        is by title again."""
        self._pages.clear()
        super().set_custom(columns)
        if self._order_by.column not in {*COLUMN_KEYS, *(c.key for c in self.custom)}:
            self._refilter(replace(self._order_by, column=COLUMN_KEYS[0], descending=False))
