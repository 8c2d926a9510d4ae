"""The library table's columns and texts (shared with `lazy_model`, which shows the library),
and a Qt model of a plain list of books, filtered and sorted in Python, for the few books a
chooser offers (`book_chooser`).

Filtering and sorting run in plain passes over the rows instead of a QSortFilterProxyModel
calling back into Python for every row and comparison. Rows are kept sorted, so a filter
keystroke only picks rows (it never sorts), and a keystroke that narrows the filter (adds
letters or words) looks only at the rows the previous one left: typing stays quick with 50,000
books. A row keeps only what every keystroke and the default sort need (the folded texts);
the texts shown and the other columns' sort keys are made from the book when asked, so a
large library costs little memory and fills the table quickly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from bookorbit_desktop.gc_pause import paused_collection
from bookorbit_desktop.services.library.cell_edits import EDITABLE
from bookorbit_desktop.services.library.custom_columns import Column
from bookorbit_desktop.services.library.records import BookRow
from bookorbit_desktop.services.library.rows import TableBook, table_book
from bookorbit_desktop.services.library.service import (
    HARDCOVER_LABELS,
    READING_STATUSES,
    STATUS_LABELS,
    format_rating,
    progress_text,
)
from bookorbit_desktop.services.library.table_window import HARDCOVER_STATES
from bookorbit_desktop.ui.library import more_columns
from bookorbit_desktop.ui.table_model import HeadedTable, Index
from bookorbit_desktop.ui.text import plain_tooltip

COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("series", "Series"),
    ("status", "Status"),
    ("progress", "Progress"),
    ("rating", "Rating"),
    ("format", "Format"),
    ("hardcover", "Hardcover"),
    *more_columns.MORE_COLUMNS,
    ("tags", "Tags"),
    *more_columns.LAST_COLUMNS,
)
COLUMN_KEYS = tuple(key for key, _ in COLUMNS)
BOOK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
# The roles the library's models answer. A view asks for about eight roles a cell at every
# paint (font, colours, check state, decoration...): the others are answered None at once.
ANSWERED_ROLES = frozenset(
    {DISPLAY_ROLE, int(Qt.ItemDataRole.ToolTipRole), ALIGNMENT_ROLE, BOOK_ID_ROLE, PROGRESS_ROLE}
)
_EDITABLE_COLUMNS = frozenset(n for n, key in enumerate(COLUMN_KEYS) if key in EDITABLE)
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# The columns of numbers, right-aligned so that their digits line up (and a custom number's).
_NUMBERS = frozenset(COLUMN_KEYS.index(key) for key in ("progress", "size", "pages"))
_STATUS_ORDER = {status: n for n, status in enumerate(READING_STATUSES)}
_HARDCOVER_ORDER = {state: n for n, state in enumerate(HARDCOVER_STATES)}


class _Marks(dict[int, int | None]):
    """`str.translate` table dropping combining marks (accents): each code point is looked up
    with `unicodedata.combining` once, then answered by the dict itself."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, so "Émile" matches "emile"."""
    if text.isascii():  # most titles: nothing to decompose, and casefold() is lower() here
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_MARKS)


def filter_terms(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


def narrows(old: Sequence[str], new: Sequence[str]) -> bool:
    """True when every book matching `new` also matches `old` (each old term lies inside a new
    one), so the new filter can search the old filter's result instead of the whole library."""
    return all(any(term in longer for longer in new) for term in old)


def format_series(series: str | None, index: float | None) -> str:
    if not series:
        return ""
    if index is None:
        return series
    number = f"{index:g}"
    return f"{series} #{number}"


def _missing_last(value: str) -> tuple[bool, str]:
    return (value == "", value)


@dataclass(slots=True)
class Row:
    """A book as the table filters it (made once per change of the book); what it shows and
    sorts by is worked out from `book` when asked (`display`, `sort_key`)."""

    book: TableBook
    title_key: str  # the folded sort title
    haystack: str  # what the filter searches: the folded title, authors and series


def prepare_rows(books: Sequence[BookRow | TableBook]) -> list[Row]:
    """The table's rows for `books`; plain Python, so a worker thread can make them."""
    folded: dict[Any, str] = {}  # authors and series repeat: each is folded once

    def fold_once(key: Any, text: str) -> str:
        found = folded.get(key)
        if found is None:
            found = folded[key] = fold(text)
        return found

    with paused_collection():
        return [_make_row(table_book(book), fold_once) for book in books]


def row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as runs of adjacent rows: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _make_row(book: TableBook, fold_once: Callable[[Any, str], str]) -> Row:
    # Each text is folded once: the filter's haystack joins the folded parts (folding works
    # character by character, so that is the fold of the joined text).
    folded_title = fold(book.title)
    sort_title = book.sort_title or book.title
    title_key = folded_title if sort_title == book.title else fold(sort_title)
    if title_key == sort_title:
        title_key = sort_title  # one text, not two equal ones
    authors = fold_once(book.authors, ", ".join(book.authors))
    series = fold_once(book.series, book.series or "")
    return Row(book, title_key, f"{folded_title} {authors} {series}")


def display(book: TableBook, column: int) -> str:
    """The text of `book` in the table's `column`."""
    key = COLUMN_KEYS[column]
    if key == "title":
        return book.title
    if key == "authors":
        return ", ".join(book.authors)
    if key == "series":
        return format_series(book.series, book.series_index)
    if key == "status":
        return STATUS_LABELS.get(book.status, book.status)
    if key == "progress":
        return progress_text(book.progress, book.pages, book.status)
    if key == "rating":
        return format_rating(book.rating)
    if key == "format":
        return ", ".join(kind.upper() for kind in book.formats)
    if key in more_columns.TEXTS:
        return more_columns.TEXTS[key](book)
    if key == "tags":
        return ", ".join(book.tags)
    return HARDCOVER_LABELS.get(book.hardcover, book.hardcover)


def sort_key(column: int) -> Callable[[Row], Any]:
    """What the rows are sorted by in `column` (missing texts last in ascending order). The
    folded texts of one sort are kept while it lasts: authors and series repeat."""
    key = COLUMN_KEYS[column]
    folded: dict[Any, tuple[bool, str]] = {}  # by authors (a tuple) or series (a text)

    def once(value: Any, text: Callable[[Any], str]) -> tuple[bool, str]:
        found = folded.get(value)
        if found is None:
            found = folded[value] = _missing_last(fold(text(value)))
        return found

    keys: dict[str, Callable[[Row], Any]] = {
        "title": lambda row: _missing_last(row.title_key),
        "authors": lambda row: once(row.book.authors, ", ".join),
        "series": lambda row: (
            once(row.book.series, lambda series: series or ""),
            row.book.series_index or 0.0,
        ),
        "status": lambda row: _STATUS_ORDER.get(row.book.status, len(_STATUS_ORDER)),
        "progress": lambda row: row.book.progress,
        "rating": lambda row: row.book.rating if row.book.rating is not None else -1.0,
        "format": lambda row: _missing_last(display(row.book, column)),
        "hardcover": lambda row: _HARDCOVER_ORDER.get(row.book.hardcover, len(_HARDCOVER_ORDER)),
        "tags": lambda row: _missing_last(fold(row.book.tags[0]) if row.book.tags else ""),
    }
    more = more_columns.SORT_KEYS.get(key)
    return (lambda row: more(row.book)) if more is not None else keys[key]


class BookColumns(HeadedTable):
    """The library table's columns and their headers, for every model that shows them, and
    after them the library's custom columns (`set_custom`); the cells of `EDITABLE` columns
    and of the custom ones can be edited (`cell_editing`)."""

    headers = tuple(title for _key, title in COLUMNS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.custom: tuple[Column, ...] = ()
        self.custom_headings: tuple[str, ...] = ()  # the custom columns' (`Column.heading`)

    def set_custom(self, columns: Sequence[Column]) -> None:
        """Show these custom columns after the others (a reset)."""
        self.beginResetModel()
        self.custom = tuple(columns)
        self.custom_headings = tuple(column.heading(self.headers) for column in self.custom)
        self.endResetModel()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self.headers) + len(self.custom)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if section >= len(self.headers) and orientation == Qt.Orientation.Horizontal:
            shown = role == Qt.ItemDataRole.DisplayRole
            return self.custom_headings[section - len(self.headers)] if shown else None
        return super().headerData(section, orientation, role)

    def column_key(self, column: int) -> str:
        """The key of `column`: a `COLUMN_KEYS` one, or `custom:<id>`."""
        if column < len(COLUMN_KEYS):
            return COLUMN_KEYS[column]
        return self.custom[column - len(COLUMN_KEYS)].key

    def text(self, book: TableBook, column: int) -> str:
        """The text of `book` in `column` (`display`; a custom column's value as shown)."""
        if column < len(COLUMN_KEYS):
            return display(book, column)
        wanted = self.custom[column - len(COLUMN_KEYS)].id
        return next((shown for column_id, shown in book.custom if column_id == wanted), "")

    def alignment(self, column: int) -> int | None:
        """Numbers right-aligned: progress, size, pages and a custom number column's."""
        if column < len(COLUMN_KEYS):
            return RIGHT_ALIGNED if column in _NUMBERS else None
        return (
            RIGHT_ALIGNED if self.custom[column - len(COLUMN_KEYS)].kind_name == "number" else None
        )

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        editable = index.column() in _EDITABLE_COLUMNS or index.column() >= len(COLUMN_KEYS)
        return flags | Qt.ItemFlag.ItemIsEditable if editable else flags


class LibraryModel(BookColumns):
    """Books as rows, `COLUMNS` as columns; `set_filter`/`sort` reorder."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._given: list[Row] = []  # every book, in the order the library gave them
        self._all: list[Row] = []  # every book, in the current sort order
        self._rows: list[Row] = []  # the books the filter lets through, in that order
        self._terms: tuple[str, ...] = ()
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in ----------------------------------------------------------------------------

    def set_books(self, books: Sequence[BookRow | TableBook]) -> None:
        self.beginResetModel()
        self._given = prepare_rows(books)
        self._all = self._sorted(self._given)
        self._rows = self._visible(self._all)
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        terms = filter_terms(text)
        if terms != self._terms:
            narrower = narrows(self._terms, terms)
            self._terms = terms
            self._refilter(self._rows if narrower else self._all)

    def _refilter(self, candidates: list[Row]) -> None:
        self.beginResetModel()
        self._rows = self._visible(candidates)
        self.endResetModel()

    def _visible(self, candidates: list[Row]) -> list[Row]:
        """The candidates the filter lets through, in their (sorted) order."""
        # One plain pass per term (no call per row): a keystroke on 50,000 books stays short.
        rows = list(candidates)
        for term in self._terms:
            rows = [row for row in rows if term in row.haystack]
        return rows

    def _sorted(self, rows: list[Row]) -> list[Row]:
        """A sorted copy; equal keys keep the library's order (the sort is stable)."""
        return sorted(
            rows,
            key=sort_key(self._sort_column),
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    # -- lookups ----------------------------------------------------------------------------

    def book_at(self, row: int) -> TableBook:
        return self._rows[row].book

    def row_of(self, book_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.book.id == book_id:
                return number
        return None

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        if role == ALIGNMENT_ROLE:
            return self.alignment(index.column())
        book = self._rows[index.row()].book
        if role == BOOK_ID_ROLE:
            return book.id
        if role == PROGRESS_ROLE:
            return book.progress
        shown = display(book, index.column())
        return shown if role == DISPLAY_ROLE else plain_tooltip(shown)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # A reset, not layoutChanged: views re-select the current book by id afterwards.
        self._sort_column = column
        self._sort_order = order
        self._all = self._sorted(self._given)
        self._refilter(self._all)
