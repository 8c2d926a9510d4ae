"""The library table, or the cover grid in its place (`cover_grid`, Ctrl+G), with the filter
box, the status filter (with each status's count), the Import button and the drop target. The
window keeps the column widths, the sort order and the choice of grid across starts; the
columns share the table's width as `column_fit` says.

The library browser (`browser`, which the window puts in its sidebar) shows only the books of
an author, a series, a tag…, together with the filter box's search. The table selects
several books with Ctrl and Shift (for "Send to device"); the book panel shows the current one.
Sorting, filtering and refreshing keep the selected books selected."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.library.service import READING_STATUSES, STATUS_LABELS
from bookorbit_desktop.ui.library.browser import LibraryBrowser
from bookorbit_desktop.ui.library.column_fit import ColumnFit
from bookorbit_desktop.ui.library.columns import ColumnsMenu
from bookorbit_desktop.ui.library.cover_grid import CoverGrid
from bookorbit_desktop.ui.library.custom_columns import CustomColumns
from bookorbit_desktop.ui.library.lazy_model import LazyLibraryModel
from bookorbit_desktop.ui.library.model import (
    BOOK_ID_ROLE,
    COLUMN_KEYS,
    PROGRESS_ROLE,
    row_runs,
)
from bookorbit_desktop.ui.library.more_columns import OPTIONAL
from bookorbit_desktop.ui.library.search_error import search_error_label
from bookorbit_desktop.ui.sync.progress_text import books
from bookorbit_desktop.ui.table_model import Index
from bookorbit_desktop.ui.text import plain_tooltip
from bookorbit_desktop.ui.widgets import book_table, empty_state, push_button, wide_row

EMPTY_LIBRARY = "No books yet — drag ebooks here or click Import"
MIN_FILTER_WIDTH = 100  # in a narrow window the status filter gives way first
PROGRESS_BAR_HEIGHT = 3


class ProgressDelegate(QStyledItemDelegate):
    """Reading progress as the cell's text ("68 % · p. 224 of 332", cut with … when the column
    is too narrow) over a thin bar along the cell's bottom. Both use the row's own text
    colour, so a selected row reads as well as the others."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)  # background, selection, elided text
        progress = float(index.data(PROGRESS_ROLE) or 0.0)
        if progress <= 0:
            return
        colour = bar_colour(option)
        track = option.rect.adjusted(6, 0, -6, 0)
        track.setTop(option.rect.bottom() - PROGRESS_BAR_HEIGHT - 1)
        track.setHeight(PROGRESS_BAR_HEIGHT)
        faint = QColor(colour)
        faint.setAlpha(60)
        painter.fillRect(track, faint)
        done = QRect(track)
        done.setWidth(round(track.width() * min(progress, 1.0)))
        painter.fillRect(done, colour)


def bar_colour(option: QStyleOptionViewItem) -> QColor:
    """The progress bar's colour: the selection's text colour on a selected row (the
    selection colour itself would vanish there), else the selection colour."""
    if option.state & QStyle.StateFlag.State_Selected:
        return option.palette.highlightedText().color()
    return option.palette.highlight().color()


class LibraryView(QWidget):
    """Shows the books; tells the window what was selected and what should be imported."""

    book_selected = Signal(object)  # book id, or None when nothing is selected
    import_requested = Signal(list)  # file and folder paths (str)
    import_dialog_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.model = LazyLibraryModel(self)
        self._selected_id: int | None = None
        self._kept: list[int] = []  # the books selected in the table before a reset

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Search: words, author:…, rating:>=4  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(MIN_FILTER_WIDTH)
        self.filter_edit.setAccessibleName("Filter books")
        self.filter_edit.setAccessibleDescription(
            "Shows the books whose title, author or series match, or that the search finds"
        )
        self.filter_edit.textChanged.connect(self.model.set_filter)
        self.search_error = search_error_label(self.model)  # why a search cannot be read
        self.save_search_button = QPushButton("Save…")
        self.save_search_button.setToolTip("Save this search in the sidebar")
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Reading status shown")
        self.status_combo.addItem("All books", None)
        for status in READING_STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_status_filter(self.status_combo.currentData())
        )
        # The counts in the status filter follow every change, once per burst of changes.
        self._count_timer = QTimer(self, singleShot=True, interval=0)
        self._count_timer.timeout.connect(self._show_status_counts)
        self.model.dataChanged.connect(self._count_timer.start)
        self.model.counts_changed.connect(self._count_timer.start)
        self.import_button = push_button(
            "&Import…",
            self.import_dialog_requested.emit,
            tip="Add ebook files or folders to the library (Ctrl+I)",
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("bookCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # The filter box keeps its width while the counts beside it change (`_room_for_counts`).
        self.status_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.grid_button = QPushButton("Co&vers")
        self.grid_button.setCheckable(True)
        self.grid_button.setToolTip("Show the books as a grid of covers (Ctrl+G)")
        self.grid_button.setShortcut("Ctrl+G")
        self.grid_button.toggled.connect(lambda _on: self._after_reset())
        toolbar = wide_row(
            self.filter_edit,
            self.save_search_button,
            self.status_combo,
            self.count_label,
            self.grid_button,
            self.import_button,
        )

        self.table = book_table(self.model)
        self.table.setAccessibleName("Books")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setItemDelegateForColumn(COLUMN_KEYS.index("progress"), ProgressDelegate(self))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        self.fitting = ColumnFit(self.table)  # the columns share the table's width
        self.columns_menu = ColumnsMenu(self.table, self.fitting.fit)
        menu = self.columns_menu  # the custom columns are shown once read (`show_columns`)
        self.custom_columns = CustomColumns(self.model, self.table, menu, self.fitting.fit)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._after_reset)
        self.model.layoutChanged.connect(self._show_counts)

        self.empty_label = empty_state(EMPTY_LIBRARY)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)  # a chosen value's search in it
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.empty_label.setFont(font)

        self.grid = CoverGrid()
        self.grid.setAccessibleName("Book covers")
        self.grid.setModel(self.model)
        self.grid.selectionModel().currentRowChanged.connect(self._current_changed)

        self._stack = QStackedLayout()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.grid)
        # The library browser filters the table too; it follows the table's changes.
        self.browser = LibraryBrowser()
        self.browser.chosen_changed.connect(self.model.set_chosen)
        for follow in (self.model.dataChanged, self.model.modelReset, self.model.layoutChanged):
            follow.connect(self.browser.follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.search_error)
        layout.addLayout(self._stack, 1)
        self._after_reset()

    def save_columns(self) -> QByteArray:
        """The column widths and the sort order, for `restore_columns` at the next start."""
        return self.fitting.save()

    def restore_columns(self, state: QByteArray, by_hand: Iterable[str] = ()) -> None:
        """The columns as `save_columns` kept them; `by_hand`: the ones the user dragged."""
        optional = [COLUMN_KEYS.index(key) for key in OPTIONAL]
        self.fitting.restore(state, by_hand, [*optional, *self.custom_columns.indexes()])

    # -- data -------------------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    @property
    def grid_shown(self) -> bool:
        """The cover grid is shown instead of the table."""
        return self.grid_button.isChecked()

    def show_grid(self, shown: bool) -> None:
        self.grid_button.setChecked(shown)

    def select_book(self, book_id: int) -> bool:
        """Select the book in the table and the grid (the one not shown follows along)."""
        row = self.model.row_of(book_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        across = self.table.horizontalScrollBar()
        kept = across.value()  # the columns in sight stay: a sort by a column far right shows it
        # Only this book, whatever keys are held down (selectRow would follow Ctrl or Shift).
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)  # the row in sight (and, with it, the first column)
        across.setValue(kept)
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index)
        return True

    def clear_selection(self) -> None:
        self.table.selectionModel().clear()
        self.grid.selectionModel().clear()

    @property
    def selected_book_id(self) -> int | None:
        return self._selected_id

    def selected_book_ids(self) -> list[int]:
        """The books selected in the view shown, in row order: the table's selected rows (its
        current one when none is), or the grid's book."""
        if self.grid_shown:
            return [] if self._selected_id is None else [self._selected_id]
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex()]
        return [self.model.book_id_at(index.row()) for index in rows]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        book_id = current.data(BOOK_ID_ROLE) if current.isValid() else None
        if book_id != self._selected_id:
            self._selected_id = book_id
            self.book_selected.emit(book_id)

    def _after_reset(self) -> None:
        self._show_counts()
        # Keep the same book selected across refreshes, filtering and sorting.
        previous = self._selected_id
        if previous is not None and not self.select_book(previous):
            self._selected_id = None
            self.book_selected.emit(None)
        self._restore_selection()

    def _show_counts(self) -> None:
        """The count of books shown, the status filter's counts, or why the table is empty."""
        model = self.model
        if not model.loaded:  # a blank until the rows come: no count, no "No books yet"
            self.empty_label.setText("")
            self._stack.setCurrentWidget(self.empty_label)
            self.count_label.setText("")
            return
        shown = model.rowCount()
        if model.total_count == 0:
            self.empty_label.setText(EMPTY_LIBRARY)
        elif shown == 0:
            self.empty_label.setText(f"No books match the filter{self._within_choice()}.")
        if not shown:
            self._stack.setCurrentWidget(self.empty_label)
        else:
            self._stack.setCurrentWidget(self.grid if self.grid_shown else self.table)
        if model.filter_active:
            self.count_label.setText(f"{shown:,} of {books(model.total_count)}")
        else:
            self.count_label.setText(books(model.total_count))
        # What narrows the books besides the filter box: the value chosen in the sidebar.
        choice = self.browser.chosen
        self.count_label.setToolTip(
            ""
            if choice is None
            else plain_tooltip(
                f"Only the books of {choice.search}, chosen in the sidebar "
                "(All Books there shows every book)"
            )
        )
        self._room_for_counts(model.total_count)
        self._show_status_counts()

    def _within_choice(self) -> str:
        """ ", among the books of #mood:="dark" (chosen in the sidebar)", or "" without one."""
        choice = self.browser.chosen
        return "" if choice is None else f" among those of {choice.search} (chosen in the sidebar)"

    def _room_for_counts(self, total: int) -> None:
        """Count and status filter as wide as their widest text: the filter box stays put."""
        widest = f"{total:,} of {books(total)}"
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance(widest))
        label = max(("All books", *STATUS_LABELS.values()), key=len)
        self.status_combo.setMinimumContentsLength(len(f"{label} ({total:,})") + 1)  # wide letters

    def _keep_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._kept = [self.model.book_id_at(index.row()) for index in rows]

    def _restore_selection(self) -> None:
        """Select again the books selected before the reset that are still shown, in runs of
        adjacent rows (a Ctrl+A of a large library is one run)."""
        kept, self._kept = set(self._kept), []
        if len(kept) < 2:
            return
        model = self.model
        rows = [row for row, book_id in enumerate(model.shown_ids) if book_id in kept]
        selection = QItemSelection()
        for first, last in row_runs(rows):
            selection.select(model.index(first, 0), model.index(last, model.columnCount() - 1))
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def _show_status_counts(self) -> None:
        """ "Reading (12)" in the status filter: how many books each choice shows."""
        counts = self.model.status_counts
        combo = self.status_combo
        for index in range(combo.count()):
            status = combo.itemData(index)
            if status is None:
                combo.setItemText(index, f"All books ({self.model.total_count:,})")
            else:
                combo.setItemText(index, f"{STATUS_LABELS[status]} ({counts.get(status, 0):,})")

    # -- drag and drop ----------------------------------------------------------------------

    @staticmethod
    def _local_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [str(Path(url.toLocalFile())) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_paths(event)
        if paths:
            event.acceptProposedAction()
            self.import_requested.emit(paths)
